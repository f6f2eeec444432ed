"""A clerk's table (`load/table_model.py`) made into the table the document prints (`blocks.Table`):
widths resolved and checked against the page, merges placed on the grid, row numbers filled in,
header rows marked, cells turned into paragraphs. Every table the project prints goes through here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from mtcl_docs.blocks import Cell, Column, Para, Row, Table
from mtcl_docs.load.table_model import SHARE, GroupRow, TableCell, TableSpec
from mtcl_docs.profiles import Profile
from mtcl_docs.render.markup import spans
from mtcl_docs.render.textwidth import PT_PER_MM, text_width_pt

CELL_MARGINS_MM = 3.8  # Word's default 0.19 cm on each side of a cell's text
KEPT_ROWS = 2  # data rows kept on the page of the table's heading


class TableError(ValueError):
    """A table that cannot be printed as written (too wide, a row with too many cells)."""


@dataclass(frozen=True)
class TablePage:
    """Where a table is printed: the room across the page, the profile, the data file, and where
    to say a warning."""

    width_mm: float
    profile: Profile
    source: Path  # the data file, named in errors; `rows_from:` files sit beside it
    warn: Callable[[str], None]


def table_name(spec: TableSpec, index: int) -> str:
    return f"bảng «{spec.name}»" if spec.name else f"bảng thứ {index}"


def widths(spec: TableSpec, room_mm: float, name: str) -> list[float]:
    """Column widths in mm: as given, a share of the page, or an equal part of what is left."""
    fixed: list[float | None] = []
    for column in spec.columns:
        if isinstance(column.width, str):
            fixed.append(
                room_mm * float(SHARE.match(column.width).group(1).replace(",", ".")) / 100
            )
        else:
            fixed.append(column.width)
    given = sum(w for w in fixed if w is not None)
    free = [i for i, w in enumerate(fixed) if w is None]
    rest = (room_mm - given) / len(free) if free else 0.0
    if given > room_mm + 0.5 or (free and rest < 8):
        shown = " + ".join(f"{w:g}" if w is not None else "?" for w in fixed)
        raise TableError(
            f"{name} rộng {shown} = {given:g} mm, trang chỉ có {room_mm:g} mm"
            + (" (các cột không ghi độ rộng không còn chỗ)" if free else "")
            + ": giảm độ rộng các cột, hoặc đặt bảng vào phụ lục trang ngang"
        )
    return [round(w if w is not None else rest, 2) for w in fixed]


def table_block(spec: TableSpec, page: TablePage, index: int = 1,
                rows: Sequence[Sequence[str]] | None = None) -> Table:  # fmt: skip
    """The printed table; `rows` are rows already read from `rows_from:` (they follow the YAML's)."""
    name = table_name(spec, index)
    profile = page.profile
    columns = [
        Column(w, c.align)
        for w, c in zip(widths(spec, page.width_mm, name), spec.columns, strict=True)
    ]
    size = spec.size or profile.roles["table_cell"].size
    header_rows = spec.header or (
        [[c.header for c in spec.columns]] if any(c.header for c in spec.columns) else []
    )
    grid = _Grid(columns, name)
    out = [Row(tuple(grid.place(f"hàng tiêu đề {i}", _cells(row, "table_header", size))), header=True)
           for i, row in enumerate(header_rows, 1)]  # fmt: skip
    number_at = next((i for i, c in enumerate(spec.columns) if c.number), None)
    counter = 0
    data: list[list[str | TableCell] | GroupRow] = [*spec.rows, *(list(r) for r in rows or [])]
    for i, row in enumerate(data, 1):
        if isinstance(row, GroupRow):
            span = row.span or len(columns) - row.from_column + 1
            before = [TableCell() for _ in range(row.from_column - 1)]
            cells = [*before, TableCell(text=row.group, span=span, bold=True, align="left")]
            placed = grid.place(f"hàng {i}", _cells(cells, "table_cell", size))
        else:
            free = grid.free_columns()
            if number_at in free and _span(row) < len(free):  # the number is not given
                counter += 1
                at, before = 0, free.index(number_at)  # cells standing before the number's column
                while at < len(row) and before > 0:
                    before -= _span([row[at]])
                    at += 1
                row = [*row[:at], TableCell(text=str(counter), align="center"), *row[at:]]
            placed = grid.place(f"hàng {i}", _cells(row, "table_cell", size))
        out.append(Row(tuple(placed), min_height_mm=spec.row_height))
    grid.finish()
    _warn_narrow(out, columns, spec, page, size, name)
    return Table(tuple(columns), tuple(_kept(out)), size, spec.split_rows,
                 v_align=spec.valign)  # fmt: skip


class _Grid:
    """Where a row's cells land: columns still covered by a cell above are skipped."""

    def __init__(self, columns: list[Column], name: str):
        self.width, self.name = len(columns), name
        self.aligns = [c.align for c in columns]
        self.covered = [0] * self.width  # rows each column is still covered for

    def free_columns(self) -> list[int]:
        """The columns this row fills (not covered by a cell above)."""
        return [i for i, c in enumerate(self.covered) if c == 0]

    def place(self, row: str, cells: list[tuple[Cell, str]]) -> list[Cell]:
        placed: list[Cell] = []
        column = 0
        queue = list(cells)
        while column < self.width:
            if self.covered[column]:
                column += 1
                continue
            if not queue:  # a short row: empty cells to the end
                placed.append(Cell((), 1, 1))
                column += 1
                continue
            cell, _ = queue.pop(0)
            span = min(cell.col_span, self.width - column)
            if any(self.covered[column : column + span]) or cell.col_span > self.width - column:
                raise TableError(f"{self.name}, {row}: ô «{_text(cell)}» vượt quá số cột")
            align = self.aligns[column]  # the column's, where the cell says nothing
            paras = tuple(p if p.align else replace(p, align=align) for p in cell.paras)
            placed.append(replace(cell, col_span=span, paras=paras))
            for c in range(column, column + span):
                self.covered[c] = cell.row_span
            column += span
        if queue:
            extra = ", ".join(f"«{_text(c)}»" for c, _ in queue)
            raise TableError(
                f"{self.name}, {row}: thừa {len(queue)} ô ({extra}); bảng có {self.width} cột"
            )
        self.covered = [max(c - 1, 0) for c in self.covered]
        return placed

    def finish(self) -> None:
        """A cell may not cover rows the table does not have."""
        if any(self.covered):
            raise TableError(f"{self.name}: một ô gộp dọc (rows:) kéo quá hàng cuối của bảng")


def _cells(row, role: str, size: float) -> list[tuple[Cell, str]]:
    """A row's cells as paragraphs (one per line of the text); alignment is left to the column
    unless the cell or the role (headings centred) says otherwise."""
    out = []
    for value in row:
        cell = value if isinstance(value, TableCell) else TableCell(text=value)
        align = cell.align or ("center" if role == "table_header" else None)
        lines = cell.text.split("\n") if cell.text else []
        paras = tuple(
            Para(role, tuple(spans(line, bold=cell.bold)), align=align, size_pt=size)
            for line in lines
        )
        out.append((Cell(paras, cell.span, cell.rows), cell.text))
    return out


def _span(cells) -> int:
    return sum(c.span if isinstance(c, TableCell) else 1 for c in cells)


def _text(cell: Cell) -> str:
    return " ".join(p.text for p in cell.paras)[:40]


def _kept(rows: list[Row]) -> list[Row]:
    """The header rows and the first data rows keep with the next, so that the header and
    `KEPT_ROWS` data rows stand together: a table does not start alone at the foot of a page, away
    from its heading. The last row never keeps: a short table would pull what follows onto its
    page, and short tables under headings would chain into one block that no page holds."""
    out, data = [], 0
    for at, row in enumerate(rows):
        keep = (row.header or data < KEPT_ROWS - 1) and at < len(rows) - 1
        data += not row.header
        if keep:
            row = replace(row, cells=tuple(
                replace(c, paras=tuple(replace(p, keep_next=True) for p in c.paras)) for c in row.cells
            ))  # fmt: skip
        out.append(row)
    return out


def _warn_narrow(rows: list[Row], columns: list[Column], spec: TableSpec, page: TablePage,
                 size: float, name: str) -> None:  # fmt: skip
    """Say which column is too narrow for a date, code or number it holds (it would break)."""
    font = page.profile.font
    told = set()
    covered = [0] * len(columns)  # rows each column is still covered for by a cell above
    for row in rows:
        at = 0
        for cell in row.cells:
            while at < len(columns) and covered[at]:
                at += 1
            for c in range(at, at + cell.col_span):
                covered[c] = cell.row_span
            room = sum(c.width_mm for c in columns[at : at + cell.col_span]) - CELL_MARGINS_MM
            for para in cell.paras:
                bold = any(s.bold for s in para.spans) or para.role == "table_header"
                for word in para.text.split():
                    if at in told or not _unbreakable(word):
                        continue
                    need = text_width_pt(word, font, size, bold, False) / PT_PER_MM
                    if need > room:
                        told.add(at)
                        header = spec.columns[at].header if at < len(spec.columns) else ""
                        page.warn(
                            f"{name}, cột {at + 1}{f' «{header}»' if header else ''} "
                            f"({room + CELL_MARGINS_MM:g} mm) hẹp hơn «{word}» "
                            f"({need + CELL_MARGINS_MM:.1f} mm): «{word}» sẽ bị ngắt giữa chừng; hãy nới rộng cột"
                        )
            at += cell.col_span
        covered = [max(c - 1, 0) for c in covered]


def _unbreakable(word: str) -> bool:
    """A date, number or code (`18/12/2025`, `4275-TB/HVBCTT`, `TTKT&ĐBCLĐT`): broken, it misreads."""
    return any(ch.isdigit() for ch in word) or (
        len(word) > 3 and not any(c.islower() for c in word)
    )
