"""Append one rendered document's body to another (appendices after the main text)."""

from __future__ import annotations

import copy

from docx.document import Document
from docx.oxml.ns import qn

from mtcl_docs.oxml.sections import start_new_section


def append_as_section(main: Document, extra: Document) -> None:
    """`extra`'s paragraphs and tables go into a new section at the end of `main`.

    Only text, tables and styles by name travel: appendix templates hold no images or lists.
    """
    start_new_section(main)
    final = main.element.body.find(qn("w:sectPr"))
    for child in extra.element.body:
        if child.tag == qn("w:sectPr"):
            continue
        final.addprevious(copy.deepcopy(child))
