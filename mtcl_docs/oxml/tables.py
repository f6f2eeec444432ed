"""Table geometry: fixed column widths and header rows that repeat on every page."""

from __future__ import annotations

from collections.abc import Iterator

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph


def set_column_widths(table: Table, widths_mm: list[float] | tuple[float, ...]) -> None:
    """Fixed layout with these column widths (grid and every cell), so Word and LibreOffice agree."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), str(Mm(width).twips))
    for row in table.rows:
        for tc in row._tr.tc_lst:
            start = tc.grid_offset
            span = tc.grid_span
            tc.width = Mm(sum(widths_mm[start : start + span]))


def repeat_header_rows(table: Table, count: int) -> None:
    """The first `count` rows are repeated at the top of each page the table runs onto."""
    for row in table.rows[:count]:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:tblHeader")) is None:
            tr_pr.append(OxmlElement("w:tblHeader"))


def column_paragraphs(table: Table) -> Iterator[tuple[int, Paragraph]]:
    """(column, paragraph) for every paragraph of the rows that have one cell per column (a merged
    row, spanning columns, belongs to none)."""
    columns = len(table._tbl.tblGrid.findall(qn("w:gridCol")))
    for tr in table._tbl.iterchildren(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) != columns:
            continue
        for column, tc in enumerate(cells):
            for p in tc.iterchildren(qn("w:p")):
                yield column, Paragraph(p, None)
