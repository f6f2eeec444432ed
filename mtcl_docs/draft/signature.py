"""The foot of a draft: Nơi nhận (its lines and the `Lưu` line: units, copies kept, drafter) and
the signing side (authority lines, title, name), from the table that holds them or from
paragraphs laid out with tabs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mtcl_docs.draft.text import clean, is_caps, markup, strip_runs
from mtcl_docs.oxml.draft_read import DraftPara, DraftTable

RECIPIENTS = re.compile(r"^Nơi nhận\s*:?", re.I)
ARCHIVE = re.compile(r"^Lưu\s*:?\s*(.*?)[.;]?$")
COPIES = re.compile(r"^(.*?)\s*\((\d{1,3})\)\s*([A-ZĐa-zđ.]*)$")
AUTHORITY = re.compile(r"^(K/T|KT\.?|T/M|TM\.?|T/L|TL\.?|TUQ\.?|Q\.)\s+(.+)$")
SPLIT = re.compile(r"\t+| {3,}")
SIGNER_INDENT_MM = 40  # a signing side typed as paragraphs stands well right of the margin
PLACEHOLDER = re.compile(r"^\((Chữ ký|Ký|ký).*\)$|^\(Đã ký\)$")


@dataclass
class Foot:
    """Nơi nhận and the signing sides, as printed."""

    recipients: list[str] = field(default_factory=list)  # without `- ` and end marks
    archive: str | None = None
    signer: list[str] = field(default_factory=list)  # the right side's lines
    left_signer: list[str] = field(default_factory=list)  # biên bản: THƯ KÝ … name
    marked: dict[str, str] = field(default_factory=dict)  # a table line → its inline markup
    after: list[str] = field(default_factory=list)  # lines under the signature (xác nhận)
    stray: list[DraftTable] = field(default_factory=list)  # tables among or under the foot
    start: int | None = None  # index of the first item of the foot


def _strip_item(line: str) -> str:
    line = clean(line)
    while line[:1] in "-–+•" and line[1:2] == " ":
        line = line[2:].strip()
    return line.rstrip(";,").rstrip()


def _recipient_lines(lines: list[str], foot: Foot) -> None:
    for raw in lines:
        line = _strip_item(raw)
        if not line:
            continue
        found = ARCHIVE.match(line)
        if found:
            foot.archive = found.group(1).strip()
        else:
            foot.recipients.append(line.rstrip("."))


def _cells(table: DraftTable) -> list[list[list[str]]]:
    """The texts of each cell, row by row (a cell's paragraphs, line breaks kept apart)."""
    return [
        [[t for p in cell.paras for t in p.text.split("\n")] for cell in row.cells]
        for row in table.rows
    ]


def _is_signature_table(table: DraftTable) -> bool:
    texts = [clean(t) for row in _cells(table) for cell in row for t in cell]
    return any(RECIPIENTS.match(t) for t in texts) or (
        not table.borders and any(is_caps(t) and len(t) < 60 for t in texts)
        and any(t and not is_caps(t) for t in texts[-3:])
    )  # fmt: skip


def read_foot(items: list[DraftPara | DraftTable]) -> Foot:
    """The foot of the main text (`items` is the first section after the header)."""
    foot = Foot()
    for k in range(len(items) - 1, -1, -1):
        item = items[k]
        after = [p for p in items[k + 1 :] if isinstance(p, DraftPara) and clean(p.text)]
        typed_below = any(RECIPIENTS.match(clean(p.text)) for p in after) or len(after) > 4
        if isinstance(item, DraftTable) and _is_signature_table(item) and not typed_below:
            _from_table(item, foot)
            foot.start = k
            tail = [p for p in items[k + 1 :] if isinstance(p, DraftPara) and clean(p.text)]
            foot.after = [clean(p.text) for p in tail]
            foot.stray = [t for t in items[k + 1 :] if isinstance(t, DraftTable)]
            return foot
    # typed with tabs: `Nơi nhận:<tab>KT. HIỆU TRƯỞNG`
    start = next(
        (k for k, p in enumerate(items) if isinstance(p, DraftPara)
         and RECIPIENTS.match(clean(p.text))),
        None,
    )  # fmt: skip
    if start is None:
        start = _signer_start(items)
        if start is None:
            return foot
    foot.start = start
    left, right = [], []
    for p in items[start:]:
        if not isinstance(p, DraftPara):
            foot.stray.append(p)
            continue
        for line in p.text.split("\n"):
            parts = SPLIT.split(line)
            lead = line[: len(line) - len(line.lstrip())]
            if len(parts) >= 2:
                if parts[0].strip():
                    left.append(parts[0])
                right.extend(x for x in parts[1:] if x.strip())
            elif (lead and ("\t" in lead or len(lead) > 8) or p.align in ("center", "right")
                  or p.left_mm >= SIGNER_INDENT_MM):  # fmt: skip
                right.append(line)
            elif line.strip():
                left.append(line)
    if not right:  # the signing side typed above Nơi nhận, indented or centred
        k = start - 1
        block: list[str] = []
        while k >= 0 and isinstance(items[k], DraftPara):
            p = items[k]
            t = clean(p.text)
            if t and not (
                p.left_mm >= SIGNER_INDENT_MM or (p.align in ("center", "right") and p.bold)
            ):
                break
            block.insert(0, p.text)
            k -= 1
        if any(clean(t) for t in block):
            right = block
            foot.start = k + 1
        elif k >= 0 and isinstance(items[k], DraftTable) and _is_signature_table(items[k]):
            _from_table(items[k], foot)  # the signing side in a table, Nơi nhận typed under it
            foot.start = k
    label = [t for t in left if RECIPIENTS.match(clean(t))]
    rest = [t for t in left if not RECIPIENTS.match(clean(t))]
    if label:
        after_label = clean(RECIPIENTS.sub("", clean(label[0]), count=1))
        if after_label:
            rest.insert(0, after_label)
    _recipient_lines(rest, foot)
    if right:
        _signing(right, foot)
    return foot


def _signer_start(items: list) -> int | None:
    """Without Nơi nhận: the last caps line near the end that opens a signing side."""
    texts = [
        (k, clean(p.text))
        for k, p in enumerate(items)
        if isinstance(p, DraftPara) and clean(p.text)
    ]
    for k, t in reversed(texts[-8:]):
        if AUTHORITY.match(t) or (is_caps(t) and len(t) < 50 and items[k].bold):
            start = k
            while start > 0:
                prev = items[start - 1]
                if (
                    isinstance(prev, DraftPara)
                    and clean(prev.text)
                    and is_caps(clean(prev.text))
                    and prev.bold
                ):
                    start -= 1
                else:
                    break
            return start
    return None


def _from_table(table: DraftTable, foot: Foot) -> None:
    rows = _cells(table)
    columns: dict[int, list[str]] = {}
    for row in rows:
        for c, cell in enumerate(row):
            columns.setdefault(c, []).extend(cell)
    sides = []
    for c in sorted(columns):
        lines = [t for t in columns[c]]
        if any(RECIPIENTS.match(clean(t)) for t in lines):
            at = next(i for i, t in enumerate(lines) if RECIPIENTS.match(clean(t)))
            above = [t for t in lines[:at] if clean(t)]
            if above:
                sides.append(above)
            after_label = clean(RECIPIENTS.sub("", clean(lines[at]), count=1))
            _recipient_lines(([after_label] if after_label else []) + lines[at + 1 :], foot)
        elif any(clean(t) for t in lines):
            sides.append(lines)
    if sides:
        _signing(sides[-1], foot)
    if len(sides) > 1:
        foot.left_signer = [clean(t) for t in sides[0] if clean(t)]
        foot.marked = {
            clean(p.text): markup(strip_runs(p.runs))
            for row in table.rows for cell in row.cells for p in cell.paras
            if "\n" not in p.text
        }  # fmt: skip


def _signing(lines: list[str], foot: Foot) -> None:
    texts = [clean(t) for t in lines if clean(t)]
    foot.signer = [t for t in texts if not PLACEHOLDER.match(t)]
