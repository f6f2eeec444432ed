"""Reading a generated DOCX the way Word resolves it: run → paragraph style → its bases."""

from __future__ import annotations

from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def _chain(style):
    while style is not None:
        yield style
        style = style.base_style


def font_value(paragraph: Paragraph, attr: str):
    """The first run's font attribute (size, bold, italic, underline, name) as Word would resolve it."""
    runs = text_runs(paragraph)
    run = runs[0] if runs else None
    if run is not None and getattr(run.font, attr) is not None:
        return getattr(run.font, attr)
    for style in _chain(paragraph.style):
        value = getattr(style.font, attr)
        if value is not None:
            return value
    return None


def para_value(paragraph: Paragraph, attr: str):
    value = getattr(paragraph.paragraph_format, attr)
    if value is not None:
        return value
    for style in _chain(paragraph.style):
        value = getattr(style.paragraph_format, attr)
        if value is not None:
            return value
    return None


def size_pt(paragraph: Paragraph) -> float:
    return font_value(paragraph, "size").pt


def all_paragraphs(document: Document):
    yield from document.paragraphs
    for table in document.tables:
        for cell in table._cells:
            yield from cell.paragraphs


def find(document: Document, text: str) -> Paragraph:
    """The paragraph whose text is exactly `text` (or starts with it, for long paragraphs)."""
    for p in all_paragraphs(document):
        if p.text == text:
            return p
    for p in all_paragraphs(document):
        if p.text.startswith(text):
            return p
    raise AssertionError(f"no paragraph {text!r}")


def has_rule_after(paragraph: Paragraph) -> bool:
    nxt = paragraph._p.getnext()
    return nxt is not None and nxt.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}") is not None


def _font_names(element) -> set[str]:
    names = set()
    for el in element.iter(qn("w:rFonts")):
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            if el.get(qn(attr)):
                names.add(el.get(qn(attr)))
    return names


def used_fonts(document: Document) -> set[str]:
    """Fonts named by the body's runs, the styles its paragraphs use (and their bases), defaults."""
    names = _font_names(document.element.body)
    names |= _font_names(document.styles.element.find(qn("w:docDefaults")))
    for p in all_paragraphs(document):
        for style in _chain(p.style):
            names |= _font_names(style.element)
    return names


def text_runs(paragraph: Paragraph):
    """Runs that hold text (docxtpl leaves empty runs around rich text)."""
    return [r for r in paragraph.runs if r.text]
