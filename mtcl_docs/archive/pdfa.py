"""PDF/A-2b validation of the PDFs the project writes, by `page` (PyPI `page-validation`): it
checks the file's structure, metadata (XMP with pdfaid, Info agreeing), output intent, fonts
embedded and the other PDF/A-2b rules it implements, offline and in a few milliseconds a file."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import page
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PROFILE = "2b"
STREAM_LENGTH = "PDFA2B-STREAM-LENGTH-001"


def pdfa_failures(pdf: Path) -> list[str]:
    """What keeps `pdf` from being PDF/A-2b, one line per broken rule naming the file and the
    rule; empty when it validates."""
    try:
        report = page.validate_pdf(pdf, profile=PROFILE)
    except page.PageError as exc:
        return [f"không đọc được để kiểm tra PDF/A-2b ({exc})"]
    return _messages(report, lambda: pdf.read_bytes())


def pdfa_failures_of(data: bytes) -> list[str]:
    """`pdfa_failures` of a PDF held in memory."""
    try:
        report = page.validate_pdf_bytes(data, profile=PROFILE)
    except page.PageError as exc:
        return [f"không đọc được để kiểm tra PDF/A-2b ({exc})"]
    return _messages(report, lambda: data)


def _messages(report: page.ValidationReport, data: Callable[[], bytes]) -> list[str]:
    if report.is_compliant:
        return []
    rules: dict[str, str] = {}
    for failure in report.failures:
        if failure.rule_id == STREAM_LENGTH and _data_ends_in_cr(data(), failure.object_id):
            continue
        rules.setdefault(failure.rule_id, failure.message)
    return [f"không đạt PDF/A-2b, quy tắc {rule} ({message})" for rule, message in rules.items()]


def _data_ends_in_cr(data: bytes, where: page.PdfObjectId | None) -> bool:
    """Whether a stream the validator calls too long is right: its data ends with a CR byte (of
    compressed data) and the LF after it is the end-of-line marker before `endstream`. The
    validator (page-validation 0.11) takes that CR LF for the marker and counts the data one
    byte short; ISO 32000-1 §7.3.8.1 counts /Length from the marker after `stream` to the marker
    before `endstream`, which is what the file has. Such streams are common (a font or a page in
    ~15 of LibreOffice's PDFs), and made builds fail at random. Without the object named (the
    validator names none in a large file), every stream of the file is checked so."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if where is not None:
            ends = [_stream_end(data, reader, reader.xref[where.generation][where.object_number])]
        else:
            ends = [_stream_end(data, reader, offset) for offset in reader.xref.get(0, {}).values()]
    except (PyPdfError, KeyError, TypeError, ValueError):
        return False
    ends = [end for end in ends if end is not None]
    right = all(data[end : end + 10] == b"\nendstream" or data[end : end + 11] == b"\r\nendstream"
                for end in ends)  # fmt: skip
    return right and any(data[end - 1 : end] == b"\r" and data[end] == 0x0A for end in ends)


def _stream_end(data: bytes, reader: PdfReader, offset: int) -> int | None:
    """Where the data of the stream object at `offset` ends by its /Length (None: no stream)."""
    head = _STREAM_HEAD.match(data, offset)
    if head is None:
        return None
    number = int(head.group(1))
    length = reader.get_object(number) if head.group(2) else number  # indirect, or not
    return head.end() + int(length)


_STREAM_HEAD = re.compile(
    rb"\d+\s+\d+\s+obj\s*<<(?:(?!>>\s*stream|endobj).)*?/Length\s+(\d+)(\s+\d+\s+R)?"
    rb"(?:(?!stream|endobj).)*?>>\s*stream(?:\r\n|\n)",
    re.S,
)
