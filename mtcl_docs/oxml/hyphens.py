"""Hyphens inside words and codes that never end a line: `kinh tế-xã hội`, `COVID-19`,
`4275-TB/HVBCTT`, `2022-2023`.

Each hyphen-minus with a non-space, non-hyphen character on both sides becomes Word's
non-breaking hyphen, the run element `<w:noBreakHyphen/>`. Measured with LibreOffice 7.4
(issue 11): it draws the same Liberation Serif hyphen glyph, never breaks the line there, and
`pdftotext` reads it back as a plain '-'. The character U+2011 lays out the same in LibreOffice,
but Liberation Serif has no glyph for it (Word would fall back to another font) and readers of
the DOCX text (python-docx, the checker) would see U+2011 instead of '-'.

Spaced dashes (`Độc lập - Tự do`, `2022 - 2023`, the `- ` of a recipient line) can break and
stay as they are, as do rows of hyphens (`-----`).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HYPHEN = "-"
T, R, P = qn("w:t"), qn("w:r"), qn("w:p")
NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
SPACES = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", NO_BREAK_HYPHEN: HYPHEN}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def bind_hyphens(element) -> int:
    """Make the inner hyphens of every paragraph under `element` (a document body, a cell, a
    header) non-breaking; returns how many were changed."""
    changed = 0
    for p in element.iter(P):
        changed += _bind_paragraph(p)
    return changed


def _bind_paragraph(p) -> int:
    """One paragraph: its text is read across runs, so a hyphen at a run's edge counts too."""
    pieces = []  # (w:t element or None, its text)
    for r in p.iter(R):
        if _paragraph_of(r) is not p:  # a run of a paragraph nested in this one (a text box)
            continue
        for child in r:
            if child.tag == T:
                pieces.append((child, child.text or ""))
            elif child.tag in SPACES:
                pieces.append((None, SPACES[child.tag]))
    text = "".join(s for _, s in pieces)
    if HYPHEN not in text:
        return 0
    changed, start = 0, 0
    for t, s in pieces:
        if t is not None and HYPHEN in s:
            cuts = [i for i, ch in enumerate(s) if ch == HYPHEN and _inner(text, start + i)]
            if cuts:
                _split(t, s, cuts)
                changed += len(cuts)
        start += len(s)
    return changed


def _paragraph_of(r):
    return next(r.iterancestors(P), None)


def _inner(text: str, i: int) -> bool:
    """The hyphen at `i` joins two characters: neither side is a space, a line end or a hyphen."""
    if i == 0 or i == len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    return not (before.isspace() or after.isspace() or HYPHEN in (before, after))


def _split(t, s: str, cuts: list[int]) -> None:
    """`<w:t>ab-cd</w:t>` → `<w:t>ab</w:t><w:noBreakHyphen/><w:t>cd</w:t>` inside the same run."""
    parts, last = [], 0
    for i in cuts:
        parts.append(s[last:i])
        last = i + 1
    parts.append(s[last:])
    anchor = t
    _set_text(t, parts[0])
    for part in parts[1:]:
        hyphen = OxmlElement("w:noBreakHyphen")
        anchor.addnext(hyphen)
        anchor = hyphen
        if part:
            piece = OxmlElement("w:t")
            _set_text(piece, part)
            anchor.addnext(piece)
            anchor = piece
    if not parts[0]:
        t.getparent().remove(t)


def _set_text(t, text: str) -> None:
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
