"""Paragraph styles set from a profile's role table, so the profile (not the template) rules the look."""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from mtcl_docs.profiles import RoleStyle

ALIGN = {
    "left": WD_PARAGRAPH_ALIGNMENT.LEFT,
    "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "right": WD_PARAGRAPH_ALIGNMENT.RIGHT,
    "justify": WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
}
STYLE_PREFIX = "VB "


STYLE_REFERENCES = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")


def referenced_style_ids(element) -> set[str]:
    """Style ids an XML tree names: paragraph, run, table and list styles."""
    return {e.get(qn("w:val")) for tag in STYLE_REFERENCES for e in element.iter(qn(tag))}


def style_name(role: str) -> str:
    """The Word style a template uses for a role: `VB body`, `VB issuer`, …"""
    return STYLE_PREFIX + role


def role_of(style_name_: str | None) -> str | None:
    if style_name_ and style_name_.startswith(STYLE_PREFIX):
        return style_name_[len(STYLE_PREFIX) :]
    return None


def name_of(style) -> str:
    """A `w:style` element's name (Word shows names; documents refer to style ids)."""
    name = style.find(qn("w:name"))
    return "" if name is None else name.get(qn("w:val"), "")


def role_styles(document: Document) -> dict[str, str]:
    """Style id → role, for the document's `VB <role>` styles."""
    return {
        s.get(qn("w:styleId")): role
        for s in document.styles.element.iterchildren(qn("w:style"))
        if (role := role_of(name_of(s)))
    }


def set_fonts(rpr_owner, font: str) -> None:
    """Name `font` for every script slot (ascii, hAnsi, cs, eastAsia): Vietnamese must not fall back."""
    rpr = rpr_owner.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_owner.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def set_document_defaults(document: Document, font: str, size: float, language: str) -> None:
    """Document defaults and Normal: the profile's font and the text's language (spell-check, PDF)."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    set_fonts(rpr_default, font)
    rpr = rpr_default.find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    set_fonts(normal.element, font)
    normal.paragraph_format.space_after = Pt(0)


def apply_role(document: Document, role: str, look: RoleStyle, font: str) -> None:
    """Make the role's style match the profile table: size, bold/italic/underline, alignment, spacing."""
    style = document.styles[style_name(role)]
    style.font.name = font
    set_fonts(style.element, font)
    style.font.size = Pt(look.size)
    style.font.bold = look.bold
    style.font.italic = look.italic
    style.font.underline = look.underline
    fmt = style.paragraph_format
    fmt.alignment = ALIGN[look.align]
    fmt.first_line_indent = Mm(look.first_line_indent_mm)
    fmt.left_indent = Mm(look.left_indent_mm)
    fmt.right_indent = Mm(look.right_indent_mm)
    fmt.keep_with_next = look.keep_with_next
    fmt.space_before = Pt(look.space_before_pt)
    fmt.space_after = Pt(look.space_after_pt)
    if look.line_exact_pt:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(look.line_exact_pt)
    else:
        fmt.line_spacing = look.line_multiple or 1.0
