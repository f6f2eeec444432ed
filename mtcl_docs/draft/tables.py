"""A draft's table as the project's table data (`load/table_model.py`): column widths and
alignment, header rows with merges, rows of cells with `span:` (gridSpan) and `rows:` (vMerge),
bold cells, the table's text size, row height and vertical alignment when they are not the
defaults."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mtcl_docs.draft.text import markup, strip_runs
from mtcl_docs.oxml.draft_read import DraftCell, DraftPara, DraftTable
from mtcl_docs.profiles import Profile

ALIGN = {"both": "justify", "distribute": "justify", "start": "left", "end": "right"}


def _align(p: DraftPara) -> str:
    return ALIGN.get(p.align, p.align) if p.align else "left"


def _cell_text(cell: DraftCell, bold: bool) -> str:
    lines = []
    for p in cell.paras:
        lines.append(markup(strip_runs(p.runs), drop_bold=bold))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _bold(cell: DraftCell) -> bool:
    texts = [p for p in cell.paras if p.text.strip()]
    return bool(texts) and all(all(r.bold for r in p.runs if r.text.strip()) for p in texts)


def _bold_row(row, width: int) -> bool:
    cells = [c for c in row.cells if c.vmerge != "continue"]
    if len(cells) == 1 and cells[0].span >= width:
        return False  # a group row (I. CÔNG TÁC …), not a heading
    return bool(cells) and all(_bold(c) for c in cells if c.text.strip())


def _rows_below(table: DraftTable, r: int, col: int) -> int:
    """How many rows a vMerge-restart cell at grid column `col` of row `r` covers."""
    count = 1
    for row in table.rows[r + 1 :]:
        cell = _at(row.cells, col)
        if cell is None or cell.vmerge != "continue":
            break
        count += 1
    return count


def _at(cells: list[DraftCell], col: int) -> DraftCell | None:
    at = 0
    for cell in cells:
        if at == col:
            return cell
        at += cell.span
    return None


def read_table(table: DraftTable, cell_size: float | None = None,
               room_mm: float | None = None) -> dict[str, Any]:  # fmt: skip
    """The `table:` data of `table`; `cell_size` is the profile's text size in tables (a table
    in another size says `size:`); a table wider than `room_mm` (typed for other margins) is
    narrowed to fit, its columns keeping their proportions."""
    width = len(table.grid_mm) or max(sum(c.span for c in r.cells) for r in table.rows)
    head_count = 0
    while head_count < len(table.rows) and table.rows[head_count].header:
        head_count += 1
    if head_count == 0:  # typed without "repeat as header row": the bold rows on top
        while head_count < len(table.rows) - 1 and _bold_row(table.rows[head_count], width):
            head_count += 1
    aligns: list[Counter] = [Counter() for _ in range(width)]
    for row in table.rows[head_count:]:
        at = 0
        for cell in row.cells:
            if cell.span == 1 and cell.vmerge != "continue" and at < width:
                for p in cell.paras:
                    if p.text.strip():
                        aligns[at][_align(p)] += 1
            at += cell.span
    col_align = [a.most_common(1)[0][0] if a else "left" for a in aligns]

    def cells_of(r: int, header: bool) -> list[Any]:
        out: list[Any] = []
        at = 0
        for cell in table.rows[r].cells:
            col = at
            at += cell.span
            if cell.vmerge == "continue":
                continue
            bold = _bold(cell) and not header
            text = _cell_text(cell, bold or header)
            spec: dict[str, Any] = {"text": text}
            if cell.span > 1:
                spec["span"] = cell.span
            if cell.vmerge == "restart":
                rows = _rows_below(table, r, col)
                if rows > 1:
                    spec["rows"] = rows
            if bold:
                spec["bold"] = True
            own = {_align(p) for p in cell.paras if p.text.strip()}
            wanted = "center" if header else (col_align[col] if col < width else "left")
            if len(own) == 1 and own != {wanted}:
                spec["align"] = own.pop()
            out.append(spec["text"] if set(spec) == {"text"} else spec)
        return out

    grid = list(table.grid_mm)
    if room_mm and sum(grid) > room_mm + 0.4:
        grid = [w * room_mm / sum(grid) - 0.05 for w in grid]
    columns: list[dict[str, Any]] = []
    for i in range(width):
        column: dict[str, Any] = {}
        if i < len(grid) and grid[i]:
            column["width"] = round(grid[i], 1)
        if col_align[i] != "left":
            column["align"] = col_align[i]
        columns.append(column)
    header = [cells_of(r, True) for r in range(head_count)]
    spec: dict[str, Any] = {"columns": columns}
    if len(header) == 1 and all(isinstance(c, str) for c in header[0]) and len(header[0]) == width:
        for column, text in zip(columns, header[0], strict=True):
            column["header"] = text
        spec["columns"] = [
            {"header": c.pop("header"), **c} for c in columns
        ]  # header first, as clerks write it
    elif header:
        spec["header"] = header
    spec["rows"] = [cells_of(r, False) for r in range(head_count, len(table.rows))]
    sizes = Counter(s for row in table.rows for c in row.cells for p in c.paras for s in p.sizes)
    if sizes and cell_size is not None:
        size = sizes.most_common(1)[0][0]
        if abs(size - cell_size) > 0.1 and 8 <= size <= 14:
            spec["size"] = size
    data_rows = table.rows[head_count:]
    if data_rows and not all(r.cant_split for r in data_rows):
        spec["split_rows"] = True
    heights = {round(r.min_height_mm, 1) for r in data_rows if r.min_height_mm}
    if len(heights) == 1 and len([r for r in data_rows if r.min_height_mm]) == len(data_rows):
        height = heights.pop()
        if 4 <= height <= 60:
            spec["row_height"] = height
    valigns = Counter(c.valign or "top" for r in data_rows for c in r.cells)
    if valigns and valigns.most_common(1)[0][0] == "top":
        spec["valign"] = "top"
    return spec


def table_reader(profile: Profile, landscape: bool = False):
    """Tables read for a page of this profile: its cell size, the room across the page."""
    size = profile.roles["table_cell"].size
    room = profile.room_mm(landscape)
    return lambda table: read_table(table, size, room)
