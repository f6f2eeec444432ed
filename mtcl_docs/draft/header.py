"""The header block of a draft — issuing body, number, trích yếu under the number, Quốc hiệu and
Tiêu ngữ (or ĐẢNG CỘNG SẢN VIỆT NAM), place and date — however it was typed: a two-column table
(ours, or Word's), paragraphs aligned with tabs or spaces, or text boxes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from mtcl_docs.draft.text import clean, is_caps, is_rule
from mtcl_docs.oxml.draft_read import DraftPara, DraftTable

NATIONAL = re.compile(r"^(CỘNG (HÒA|HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM)$", re.I)
MOTTO = re.compile(r"^Độc lập\s*[-–—]\s*Tự do\s*[-–—]\s*Hạnh phúc$", re.I)
NUMBER = re.compile(r"^Số\b\s*:?")
HEADER_SUBJECT = re.compile(r"^(V/v|[Vv]ề việc)\b")
DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
DATE_BLANK = re.compile(r"ngày[\s.…_]*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.I)
DATE_DIGITS = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
DATE_LINE = re.compile(r"^(?P<place>[^,\d]{2,40}),\s*(?P<rest>(ngày\b.*|\d{1,2}\s*[/.-].*))$", re.I)
SPLIT = re.compile(r"\t+| {3,}")
MARKS = ("KHẨN", "HỎA TỐC", "THƯỢNG KHẨN", "DỰ THẢO", "MẬT", "TỐI MẬT", "TUYỆT MẬT")


@dataclass
class Header:
    """What the header says, as printed, and the paragraphs it used."""

    national: str | None = None
    motto: str | None = None
    left: list[str] = field(default_factory=list)  # caps lines above the number (bodies)
    left_bold: list[bool] = field(default_factory=list)
    number: str | None = None
    subject: str | None = None  # V/v … under the number
    date_text: str | None = None
    place: str | None = None
    date: dt.date | None = None
    marks: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)

    @property
    def regime(self) -> str | None:
        if self.national is None:
            return None
        return "party" if "ĐẢNG" in self.national.upper() else "nd30"


def blank_day(text: str) -> dt.date | None:
    """`ngày     tháng 3 năm 2026` (the day left for the signing): the 1st of that month."""
    found = DATE_BLANK.search(text)
    if not found:
        return None
    try:
        return dt.date(int(found.group(2)), int(found.group(1)), 1)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """`ngày 05 tháng 3 năm 2026`, `05/3/2026`, `5-3-2026` → the date (None if not one)."""
    found = DATE_WORDS.search(text) or DATE_DIGITS.search(text)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def is_date_line(text: str) -> bool:
    match = DATE_LINE.match(clean(text))
    return bool(match) and (DATE_WORDS.search(text) or DATE_DIGITS.search(text) or "ngày" in text)


def _is_header_text(text: str) -> bool:
    t = clean(text)
    return bool(
        NATIONAL.match(t) or MOTTO.match(t) or NUMBER.match(t) or is_date_line(t) or t == "*"
        or is_rule(t) or t.upper() in MARKS
    )  # fmt: skip


class _Collector:
    """Left and right column texts, in order, with what each paragraph was."""

    def __init__(self) -> None:
        self.header = Header()
        self.number_seen = False

    def right(self, text: str) -> None:
        self.take(text, right=True)

    def take(self, text: str, right: bool = False, bold: bool = False) -> None:
        lines = [clean(line) for line in text.split("\n") if clean(line)]
        if (
            lines and not right and not self.number_seen
            and all(is_caps(t) and not _is_header_text(t) and t not in MARKS for t in lines)
        ):  # fmt: skip
            self.header.left.append("\n".join(lines))  # one body's name, its lines kept
            self.header.left_bold.append(bold)
            return
        for line in lines:
            self._line(line, right, bold)

    def _line(self, t: str, right: bool, bold: bool) -> None:
        h = self.header
        if not t or is_rule(t) or t == "*":
            return
        if NATIONAL.match(t):
            h.national = t.upper()
        elif MOTTO.match(t):
            h.motto = t
        elif NUMBER.match(t) and h.number is None:
            h.number = t
            self.number_seen = True
        elif is_date_line(t) and h.date_text is None:
            h.date_text = t
            match = DATE_LINE.match(t)
            h.place = clean(match.group("place")) if match else None
            h.date = parse_date(t)
        elif t.upper() in MARKS:
            h.marks.append(t)
        elif HEADER_SUBJECT.match(t) and self.number_seen and h.subject is None:
            h.subject = t
        elif h.subject is not None and not right and not is_caps(t):
            h.subject += " " + t  # a trích yếu typed over two lines
        elif is_caps(t) and not right and not self.number_seen:
            h.left.append(t)
            h.left_bold.append(bold)
        else:
            h.unplaced.append(t)


def _columns(text: str) -> list[str]:
    """A paragraph typed as two columns: `TÊN CƠ QUAN<tab><tab>CỘNG HÒA …`."""
    return [part for part in SPLIT.split(text.strip("\n")) if part.strip()] or [""]


def _side(text: str) -> bool:
    """Whether a lone text belongs in the right column (Quốc hiệu, Tiêu ngữ, date)."""
    t = clean(text)
    return bool(NATIONAL.match(t) or MOTTO.match(t) or is_date_line(t))


def read_header(items: list[DraftPara | DraftTable], titles: set[str]) -> tuple[Header, int]:
    """The header and the index of the first item after it. `titles` are the kinds' printed
    titles (a line such as THÔNG BÁO ends the header)."""
    c = _Collector()
    i = 0
    while i < len(items) and isinstance(items[i], DraftPara) and not clean(items[i].text):
        i += 1
    if i < len(items) and isinstance(items[i], DraftTable) and _header_table(items[i]):
        table = items[i]
        for col in range(max(len(r.cells) for r in table.rows)):
            for row in table.rows:
                if col < len(row.cells):
                    for p in row.cells[col].paras:
                        if col == 0:
                            c.take(p.text, right=False, bold=p.bold)
                        else:
                            c.take(p.text, right=True, bold=p.bold)
        i += 1
        # lines typed under the table: a date, a V/v …
        while i < len(items) and isinstance(items[i], DraftPara):
            t = clean(items[i].text)
            if t and not (
                _is_header_text(t) or (HEADER_SUBJECT.match(t) and c.header.subject is None)
            ):
                break
            if t:
                c.take(items[i].text, right=_side(t))
            i += 1
        return c.header, i
    while i < len(items) and isinstance(items[i], DraftPara):
        p = items[i]
        t = clean(p.text)
        if p.box is not None:
            c.take(p.text, right=_side(t) or _box_right(items, p.box), bold=p.bold)
            i += 1
            continue
        if not t:
            i += 1
            continue
        parts = _columns(p.text)
        starts_body = not _is_header_text(t) and (
            (c.number_seen or c.header.date_text) and not (HEADER_SUBJECT.match(t) and c.header.subject is None)
            or t.upper() in titles or clean(t).startswith(("Kính gửi", "Kính trình", "Căn cứ"))
            or (not is_caps(t) and not c.number_seen and len(parts) == 1 and not HEADER_SUBJECT.match(t))
        )  # fmt: skip
        if starts_body and len(parts) == 1:
            break
        if len(parts) >= 2:
            c.take(parts[0], right=False, bold=p.bold)
            for part in parts[1:]:
                c.take(part, right=True, bold=p.bold)
        else:
            c.take(p.text, right=_side(t) or p.align == "right", bold=p.bold)
        i += 1
    return c.header, i


def _box_right(items: list, box: int) -> bool:
    """A text box holding the Quốc hiệu (or the date) is the right column."""
    texts = [clean(p.text) for p in items if isinstance(p, DraftPara) and p.box == box]
    return any(NATIONAL.match(t) or MOTTO.match(t) or is_date_line(t) for t in texts)


def _header_table(table: DraftTable) -> bool:
    texts = [clean(p.text) for r in table.rows[:3] for c in r.cells for p in c.paras]
    return any(NATIONAL.match(t) or NUMBER.match(t) for t in texts)
