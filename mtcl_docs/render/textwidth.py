"""How wide a line of text is in the font LibreOffice will use, to size rules under it."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache, lru_cache

from fontTools.ttLib import TTFont

PT_PER_MM = 72 / 25.4  # a point is 1/72 inch
AVERAGE_EM = 0.5  # width of an average character, in ems, when no font file is found


@cache
def _font(family: str, bold: bool, italic: bool) -> TTFont | None:
    """The font file fontconfig picks for `family` (Times New Roman → Liberation Serif)."""
    if not shutil.which("fc-match"):
        return None
    style = ":".join(s for s, on in (("bold", bold), ("italic", italic)) if on)
    pattern = f"{family}:{style}" if style else family
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=False
    ).stdout.strip()
    if not found.lower().endswith((".ttf", ".otf")):
        return None
    return TTFont(found, lazy=True)


@lru_cache(maxsize=4096)
def text_width_pt(text: str, family: str, size: float, bold: bool, italic: bool) -> float:
    """Advance width of `text` at `size` points (no kerning: rules need not be exact); the same
    header and titles recur in every document of an organisation, so widths are remembered."""
    font = _font(family, bold, italic)
    if font is None:
        return len(text) * size * AVERAGE_EM
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    per_em = font["head"].unitsPerEm
    default = per_em * AVERAGE_EM
    units = sum(metrics[cmap[ord(ch)]][0] if ord(ch) in cmap else default for ch in text)
    return units / per_em * size
