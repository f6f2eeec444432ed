"""The small inline markup clerks may use in body text: `**đậm**`, `*nghiêng*`, `__gạch chân__`,
`[chữ](https://…)` for a link, and `\\*` for a star."""

from __future__ import annotations

import re

from mtcl_docs.blocks import Span

_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_TOKEN = re.compile(r"\\\*|\*\*|\*|__")


def spans(text: str, *, bold: bool = False, italic: bool = False) -> list[Span]:
    """Marked-up text as runs; an unpaired mark stays literal."""
    out: list[Span] = []
    at = 0
    for found in _LINK.finditer(text):
        out.extend(_styled(text[at : found.start()], bold, italic))
        out.append(Span(found.group(1), bold, italic, True, found.group(2)))
        at = found.end()
    out.extend(_styled(text[at:], bold, italic))
    return out


def _styled(text: str, bold: bool, italic: bool) -> list[Span]:
    out: list[Span] = []
    underline = False
    buf = ""
    pieces = _TOKEN.split(text)
    marks = _TOKEN.findall(text)
    opens = {m: marks.count(m) // 2 * 2 for m in ("**", "*", "__")}
    for piece, mark in zip(pieces, [*marks, None], strict=True):
        buf += piece
        if mark is None:
            break
        if mark == "\\*":
            buf += "*"
            continue
        if opens[mark] == 0:  # no partner left: keep the mark as text
            buf += mark
            continue
        opens[mark] -= 1
        if buf:
            out.append(Span(buf, bold, italic, underline))
        buf = ""
        if mark == "**":
            bold = not bold
        elif mark == "*":
            italic = not italic
        else:
            underline = not underline
    if buf:
        out.append(Span(buf, bold, italic, underline))
    return out
