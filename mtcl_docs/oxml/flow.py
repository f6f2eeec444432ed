"""Paragraphs written into the body where the template marks the flow (the one layer that turns
`Para` blocks into `w:p`, `w:r` and `w:hyperlink`)."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from mtcl_docs.blocks import Para, Span
from mtcl_docs.oxml.body import P
from mtcl_docs.oxml.styles import style_name

JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def replace_marker(document: Document, marker: str, paras: Sequence[Para]) -> bool:
    """Put `paras` where the paragraph holding `marker` is (and drop it); False if none holds it."""
    for p in document.element.body.iter(P):
        if marker in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            ids = _style_ids(document)
            for para in paras:
                p.addprevious(_paragraph(document, para, ids))
            p.getparent().remove(p)
            return True
    return False


def _style_ids(document: Document) -> dict[str, str]:
    """Style name → id for the `VB <role>` styles (Word refers to styles by id)."""
    out = {}
    for s in document.styles.element.iterchildren(qn("w:style")):
        name = s.find(qn("w:name"))
        if name is not None:
            out[name.get(qn("w:val"))] = s.get(qn("w:styleId"))
    return out


def _paragraph(document: Document, para: Para, ids: dict[str, str]):
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
            ind.set(qn("w:left"), str(_twips(para.left_mm)))
        first = para.first_line_mm
        if first is not None:
            ind.set(qn("w:hanging" if first < 0 else "w:firstLine"), str(_twips(abs(first))))
        ppr.append(ind)
    if para.align:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), JC[para.align])
        ppr.append(jc)
    for span in para.spans:
        run = _run(span)
        if span.link:
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), document.part.relate_to(span.link, RT.HYPERLINK, is_external=True))
            link.append(run)
            p.append(link)
        else:
            p.append(run)
    return p


def _twips(mm: float) -> int:
    return round(Mm(mm).twips)


def _run(span: Span):
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    for on, tag in ((span.bold, "w:b"), (span.italic, "w:i")):
        if on:
            rpr.append(OxmlElement(tag))
    if span.underline:
        u = OxmlElement("w:u")
        u.set(qn("w:val"), "single")
        rpr.append(u)
    if len(rpr):
        r.append(rpr)
    t = OxmlElement("w:t")
    t.text = span.text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r
