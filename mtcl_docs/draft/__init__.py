"""From a Word draft to data: `mtcl-docs import` reads a hand-typed (or our own) DOCX into the data
file of its kind, `mtcl-docs fix` then builds it as a conforming document. Raw WordprocessingML is
read in `mtcl_docs/oxml/draft_read.py`; this package works on what that module returns."""
