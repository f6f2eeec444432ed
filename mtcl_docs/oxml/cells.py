"""What a table cell leaves for its text: the left and right cell margins as Word resolves them."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.table import Table

WORD_DEFAULT = 108  # twips, 0.19 cm: Word's "Normal Table" left and right cell margins


def horizontal_margins(table: Table) -> tuple[int, int]:
    """Left and right cell margins in twips: the table's own `w:tblCellMar`, else its table
    style's (and the styles it is based on), else the document's default table style's, else
    Word's default. Cells' own `w:tcMar` are not looked at (our templates set none)."""
    found: dict[str, int] = {}
    for tbl_pr in _table_properties(table):
        margins = tbl_pr.find(qn("w:tblCellMar"))
        if margins is None:
            continue
        for side, names in (("left", ("w:left", "w:start")), ("right", ("w:right", "w:end"))):
            for name in names:
                el = margins.find(qn(name))
                if side not in found and el is not None and el.get(qn("w:type"), "dxa") == "dxa":
                    found[side] = int(el.get(qn("w:w"), WORD_DEFAULT))
    return found.get("left", WORD_DEFAULT), found.get("right", WORD_DEFAULT)


def _table_properties(table: Table):
    """`w:tblPr` of the table, then of its style chain, then of the default table style."""
    yield table._tbl.tblPr
    try:
        styles = table.part.document.styles.element
    except AttributeError:  # a table outside a document part
        return
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    style = table._tbl.tblPr.find(qn("w:tblStyle"))
    sid = style.get(qn("w:val")) if style is not None else None
    seen: set[str] = set()
    while sid and sid in by_id and sid not in seen:
        seen.add(sid)
        if (tbl_pr := by_id[sid].find(qn("w:tblPr"))) is not None:
            yield tbl_pr
        based = by_id[sid].find(qn("w:basedOn"))
        sid = based.get(qn("w:val")) if based is not None else None
    default = next(
        (
            s
            for s in by_id.values()
            if s.get(qn("w:type")) == "table" and s.get(qn("w:default")) in ("1", "true")
        ),
        None,
    )
    if default is not None and (tbl_pr := default.find(qn("w:tblPr"))) is not None:
        yield tbl_pr
