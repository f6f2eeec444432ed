"""Append one rendered document's body to another (appendices after the main text)."""

from __future__ import annotations

import copy

from docx.document import Document
from docx.oxml.ns import qn

from mtcl_docs.oxml.sections import start_new_section
from mtcl_docs.oxml.styles import referenced_style_ids


def append_as_section(main: Document, extra: Document) -> None:
    """`extra`'s paragraphs and tables go into a new section at the end of `main`.

    Text, tables and the styles they name travel: appendix templates hold no images or lists.
    """
    start_new_section(main)
    final = main.element.body.find(qn("w:sectPr"))
    for child in extra.element.body:
        if child.tag == qn("w:sectPr"):
            continue
        final.addprevious(copy.deepcopy(child))
    _carry_styles(main, extra)


def _carry_styles(main: Document, extra: Document) -> None:
    """Styles `extra` names that `main` lacks (a table grid, say), copied with their bases:
    templates carry only the styles they use, so the main text may not have them."""
    have = {s.get(qn("w:styleId")) for s in main.styles.element.iterchildren(qn("w:style"))}
    theirs = {s.get(qn("w:styleId")): s for s in extra.styles.element.iterchildren(qn("w:style"))}
    todo = list(referenced_style_ids(extra.element.body) - have)
    while todo:
        style = theirs.get(todo.pop())
        if style is None or style.get(qn("w:styleId")) in have:
            continue
        main.styles.element.append(copy.deepcopy(style))
        have.add(style.get(qn("w:styleId")))
        based = style.find(qn("w:basedOn"))
        if based is not None:
            todo.append(based.get(qn("w:val")))
