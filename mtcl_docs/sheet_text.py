"""Text from outside stays text in the spreadsheets we write (the OWASP CSV-injection rule).

A unit's plan or a register entry may hold `=HYPERLINK(…)` or `=cmd|' /C …'!A0`; written as-is,
Excel and LibreOffice would run it as a formula. Every XLSX and CSV the project writes passes
its rows through here:

- XLSX: a string starting with `=`, `+`, `-`, `@`, tab or CR is stored as a string cell with
  the quote prefix set, so the spreadsheet shows the text unchanged and never evaluates it, not
  even when someone edits the cell and presses Enter;
- CSV has no cell types, so such a value gets a leading `'`, as the OWASP rule says.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: object) -> bool:
    """A string a spreadsheet would take for a formula (or the start of one)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    return "'" + value if risky(value) else value  # type: ignore[operator]


def csv_rows(rows: Iterable[Iterable[object]]) -> Iterable[list[object]]:
    for row in rows:
        yield [csv_cell(value) for value in row]


def append_text_row(sheet: Worksheet, row: Iterable[object]) -> None:
    """`sheet.append(row)`, except that no string in it becomes a formula."""
    values = list(row)
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if risky(value):
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True
