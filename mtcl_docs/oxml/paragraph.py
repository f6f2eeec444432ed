"""One `Para` block as a `w:p`: its role's style, what it changes of the style, and its runs."""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from mtcl_docs.blocks import Para, Span
from mtcl_docs.oxml.styles import style_name

JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def style_ids(document: Document) -> dict[str, str]:
    """Style name → id for the document's styles (Word refers to styles by id)."""
    out = {}
    for s in document.styles.element.iterchildren(qn("w:style")):
        name = s.find(qn("w:name"))
        if name is not None:
            out[name.get(qn("w:val"))] = s.get(qn("w:styleId"))
    return out


def paragraph_element(document: Document, para: Para, ids: dict[str, str]):
    """The `w:p` of `para`, its style named by id (`ids` from `style_ids`)."""
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    p.append(ppr)
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), ids.get(style_name(para.role), style_name(para.role)))
    ppr.append(style)
    if para.keep_next:
        ppr.append(OxmlElement("w:keepNext"))
    if para.page_break_before:
        ppr.append(OxmlElement("w:pageBreakBefore"))
    if para.left_mm is not None or para.first_line_mm is not None:
        ind = OxmlElement("w:ind")
        if para.left_mm is not None:
            ind.set(qn("w:left"), str(twips(para.left_mm)))
        first = para.first_line_mm
        if first is not None:
            ind.set(qn("w:hanging" if first < 0 else "w:firstLine"), str(twips(abs(first))))
        ppr.append(ind)
    if para.align:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), JC[para.align])
        ppr.append(jc)
    if para.size_pt:
        mark = OxmlElement("w:rPr")
        mark.append(_size(para.size_pt))
        ppr.append(mark)
    for span in para.spans:
        run = _run(span, para.size_pt)
        if span.link:
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), document.part.relate_to(span.link, RT.HYPERLINK, is_external=True))
            link.append(run)
            p.append(link)
        else:
            p.append(run)
    return p


def twips(mm: float) -> int:
    return round(Mm(mm).twips)


def _size(points: float):
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(round(points * 2)))
    return sz


def _run(span: Span, size_pt: float | None):
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    for on, tag in ((span.bold, "w:b"), (span.italic, "w:i")):
        if on:
            rpr.append(OxmlElement(tag))
    if span.underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.append(u)
    if size_pt:
        rpr.append(_size(size_pt))
    if len(rpr):
        r.append(rpr)
    t = OxmlElement("w:t")
    t.text = span.text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r
