"""The tables of the MTCL forms and reports, as table specs built from the data: the plan table
(the seed's eight columns under `THỜI GIAN THỰC HIỆN (Tháng/Năm)`), the results table and the
tallies. Each is printed by `render/tables.table_block`, like every other table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from mtcl_docs.blocks import Cell, Para, Span, Table
from mtcl_docs.load.table_model import TableCell, TableColumn, TableSpec
from mtcl_docs.profiles import Profile
from mtcl_docs.render.tables import TablePage

# The seed's plan table: TT | MỤC TIÊU CỤ THỂ | KẾ HOẠCH THỰC HIỆN | BẮT ĐẦU | KẾT THÚC |
# ĐƠN VỊ CHỦ TRÌ | ĐƠN VỊ PHỐI HỢP | GHI CHÚ, 252 mm: the room across a landscape A4 page.
PLAN_COLUMNS = (
    ("TT", 12, "center"),
    ("MỤC TIÊU CỤ THỂ", 55, "left"),
    ("KẾ HOẠCH THỰC HIỆN", 60, "left"),
    ("BẮT ĐẦU", 22, "center"),
    ("KẾT THÚC", 22, "center"),
    ("ĐƠN VỊ CHỦ TRÌ", 30, "left"),
    ("ĐƠN VỊ PHỐI HỢP", 30, "left"),
    ("GHI CHÚ", 21, "left"),
)
TIME_HEADER = "THỜI GIAN THỰC HIỆN (Tháng/Năm)"  # merged over BẮT ĐẦU | KẾT THÚC
TIME_AT = 3  # the column BẮT ĐẦU
RESULT_COLUMNS = (
    ("TT", 12, "center"),
    ("MỤC TIÊU", 110, "left"),
    ("KẾT QUẢ", 35, "left"),
    ("TỶ LỆ ĐẠT (%)", 25, "center"),
    ("MINH CHỨNG", 70, "left"),
)
TALLY_HEADERS = ("SỐ MỤC TIÊU", "ĐẠT", "ĐẠT MỘT PHẦN", "KHÔNG ĐẠT", "TỶ LỆ ĐẠT (%)")
TALLY_WIDTHS = (12, 110, 26, 22, 28, 26, 28)


def form_page(profile: Profile, source: Path) -> TablePage:
    """A landscape page of a form; `source` (the year's data file) is named in errors. A column
    too narrow for a code a unit typed is the unit's text, not the clerk's mistake: no warning."""
    return TablePage(profile.room_mm(landscape=True), profile, source, lambda _: None)


def literal(text: str) -> str:
    """Text as written (a unit's `*` is a star, not the markup's italics)."""
    return text.replace("*", "\\*")


def _columns(columns: Sequence[tuple[str, float, str]]) -> list[TableColumn]:
    return [
        TableColumn(header=header, width=width, align=align, number=header == "TT")
        for header, width, align in columns
    ]


def plan_spec(rows: Sequence[Sequence[str]], name: str | None = None) -> TableSpec:
    """The plan table: two header rows (TT, …, each over both; THỜI GIAN THỰC HIỆN over BẮT ĐẦU
    and KẾT THÚC), then one row per line, numbered 1, 2, … (`rows`: the seven columns after TT)."""
    top: list[str | TableCell] = [
        TableCell(text=header, rows=2) for header, _, _ in PLAN_COLUMNS[:TIME_AT]
    ]
    top.append(TableCell(text=TIME_HEADER, span=2))
    top += [TableCell(text=header, rows=2) for header, _, _ in PLAN_COLUMNS[TIME_AT + 2 :]]
    below = [header for header, _, _ in PLAN_COLUMNS[TIME_AT : TIME_AT + 2]]
    return TableSpec(
        name=name,
        columns=_columns(PLAN_COLUMNS),
        header=[top, below],
        rows=[[literal(text) for text in row] for row in rows],
    )


def results_spec(rows: Sequence[Sequence[str]], name: str | None = None) -> TableSpec:
    """A unit's results: MỤC TIÊU | KẾT QUẢ | TỶ LỆ ĐẠT (%) | MINH CHỨNG, numbered."""
    return TableSpec(
        name=name,
        columns=_columns(RESULT_COLUMNS),
        rows=[[literal(text) for text in row] for row in rows],
    )


def tally_spec(label: str, rows: Sequence[Sequence[str]], name: str | None = None) -> TableSpec:
    """Results counted per objective or per unit (`label`: MỤC TIÊU, ĐƠN VỊ), numbered."""
    first = "SỐ ĐƠN VỊ BÁO CÁO" if label == "MỤC TIÊU" else TALLY_HEADERS[0]
    headers = ("TT", label, first, *TALLY_HEADERS[1:])
    aligns = ("center", "left", *["center"] * len(TALLY_HEADERS))
    return TableSpec(
        name=name,
        columns=_columns(list(zip(headers, TALLY_WIDTHS, aligns, strict=True))),
        rows=[[literal(text) for text in row] for row in rows],
    )


def headed(heading: str, table: Table) -> list[Para | Table]:
    """A heading and its table: the heading keeps with the table's header and first rows (those
    keep with the next, see `table_block`), so it never ends a page alone."""
    return [Para("appendix_heading", (Span(heading),), keep_next=True), table]


def ending_with_next(table: Table) -> Table:
    """The table's last row keeps with what follows (a form's approval block): the block never
    starts a page alone. An empty cell gets an empty paragraph to carry the keep."""

    def kept(cell: Cell) -> Cell:
        paras = cell.paras or (Para("table_cell", (), size_pt=table.size_pt),)
        return replace(cell, paras=tuple(replace(p, keep_next=True) for p in paras))

    last = table.rows[-1]
    rows = (*table.rows[:-1], replace(last, cells=tuple(kept(c) for c in last.cells)))
    return replace(table, rows=rows)


FEEDBACK_COLUMNS = (
    ("TT", 12, "center"),
    ("VỊ TRÍ TRONG TỆP", 62, "left"),
    ("YÊU CẦU", 42, "left"),
    ("NỘI DUNG CẦN SỬA", 136, "left"),
)


def feedback_spec(rows: Sequence[Sequence[str]], name: str | None = None) -> TableSpec:
    """What a unit must correct (seed step B4): where in its file, which rule, what, numbered."""
    return TableSpec(
        name=name,
        columns=_columns(FEEDBACK_COLUMNS),
        rows=[[literal(text) for text in row] for row in rows],
    )
