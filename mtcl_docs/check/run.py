"""`mtcl-docs check`: one DOCX against its profile, one line per rule and a summary."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError

from mtcl_docs.check.locate import LocatedDocument, clean, detect_kind
from mtcl_docs.check.rules import Result, run_checks
from mtcl_docs.kinds import Kind
from mtcl_docs.profiles import Profile, pick_profile
from mtcl_docs.profiles.profile import ProfileError

DAY = re.compile(r"ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


class CheckError(Exception):
    """The file cannot be checked at all (not a DOCX, or no profile fits it)."""


@dataclass
class CheckReport:
    file: str
    profile: str
    results: list[Result]
    kind: str | None = None  # the kind's name (Công văn, Quyết định…), None if not recognised

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> bool:
        return self.count("FAIL") > 0

    def summary(self) -> str:
        return (f"{self.count('PASS')} passed, {self.count('FAIL')} failed, {self.count('SKIP')} skipped, "
                f"{self.count('WARN')} warned")  # fmt: skip

    def lines(self) -> list[str]:
        out = [
            f"{self.file} — thể thức {self.profile}"
            + (f", {self.kind.lower()}" if self.kind else "")
        ]
        for r in self.results:
            tail = f" (cần: {r.expected})" if r.status in ("FAIL", "WARN") and r.expected else ""
            out.append(f"{r.status:4} {r.rule}: {r.found}{tail} — {r.basis}")
        return out + [self.summary()]

    def as_dict(self) -> dict:
        return {"file": self.file, "profile": self.profile, "kind": self.kind,
                "results": [asdict(r) for r in self.results],
                "summary": {s.lower(): self.count(s) for s in ("PASS", "FAIL", "WARN", "SKIP")}}  # fmt: skip


def document_day(located: LocatedDocument) -> dt.date | None:
    """The document's own date, from the place-and-date line of its header; a day left blank for
    the signing (`ngày     tháng 6 năm 2026`) reads as the 1st of the month."""
    match = DAY.search(clean(located.date.text)) if located.date else None
    if match:
        try:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1) or 1))
        except ValueError:
            pass
    return None


def choose_profile(located: LocatedDocument, wanted: str) -> Profile:
    """`auto`: the Party or state family from the top-right line; then the version in force on the
    document's own date (HD 36 before 27/5/2026, HD 05 from then on), today's if it has none."""
    if wanted == "auto":
        text = clean(located.national.text) if located.national else ""
        if not text:
            raise CheckError(
                "không nhận ra thể thức: không có Quốc hiệu hay «ĐẢNG CỘNG SẢN VIỆT NAM»; dùng --profile"
            )
        wanted = "party" if text.startswith("ĐẢNG") else "nd30"
    try:
        return pick_profile(wanted, document_day(located) or dt.date.today())
    except ProfileError as exc:
        raise CheckError(str(exc)) from exc


def check_document(
    document: DocxDocument, name: str, wanted: str = "auto", kind: Kind | None = None
) -> CheckReport:
    """Check one document. `kind` is the document's kind when known (a build knows its job's);
    otherwise it is read from the title line, or the trích yếu under the number (công văn)."""
    located = LocatedDocument(document)
    profile = choose_profile(located, wanted)
    located.kind = kind if kind is not None else detect_kind(located, profile.family)
    name_of_kind = located.kind.name if located.kind is not None else None
    return CheckReport(name, profile.name, run_checks(located, profile), name_of_kind)


def check_file(path: Path, wanted: str = "auto") -> CheckReport:
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise CheckError(f"{path}: không mở được tệp DOCX ({exc})") from exc
    return check_document(document, str(path), wanted)
