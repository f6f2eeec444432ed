"""What the flow of a document is made of before it becomes WordprocessingML: paragraphs of runs,
each paragraph in a profile role (the role's style sets the look; a block may add indents)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Span:
    """A run of text and its inline look; `link` makes it a hyperlink."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    link: str | None = None


@dataclass(frozen=True)
class Para:
    """One paragraph: its role (→ `VB <role>` style) and what it changes of the role's look."""

    role: str
    spans: tuple[Span, ...]
    align: str | None = None
    left_mm: float | None = None
    first_line_mm: float | None = None  # negative: a hanging indent
    keep_next: bool = False
    page_break_before: bool = False
    size_pt: float | None = None  # a table's own size, smaller than the role's

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    def ended(self, mark: str) -> Para:
        """The paragraph closed with `mark` (`./.`): added after its last word, or in place of its
        full stop; a text that already ends otherwise (`!`, `?`, `:`) is left as it is."""
        text = self.text.rstrip()
        if not mark or text.endswith((mark, "!", "?", ":", ";", "…")):
            return self
        spans = list(self.spans)
        if text.endswith("."):
            if mark.endswith(".") and not mark.startswith("."):
                return self  # a full stop already closes it
            last = spans[-1]
            spans[-1] = Span(last.text.rstrip()[:-1], last.bold, last.italic, last.underline,
                             last.link)  # fmt: skip
        spans.append(Span(mark))
        return replace(self, spans=tuple(spans))


@dataclass(frozen=True)
class Column:
    """One column of a table: its width and how its cells are aligned."""

    width_mm: float
    align: str = "left"


@dataclass(frozen=True)
class Cell:
    """A cell: its paragraphs, and how many columns and rows it covers (merges)."""

    paras: tuple[Para, ...]
    col_span: int = 1
    row_span: int = 1


@dataclass(frozen=True)
class Row:
    """A row of cells in reading order; header rows repeat on every page; `min_height_mm` keeps a
    row at least that tall (room to sign in a register's Ký nhận)."""

    cells: tuple[Cell, ...]
    header: bool = False
    min_height_mm: float | None = None


@dataclass(frozen=True)
class Table:
    """A table as the document prints it: columns, rows (headers first), cells with spans.

    Its cells already sit on the grid (see `render/tables.py`): a cell never sticks out of the
    table, and rows covered by a cell above simply have fewer cells.
    """

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    size_pt: float | None = None
    split_rows: bool = False
    keep_with_previous: bool = False
    v_align: str = "center"  # data cells' vertical alignment (header cells are always centred)


Block = Para | Table
