"""Where on the page the signature goes: found in the PDF itself, from the words' positions
(poppler's `pdftotext -bbox`), as a clerk would find it: the signer's name, and the title line
just above it in the same column; the images go in the space between the two."""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from mtcl_docs.render.textwidth import PT_PER_MM
from mtcl_docs.sign.appearance import Picture

XHTML = "{http://www.w3.org/1999/xhtml}"
SIGNATURE_MAX_MM = (50.0, 25.0)  # a handwritten signature's box when the image says no size


class PlaceError(ValueError):
    """The signer's block was not found in the PDF."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float  # from the page's top, as pdftotext gives it
    x1: float
    bottom: float


@dataclass(frozen=True)
class Page:
    index: int
    width: float
    height: float
    words: list[Word]


@dataclass(frozen=True)
class Placement:
    """The signature's box on a page (PDF points, origin bottom left) and what it draws."""

    page: int
    box: tuple[float, float, float, float]
    pictures: tuple[Picture, ...]


def pages(pdf: Path) -> list[Page]:
    """Every page's words with their boxes."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout
    found = []
    for i, page in enumerate(ET.fromstring(out).iter(f"{XHTML}page")):
        words = [
            Word(
                unicodedata.normalize("NFC", w.text or ""),
                float(w.get("xMin")),
                float(w.get("yMin")),
                float(w.get("xMax")),
                float(w.get("yMax")),
            )
            for w in page.iter(f"{XHTML}word")
        ]
        found.append(Page(i, float(page.get("width")), float(page.get("height")), words))
    return found


def _find_name(page: Page, name: list[str]) -> tuple[Word, Word] | None:
    """The first and last word of the last place `name` is written on the page, on one line."""
    words = page.words
    for start in range(len(words) - len(name), -1, -1):
        run = words[start : start + len(name)]
        if [w.text for w in run] == name and abs(run[0].top - run[-1].top) < 2:
            return run[0], run[-1]
    return None


def signer_gap(pdfs: list[Page], name: str) -> tuple[Page, float, float, float]:
    """The page, the name's centre (x) and the space above the name up to the title line:
    top and bottom, from the page's top."""
    wanted = unicodedata.normalize("NFC", name).split()
    for page in reversed(pdfs):
        found = _find_name(page, wanted)
        if found is None:
            continue
        first, last = found
        centre = (first.x0 + last.x1) / 2
        half = max((last.x1 - first.x0) / 2, 30)
        above = [
            w.bottom
            for w in page.words
            if w.bottom <= first.top and w.x1 > centre - half and w.x0 < centre + half
        ]
        top = max(above) if above else first.top - 25 * PT_PER_MM
        return page, centre, top, first.top
    raise PlaceError(f"không tìm thấy tên người ký «{name}» trong tệp PDF")


def _size_of(image: Path, limit: tuple[float, float]) -> tuple[float, float]:
    """The image's size in points: from its own resolution when it has one, else fitted into
    `limit` (points), keeping its proportions."""
    from PIL import Image

    with Image.open(image) as img:
        w, h = img.size
        dpi = img.info.get("dpi")
    if dpi and dpi[0] > 1 and dpi[1] > 1:
        return w / dpi[0] * 72, h / dpi[1] * 72
    scale = min(limit[0] / w, limit[1] / h)
    return w * scale, h * scale


def seal_placement(pdf: Path, name: str, seal: Path, seal_mm: float,
                   signature: Path | None) -> Placement:  # fmt: skip
    """The signature image centred between title and name, the seal at its real size over the
    left third of it (PL I §II.7.d, §II.8.a); without a signature image, the seal where the
    signature's left third would be."""
    page, centre, top, bottom = signer_gap(pages(pdf), name)
    gap = max(bottom - top, 10 * PT_PER_MM)
    if signature is not None:
        sig_w, sig_h = _size_of(signature, (SIGNATURE_MAX_MM[0] * PT_PER_MM, gap - 2))
    else:
        sig_w, sig_h = seal_mm * PT_PER_MM, gap
    middle = (top + bottom) / 2  # from the page's top
    sig_x, sig_y = centre - sig_w / 2, page.height - middle - sig_h / 2
    seal_w = seal_h = seal_mm * PT_PER_MM
    seal_x = sig_x + sig_w / 3 - seal_w  # its right edge a third into the signature
    seal_y = page.height - middle - seal_h / 2
    x0, y0 = min(sig_x, seal_x), min(sig_y, seal_y)
    x1, y1 = max(sig_x + sig_w, seal_x + seal_w), max(sig_y + sig_h, seal_y + seal_h)
    pictures = []
    if signature is not None:
        pictures.append(Picture(signature, sig_x - x0, sig_y - y0, sig_w, sig_h))
    pictures.append(Picture(seal, seal_x - x0, seal_y - y0, seal_w, seal_h))  # the seal on top
    return Placement(page.index, (x0, y0, x1, y1), tuple(pictures))


def corner_box(pdf: Path, size: tuple[float, float], margin_mm: float = 8.0) -> Placement:
    """The top right corner of the first page (PL I §II.8.b), inside the page's margin."""
    first = pages(pdf)[0]
    w, h = size
    x1, y1 = first.width - margin_mm * PT_PER_MM, first.height - margin_mm * PT_PER_MM
    return Placement(0, (x1 - w, y1 - h, x1, y1), ())
