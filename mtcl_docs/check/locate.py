"""Finding a document's parts by their text and position, not by our style names.

What a part looks like depends on the document's kind (công văn, quyết định, biên bản…): the kind
is given by the build, or read from the title line (`detect_kind`), and its table says which parts
to look for (a trích yếu under the number, an enacting line, two signers…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

from docx.document import Document

from mtcl_docs.kinds import Kind, kinds_in
from mtcl_docs.kinds.registry import REGIMES
from mtcl_docs.oxml.body import ends_section, walk
from mtcl_docs.oxml.resolve import ParaFacts, Resolver

NATIONAL = re.compile(r"^(CỘNG (HÒA|HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM)$")
NUMBER = re.compile(r"^Số\b")
DATE = re.compile(r", ngày .* tháng .* năm ")
BASIS = re.compile(r"^(- )?(Căn cứ|Theo đề nghị|Xét|Thực hiện)\b")
# The trích yếu of a công văn, under its number: `V/v …` (NĐ 30), `về việc …` (HD 05).
HEADER_SUBJECT = re.compile(r"^(V/v|[Vv]ề việc)\s")
ADDRESSEE = re.compile(r"^(Kính gửi|Kính trình)\s*:")
ARTICLE = re.compile(r"^Điều (\d+)[.:]")
REFERENCE = re.compile(r"^\((Ban hành )?[Kk]èm theo .+\)$")
DASHES = ("-", "–")
HEAD_ROWS = 12  # the header block sits in the first paragraphs
ADDRESSEE_ROWS = 8  # Kính gửi comes at most after title, trích yếu, rule and authority line


def clean(text: str) -> str:
    return " ".join(text.split())


def is_caps(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text == text.upper()


@dataclass
class Cell:
    table: int
    row: int
    col: int


def label_pattern(label: str) -> re.Pattern:
    """A kind's addressee label as a pattern: `{issuer_caps} điện:` is any body's name + `điện:`."""
    parts = re.split(r"\{\w+\}", label.rstrip(":").strip())
    return re.compile("^" + ".+".join(re.escape(part) for part in parts) + r"\s*:")


def enacting_pattern(line: str) -> re.Pattern:
    """A kind's enacting line (`QUYẾT ĐỊNH:`, `{authority} QUYẾT ĐỊNH`) as a pattern; group 1 is the
    colon, so that a rule can say whether it is there."""
    words = clean(line.replace("{authority}", "").rstrip(":"))
    prefix = "(?:.+ )?" if "{authority}" in line else ""
    return re.compile(f"^{prefix}{re.escape(words)}(:?)$")


class LocatedDocument:
    """Every paragraph with its resolved formatting, and the parts a checker looks at.

    `kind` is the document's kind when known (set before any part is asked for); None keeps to
    the parts every kind shares."""

    def __init__(self, document: Document, kind: Kind | None = None):
        self.document = document
        self.kind = kind
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

    @cached_property
    def _texts(self) -> list[ParaFacts]:
        return [p for p, _ in self.items if p.text.strip()]

    def texts(self) -> list[ParaFacts]:
        return self._texts

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

    def indented_both_sides(self, para: ParaFacts) -> bool:
        """A quoted passage: indented from both margins (its first line is not indented)."""
        return para.left_mm > 0 and para.right_mm > 0

    def _is_signer_line(self, para: ParaFacts) -> bool:
        """A bold capital line: an authority, a title, a signer's label (THƯ KÝ, CHỦ TỌA)."""
        return is_caps(clean(para.text)) and para.all("bold")

    # -- the header ---------------------------------------------------------------------------

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
    def header_tables(self) -> set[int]:
        """The tables holding the number or the national line (usually one two-column table)."""
        return {
            c.table
            for p in (self.number, self.national)
            if p is not None and (c := self.cell_of(p)) is not None
        }

    @cached_property
    def _header_end(self) -> int:
        """Index in texts() just past the header: the header tables (or the number and national
        lines), and the number, date or `V/v` lines typed right under them."""
        texts = self.texts()
        anchors = [
            texts.index(p) for p in (self.number, self.national, self.motto) if p is not None
        ]
        if not anchors:
            return 0
        in_tables = [
            i for i, p in enumerate(texts)
            if (c := self.cell_of(p)) is not None and c.table in self.header_tables
        ]  # fmt: skip
        end = max(anchors + in_tables) + 1
        while end < len(texts) and self.cell_of(texts[end]) is None:
            text = clean(texts[end].text)
            if not (NUMBER.match(text) or DATE.search(text) or HEADER_SUBJECT.match(text)):
                break
            end += 1
        return end

    @cached_property
    def header(self) -> list[ParaFacts]:
        return self.texts()[: self._header_end]

    @cached_property
    def date(self) -> ParaFacts | None:
        """The place-and-date line, in the header only (a biên bản's `Thời gian bắt đầu: …, ngày …`
        line is not the document's date)."""
        return next((p for p in self.header if DATE.search(clean(p.text))), None)

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
    def subject_header(self) -> ParaFacts | None:
        """The line under the number in the header's left cell: a công văn's trích yếu (`V/v …`).
        Capital lines there are marks (KHẨN, DỰ THẢO), not a trích yếu."""
        if self.number is None or self.number not in self.header:
            return None
        cell = self.cell_of(self.number)
        after = self.header[self.header.index(self.number) + 1 :]
        for p in after:
            c = self.cell_of(p)
            same = (
                c is None
                if cell is None
                else c is not None and (c.table, c.col) == (cell.table, cell.col)
            )
            if same and p is not self.date and not is_caps(clean(p.text)):
                return p
        return None

    def _after_header(self) -> list[ParaFacts]:
        return [
            p for p in self.texts()[self._header_end :]
            if (c := self.cell_of(p)) is None or c.table not in self.header_tables
        ]  # fmt: skip

    @cached_property
    def _flow(self) -> list[ParaFacts]:
        """Body-level paragraphs after the header, in the first section."""
        end = self._section_end
        return [
            p for p in self._after_header() if self.cell_of(p) is None and self._index(p) <= end
        ]

    @cached_property
    def _section_end(self) -> int:
        """Index in items of the paragraph closing the first section (the last one if none)."""
        return next(
            (i for i, (p, _) in enumerate(self.items) if ends_section(p.element)),
            len(self.items) - 1,
        )

    # -- title block ----------------------------------------------------------------------------

    @cached_property
    def title_line(self) -> ParaFacts | None:
        """The first line after the header if it is in capitals: the kind's title (THÔNG BÁO,
        GIẤY MỜI HỌP…), whatever the kind."""
        first = self._flow[0] if self._flow else None
        if first is None:
            return None
        text = clean(first.text)
        known = self.kind is not None and self.kind.title and text.startswith(self.kind.title)
        return first if is_caps(text) and (len(text) < 40 or known) else None

    @cached_property
    def doc_type(self) -> ParaFacts | None:
        if self.kind is not None and self.kind.title is None:
            return None
        return self.title_line

    @cached_property
    def subject(self) -> ParaFacts | None:
        place = self.kind.subject.place if self.kind is not None else "title"
        if place == "header":
            return self.subject_header
        if place == "none" or self.doc_type is None:
            return None
        rest = self._flow
        i = rest.index(self.doc_type)
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        return None if nxt is None or clean(nxt.text).startswith("---") else nxt

    @cached_property
    def subject_mark(self) -> ParaFacts | None:
        """`-----` or a rule under the trích yếu (under the title when the kind has no trích yếu)."""
        place = self.kind.subject.place if self.kind is not None else "title"
        above = self.doc_type if place == "none" else self.subject
        if above is None or place == "header":
            return None
        nxt = self.following(above)
        if nxt is not None and (clean(nxt.text).startswith("---") or self.is_rule(nxt)):
            return nxt
        return above if above.border_bottom else None

    # -- signature and Nơi nhận -----------------------------------------------------------------

    @cached_property
    def recipients_label(self) -> ParaFacts | None:
        return next((p for p in self.texts() if clean(p.text).rstrip(":") == "Nơi nhận"), None)

    @cached_property
    def signature_table(self) -> int | None:
        """The table holding Nơi nhận; without one (a biên bản may have none), the last table of
        the first section whose cells hold bold capital lines."""
        label = self.recipients_label
        cell = self.cell_of(label) if label else None
        if cell is not None:
            return cell.table
        tables = [
            c.table
            for p, c in self.items[: self._section_end + 1]
            if c is not None and c.table not in self.header_tables and p.text.strip()
            and self._is_signer_line(p)
        ]  # fmt: skip
        return tables[-1] if tables else None

    def _cell_texts(self, table: int) -> dict[tuple[int, int], list[ParaFacts]]:
        out: dict[tuple[int, int], list[ParaFacts]] = {}
        for p in self.texts():
            c = self.cell_of(p)
            if c is not None and c.table == table:
                out.setdefault((c.row, c.col), []).append(p)
        return out

    @cached_property
    def signer_blocks(self) -> list[list[ParaFacts]]:
        """Each cell of the signature table that starts with a bold capital line, left to right;
        a cell's lines stop at its Nơi nhận (biên bản: THƯ KÝ above Nơi nhận)."""
        if self.signature_table is None:
            return []
        blocks = []
        for (_, _), lines in sorted(
            self._cell_texts(self.signature_table).items(), key=lambda kv: kv[0][1]
        ):
            if self.recipients_label in lines:
                lines = lines[: lines.index(self.recipients_label)]
            if lines and self._is_signer_line(lines[0]):
                blocks.append(lines)
        return blocks

    @cached_property
    def signature_lines(self) -> list[ParaFacts]:
        """The signing side: authority, titles, name (right cell of the signature table)."""
        label = self.recipients_label
        cell = self.cell_of(label) if label else None
        if cell is not None:
            lines = [
                p for p in self.texts()
                if (c := self.cell_of(p)) and c.table == cell.table and c.row == cell.row and c.col != cell.col
            ]  # fmt: skip
            if lines:
                return lines
        return self.signer_blocks[-1] if self.signer_blocks else []

    @cached_property
    def left_signer_lines(self) -> list[ParaFacts]:
        """The second signer, left of the main one (biên bản: THƯ KÝ, NGƯỜI GHI BIÊN BẢN)."""
        right = self.signature_lines
        left = [b for b in self.signer_blocks if b is not right and b[0] not in right]
        return left[0] if left else []

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

    # -- the text between title block and signature ---------------------------------------------

    @cached_property
    def main_text(self) -> list[ParaFacts]:
        """Body-level paragraphs between the trích yếu and the signature (the basis lines included)."""
        rest = self._flow
        starts = [
            rest.index(p) for p in (self.doc_type, self.subject) if p is not None and p in rest
        ]
        if starts:
            rest = rest[max(starts) + 1 :]
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

    def _addressee_pattern(self) -> re.Pattern:
        if self.kind is not None and "addressees" in self.kind.parts:
            return label_pattern(self.kind.addressees.label)
        return ADDRESSEE

    @cached_property
    def addressee_lines(self) -> list[ParaFacts]:
        """`Kính gửi:` (or the kind's label: `Kính trình:`, `… điện:`) and the `- …` lines under it,
        between the title block and the body (in the flow or in a borderless table)."""
        return self.find_addressees(self._addressee_pattern())

    def find_addressees(self, pattern: re.Pattern) -> list[ParaFacts]:
        """The addressee block opened by `pattern` (or `Kính gửi:`), among the first lines after
        the header: it stands before the body, never inside it."""
        default = ADDRESSEE
        stop = (
            self._first_index_of_table(self.signature_table)
            if self.signature_table is not None
            else None
        )
        candidates = [
            p for p in self._after_header()
            if (stop is None or self._index(p) < stop) and self._index(p) <= self._section_end
        ]  # fmt: skip
        label = next(
            (
                p
                for p in candidates[:ADDRESSEE_ROWS]
                if pattern.match(clean(p.text)) or default.match(clean(p.text))
            ),
            None,
        )
        if label is None:
            return []
        out = [label]
        for p in candidates[candidates.index(label) + 1 :]:
            text = clean(out[-1].text)
            if (
                text.endswith(".")
                or not clean(p.text).startswith(DASHES)
                or BASIS.match(clean(p.text))
            ):
                break
            out.append(p)
        return out

    @cached_property
    def addressee_label(self) -> ParaFacts | None:
        """The kind's own label (`Kính gửi:`, `… điện:`), if the document has it."""
        pattern = self._addressee_pattern()
        found = self.addressee_lines[:1]
        return found[0] if found and pattern.match(clean(found[0].text)) else None

    @cached_property
    def basis(self) -> list[ParaFacts]:
        """The căn cứ lines: the run of `Căn cứ …`, `Theo đề nghị …` lines that opens the text
        (after Kính gửi and the authority line); a sentence ending `:` opens the body instead."""
        if self.kind is not None and "basis" not in self.kind.parts:
            return []
        lines = [p for p in self.main_text if p not in self.addressee_lines]
        while lines and lines[0].align == "center" and not BASIS.match(clean(lines[0].text)):
            lines = lines[1:]
        run = []
        for p in lines:
            text = clean(p.text)
            if not BASIS.match(text) or text.endswith(":"):
                break
            run.append(p)
        lone = clean(run[0].text) if len(run) == 1 else ""
        if re.match(r"^(- )?Thực hiện\b", lone) and not lone.endswith((";", ",")):
            return []  # one `Thực hiện …` sentence opening the body
        return run

    @cached_property
    def body(self) -> list[ParaFacts]:
        return [p for p in self.main_text if p not in self.basis]

    @cached_property
    def body_paragraphs(self) -> list[ParaFacts]:
        """The body's running paragraphs, for indent and justification: not the centred lines
        (authority, `QUYẾT ĐỊNH:`, Chương headings, `… trân trọng giới thiệu:`), Kính gửi, or a
        quoted passage."""
        skip = set(map(id, self.addressee_lines))
        return [
            p for p in self.body
            if id(p) not in skip and p.align not in ("center", "right") and not self.indented_both_sides(p)
        ]  # fmt: skip

    @cached_property
    def enacting(self) -> ParaFacts | None:
        """The kind's enacting line (`QUYẾT ĐỊNH:`, `QUYẾT NGHỊ:`, `<TẬP THỂ> QUYẾT ĐỊNH`)."""
        if self.kind is None or not self.kind.enacting:
            return None
        pattern = enacting_pattern(self.kind.enacting)
        return next((p for p in self.main_text if pattern.match(clean(p.text))), None)

    @cached_property
    def articles(self) -> list[ParaFacts]:
        return [p for p in self.main_text if ARTICLE.match(clean(p.text))]

    # -- sections after the first -----------------------------------------------------------------

    @cached_property
    def _later_sections(self) -> list[list[ParaFacts]]:
        """The texts of each section after the first."""
        breaks = [i for i, (p, _) in enumerate(self.items) if ends_section(p.element)]
        bounds = [*breaks, len(self.items) - 1]
        out = []
        for start, end in zip(bounds, bounds[1:], strict=False):
            texts = [p for p, _ in self.items[start + 1 : end + 1] if p.text.strip()]
            if texts:
                out.append(texts)
        return out

    def _opens_with_header(self, texts: list[ParaFacts]) -> bool:
        """A section that starts with its own header table (issuer + Quốc hiệu): an attached text."""
        first = self.cell_of(texts[0])
        return first is not None and any(
            NATIONAL.match(clean(p.text)) and (c := self.cell_of(p)) and c.table == first.table
            for p in texts
        )

    def _outside_tables(self, texts: list[ParaFacts]) -> list[ParaFacts]:
        """A section's texts outside tables (after its header block, if any)."""
        return [p for p in texts if self.cell_of(p) is None]

    def _is_attached(self, texts: list[ParaFacts]) -> bool:
        """A section with its own header block whose title is a text's that a decision issues
        (QUY CHẾ, QUY ĐỊNH); an appendix may open with a header block too."""
        if not self._opens_with_header(texts):
            return False
        flow = self._outside_tables(texts)
        return bool(flow) and clean(flow[0].text).startswith(attachable_titles())

    @cached_property
    def attached_texts(self) -> list[list[ParaFacts]]:
        """Texts issued with the document (quy chế, quy định…), each in its own section."""
        return [s for s in self._later_sections if self._is_attached(s)]

    @cached_property
    def appendix_headings(self) -> list[ParaFacts]:
        """The first text of every section after the first (appendices start a new section),
        after the appendix's own header block if it has one; attached texts apart."""
        return [
            (self._outside_tables(s) or s)[0] if self._opens_with_header(s) else s[0]
            for s in self._later_sections
            if not self._is_attached(s)
        ]

    def attached_parts(self, texts: list[ParaFacts]) -> dict[str, ParaFacts | None]:
        """An attached text's title, reference line (and the rule under it), number or date."""
        table = self.cell_of(texts[0]).table
        head = [p for p in texts if (c := self.cell_of(p)) is not None and c.table == table]
        flow = [p for p in texts if self.cell_of(p) is None]
        title = flow[0] if flow and is_caps(clean(flow[0].text)) else None
        reference = next((p for p in flow[:4] if REFERENCE.match(clean(p.text))), None)
        ruled = reference is not None and (
            self.rule_after(reference)
            or clean(getattr(self.following(reference), "text", "")).startswith("---")
        )
        return {
            "title": title,
            "reference": reference,
            "rule": reference if ruled else None,
            "number": next((p for p in head if NUMBER.match(clean(p.text))), None),
            "date": next((p for p in head if DATE.search(clean(p.text))), None),
        }


@cache
def attachable_titles() -> tuple[str, ...]:
    """The titles of the texts a decision may issue (QUY CHẾ, QUY ĐỊNH), in every regime."""
    return tuple(
        sorted({k.title for r in REGIMES for k in kinds_in(r) if k.attachable and k.title})
    )


def detect_kind(located: LocatedDocument, regime: str) -> Kind | None:
    """The kind of a document read from its text: the title line after the header matched against
    every kind's title in the regime (a qualified title such as GIẤY MỜI HỌP starts with one); no
    title but a trích yếu under the number or a `Kính gửi:`: a công văn. None when neither."""
    kinds = kinds_in(regime)
    line = located.title_line
    if line is not None:
        text = clean(line.text)
        titled = [
            k for k in kinds if k.title and (text == k.title or text.startswith(k.title + " "))
        ]
        if titled:
            best = max(titled, key=lambda k: len(k.title))
            return best if text == best.title else best.model_copy(update={"title": text})
        generic = next((k for k in kinds if k.id == "van-ban"), None)
        return (
            generic.model_copy(update={"id": "", "name": text.capitalize(), "title": text})
            if generic
            else None
        )
    addressed = located.find_addressees(ADDRESSEE)[:1]
    if located.subject_header is not None or (
        addressed and clean(addressed[0].text).startswith("Kính gửi")
    ):
        return next((k for k in kinds if k.title is None and k.subject.place == "header"), None)
    return None
