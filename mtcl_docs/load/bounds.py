"""Whole numbers a clerk writes (số văn bản, số bản, cột gộp) kept within what a document can be:
`number: 10^29` is refused with the allowed range, not carried to a crash far away."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator


def _shown(value: int) -> str:
    text = str(value)
    return f'"{text}"' if len(text) <= 12 else f'"{text[:8]}…" ({len(text)} chữ số)'


def between(low: int, high: int) -> Any:
    """`int` from `low` to `high` (both included); the message names the range."""

    def out_of_range(shown: str) -> ValueError:
        return ValueError(f"{shown} phải từ {low} đến {high:,}".replace(",", "."))

    def before(value: Any) -> Any:
        """`number: yes` is YAML's true, which pydantic would take for 1; `1e300` is a float
        pydantic cannot make an int of."""
        if isinstance(value, bool):
            raise ValueError(f'"{str(value).lower()}" cần một số nguyên, không phải có/không')
        if isinstance(value, float) and value == value and not low <= value <= high:
            raise out_of_range(f'"{value:g}"')
        return value

    def check(value: int) -> int:
        if not low <= value <= high:
            raise out_of_range(_shown(value))
        return value

    return Annotated[int, BeforeValidator(before), AfterValidator(check)]


DOC_NUMBER = between(1, 99_999)  # số văn bản: from 01 each year (or term)
COPIES = between(1, 10_000)  # số bản phát hành
FILING_COPIES = between(1, 100)  # số bản lưu
SPAN = between(1, 200)  # columns or rows one cell covers; no printed table is wider
ROW_IN_FILE = between(1, 1_000_000)  # a row of a spreadsheet (XLSX has 1 048 576)
