"""Table rows read from a spreadsheet beside the data (`rows_from:`): XLSX through openpyxl, or
CSV; cells as Excel shows them (dates `dd/mm/yyyy`), merged cells kept as merges."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from mtcl_docs.load.table_model import RowsFrom, TableCell
from mtcl_docs.render.tables import TableError

Cells = list[str | TableCell]

MAX_FILE = 20_000_000  # bytes of a rows_from file
MAX_UNPACKED = 200_000_000  # bytes an XLSX (a zip) may unpack to: a zip bomb is refused unread
MAX_ROWS = 20_000  # rows one table takes from a file
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _within_limits(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE:
        raise TableError(f"{path.name}: tệp quá lớn ({size // 1_000_000} MB, tối đa 20 MB)")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise TableError(f"{path.name}: không mở được tệp Excel (tệp hỏng)") from exc
        if unpacked > MAX_UNPACKED:
            raise TableError(
                f"{path.name}: tệp Excel giải nén ra quá lớn ({unpacked // 1_000_000} MB, tối đa "
                f"{MAX_UNPACKED // 1_000_000} MB); không đọc"
            )


def read_rows(source: RowsFrom, folder: Path, width: int | None = None) -> list[Cells]:
    """The rows under the header row; `width` (the table's columns the file fills) bounds them."""
    path = (folder / source.file).resolve()
    if not path.is_relative_to(folder.resolve().parent) or not path.is_file():
        raise TableError(f"không thấy tệp {source.file} bên cạnh tệp dữ liệu ({folder})")
    _within_limits(path)
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
        where = path.name
        merges: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, merges, covered, where = _xlsx_rows(path, source.sheet)
    else:
        raise TableError(f"{source.file}: chỉ đọc được tệp .xlsx hoặc .csv")
    if len(rows) - source.header_row > MAX_ROWS:
        raise TableError(f"{where}: quá nhiều hàng ({len(rows)}, một bảng tối đa {MAX_ROWS})")
    out: list[Cells] = []
    for r, row in enumerate(rows, 1):
        if r <= source.header_row:
            continue
        for c, text in enumerate(row, 1):
            bad = _CONTROL.search(text)
            if bad:
                raise TableError(
                    f"{where}, dòng {r}, cột {get_column_letter(c)}: có ký tự điều khiển không in "
                    f"được (mã U+{ord(bad[0]):04X}) ở vị trí thứ {bad.start() + 1} của ô; hãy xóa "
                    "ký tự đó"
                )
        while row and row[-1] == "":
            row = row[:-1]
        if not row and not any((r, c) in covered for c in range(1, (width or 0) + 1)):
            continue  # a blank line
        if width is not None and len(row) > width:
            extra = next(c for c in range(width, len(row)) if row[c] != "")
            raise TableError(
                f"{where}, dòng {r}, cột {get_column_letter(extra + 1)}: có «{row[extra]}» "
                f"ngoài {width} cột của bảng"
            )
        cells: Cells = []
        for c, text in enumerate(row, 1):
            if (r, c) in covered:
                continue
            if (r, c) in merges:
                rows_, cols = merges[(r, c)]
                cells.append(TableCell(text=text, rows=rows_, span=cols))
            else:
                cells.append(text)
        out.append(cells)
    return out


def _csv_rows(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(f"{path.name}: tệp CSV không ở dạng UTF-8; hãy lưu lại với UTF-8") from exc
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(text.splitlines(), dialect)]


def _xlsx_rows(path: Path, sheet: str | None):
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is one clear error
        raise TableError(f"{path.name}: không mở được tệp Excel ({type(exc).__name__})") from exc
    if sheet is not None and sheet not in book.sheetnames:
        raise TableError(
            f"{path.name}: không có trang tính «{sheet}» (có: {', '.join(book.sheetnames)})"
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    if ws.max_row > MAX_ROWS + 100 or ws.max_column > 200:
        raise TableError(
            f"{path.name}, trang «{ws.title}»: quá lớn ({ws.max_row} hàng, {ws.max_column} cột; "
            f"một bảng tối đa {MAX_ROWS} hàng, 200 cột)"
        )
    rows = [[shown(cell.value, cell.number_format) for cell in row] for row in ws.iter_rows()]
    merges, covered = {}, set()
    for area in ws.merged_cells.ranges:
        if area.max_row > ws.max_row or area.max_col > ws.max_column:
            raise TableError(f"{path.name}, trang «{ws.title}»: vùng gộp ô {area} ra ngoài bảng")
        merges[(area.min_row, area.min_col)] = (area.max_row - area.min_row + 1,
                                                area.max_col - area.min_col + 1)  # fmt: skip
        covered |= {(r, c) for r in range(area.min_row, area.max_row + 1)
                    for c in range(area.min_col, area.max_col + 1)} - {(area.min_row, area.min_col)}  # fmt: skip
    return rows, merges, covered, f"{path.name}, trang «{ws.title}»"


def shown(value, number_format: str = "General") -> str:
    """A cell's value as Excel shows it: dates `dd/mm/yyyy`, times `hh:mm`, whole numbers bare."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() or "h" not in number_format.lower():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        if "%" in number_format:
            return f"{value * 100:g}%"
        return str(int(value)) if value.is_integer() else f"{value:g}".replace(".", ",")
    return str(value).strip()
