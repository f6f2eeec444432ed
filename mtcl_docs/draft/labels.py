"""The label a paragraph opens with (`I.`, `2.1.`, `a)`, `Điều 3.`, `-`, `B1.`), typed or shown by
a Word list, and the numbering style (`I.`, `1.1.`, `a)`…, as in render/numbering.py) it is in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtcl_docs.draft.text import clean

ROMAN = r"(?=[IVXLCDM])(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
BLOCK = re.compile(rf"^(Chương|Phần|Mục)\s+({ROMAN}|\d+|thứ\s+\w+)$")
ARTICLE = re.compile(r"^(Điều\s+\d+)\s*([.:])\s*")
TYPED = [
    (re.compile(rf"^({ROMAN})\.(?=\s|$)"), "I."),
    (re.compile(rf"^({ROMAN})-(?=\s)"), "I-"),
    (re.compile(r"^(\d+(?:\.\d+)+)\.?(?=\s|$)"), "1.1."),
    (re.compile(r"^(\d{1,3})\.(?=\s|$)"), "1."),
    (re.compile(r"^(\d{1,3})-(?=\s)"), "1-"),
    (re.compile(r"^(\d{1,3})\)(?=\s)"), "1)"),
    (re.compile(r"^([a-zđ])\)(?=\s)"), "a)"),
    (re.compile(r"^([a-zđ])\.(?=\s)"), "a."),
    (re.compile(r"^\((\d{1,3})\)(?=\s)"), "(1)"),
    (re.compile(r"^([-–−•])(?=\s)"), "-"),
    (re.compile(r"^(\+)(?=\s)"), "+"),
]
STEP = re.compile(r"^([A-ZĐ])(\d{1,2})\.\s+")


@dataclass(frozen=True)
class Label:
    """A paragraph's label as printed, its style token, and where the text after it starts."""

    text: str
    token: str
    end: int  # characters of the paragraph taken by the label and the space after it
    typed: bool = True


def token_of(label: str) -> str | None:
    """The numbering style a printed label is in (`II.` → `I.`, `2.1.` → `1.1.`)."""
    label = clean(label)
    if ARTICLE.match(label + " ") or re.match(r"^Điều\s+\d+\.?$", label):
        return "Điều"
    block = BLOCK.match(label)
    if block:
        word = block.group(1)
        return "Phần thứ" if word == "Phần" and block.group(2).startswith("thứ") else word
    for pattern, token in TYPED:
        if pattern.match(label + " "):
            return token
    return None


def typed_label(text: str) -> Label | None:
    """The label typed at the start of `text`, if any."""
    lead = len(text) - len(text.lstrip())
    body = text[lead:]
    article = ARTICLE.match(body)
    if article:
        return Label(f"{article.group(1)}{article.group(2)}", "Điều", lead + article.end())
    for pattern, token in TYPED:
        found = pattern.match(body)
        if found:
            label = found.group(0)
            if token == "-":
                label = "-"
            end = found.end()
            while end < len(body) and body[end] in " \t":
                end += 1
            return Label(label, token, lead + end)
    return None


def normal_label(label: str) -> str:
    """A Word list's label as the project prints it (`•` → `-`, `2.1` → `2.1.`)."""
    label = clean(label)
    if label in ("•", "–", "−", "", "o", "▪", "●"):
        return "-"
    return label
