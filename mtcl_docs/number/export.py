"""The register as others read it: CSV, XLSX, and the printed book (DOCX + PDF) of NĐ 30 Điều 16."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mtcl_docs.fsutil import atomic_write
from mtcl_docs.number.register import Entry
from mtcl_docs.sheet_text import append_text_row, csv_rows

# The ten columns of the register of outgoing documents (NĐ 30 Phụ lục IV, mục I.2).
COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
# Column widths of the XLSX (about mm); the printed book measures its own from what it holds
# (render/register_table.py).
COLUMN_WIDTHS_MM = [28, 20, 62, 30, 34, 26, 12, 16, 12, 12]


def dmy(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, as printed."""

    symbol: str
    date: str
    type_subject: str
    signer: str
    recipients: str
    filing: str
    copies: str
    sent: str
    received: str
    note: str

    @classmethod
    def of(cls, e: Entry) -> RegisterRow:
        note = e.note or ""
        return cls(
            e.symbol, dmy(e.doc_date), e.type_subject, e.signer, e.recipients, e.filing,
            str(e.copies or ""), dmy(e.sent_date), e.received_by or "", note,
        )  # fmt: skip

    def cells(self) -> list[str]:
        return [getattr(self, name) for name in self.__dataclass_fields__]


def write_csv(entries: list[Entry], target: Path) -> Path:
    """UTF-8 with a byte-order mark, so Excel shows the diacritics; a value that would start a
    formula gets a leading `'` (sheet_text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(csv_rows(RegisterRow.of(e).cells() for e in entries))
    data = buffer.getvalue().encode("utf-8-sig")
    return atomic_write(target, lambda tmp: tmp.write_bytes(data))


def write_xlsx(entries: list[Entry], target: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for entry in entries:  # subjects, signers, recipients are typed by clerks: text only
        append_text_row(sheet, RegisterRow.of(entry).cells())
    for i, width in enumerate(COLUMN_WIDTHS_MM):
        sheet.column_dimensions[chr(ord("A") + i)].width = width * 0.6
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return atomic_write(target, lambda tmp: book.save(tmp))
