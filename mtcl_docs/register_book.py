"""`register export`: the register as CSV, XLSX, or the printed books (DOCX and their PDF), one
book per series of numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.build import Paths
from mtcl_docs.convert.pool import to_pdf
from mtcl_docs.convert.soffice import ConversionError
from mtcl_docs.errors import DocumentError
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.kinds.registry import KindError, find_kind
from mtcl_docs.load.loader import ORG_DIR, load_org
from mtcl_docs.names import slug
from mtcl_docs.number.export import RegisterRow, write_csv, write_xlsx
from mtcl_docs.number.register import Entry, RegisterError
from mtcl_docs.profiles import Profile, pick_profile
from mtcl_docs.render.context import register_book_context
from mtcl_docs.render.engine import render_register_book
from mtcl_docs.render.tables import TableError


@dataclass(frozen=True)
class Book:
    """The entries of one series (organisation, year or term, and type when numbers run per
    type): they are numbered together, so they are bound together."""

    org: str
    scope: str  # `year:2026`, `term:2025-06-01`
    doc_type: str  # the series' type, or the one type chosen with --type; "" for every type
    entries: list[Entry]

    def name(self, year: int | None) -> str:
        """`so-dang-ky-truong-mau-2026`, `so-dang-ky-hvbctt-nhiem-ky-2025-tb`; a year chosen
        inside a term is named too (`…-nam-2026`), so it does not overwrite the whole term."""
        how, _, value = self.scope.partition(":")
        parts = ["so-dang-ky", self.org]
        parts.append(f"nhiem-ky-{value[:4]}" if how == "term" else value)
        if self.doc_type:
            parts.append(slug(self.doc_type))
        if year and how == "term":
            parts.append(f"nam-{year}")
        return "-".join(parts)


def books(entries: list[Entry], doc_type: str | None = None) -> list[Book]:
    """The entries (in register order: by series, then number) cut into one book per series."""
    key = lambda e: (e.org, e.scope, e.series_type)  # noqa: E731
    return [
        Book(org, scope, series_type or doc_type or "", list(group))
        for (org, scope, series_type), group in groupby(entries, key)
    ]


def export_book(
    paths: Paths,
    fmt: str,
    *,
    org: str | None = None,
    year: int | None = None,
    doc_type: str | None = None,
    book: str = "01",
    target: Path | None = None,
    unoservers: list[str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the register in `fmt`; for docx one book per series, each with its PDF beside it.
    Returns what was written."""
    with paths.open_register() as register:
        entries = register.entries(org=org, year=year, doc_type=doc_type)
    orgs = sorted({e.org for e in entries})
    if len(orgs) > 1:
        raise RegisterError(
            f"sổ có văn bản của nhiều cơ quan ({', '.join(orgs)}); hãy chọn một bằng --org"
        )
    org_id = org or (orgs[0] if orgs else None)
    if org_id is None:
        raise RegisterError(
            "không có văn bản nào trong sổ để xuất (kiểm tra --org, --year, --type)"
        )
    if fmt in ("csv", "xlsx"):
        stem = f"{org_id}-{year}" if year else org_id
        target = target or paths.output / "so-dang-ky" / f"{stem}.{fmt}"
        return [(write_csv if fmt == "csv" else write_xlsx)(entries, target)]
    org_path = paths.data / ORG_DIR / f"{org_id}.yaml"
    try:
        organisation = load_org(org_path)
    except DocumentError as exc:
        raise RegisterError(f"cần tệp cơ quan để in bìa sổ: {exc}") from exc
    profile = pick_profile(organisation.profile, dt.date.today(), organisation.overrides)
    found = books(entries, doc_type)
    written = []
    for one in found:
        path = _book_path(paths, one, year, target, several=len(found) > 1)
        context = register_book_context(
            organisation, one.entries, book, _kind_name(one.doc_type, profile), year
        )
        rows = [RegisterRow.of(e).cells() for e in one.entries]
        try:
            document = render_register_book(context, rows, profile, paths.templates, warn)
        except TableError as exc:
            raise RegisterError(f"{path.name}: {exc}") from exc
        atomic_write(path, lambda tmp, document=document: document.save(str(tmp)))
        written.append(path)
    pdfs = [path.with_suffix(".pdf") for path in written]
    try:
        results = to_pdf(written, pdfs, unoservers=unoservers)
    except ConversionError as exc:
        raise RegisterError(f"đã ghi {_names(written)} nhưng chưa làm được PDF: {exc}") from exc
    failed = [r for r in results if r.pdf is None]
    if failed:
        raise RegisterError(
            f"đã ghi {_names(written)} nhưng chưa làm được PDF: "
            + "; ".join(f"{r.source.name}: {r.error}" for r in failed)
        )
    _validate(pdfs)
    return [path for pair in zip(written, pdfs, strict=True) for path in pair]


def _validate(pdfs: list[Path]) -> None:
    """The printed book's PDF is kept for the archive like the documents: PDF/A-2b, checked as
    it is written (issue 14, item 1); a failure names the file and the rule."""
    failing = [f"{pdf} {message}" for pdf in pdfs for message in pdfa_failures(pdf)]
    if failing:
        raise RegisterError("; ".join(failing) + " (tệp vẫn để lại để xem)")


def _book_path(paths: Paths, book: Book, year: int | None, target: Path | None,
               several: bool) -> Path:  # fmt: skip
    """Where a book goes: output/so-dang-ky/<name>.docx; `--file` for one book, and the stem of
    `--file` followed by each book's series when there are several."""
    if target is None:
        return paths.output / "so-dang-ky" / f"{book.name(year)}.docx"
    if not several:
        return target
    series = book.name(year).removeprefix(f"so-dang-ky-{book.org}-")
    return target.with_name(f"{target.stem}-{series}{target.suffix or '.docx'}")


def _kind_name(code: str, profile: Profile) -> str:
    """`Thông báo (TB)` for a series' type code; the code alone when no kind table has it."""
    if not code:
        return ""
    try:
        return f"{find_kind(code, profile.family).name} ({code})"
    except KindError:
        return code


def _names(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)
