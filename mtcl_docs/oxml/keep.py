"""Pagination that holds: what must stay on one page with what (issue 11).

The signature table (authority, signer, Nơi nhận) never splits across pages and never lands on a
page by itself: its rows cannot break, and the last lines of text before it keep with it.
Headings keep with the paragraph after them (`keep_with_next`).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

P, TBL, TR = qn("w:p"), qn("w:tbl"), qn("w:tr")
T = qn("w:t")
# w:trPr children after w:cantSplit, in schema order (CT_TrPrBase is a sequence in Word's eyes)
AFTER_CANT_SPLIT = tuple(
    f"w:{n}"
    for n in ("trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange")
)
LINES_BEFORE = 2  # body paragraphs that go with the signature to its page


def keep_with_next(paragraph: Paragraph | object) -> None:
    """The paragraph stays on the same page as the one after it (`w:keepNext`), as a heading
    should. Takes a python-docx Paragraph or a raw `w:p` element."""
    p = paragraph._p if isinstance(paragraph, Paragraph) else paragraph
    p.get_or_add_pPr().keepNext_val = True


def cant_split(table: Table) -> None:
    """No row of the table breaks across a page (`w:cantSplit` on every row)."""
    for tr in table._tbl.iterchildren(TR):
        tr_pr = tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert_element_before(OxmlElement("w:cantSplit"), *AFTER_CANT_SPLIT)


def keep_block_with_text(table: Table, lines: int = LINES_BEFORE) -> None:
    """The table stays whole, and the last `lines` paragraphs with text before it (and any empty
    paragraph between them and the table) keep with it, so it never starts a page alone. The
    rows before the table's last one keep with their next too, as Word does to hold a table
    together; its last row does not, or the table would pull what follows (a section break)."""
    cant_split(table)
    rows = list(table._tbl.iterchildren(TR))
    for tr in rows[:-1]:
        for p in tr.iter(P):
            keep_with_next(p)
    for p in _paragraphs_before(table._tbl, lines):
        keep_with_next(p)


def _paragraphs_before(tbl, lines: int) -> list:
    """Paragraphs just before `tbl` in the body, back to the `lines`-th one holding text; stops
    at a table or a section break (a page of its own already)."""
    found, texts = [], 0
    element = tbl.getprevious()
    while element is not None and texts < lines:
        if element.tag != P or element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
        found.append(element)
        if "".join(t.text or "" for t in element.iter(T)).strip():
            texts += 1
        element = element.getprevious()
    return found
