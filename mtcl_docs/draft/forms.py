"""The fixed lines of a kind's form (giấy mời: `Thời gian: {time}`, biên bản: `Địa điểm:
{place}`…) matched against the draft's paragraphs, so that their fields come back as data."""

from __future__ import annotations

import re

from mtcl_docs.draft.text import clean, markup, strip_runs
from mtcl_docs.kinds.kind import FIELD, Line
from mtcl_docs.oxml.draft_read import DraftPara


def line_pattern(line: Line, issuer: str) -> re.Pattern:
    """A kind's fixed line as a pattern whose groups are its fields (capitals as typed)."""
    out = ""
    for part in re.split(r"(\{\w+\})", line.text):
        name = FIELD.fullmatch(part)
        if name is None:
            words = part.split()
            core = r"\s+".join(re.escape(w) for w in words)
            lead = r"\s*" if part[:1].isspace() else ""
            trail = r"\s*" if part[-1:].isspace() else ""
            out += lead + core + trail if words else r"\s*"
        elif name.group(1) in ("issuer", "issuer_caps"):
            out += r"(?:.+?)?"  # a clerk may leave the body's name out (Trân trọng kính mời: …)
        else:
            out += rf"(?P<{name.group(1)}>.+?)"
    return re.compile("^" + out + "$", re.IGNORECASE)


def match_lines(lines: tuple[Line, ...], paras: list[DraftPara], issuer: str,
                 last: DraftPara | None, end_mark: str) -> tuple[dict[str, str], int]:  # fmt: skip
    """Fields read from the paragraphs that print the kind's lines, in order (a line whose
    optional field is left out is not printed); returns the fields and paragraphs used."""
    fields: dict[str, str] = {}
    used = 0
    for line in lines:
        if used >= len(paras):
            break
        p = paras[used]
        text = markup(strip_runs(p.runs))
        if p is last and end_mark and text.endswith(end_mark) and end_mark != ".":
            text = text[: -len(end_mark)]
        found = line_pattern(line, issuer).match(clean(text))
        if found:
            fields.update({k: v.strip() for k, v in found.groupdict().items()})
            used += 1
    return fields, used
