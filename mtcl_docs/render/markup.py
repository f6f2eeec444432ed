"""The small inline markup clerks may use in body text: `**đậm**`, `*nghiêng*`, `\\*` for a star."""

from __future__ import annotations

import re

from docxtpl import RichText

_TOKEN = re.compile(r"\\\*|\*\*|\*")


def spans(text: str) -> list[tuple[str, bool, bool]]:
    """Split marked-up text into (text, bold, italic) runs; an unclosed mark stays literal."""
    out: list[tuple[str, bool, bool]] = []
    bold = italic = False
    buf = ""
    pieces = _TOKEN.split(text)
    marks = _TOKEN.findall(text)
    opens = {"**": marks.count("**") // 2 * 2, "*": marks.count("*") // 2 * 2}
    for piece, mark in zip(pieces, [*marks, None], strict=True):
        buf += piece
        if mark is None:
            break
        if mark == "\\*":
            buf += "*"
            continue
        if opens[mark] == 0:  # no partner left: keep the star as text
            buf += mark
            continue
        opens[mark] -= 1
        if buf:
            out.append((buf, bold, italic))
        buf = ""
        if mark == "**":
            bold = not bold
        else:
            italic = not italic
    if buf:
        out.append((buf, bold, italic))
    return out


def rich(text: str, *, bold: bool = False) -> RichText:
    """Marked-up text as runs for a template's `{{r …}}`; docxtpl escapes `&`, `<`, `>`."""
    rt = RichText()
    for part, b, i in spans(text):
        rt.add(part, bold=bold or b, italic=i)
    return rt
