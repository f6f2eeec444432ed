"""`register export`: the register as CSV, XLSX, or the printed book (DOCX and its PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mtcl_docs.build import Paths
from mtcl_docs.convert.pool import to_pdf
from mtcl_docs.convert.soffice import ConversionError
from mtcl_docs.errors import DocumentError
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.load.loader import ORG_DIR, load_org
from mtcl_docs.number.export import write_csv, write_xlsx
from mtcl_docs.number.register import RegisterError
from mtcl_docs.profiles import pick_profile
from mtcl_docs.render.context import register_book_context
from mtcl_docs.render.engine import render_register_book


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
) -> list[Path]:
    """Write the register in `fmt`; for docx, the PDF beside it too. Returns what was written."""
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
    stem = f"{org_id}-{year}" if year else org_id
    target = target or paths.output / "so-dang-ky" / f"{stem}.{fmt}"
    if fmt == "csv":
        return [write_csv(entries, target)]
    if fmt == "xlsx":
        return [write_xlsx(entries, target)]
    org_path = paths.data / ORG_DIR / f"{org_id}.yaml"
    try:
        organisation = load_org(org_path)
    except DocumentError as exc:
        raise RegisterError(f"cần tệp cơ quan để in bìa sổ: {exc}") from exc
    profile = pick_profile(organisation.profile, dt.date.today(), organisation.overrides)
    context = register_book_context(organisation, entries, str(year) if year else "…", book)
    document = render_register_book(context, profile, paths.templates)
    atomic_write(target, lambda tmp: document.save(str(tmp)))
    pdf = target.with_suffix(".pdf")
    try:
        [result] = to_pdf([target], [pdf], unoservers=unoservers)
    except ConversionError as exc:
        raise RegisterError(f"đã ghi {target} nhưng chưa làm được PDF: {exc}") from exc
    if result.pdf is None:
        raise RegisterError(f"đã ghi {target} nhưng chưa làm được PDF: {result.error}")
    return [target, pdf]
