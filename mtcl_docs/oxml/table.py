"""One `Table` block as a `w:tbl`: fixed column widths, single borders, header rows repeated on
every page, rows kept whole, merged cells as `gridSpan` and `vMerge`."""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from mtcl_docs.blocks import Para, Table
from mtcl_docs.oxml.paragraph import paragraph_element, twips

BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")
GRID_STYLE = "Table Grid"


def table_element(document: Document, table: Table, ids: dict[str, str]):
    """The `w:tbl` of `table` (its cells already placed on the grid, see render/tables.py)."""
    tbl = OxmlElement("w:tbl")
    tbl.append(_properties(table, _grid_style(document, ids)))
    grid = OxmlElement("w:tblGrid")
    for column in table.columns:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(twips(column.width_mm)))
        grid.append(col)
    tbl.append(grid)
    covering: dict[int, tuple[int, int]] = {}  # grid column → (rows still covered, span)
    for row in table.rows:
        tr = OxmlElement("w:tr")
        tr.append(_row_properties(row.header, table.split_rows, row.min_height_mm))
        cells = iter(row.cells)
        align = "center" if row.header else table.v_align
        column = 0
        while column < len(table.columns):
            if column in covering:  # a cell above runs on down through this row
                left, span = covering[column]
                tr.append(_cell(document, table, column, span, "continue", (), ids, align))
                if left > 1:
                    covering[column] = (left - 1, span)
                else:
                    del covering[column]
                column += span
                continue
            cell = next(cells, None)
            if cell is None:  # a short row: the rest stays empty (normalised tables have none)
                tr.append(_cell(document, table, column, 1, None, (), ids, align))
                column += 1
                continue
            merge = "restart" if cell.row_span > 1 else None
            tr.append(_cell(document, table, column, cell.col_span, merge, cell.paras, ids, align))
            if cell.row_span > 1:
                covering[column] = (cell.row_span - 1, cell.col_span)
            column += cell.col_span
        tbl.append(tr)
    return tbl


def _grid_style(document: Document, ids: dict[str, str]) -> str:
    """The id of the document's `Table Grid` (Word's bordered table), added as Word defines it
    when the document lacks it: Word shows a table in it, and a reader finds its borders there."""
    if GRID_STYLE not in ids:
        based = ids.get("Normal Table")
        document.styles.element.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="table" w:styleId="TableGrid">'
            f'<w:name w:val="{GRID_STYLE}"/>'
            + (f'<w:basedOn w:val="{based}"/>' if based else "")
            + '<w:uiPriority w:val="59"/>'
            '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            "<w:tblPr><w:tblBorders>"
            + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                      for side in BORDERS)
            + "</w:tblBorders></w:tblPr></w:style>"
        ))  # fmt: skip
        ids[GRID_STYLE] = "TableGrid"
    return ids[GRID_STYLE]


def _properties(table: Table, style_id: str):
    pr = OxmlElement("w:tblPr")
    style = OxmlElement("w:tblStyle")
    style.set(qn("w:val"), style_id)
    pr.append(style)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(twips(c.width_mm) for c in table.columns)))
    width.set(qn("w:type"), "dxa")
    pr.append(width)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    pr.append(jc)
    borders = OxmlElement("w:tblBorders")
    for side in BORDERS:
        line = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{attr}"), value)
        borders.append(line)
    pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    pr.append(layout)
    return pr


def _row_properties(header: bool, split: bool, min_height_mm: float | None):
    pr = OxmlElement("w:trPr")
    if not split:
        pr.append(OxmlElement("w:cantSplit"))
    if min_height_mm:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(twips(min_height_mm)))
        height.set(qn("w:hRule"), "atLeast")
        pr.append(height)
    if header:
        pr.append(OxmlElement("w:tblHeader"))
    return pr


def _cell(document: Document, table: Table, column: int, span: int, merge: str | None,
          paras: tuple[Para, ...], ids: dict[str, str], v_align: str):  # fmt: skip
    tc = OxmlElement("w:tc")
    pr = OxmlElement("w:tcPr")
    width = OxmlElement("w:tcW")
    width.set(qn("w:w"), str(sum(twips(c.width_mm) for c in table.columns[column : column + span])))
    width.set(qn("w:type"), "dxa")
    pr.append(width)
    if span > 1:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), str(span))
        pr.append(grid_span)
    if merge:
        v_merge = OxmlElement("w:vMerge")
        if merge == "restart":
            v_merge.set(qn("w:val"), "restart")
        pr.append(v_merge)
    if v_align != "top":  # top is Word's own
        align = OxmlElement("w:vAlign")
        align.set(qn("w:val"), v_align)
        pr.append(align)
    tc.append(pr)
    for para in paras or (Para("table_cell", (), size_pt=table.size_pt),):  # never empty
        tc.append(paragraph_element(document, para, ids))
    return tc
