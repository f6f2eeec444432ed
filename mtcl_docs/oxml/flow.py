"""The flow written into the body where the template marks it: paragraphs and tables in order."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.oxml.ns import qn

from mtcl_docs.blocks import Block, Para
from mtcl_docs.oxml.body import P
from mtcl_docs.oxml.paragraph import paragraph_element, style_ids
from mtcl_docs.oxml.table import table_element


def replace_marker(document: Document, marker: str, blocks: Sequence[Block]) -> bool:
    """Put `blocks` where the paragraph holding `marker` is (and drop it); False if none holds it."""
    for p in document.element.body.iter(P):
        if marker in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            ids = style_ids(document)
            for block, nxt in zip(blocks, [*blocks[1:], None], strict=True):
                if isinstance(block, Para):
                    p.addprevious(paragraph_element(document, block, ids))
                    continue
                p.addprevious(table_element(document, block, ids))
                if not isinstance(nxt, Para):  # two tables side by side would become one in Word
                    p.addprevious(paragraph_element(document, Para("body", ()), ids))
            p.getparent().remove(p)
            return True
    return False
