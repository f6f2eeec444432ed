"""The parts of a draft between its header and its signature, in the order its kind's table
gives them: the title block (tên loại, trích yếu, the rule under it), then Kính gửi, the authority
line, căn cứ, the enacting line and the form's fixed lines; what follows is the body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mtcl_docs.draft.forms import match_lines
from mtcl_docs.draft.text import clean, is_caps, is_rule, markup, strip_runs
from mtcl_docs.kinds import Kind, kinds_in
from mtcl_docs.oxml.draft_read import DraftPara, DraftTable

BASIS = re.compile(r"^(?:[-–]\s*)?(Căn cứ|Xét|Theo đề nghị|Thực hiện)\b")
PROPOSAL = re.compile(r"^(?:[-–]\s*)?Theo đề nghị\b")
SUBJECT_STOP = re.compile(
    r"^(\d+\.|[IVX]+\.|[a-zđ]\)|- )"
)  # a numbered line is body, not trích yếu
OPENER = re.compile(r"^(Kính gửi|Kính trình|.+ điện)\s*:\s*(.*)$")

Item = DraftPara | DraftTable


def find_kind(title: str | None, regime: str) -> tuple[Kind, str | None]:
    """The kind from the title line (a longer title such as CHƯƠNG TRÌNH HÀNH ĐỘNG kept as the
    document's `title:`), a công văn without one."""
    kinds = kinds_in(regime)
    if title:
        t = clean(title).upper()
        titled = [k for k in kinds if k.title and (t == k.title or t.startswith(k.title + " "))]
        if titled:
            best = max(titled, key=lambda k: len(k.title or ""))
            return best, (None if t == best.title else t)
    return next(k for k in kinds if k.id == "cong-van"), None


@dataclass
class TitleBlock:
    """The kind found from the title line, its own title if longer, the trích yếu, and the items
    after the block."""

    kind: Kind
    own_title: str | None
    subject: str | None
    rest: list[Item]


def read_title_block(flow: list[Item], titles: set[str], regime: str,
                     header_subject: str | None) -> TitleBlock:  # fmt: skip
    """The title line (a kind's title in capitals), the centred trích yếu under it (over one or
    more lines, up to the rule), the rule; a công văn's trích yếu is the header's `V/v …`."""
    k = 0
    while k < len(flow) and isinstance(flow[k], DraftPara) and not clean(flow[k].text):
        k += 1
    title = None
    title_align = "center"
    if k < len(flow) and isinstance(flow[k], DraftPara):
        first = clean(flow[k].text)
        if is_caps(first) and (
            first.upper() in titles or any(first.upper().startswith(t + " ") for t in titles)
        ):
            title, title_align = first, flow[k].align
            k += 1
    kind, own_title = find_kind(title, regime)
    subject = header_subject
    if kind.subject.place == "title" and title:
        lines: list[str] = []
        while k < len(flow) and isinstance(flow[k], DraftPara):
            p = flow[k]
            t = clean(p.text)
            if not t:
                k += 1
                if lines:
                    break
                continue
            set_like_title = p.align == "center" or (p.align == title_align and not lines)
            if is_rule(t) or not set_like_title or (lines and is_caps(t)) or BASIS.match(t):
                break
            if OPENER.match(t) or (not lines and SUBJECT_STOP.match(t)):
                break
            lines.append(t)
            k += 1
            if p.rule:
                break
        subject = " ".join(lines) or None
    while k < len(flow) and isinstance(flow[k], DraftPara) and not flow[k].page_break_before:
        text = clean(flow[k].text)
        if text and not is_rule(text):
            break
        k += 1
    return TitleBlock(kind, own_title, subject, flow[k:])


def plain_item(text: str) -> str:
    """A listed line without its `- ` and end punctuation."""
    text = clean(text)
    while text[:1] in "-–" and text[1:2] == " ":
        text = text[2:].strip()
    return text.rstrip(";,.").strip()


def basis_line(text: str) -> str:
    text = clean(text)
    if text.startswith(("- ", "– ")):
        text = text[2:]
    return text.rstrip(";,.").strip()


@dataclass
class PartReader:
    """Reads the kind's parts from the start of `rest`, in the table's order; `pos` is where the
    body starts once `read` is done."""

    rest: list[Item]
    kind: Kind
    issuer: str
    end_mark: str
    pos: int = 0
    kinh_gui: list[str] = field(default_factory=list)
    authority_line: str | None = None
    basis: list[str] = field(default_factory=list)
    basis_items: list[Item] = field(default_factory=list)
    proposal: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def last_para(self) -> DraftPara | None:
        """The last paragraph with text: the one the profile's end mark (`./.`) was added to."""
        return next(
            (p for p in reversed(self.rest) if isinstance(p, DraftPara) and clean(p.text)), None
        )

    def read(self) -> None:
        for part in self.kind.parts:
            self._skip_blank()
            reader = getattr(self, f"_{part}", None)
            if reader is not None:
                reader()

    def _para(self) -> DraftPara | None:
        item = self.rest[self.pos] if self.pos < len(self.rest) else None
        return item if isinstance(item, DraftPara) else None

    def _skip_blank(self) -> None:
        while (p := self._para()) is not None and not clean(p.text) and not p.page_break_before:
            self.pos += 1

    def _addressees(self) -> None:
        """`Kính gửi: …` and the `- …;` lines under it (or the `… điện:` of a công điện); also
        typed as a borderless table, the label in its first cell."""
        item = self.rest[self.pos] if self.pos < len(self.rest) else None
        if isinstance(item, DraftTable):
            self._addressee_table(item)
            return
        p = self._para()
        if p is None:
            return
        label = self.kind.addressees.label.split("{")[0].strip().rstrip(":") or "Kính gửi"
        t = clean(p.text)
        opener = OPENER.match(t)
        if not opener or not (
            t.startswith(label) or t.startswith(("Kính gửi", "Kính trình"))
            or opener.group(1).endswith("điện")
        ):  # fmt: skip
            return
        self.pos += 1
        first = opener.group(2).strip()
        names = [first] if first else []
        while (q := self._para()) is not None:
            line = clean(q.text)
            if not line:
                self.pos += 1
                continue
            if not line.startswith(("-", "–")) or BASIS.match(line):
                break
            names.append(line)
            self.pos += 1
            if line.endswith("."):
                break
        self.kinh_gui = [plain_item(n) for n in names if plain_item(n)]

    def _addressee_table(self, table: DraftTable) -> None:
        lines = [
            line for row in table.rows for cell in row.cells for p in cell.paras
            for line in p.text.split("\n") if clean(line)
        ]  # fmt: skip
        opener = OPENER.match(clean(lines[0])) if lines else None
        if opener is None or table.borders:
            return
        names = ([opener.group(2)] if opener.group(2).strip() else []) + lines[1:]
        self.kinh_gui = [plain_item(n) for n in names if plain_item(n)]
        self.pos += 1

    def _authority(self) -> None:
        """The authority line of a state decision (`HIỆU TRƯỞNG TRƯỜNG …`), above the căn cứ."""
        p = self._para()
        if p is None:
            return
        t = clean(p.text)
        enacting = self.kind.enacting
        if (
            is_caps(t)
            and not BASIS.match(t)
            and not (enacting and t.rstrip(":") == enacting.rstrip(":"))
        ):
            self.authority_line = t
            self.pos += 1

    def _basis(self) -> None:
        """`Căn cứ …`, `Xét …`, `Theo đề nghị …` lines (the last becomes `proposal:`); a lone
        `Thực hiện …` sentence ending the line otherwise opens the body."""
        while (p := self._para()) is not None:
            t = markup(strip_runs(p.runs), drop_italic=p.italic)
            if not clean(t):
                self.pos += 1
                continue
            if not BASIS.match(clean(t)) or clean(t).endswith(":"):
                break
            if (
                clean(t).startswith("Thực hiện")
                and not clean(t).endswith((";", ","))
                and not self.basis
            ):
                break
            self.basis.append(basis_line(t))
            self.basis_items.append(p)
            self.pos += 1
        if self.basis and PROPOSAL.match(self.basis[-1]):
            self.proposal = self.basis.pop()

    def _enacting(self) -> None:
        """`QUYẾT ĐỊNH:` or `<TẬP THỂ> QUYẾT ĐỊNH` (whose body, when not the usual one, is the
        document's authority line)."""
        p = self._para()
        enacting = self.kind.enacting
        if p is None or not enacting:
            return
        t = clean(p.text)
        words = clean(enacting.replace("{authority}", "").rstrip(":"))
        if t.rstrip(":").endswith(words):
            before = t.rstrip(":")[: -len(words)].strip()
            if "{authority}" in enacting and before:
                self.authority_line = self.authority_line or before
            self.pos += 1

    def _fields(self) -> None:
        """The form's fixed lines (`Thời gian: …`), their fields read back."""
        ps = [p for p in self.rest[self.pos :] if isinstance(p, DraftPara) and clean(p.text)]
        got, used = match_lines(self.kind.lines, ps, self.issuer, self.last_para, self.end_mark)
        self.fields.update(got)
        if used:
            self.pos = self.rest.index(ps[used - 1]) + 1
