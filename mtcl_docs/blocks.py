"""What the flow of a document is made of before it becomes WordprocessingML: paragraphs of runs,
each paragraph in a profile role (the role's style sets the look; a block may add indents)."""

from __future__ import annotations

from dataclasses import dataclass


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
        return Para(
            self.role, tuple(spans), self.align, self.left_mm, self.first_line_mm,
            self.keep_next, self.page_break_before,
        )  # fmt: skip
