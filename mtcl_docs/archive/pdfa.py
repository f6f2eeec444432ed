"""PDF/A-2b validation of the PDFs the project writes, by `page` (PyPI `page-validation`): it
checks the file's structure, metadata (XMP with pdfaid, Info agreeing), output intent, fonts
embedded and the other PDF/A-2b rules it implements, offline and in a few milliseconds a file."""

from __future__ import annotations

from pathlib import Path

import page

PROFILE = "2b"


def pdfa_failures(pdf: Path) -> list[str]:
    """What keeps `pdf` from being PDF/A-2b, one line per broken rule naming the file and the
    rule; empty when it validates."""
    try:
        report = page.validate_pdf(pdf, profile=PROFILE)
    except page.PageError as exc:
        return [f"không đọc được để kiểm tra PDF/A-2b ({exc})"]
    if report.is_compliant:
        return []
    rules: dict[str, str] = {}
    for failure in report.failures:
        rules.setdefault(failure.rule_id, failure.message)
    return [f"không đạt PDF/A-2b, quy tắc {rule} ({message})" for rule, message in rules.items()]
