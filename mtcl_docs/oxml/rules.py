"""Short horizontal rules (the lines under Quốc hiệu, Tiêu ngữ, issuing body, trích yếu)."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def cell_text_width(paragraph: Paragraph) -> int | None:
    """Twips available to a paragraph inside a table cell (its tcW less default cell margins)."""
    tc = next((a for a in paragraph._p.iterancestors(qn("w:tc"))), None)
    if tc is None:
        return None
    width = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
    if width is None or width.get(qn("w:type")) not in ("dxa", None):
        return None
    return int(width.get(qn("w:w"))) - 2 * 108


def insert_rule_after(paragraph: Paragraph, width: int, room: int) -> Paragraph:
    """A paragraph whose top border, `width` twips long, is centred in `room` twips.

    A separate paragraph, not a border on the text itself, because the rule is often shorter
    than the text (NĐ 30: 1/3–1/2 of the issuing body's name).
    """
    width = max(min(width, room), 200)
    side = (room - width) // 2
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, val in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), val)
    bdr.append(top)
    spacing = OxmlElement("w:spacing")
    for key, val in (
        ("w:before", "60"),
        ("w:after", "0"),
        ("w:line", "40"),
        ("w:lineRule", "exact"),
    ):
        spacing.set(qn(key), val)
    ind = OxmlElement("w:ind")
    for key, val in (("w:left", side), ("w:right", side), ("w:firstLine", 0)):
        ind.set(qn(key), str(val))
    ppr.extend([bdr, spacing, ind])
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    rpr.append(size)
    ppr.append(rpr)
    p.append(ppr)
    paragraph._p.addnext(p)
    return Paragraph(p, paragraph._parent)
