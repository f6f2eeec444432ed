"""Times New Roman's metric twin (Liberation Serif) embedded for the signature stamp's text.

pyHanko's own font engine writes a /W array that disagrees with the embedded glyphs
(PDFA2B-TRUETYPE-GLYPH-WIDTH-001) and spreads Vietnamese letters apart, so the stamp brings its
own: a TrueType subset that keeps the font's glyph ids (CID = GID), the width of every glyph
used, and a ToUnicode map so the text extracts with its diacritics."""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


class MissingGlyph(ValueError):
    """A character the font cannot draw: the stamp would lose a letter."""


@dataclass
class StampFont:
    """One embedded font for one stamp: the glyph id of each character it shows."""

    ref: generic.IndirectObject
    glyphs: dict[str, int]  # character → glyph id (= CID)

    def encode(self, text: str) -> bytes:
        """The text as a PDF hex string of two-byte CIDs (Identity-H)."""
        text = unicodedata.normalize("NFC", text)
        return b"<" + "".join(f"{self.glyphs[c]:04X}" for c in text).encode() + b">"


@functools.cache
def _face(path: Path) -> ttLib.TTFont:
    return ttLib.TTFont(path)


def _glyphs(text: str, path: Path) -> tuple[dict[str, int], dict[int, int]]:
    """Glyph id of each character of `text` and the width of each glyph (1/1000 em)."""
    font = _face(path)
    cmap = font.getBestCmap()
    chars = sorted(set(unicodedata.normalize("NFC", text)))
    missing = [c for c in chars if ord(c) not in cmap]
    if missing:
        raise MissingGlyph(f"phông {path.name} không có chữ {''.join(missing)!r}")
    order = font.getGlyphOrder()
    glyphs = {c: font.getGlyphID(cmap[ord(c)]) for c in chars}
    scale = 1000 / font["head"].unitsPerEm
    return glyphs, {g: round(font["hmtx"][order[g]][0] * scale) for g in glyphs.values()}


def text_width(text: str, size: float, path: Path = SERIF) -> float:
    """How wide `text` is at `size` points in the font."""
    glyphs, widths = _glyphs(text, path)
    return sum(widths[glyphs[c]] for c in unicodedata.normalize("NFC", text)) * size / 1000


def embed(writer: BasePdfFileWriter, text: str, path: Path = SERIF) -> StampFont:
    """A Type 0 font holding just the glyphs of `text`, added to `writer`."""
    glyphs, widths = _glyphs(text, path)
    font = _face(path)
    cmap = font.getBestCmap()
    chars = sorted(glyphs)
    order = font.getGlyphOrder()
    scale = 1000 / font["head"].unitsPerEm
    program = _subset(path, [cmap[ord(c)] for c in chars])
    tag = "".join(
        chr(ord("A") + b % 26) for b in hashlib.sha256(program).digest()[:6]
    )  # subset prefix, stable for the same glyphs
    name = pdf_name(f"/{tag}+{font['name'].getDebugName(6)}")
    descriptor = _descriptor(font, name, writer.add_object(_stream(program, Length1=len(program))))
    cid_font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
            pdf_name("/BaseFont"): name,
            pdf_name("/CIDSystemInfo"): generic.DictionaryObject(
                {
                    pdf_name("/Registry"): generic.TextStringObject("Adobe"),
                    pdf_name("/Ordering"): generic.TextStringObject("Identity"),
                    pdf_name("/Supplement"): generic.NumberObject(0),
                }
            ),
            pdf_name("/FontDescriptor"): writer.add_object(descriptor),
            pdf_name("/CIDToGIDMap"): pdf_name("/Identity"),
            pdf_name("/DW"): generic.NumberObject(round(font["hmtx"][order[0]][0] * scale)),
            pdf_name("/W"): generic.ArrayObject(
                item
                for gid in sorted(widths)
                for item in (
                    generic.NumberObject(gid),
                    generic.ArrayObject([generic.NumberObject(widths[gid])]),
                )
            ),
        }
    )
    type0 = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/Type0"),
            pdf_name("/BaseFont"): name,
            pdf_name("/Encoding"): pdf_name("/Identity-H"),
            pdf_name("/DescendantFonts"): generic.ArrayObject([writer.add_object(cid_font)]),
            pdf_name("/ToUnicode"): writer.add_object(_stream(_to_unicode(glyphs))),
        }
    )
    return StampFont(writer.add_object(type0), glyphs)


def _subset(path: Path, names: list[str]) -> bytes:
    """The font program with only `names` drawn, glyph ids unchanged (so CID = GID holds)."""
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.layout_features = []
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "DSIG"]
    font = ttLib.TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(glyphs=names)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _descriptor(font: ttLib.TTFont, name, program) -> generic.DictionaryObject:
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    scale = 1000 / head.unitsPerEm

    def number(value: float) -> generic.NumberObject:
        return generic.NumberObject(round(value * scale))

    return generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): name,
            pdf_name("/Flags"): generic.NumberObject(4 | 2),  # symbolic (CIDs), serif
            pdf_name("/FontBBox"): generic.ArrayObject(
                number(v) for v in (head.xMin, head.yMin, head.xMax, head.yMax)
            ),
            pdf_name("/ItalicAngle"): generic.NumberObject(0),
            pdf_name("/Ascent"): number(hhea.ascent),
            pdf_name("/Descent"): number(hhea.descent),
            pdf_name("/CapHeight"): number(getattr(os2, "sCapHeight", hhea.ascent)),
            pdf_name("/StemV"): generic.NumberObject(80),
            pdf_name("/FontFile2"): program,
        }
    )


def _to_unicode(glyphs: dict[str, int]) -> bytes:
    """A CMap from each CID back to its character (UTF-16BE), for copying and `pdftotext`."""
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    pairs = sorted((gid, char) for char, gid in glyphs.items())
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode("ascii")


def _stream(data: bytes, **entries: int) -> generic.StreamObject:
    stream = generic.StreamObject(
        {pdf_name(f"/{k}"): generic.NumberObject(v) for k, v in entries.items()},
        stream_data=data,
    )
    stream.compress()
    return stream
