"""Small text helpers the importer shares: spacing, accent-insensitive keys, capitals, and the
inline markup (`**đậm**`, `*nghiêng*`, `__gạch chân__`, links) rebuilt from a paragraph's runs."""

from __future__ import annotations

import re
import unicodedata

from mtcl_docs.oxml.draft_read import DraftRun

RULE = re.compile(r"^[\s\-_–—.*=~]{3,}$")  # a typed rule: -----, _____, ***


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """One line of text: NFC, spaces and tabs collapsed, trimmed."""
    return " ".join(nfc(text).split())


def is_caps(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text == text.upper()


def is_rule(text: str) -> bool:
    return bool(RULE.match(text)) and any(c in text for c in "-_–—*=~")


def sentence_case(text: str) -> str:
    """`PHÓ GIÁM ĐỐC` → `Phó giám đốc`: a title printed in capitals, as data writes it."""
    text = clean(text).lower()
    return text[:1].upper() + text[1:]


_ESCAPE = re.compile(r"(\*|__)")


def _escaped(text: str) -> str:
    return text.replace("*", "\\*")


def markup(runs: list[DraftRun], *, drop_bold: bool = False, drop_italic: bool = False) -> str:
    """The runs as the project's inline markup; `drop_bold` when the whole text is printed bold
    anyway (a heading's title), `drop_italic` likewise (a quote)."""
    merged: list[DraftRun] = []
    for run in runs:
        look = (run.bold and not drop_bold, run.italic and not drop_italic, run.underline, run.link)
        if merged and _look(merged[-1], drop_bold, drop_italic) == look:
            merged[-1] = DraftRun(merged[-1].text + run.text, *look)
        else:
            merged.append(DraftRun(run.text, *look))
    out = []
    for run in merged:
        text = _escaped(run.text)
        if not text.strip():
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()) :]
        core = text.strip()
        if run.underline and not run.link:  # a link is underlined by itself
            core = f"__{core}__"
        if run.italic:
            core = f"*{core}*"
        if run.bold:
            core = f"**{core}**"
        if run.link and (run.link.startswith(("http://", "https://", "mailto:"))):
            core = f"[{core}]({run.link})"
        out.append(lead + core + trail)
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", nfc("".join(out)))  # spaces typed twice: once


def _look(run: DraftRun, drop_bold: bool, drop_italic: bool) -> tuple:
    return (run.bold and not drop_bold, run.italic and not drop_italic, run.underline, run.link)


def split_runs(runs: list[DraftRun], at: int) -> tuple[list[DraftRun], list[DraftRun]]:
    """The runs before and after character `at` of their joined text."""
    before, after, seen = [], [], 0
    for run in runs:
        end = seen + len(run.text)
        if end <= at:
            before.append(run)
        elif seen >= at:
            after.append(run)
        else:
            cut = at - seen
            before.append(DraftRun(run.text[:cut], run.bold, run.italic, run.underline, run.link))
            after.append(DraftRun(run.text[cut:], run.bold, run.italic, run.underline, run.link))
        seen = end
    return before, after


def strip_runs(runs: list[DraftRun]) -> list[DraftRun]:
    """Runs without leading and trailing spaces (tabs of a typed layout included)."""
    text = "".join(r.text for r in runs)
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    _, rest = split_runs(runs, start)
    kept, _ = split_runs(rest, end - start)
    return [
        DraftRun(r.text.replace("\t", " "), r.bold, r.italic, r.underline, r.link) for r in kept
    ]
