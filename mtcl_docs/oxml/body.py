"""Walking a document's body as Word stores it: paragraphs in order, table cells, section breaks."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from docx.document import Document
from docx.oxml.ns import qn
from docx.section import Section
from docx.table import Table
from docx.text.paragraph import Paragraph

P, TBL, TR, TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
SECT_IN_P = f"{qn('w:pPr')}/{qn('w:sectPr')}"
PSTYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"
NO_BREAK_HYPHEN = qn("w:noBreakHyphen")  # Word's non-breaking hyphen, read as "-"


def walk(document: Document) -> Iterator[tuple[object, tuple[int, int, int] | None]]:
    """Every paragraph element in reading order, with (table, row, column) when inside a table."""
    table_no = 0
    for child in document.element.body:
        if child.tag == P:
            yield child, None
        elif child.tag == TBL:
            for r, tr in enumerate(child.findall(TR)):
                for c, tc in enumerate(tr.findall(TC)):
                    for p in tc.iter(P):
                        yield p, (table_no, r, c)
            table_no += 1


def ends_section(p) -> bool:
    """The paragraph carries a section break (its section ends here)."""
    return p.find(SECT_IN_P) is not None


def breaks_before_tables(document: Document) -> int:
    """Section breaks followed at once by a table (LibreOffice then ignores the break)."""
    breaks = document.element.body.findall(f"{P}/{SECT_IN_P}")
    return sum(
        1
        for s in breaks
        if (nxt := s.getparent().getparent().getnext()) is not None and nxt.tag == TBL
    )


def lines_above(document: Document, table: Table, count: int) -> list[str]:
    """The last `count` non-empty paragraph texts before `table` in the body."""
    lines: list[str] = []
    for element in document.element.body:
        if element is table._tbl:
            break
        if element.tag == P:
            text = "".join(
                "-" if t.tag == NO_BREAK_HYPHEN else t.text or ""
                for t in element.iter(qn("w:t"), NO_BREAK_HYPHEN)
            )
            if text.strip():
                lines.append(text)
    return lines[-count:]


def same_cell(row_cells, a: int | None, b: int | None) -> bool:
    """Grid columns `a` and `b` of a row are one merged cell."""
    if a is None or b is None or max(a, b) >= len(row_cells):
        return False
    return row_cells[a]._tc is row_cells[b]._tc


def has_title_page(section: Section) -> bool:
    """The section's first page has its own header (w:titlePg)."""
    return section._sectPr.find(qn("w:titlePg")) is not None


def paragraphs(document: Document, styles: Collection[str] | None = None) -> Iterator[Paragraph]:
    """Every paragraph, those in table cells too, in reading order, or only those whose style id
    is in `styles` (without python-docx's slow row, cell and style objects)."""
    return (
        Paragraph(p, document._body)
        for p, _ in walk(document)
        if styles is None or _style_id(p) in styles
    )


def tables_holding(document: Document, style_id_: str) -> list[Table]:
    """The body tables with a paragraph in style `style_id_`, in order."""
    return [
        Table(tbl, document._body)
        for tbl in document.element.body.iterchildren(TBL)
        if any(_style_id(p) == style_id_ for p in tbl.iter(P))
    ]


def style_id(paragraph: Paragraph) -> str | None:
    """The paragraph's style id, read without python-docx's (slow) style lookup."""
    return _style_id(paragraph._p)


def _style_id(p) -> str | None:
    style = p.find(PSTYLE)
    return None if style is None else style.get(qn("w:val"))
