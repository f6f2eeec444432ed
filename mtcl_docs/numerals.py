"""Roman numerals: headings (I., Phần I, Chương I) are written with them, and Word lists in a
draft count with them; one way to write them for both."""

from __future__ import annotations

ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(n: int) -> str:
    """`n` (from 1) in capital Roman numerals."""
    out = ""
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out
