"""The proof that `fix` keeps the words: the text of the body, its lists and tables before and
after, compared word by word once spacing and Unicode form are set aside (NFC, one space). List
labels count as words (`1.`, `a)`); a dash that only marks a line, and the end mark the profile
adds (`./.`), do not."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from mtcl_docs.draft.body import para_label
from mtcl_docs.draft.text import nfc
from mtcl_docs.oxml.draft_read import DraftPara, DraftTable

MARKS = {"-", "–", "—", "+", "•", "./."}


def words(items: list[DraftPara | DraftTable]) -> list[str]:
    """The words of `items` in reading order (a Word list's label before its paragraph)."""
    out: list[str] = []

    def para(p: DraftPara) -> None:
        text = nfc(p.text)
        if p.list_label:
            label = para_label(p)
            text = f"{label.text if label else p.list_label} {text}"
        line = [w for w in text.split() if w not in MARKS]
        if line:
            line[-1] = _unended(line[-1])
            out.extend(w for w in line if w)

    for item in items:
        if isinstance(item, DraftTable):
            for row in item.rows:
                for cell in row.cells:
                    for p in cell.paras:
                        para(p)
        else:
            para(item)
    return out


def _unended(word: str) -> str:
    """A paragraph's last word without the end mark a profile adds or a clerk's list ending."""
    for mark in ("./.", ".", ";", ","):
        if word.endswith(mark) and len(word) > len(mark):
            return word[: -len(mark)]
    return word


@dataclass
class WordCheck:
    """Words before and after, and where they differ."""

    before: int
    after: int
    differences: list[str]

    @property
    def same(self) -> bool:
        return not self.differences


def compare(before: list[str], after: list[str]) -> WordCheck:
    """Every place the two word sequences differ, as `«cũ» → «mới»` with a little context."""
    diffs = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        context = " ".join(before[max(0, i1 - 4) : i1])
        old = " ".join(before[i1:i2]) or "(không có)"
        new = " ".join(after[j1:j2]) or "(không có)"
        diffs.append(f"sau «…{context}»: «{old}» → «{new}»")
    return WordCheck(len(before), len(after), diffs)
