"""Names as people type them, compared and turned into file names: `Học viện Báo chí`,
`HOC VIEN  BAO CHI` and `học viện báo chí` are one name (units in returned plans, issuing bodies
in Word drafts), and `Trường Đại học Mẫu` is `truong-dai-hoc-mau` as a file name."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """An accent- and case-insensitive key: no diacritics, đ→d, single spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def slug(text: str) -> str:
    """A file name's letters: `Trường Đại học Mẫu` → `truong-dai-hoc-mau`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
