"""Errors a clerk can act on: each names the file, the line, the field and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what was expected."""

    file: Path | str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = str(self.file) + (f":{self.line}" if self.line else "")
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


class DocumentError(Exception):
    """Raised when a document cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: Path | str, message: str, **where) -> DocumentError:
        return cls([Problem(file, message, **where)])
