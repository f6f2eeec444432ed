"""Reading what units send back: DOCX as Word users edit it, XLSX, or YAML — into plain rows."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from openpyxl import load_workbook

from mtcl_docs.load.yamlsource import YamlSource, nfc
from mtcl_docs.names import fold
from mtcl_docs.oxml.body import lines_above, same_cell
from mtcl_docs.plans.months import parse_range

# How a header cell starts (folded) → field. A header is short; data cells are not matched.
PLAN_COLUMNS = {
    "muc tieu": "objective",
    "ke hoach": "plan",
    "bat dau": "start",
    "ket thuc": "end",
    "don vi chu tri": "lead",
    "chu tri": "lead",
    "don vi phoi hop": "partners",
    "phoi hop": "partners",
    "ghi chu": "note",
}
RESULT_COLUMNS = {
    "muc tieu": "objective",
    "ket qua": "result",
    "ty le": "percent",
    "minh chung": "evidence",
    "ghi chu": "note",
}
NUMBER_HEADERS = {"tt", "stt", "so tt"}
PARENT_HEADERS = ("thoi gian",)  # merged over BẮT ĐẦU / KẾT THÚC
SUFFIXES = (".docx", ".xlsx", ".yaml", ".yml")
PDF = ".pdf"
# Kinds LibreOffice can turn into .docx/.xlsx (macros never run); until then named, not skipped.
CONVERTIBLE = {".doc": ".docx", ".docm": ".docx", ".odt": ".docx", ".rtf": ".docx",
               ".xls": ".xlsx", ".xlsm": ".xlsx", ".ods": ".xlsx"}  # fmt: skip
# A DOCX/XLSX is a ZIP: its members' sizes are checked before anything is unpacked, so a
# 2 MB "zip bomb" that unpacks to gigabytes is refused and memory stays flat.
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_TOTAL = 200 * 1024 * 1024  # unpacked, all members
ZIP_MAX_RATIO = 150  # unpacked / packed, for a member over 1 MB
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # what Office writes for an encrypted file


class ReadError(Exception):
    """A returned file that cannot be read as a plan (or results) table."""


class PdfReturned(ReadError):
    """A PDF (a scan, a print): the unit did send something, but nothing can be read from it."""


PDF_MESSAGE = "đã nộp bản PDF — cần bản Word/Excel (.docx, .xlsx) để đọc và tổng hợp"


@dataclass
class RawRow:
    where: str  # how a clerk finds the row again: "dòng 3 của bảng", "dòng 7 của trang tính"
    values: dict[str, Any]


@dataclass
class RawTable:
    source: Path
    title: str
    rows: list[RawRow]
    received: dt.date | None  # a date the file itself states as its submission (YAML submitted:)
    unit_hint: str | None = None  # a unit named outright (YAML `unit:`)
    extra: dict[str, Any] = field(default_factory=dict)
    saved: dt.datetime | None = None  # "last saved" in the file's own properties
    mtime: dt.date | None = None  # the file's modification time on this computer
    doc_title: str = ""  # the title in the file's own properties


def _key(header: str, columns: dict[str, str]) -> str | None:
    text = fold(header)
    if len(text) > 60:
        return None
    if text in NUMBER_HEADERS:
        return "tt"
    return next(
        (columns[w] for w in sorted(columns, key=len, reverse=True) if text.startswith(w)), None
    )


def _is_parent(header: str) -> bool:
    return fold(header).startswith(PARENT_HEADERS)


def _map_header(
    grid: list[list[str]], columns: dict[str, str], required: set[str]
) -> tuple[dict[int, str], int]:
    """Column index → field, from up to three header rows; and how many rows the header takes.

    A row is a header row when most of its cells are known headings; a heading nobody knows
    (a column a unit added) is an error, since its data would otherwise be lost silently.
    """
    mapping: dict[int, str] = {}
    unknown: dict[int, str] = {}
    used = 0
    for r, row in enumerate(grid[:3]):
        labels = {c: t for c, t in enumerate(row) if t.strip()}
        kinds = {c: _key(t, columns) for c, t in labels.items()}
        known = [c for c, k in kinds.items() if k or _is_parent(labels[c])]
        if not labels or len(known) * 2 < len(labels):
            break
        for c, key in kinds.items():
            if key:
                mapping[c] = key
                unknown.pop(c, None)
            elif not _is_parent(labels[c]) and c not in mapping:
                unknown[c] = labels[c]
        used = r + 1
    if not required <= set(mapping.values()):
        return {}, 0
    if unknown:
        names = ", ".join(f"«{' '.join(t.split())}»" for t in unknown.values())
        raise ReadError(f"bảng có cột không nhận ra: {names}")
    return mapping, used


def read_table_file(path: Path, columns: dict[str, str], required: set[str]) -> RawTable:
    """Dispatch on the file's kind; any failure is a ReadError naming what is wrong."""
    suffix = path.suffix.lower()
    if suffix == PDF:
        raise PdfReturned(PDF_MESSAGE)
    if suffix in CONVERTIBLE:
        return _read_converted(path, columns, required)
    if suffix in (".docx", ".xlsx"):
        check_package(path, suffix)
    if suffix == ".docx":
        return _read_docx(path, columns, required)
    if suffix == ".xlsx":
        return _read_xlsx(path, columns, required)
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    raise ReadError(
        f"không đọc được loại tệp {suffix or '(không đuôi)'}; dùng .docx, .xlsx hoặc .yaml"
    )


def _read_converted(path: Path, columns: dict[str, str], required: set[str]) -> RawTable:
    """A .doc, .docm, .odt, .xls … read through the .docx/.xlsx LibreOffice makes of it (macros
    never run); the table still names the file the unit sent."""
    from mtcl_docs.plans.legacy import LegacyError, converted  # noqa: PLC0415 - only for these

    made_as = CONVERTIBLE[path.suffix.lower()]
    try:
        with converted(path) as made:
            check_package(made, made_as)
            read = _read_docx if made_as == ".docx" else _read_xlsx
            table = read(made, columns, required)
    except LegacyError as exc:
        raise ReadError(f"{exc}; hãy mở bằng Word/Excel và lưu lại thành {made_as}") from exc
    table.source, table.mtime = path, _mtime(path)
    return table


def check_package(path: Path, suffix: str) -> None:
    """Refuse, before unpacking anything, a DOCX/XLSX that is encrypted (Office then writes an
    OLE file holding `EncryptionInfo`), not a ZIP, or a ZIP that would unpack too much."""
    kind = suffix.lstrip(".").upper()
    with path.open("rb") as f:
        head = f.read(8)
        if head == OLE_MAGIC:
            f.seek(0)
            if "EncryptionInfo".encode("utf-16-le") in f.read(1 << 20):
                raise ReadError(
                    f"tệp {kind} được đặt mật khẩu (mã hóa), không mở được: đề nghị đơn vị gửi "
                    "lại bản không đặt mật khẩu"
                )
            raise ReadError(
                f"tệp mang đuôi {suffix} nhưng là tệp Office cũ (.doc/.xls): hãy lưu lại thành {suffix}"
            )
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"tệp {kind} hỏng, không mở được") from exc
    total = sum(m.file_size for m in members)
    inflated = [
        m
        for m in members
        if m.file_size > 1 << 20 and m.file_size > ZIP_MAX_RATIO * max(m.compress_size, 1)
    ]
    if len(members) > ZIP_MAX_MEMBERS or total > ZIP_MAX_TOTAL or inflated:
        packed = f"{path.stat().st_size / (1 << 20):.1f}".replace(".", ",")
        raise ReadError(
            f"tệp {kind} bất thường, không đọc: {len(members)} phần, giải nén ra "
            f"{total >> 20} MB từ {packed} MB "
            f"(giới hạn {ZIP_MAX_TOTAL >> 20} MB); có thể là tệp nén độc hại (zip bomb)"
        )


def _text(value: Any) -> str:
    return nfc(value).strip() if isinstance(value, str) else value


def _read_docx(path: Path, columns: dict[str, str], required: set[str]) -> RawTable:
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError("tệp DOCX hỏng, không mở được") from exc
    for number, table in enumerate(document.tables, 1):
        rows = table.rows
        cells = [row.cells for row in rows]
        grid = [[_text(c.text) for c in row] for row in cells]
        mapping, header_rows = _map_header(grid, columns, required)
        if not mapping:
            continue
        column = {key: c for c, key in mapping.items()}
        out = []
        for i in range(header_rows, len(cells)):
            values = {key: grid[i][c] for c, key in mapping.items() if c < len(grid[i])}
            if same_cell(cells[i], column.get("start"), column.get("end")):
                span = parse_range(values.get("start", ""))  # `9/2022 - 12/2022` in a merged cell
                if span:
                    values["start"], values["end"] = str(span[0]), str(span[1])
            out.append(RawRow(f"dòng {i - header_rows + 1} của bảng {number}", values))
        title = nfc("\n".join(lines_above(document, table, 4)))
        props = document.core_properties
        return RawTable(path, nfc(title), out, None, saved=props.modified, mtime=_mtime(path),
                        doc_title=nfc(props.title or ""))  # fmt: skip
    raise ReadError(
        "không thấy bảng kế hoạch trong tệp (cần các cột như MỤC TIÊU CỤ THỂ, KẾ HOẠCH THỰC HIỆN)"
    )


def _read_xlsx(path: Path, columns: dict[str, str], required: set[str]) -> RawTable:
    try:
        book = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError("tệp XLSX hỏng, không mở được") from exc
    for sheet in book.worksheets:
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:  # a merged range shows its value in every cell
            top = values[merged.min_row - 1][merged.min_col - 1]
            for r in range(merged.min_row - 1, merged.max_row):
                for c in range(merged.min_col - 1, merged.max_col):
                    if r < len(values) and c < len(values[r]):
                        values[r][c] = top
        grid = [["" if v is None else str(_text(v)) for v in row] for row in values]
        for start in range(min(len(grid), 20)):
            mapping, header_rows = _map_header(grid[start:], columns, required)
            if not mapping:
                continue
            out = []
            for i in range(start + header_rows, len(values)):
                row = values[i]
                raw = {key: _text(row[c]) for c, key in mapping.items() if c < len(row)}
                out.append(RawRow(f"dòng {i + 1} của trang tính «{sheet.title}»", raw))
            title = "\n".join(" ".join(c for c in grid[r] if c) for r in range(start))
            props = book.properties
            return RawTable(path, nfc(title), out, None, saved=props.modified, mtime=_mtime(path),
                            doc_title=nfc(props.title or ""))  # fmt: skip
    raise ReadError(
        "không thấy bảng kế hoạch trong tệp (cần các cột như MỤC TIÊU CỤ THỂ, KẾ HOẠCH THỰC HIỆN)"
    )


def _read_yaml(path: Path) -> RawTable:
    from mtcl_docs.errors import DocumentError

    try:
        src = YamlSource.read(path)
    except DocumentError as exc:
        raise ReadError(str(exc.problems[0]).removeprefix(str(path)).strip()) from exc
    data = src.data
    if not isinstance(data, dict) or "unit" not in data or not isinstance(data.get("rows"), list):
        raise ReadError("tệp YAML cần trường unit: (đơn vị) và rows: (danh sách các dòng)")
    rows = []
    for i, row in enumerate(data["rows"]):
        if not isinstance(row, dict):
            raise ReadError(f"rows[{i}] phải là một nhóm trường (objective:, plan:, …)")
        line = src.line_of(("rows", i))
        rows.append(
            RawRow(
                f"dòng {line} của tệp" if line else f"rows[{i}]",
                {k: _text(v) for k, v in row.items()},
            )
        )
    submitted = data.get("submitted")
    try:
        received = None if submitted is None else parse_day(submitted)
    except ValueError as exc:
        raise ReadError(
            f'submitted: "{submitted}" không phải ngày (cần dạng 28/10/2022 hoặc 2022-10-28)'
        ) from exc
    return RawTable(path, "", rows, received, unit_hint=str(data["unit"]), mtime=_mtime(path))


def _mtime(path: Path) -> dt.date:
    return dt.date.fromtimestamp(path.stat().st_mtime)


RECEIPTS = "so-nhan.yaml"


def parse_day(value: Any) -> dt.date:
    """A day as clerks write it: `28/10/2022` (also `28-10-2022`, `28.10.2022`) or `2022-10-28`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(x) for x in match.groups())
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


RECEIPT_LINE = re.compile(r"^\s*(?P<name>.+?)\s*:\s*(?P<day>[^:#]*?)\s*(#.*)?$")


def read_receipts(folder: Path) -> tuple[dict[str, dt.date], list[str]]:
    """`so-nhan.yaml` (optional): file name → the day the centre received it, as logged by hand,
    one `tên-tệp.docx: 28/10/2022` a line; and what is wrong with each line that is not one (a
    bad line costs only itself)."""
    log = folder / RECEIPTS
    if not log.is_file():
        return {}, []
    try:
        text = log.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"sổ nhận không đọc được ({type(exc).__name__})"]
    days: dict[str, dt.date] = {}
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = RECEIPT_LINE.match(line)
        try:
            if match is None or not match["day"]:
                raise ValueError
            name = match["name"].strip("'\" ")
            days[name] = parse_day(match["day"].strip("'\" "))
        except ValueError:
            errors.append(
                f"sổ nhận dòng {number}: «{line.strip()[:80]}» không đọc được "
                "(cần dạng 'tên-tệp.docx: 28/10/2022'); bỏ qua dòng này"
            )
    return days, errors
