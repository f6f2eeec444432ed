"""Header columns sized from the text they print, so a name set on two lines stays on two lines.

The profile's `header_columns_mm` is the preferred split. Each line the header prints (each
explicit line of the superior body and issuing body, the number, the national name, motto and
date) is measured in the font LibreOffice uses (`textwidth`), at its role's size and weight; a
column needs its widest line plus the cell margins and `SAFETY_MM`. When the left column's lines
would wrap, it is widened just enough, if the right column then still holds its own widest line
within the content width; otherwise the profile's split stays (and the long line wraps).

Measured against LibreOffice 7.4's PDF (pdftotext -bbox): the computed widths of the seed's
header lines are 0.1–0.2 pt wider than what LibreOffice lays out (it uses no kerning here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.document import Document
from docx.shared import Twips
from docx.table import Table

from mtcl_docs.oxml.body import style_id
from mtcl_docs.oxml.cells import horizontal_margins
from mtcl_docs.oxml.styles import role_styles
from mtcl_docs.oxml.tables import column_paragraphs, set_column_widths
from mtcl_docs.profiles import Profile
from mtcl_docs.render.textwidth import PT_PER_MM, text_width_pt

SAFETY_MM = 0.5  # LibreOffice rounds positions to twips; Word's layout differs a little more
# Lines that must not wrap; others in the header (a công văn's `V/v …`, a draft mark) may.
MEASURED_ROLES = {"superior", "issuer", "issuer_mark", "number", "national", "motto", "date"}


@dataclass(frozen=True)
class HeaderFit:
    """What the header's columns need and what they were given, in mm."""

    preferred: tuple[float, float]
    needed: tuple[float, float]
    widths: tuple[float, float]

    @property
    def widened(self) -> bool:
        return self.widths != self.preferred


def split(
    preferred: tuple[float, float], needed: tuple[float, float], total: float
) -> tuple[float, float]:
    """The columns: the profile's when its left column holds its lines; the left column widened
    to what it needs when the right one still holds its own; else the profile's again."""
    left, right = preferred
    need_left, need_right = needed
    if need_left <= left or need_left + need_right > total:
        return left, right
    return need_left, round(total - need_left, 1)


def header_needs(document: Document, table: Table, profile: Profile) -> tuple[float, float]:
    """Width in mm each of the two columns needs for its widest measured line."""
    roles = role_styles(document)
    margin_left, margin_right = horizontal_margins(table)
    margins_mm = Twips(margin_left + margin_right).mm
    widest = [0.0, 0.0]
    for column, paragraph in column_paragraphs(table):
        if column > 1:
            continue
        role = roles.get(style_id(paragraph))
        look = profile.roles.get(role) if role in MEASURED_ROLES else None
        if look is None:
            continue
        for line in paragraph.text.split("\n"):
            width = text_width_pt(line.rstrip(), profile.font, look.size, look.bold, look.italic)
            widest[column] = max(widest[column], width)
    return tuple(  # type: ignore[return-value]
        _ceil_tenth(w / PT_PER_MM + margins_mm + SAFETY_MM) if w else 0.0 for w in widest
    )


def fit_header_columns(document: Document, table: Table, profile: Profile) -> HeaderFit:
    """Set the header table's two column widths from its text (see the module's docstring)."""
    page = profile.page
    total = page.width_mm - page.margins_mm.left - page.margins_mm.right
    preferred = tuple(profile.header_columns_mm)
    needed = header_needs(document, table, profile)
    widths = split(preferred, needed, total)  # type: ignore[arg-type]
    set_column_widths(table, widths)
    return HeaderFit(preferred, needed, widths)  # type: ignore[arg-type]


def _ceil_tenth(mm: float) -> float:
    return math.ceil(round(mm * 10, 6)) / 10
