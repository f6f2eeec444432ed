"""Page setup per section: A4, margins, orientation, and a page number from page 2 in the header."""

from __future__ import annotations

import copy
import re

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm

from mtcl_docs.profiles.profile import Page


def set_page(section: Section, page: Page, landscape: bool) -> None:
    """A4 in the given orientation; the binding margin (left) stays on the long edge's left."""
    m = page.margins_mm
    short, long_ = Mm(page.width_mm), Mm(page.height_mm)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    section.top_margin, section.bottom_margin = Mm(m.top), Mm(m.bottom)
    section.left_margin, section.right_margin = Mm(m.left), Mm(m.right)
    section.header_distance = Mm(page.header_mm)
    section.footer_distance = Mm(page.header_mm)


def content_width(section: Section) -> int:
    """Twips between the left and right margins."""
    return (section.page_width - section.left_margin - section.right_margin) // 635


def _page_field(paragraph) -> None:
    """A PAGE field as Word writes it (begin / instrText / separate / result / end)."""
    p = paragraph._p
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = OxmlElement("w:r")
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
        else:
            tag = "w:instrText" if text.strip() == "PAGE" else "w:t"
            t = OxmlElement(tag)
            t.set(qn("xml:space"), "preserve")
            t.text = text
            run.append(t)
        p.append(run)


def number_pages(document: Document, style: str) -> None:
    """Page numbers in the header of every section, none on a section's first page, restarting at 1."""
    first = document.sections[0]
    first.different_first_page_header_footer = True
    header = first.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = document.styles[style]
    _page_field(paragraph)
    first.first_page_header.is_linked_to_previous = False
    for section in document.sections:
        section.different_first_page_header_footer = True
        sect_pr = section._sectPr
        pg = sect_pr.find(qn("w:pgNumType"))
        if pg is None:
            pg = OxmlElement("w:pgNumType")
            sect_pr.append(pg)
            _reorder(sect_pr)
        pg.set(qn("w:start"), "1")


_SECT_ORDER = [
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
]  # fmt: skip


def _reorder(sect_pr) -> None:
    """Children of w:sectPr in schema order (Word refuses a file where they are not)."""
    rank = {qn("w:" + n): i for i, n in enumerate(_SECT_ORDER)}
    children = sorted(sect_pr, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        sect_pr.append(child)


def start_new_section(document: Document) -> None:
    """End the current section here (next page); what is appended after falls in a new one."""
    body = document.element.body
    final = body.find(qn("w:sectPr"))
    closing = copy.deepcopy(final)
    for ref in closing.findall(qn("w:headerReference")) + closing.findall(qn("w:footerReference")):
        closing.remove(ref)
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(closing)
    p.append(ppr)
    final.addprevious(p)


def has_page_field(part) -> bool:
    """A header or footer part that prints the page number (a PAGE field, complex or simple)."""
    xml = part._element.xml if part is not None else ""
    return re.search(r"instrText[^>]*>\s*PAGE\b|fldSimple[^>]*PAGE", xml) is not None
