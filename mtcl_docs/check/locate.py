"""Finding a document's parts by their text and position, not by our style names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from docx.document import Document

from mtcl_docs.oxml.body import ends_section, walk
from mtcl_docs.oxml.resolve import ParaFacts, Resolver

NATIONAL = re.compile(r"^(CỘNG (HÒA|HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM)$")
NUMBER = re.compile(r"^Số\b")
DATE = re.compile(r", ngày .* tháng .* năm ")
BASIS = re.compile(r"^(- )?(Căn cứ|Theo đề nghị|Xét|Thực hiện)\b")
HEAD_ROWS = 12  # the header block sits in the first paragraphs


def clean(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Cell:
    table: int
    row: int
    col: int


class LocatedDocument:
    """Every paragraph with its resolved formatting, and the parts a checker looks at."""

    def __init__(self, document: Document):
        self.document = document
        self.resolver = Resolver(document)
        self.items: list[tuple[ParaFacts, Cell | None]] = [
            (
                self.resolver.paragraph(p, "body" if at is None else f"bảng {at[0] + 1}"),
                Cell(*at) if at else None,
            )
            for p, at in walk(document)
        ]
        self._positions = {id(p): i for i, (p, _) in enumerate(self.items)}

    # -- helpers ------------------------------------------------------------------------------

    def texts(self) -> list[ParaFacts]:
        return [p for p, _ in self.items if p.text.strip()]

    def _index(self, para: ParaFacts) -> int:
        return self._positions[id(para)]

    def cell_of(self, para: ParaFacts) -> Cell | None:
        return self.items[self._index(para)][1]

    def following(self, para: ParaFacts) -> ParaFacts | None:
        """The paragraph right after `para`, empty or not (a rule is often an empty paragraph)."""
        i = self._index(para) + 1
        return self.items[i][0] if i < len(self.items) else None

    def is_rule(self, para: ParaFacts | None) -> bool:
        return para is not None and (para.border_top or para.border_bottom or para.has_drawing_line)

    def rule_after(self, para: ParaFacts) -> bool:
        """A line under the text: its own bottom border or drawn line, or the next paragraph's."""
        return para.border_bottom or para.has_drawing_line or self.is_rule(self.following(para))

    def _head(self) -> list[ParaFacts]:
        return self.texts()[:HEAD_ROWS]

    # -- parts -----------------------------------------------------------------------------

    @cached_property
    def national(self) -> ParaFacts | None:
        return next((p for p in self._head() if NATIONAL.match(clean(p.text))), None)

    @cached_property
    def motto(self) -> ParaFacts | None:
        if self.national is None:
            return None
        texts = self.texts()
        i = texts.index(self.national)
        nxt = texts[i + 1] if i + 1 < len(texts) else None
        return nxt if nxt is not None and "Độc lập" in nxt.text else None

    @cached_property
    def number(self) -> ParaFacts | None:
        return next((p for p in self._head() if NUMBER.match(clean(p.text))), None)

    @cached_property
    def date(self) -> ParaFacts | None:
        return next((p for p in self._head() if DATE.search(clean(p.text))), None)

    @cached_property
    def header_cell_paragraphs(self) -> list[ParaFacts]:
        """The left column above the number line: superior body, issuing body, and `*`."""
        if self.number is None:
            return []
        cell = self.cell_of(self.number)
        texts = self.texts()
        before = texts[: texts.index(self.number)]
        if cell is not None:
            before = [
                p
                for p in before
                if (c := self.cell_of(p)) and c.table == cell.table and c.col == cell.col
            ]
        return [
            p
            for p in before
            if p is not self.national and p is not self.motto and p is not self.date
        ]

    @cached_property
    def mark(self) -> ParaFacts | None:
        return next((p for p in self.header_cell_paragraphs if clean(p.text) == "*"), None)

    @cached_property
    def issuer(self) -> ParaFacts | None:
        names = [p for p in self.header_cell_paragraphs if clean(p.text) != "*"]
        return names[-1] if names else None

    @cached_property
    def superiors(self) -> list[ParaFacts]:
        names = [p for p in self.header_cell_paragraphs if clean(p.text) != "*"]
        return names[:-1]

    @cached_property
    def header_table(self) -> int | None:
        cell = self.cell_of(self.number) if self.number else None
        return cell.table if cell else None

    def _after_header(self) -> list[ParaFacts]:
        texts = self.texts()
        anchors = [p for p in (self.number, self.date, self.national) if p is not None]
        if not anchors:
            return texts
        last = max(texts.index(p) for p in anchors)
        rest = texts[last + 1 :]
        if self.header_table is not None:
            rest = [
                p for p in rest if (c := self.cell_of(p)) is None or c.table != self.header_table
            ]
        return rest

    @cached_property
    def doc_type(self) -> ParaFacts | None:
        rest = [p for p in self._after_header() if self.cell_of(p) is None]
        first = rest[0] if rest else None
        return (
            first
            if first is not None and clean(first.text).isupper() and len(first.text) < 40
            else None
        )

    @cached_property
    def subject(self) -> ParaFacts | None:
        if self.doc_type is None:
            return None
        rest = [p for p in self._after_header() if self.cell_of(p) is None]
        i = rest.index(self.doc_type)
        return rest[i + 1] if i + 1 < len(rest) else None

    @cached_property
    def subject_mark(self) -> ParaFacts | None:
        """`-----` or a rule under the trích yếu."""
        if self.subject is None:
            return None
        nxt = self.following(self.subject)
        if nxt is not None and (clean(nxt.text).startswith("---") or self.is_rule(nxt)):
            return nxt
        return self.subject if self.subject.border_bottom else None

    @cached_property
    def signature_table(self) -> int | None:
        label = self.recipients_label
        cell = self.cell_of(label) if label else None
        return cell.table if cell else None

    @cached_property
    def recipients_label(self) -> ParaFacts | None:
        return next((p for p in self.texts() if clean(p.text).rstrip(":") == "Nơi nhận"), None)

    @cached_property
    def recipients(self) -> list[ParaFacts]:
        label = self.recipients_label
        if label is None:
            return []
        cell = self.cell_of(label)
        texts = self.texts()
        after = texts[texts.index(label) + 1 :]
        if cell is None:
            return [p for p in after if p.text.strip().startswith("-")][:20]
        return [
            p
            for p in after
            if (c := self.cell_of(p))
            and (c.table, c.row, c.col) == (cell.table, cell.row, cell.col)
        ]

    @cached_property
    def signature_lines(self) -> list[ParaFacts]:
        """The signing side: authority, titles, name (right cell of the signature table)."""
        label = self.recipients_label
        cell = self.cell_of(label) if label else None
        if cell is None:
            return []
        return [
            p for p in self.texts()
            if (c := self.cell_of(p)) and c.table == cell.table and c.row == cell.row and c.col != cell.col
        ]  # fmt: skip

    @cached_property
    def main_text(self) -> list[ParaFacts]:
        """Body-level paragraphs between the trích yếu and the signature (the basis lines included)."""
        rest = [p for p in self._after_header() if self.cell_of(p) is None]
        if self.subject in rest:
            rest = rest[rest.index(self.subject) + 1 :]
        stop = self.signature_table
        out = []
        for p in rest:
            if stop is not None and self._index(p) > self._first_index_of_table(stop):
                break
            if self.is_rule(p) or clean(p.text).startswith("---"):
                continue
            out.append(p)
        return out

    def _first_index_of_table(self, table: int) -> int:
        return next(i for i, (_, c) in enumerate(self.items) if c is not None and c.table == table)

    @cached_property
    def basis(self) -> list[ParaFacts]:
        return [p for p in self.main_text if BASIS.match(clean(p.text))]

    @cached_property
    def body(self) -> list[ParaFacts]:
        return [p for p in self.main_text if p not in self.basis]

    @cached_property
    def appendix_headings(self) -> list[ParaFacts]:
        """The first text of every section after the first (appendices start a new section)."""
        out = []
        breaks = [i for i, (p, _) in enumerate(self.items) if ends_section(p.element)]
        for i in breaks:
            nxt = next((p for p, _ in self.items[i + 1 :] if p.text.strip()), None)
            if nxt is not None:
                out.append(nxt)
        return out
