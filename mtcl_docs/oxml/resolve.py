"""Formatting as Word resolves it, for any DOCX: run → character style → paragraph style chain →
document defaults, with theme fonts looked up in the theme part."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property

from docx.document import Document
from docx.oxml.ns import qn as _qn
from lxml import etree

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PRST_GEOM = A + "prstGeom"
V_LINE = "{urn:schemas-microsoft-com:vml}line"
LINE_SHAPES = {"line", "straightConnector1"}


@cache
def qn(tag: str) -> str:
    """`w:sz` → Clark notation, computed once per tag (the checker asks for it very often)."""
    return _qn(tag)


def _draws_line(p) -> bool:
    """A drawn line in the paragraph (how Word users often make the rule under a heading)."""
    return any(
        el.tag == V_LINE or el.get("prst") in LINE_SHAPES for el in p.iter(PRST_GEOM, V_LINE)
    )


TOGGLES = ("b", "i", "caps")


def _on(el) -> bool:
    return el.get(qn("w:val"), "true") not in ("0", "false", "off", "none")


@dataclass
class RunFacts:
    """One run's text and resolved character formatting."""

    text: str
    size: float | None
    bold: bool
    italic: bool
    underline: bool
    caps: bool
    font: str | None
    color: str | None


@dataclass
class ParaFacts:
    """One paragraph: text, where it is, and resolved paragraph and run formatting."""

    text: str
    where: str  # "body", "table:T:R:C", "header"
    runs: list[RunFacts]
    align: str | None
    first_line_mm: float
    left_mm: float
    right_mm: float
    space_after_pt: float | None
    line_rule: str | None
    line_value: float | None  # points (exact/atLeast) or lines (auto)
    border_top: bool
    border_bottom: bool
    has_drawing_line: bool
    element: object = field(repr=False, default=None)

    def text_runs(self) -> list[RunFacts]:
        return [r for r in self.runs if r.text.strip()]

    def all(self, attr: str) -> bool:
        runs = self.text_runs()
        return bool(runs) and all(getattr(r, attr) for r in runs)

    def any(self, attr: str) -> bool:
        return any(getattr(r, attr) for r in self.text_runs())

    def sizes(self) -> set[float]:
        return {r.size for r in self.text_runs() if r.size is not None}


class Resolver:
    """Looks properties up the way Word does, for one document."""

    def __init__(self, document: Document):
        self.document = document
        styles = document.styles.element
        self.styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        defaults = styles.find(qn("w:docDefaults"))
        self.default_rpr = (
            defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        )
        self.default_ppr = (
            defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}") if defaults is not None else None
        )
        self._props: dict[tuple[str | None, str], list] = {}
        self._merged: dict[tuple[str | None, str | None], dict] = {}
        self._merged_ppr: dict[str | None, tuple[dict, list]] = {}
        self.default_pstyle = next(
            (
                sid
                for sid, s in self.styles.items()
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )

    @cached_property
    def theme_fonts(self) -> dict[str, str]:
        """minorHAnsi → the theme's minor Latin font (Calibri in Word's default theme), etc."""
        fonts: dict[str, str] = {}
        part = self.document.part
        for rel in part.rels.values():
            if rel.reltype.endswith("/theme"):
                root = etree.fromstring(rel.target_part.blob)
                for kind in ("major", "minor"):
                    latin = root.find(f".//{A}{kind}Font/{A}latin")
                    if latin is not None:
                        name = latin.get("typeface")
                        fonts.update(
                            {
                                f"{kind}HAnsi": name,
                                f"{kind}Ascii": name,
                                f"{kind}Bidi": name,
                                f"{kind}EastAsia": name,
                            }
                        )
        return fonts

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None

    def _style_props(self, style_id: str | None, tag: str) -> list:
        """The `w:rPr` or `w:pPr` of a style and its bases, nearest first (once per style)."""
        key = (style_id, tag)
        if key not in self._props:
            self._props[key] = [
                x for s in self._chain(style_id) if (x := s.find(qn(tag))) is not None
            ]
        return self._props[key]

    def _styled_rpr(self, pstyle: str | None, rstyle: str | None) -> dict:
        """Run properties from the run style, paragraph style and defaults, nearest winning;
        merged once per pair of styles, not once per run."""
        key = (pstyle, rstyle)
        merged = self._merged.get(key)
        if merged is None:
            sources = [
                *self._style_props(rstyle, "w:rPr"),
                *self._style_props(pstyle or self.default_pstyle, "w:rPr"),
                *([self.default_rpr] if self.default_rpr is not None else []),
            ]
            merged = {}
            for source in reversed(sources):
                merged.update((child.tag, child) for child in source)
            self._merged[key] = merged
        return merged

    def run(self, r, pstyle: str | None) -> RunFacts:
        rpr = r.find(qn("w:rPr"))
        rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
        found = self._styled_rpr(pstyle, rstyle.get(qn("w:val")) if rstyle is not None else None)
        if rpr is not None:
            found = {**found, **{child.tag: child for child in rpr}}
        pieces = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
        text = "".join(
            (el.text or "") if el.tag == qn("w:t") else pieces.get(el.tag, "") for el in r
        )
        size = found.get(qn("w:sz"))
        fonts = found.get(qn("w:rFonts"))
        font = None
        if fonts is not None:
            font = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
            theme = fonts.get(qn("w:asciiTheme")) or fonts.get(qn("w:hAnsiTheme"))
            if theme:
                font = self.theme_fonts.get(theme, f"(phông chủ đề {theme})")
        underline = found.get(qn("w:u"))
        color = found.get(qn("w:color"))
        flags = {}
        for tag in TOGGLES:
            el = found.get(qn(f"w:{tag}"))
            flags[tag] = el is not None and _on(el)
        return RunFacts(
            text=text,
            size=int(size.get(qn("w:val"))) / 2 if size is not None else None,
            bold=flags["b"],
            italic=flags["i"],
            underline=underline is not None and underline.get(qn("w:val"), "single") != "none",
            caps=flags["caps"],
            font=font,
            color=color.get(qn("w:val")) if color is not None else None,
        )

    def _styled_ppr(self, pstyle: str | None) -> tuple[dict, list]:
        """Paragraph properties of a style and the defaults, nearest winning, and their spacing
        elements nearest first (spacing is resolved attribute by attribute); once per style."""
        merged = self._merged_ppr.get(pstyle)
        if merged is None:
            sources = [*self._style_props(pstyle or self.default_pstyle, "w:pPr")]
            if self.default_ppr is not None:
                sources.append(self.default_ppr)
            found: dict = {}
            for source in reversed(sources):
                found.update((child.tag, child) for child in source)
            spacing = [x for s in sources if (x := s.find(qn("w:spacing"))) is not None]
            merged = self._merged_ppr[pstyle] = (found, spacing)
        return merged

    def paragraph(self, p, where: str) -> ParaFacts:
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        pstyle = style.get(qn("w:val")) if style is not None else None
        found, spacing = self._styled_ppr(pstyle)
        if ppr is not None:
            found = {**found, **{child.tag: child for child in ppr}}
            own = ppr.find(qn("w:spacing"))
            spacing = spacing if own is None else [own, *spacing]
        runs = [self.run(r, pstyle) for r in p.iter(qn("w:r"))]
        text = "".join(r.text for r in runs)
        jc = found.get(qn("w:jc"))
        ind = found.get(qn("w:ind"))
        after = next(
            (s.get(qn("w:after")) for s in spacing if s.get(qn("w:after")) is not None), None
        )
        line_el = next((s for s in spacing if s.get(qn("w:line")) is not None), None)
        rule, value = None, None
        if line_el is not None:
            rule = line_el.get(qn("w:lineRule"), "auto")
            raw = int(line_el.get(qn("w:line")))
            value = raw / 240 if rule == "auto" else raw / 20
        first = 0.0
        if ind is not None and ind.get(qn("w:firstLine")):
            first = int(ind.get(qn("w:firstLine"))) / 56.6929
        borders = found.get(qn("w:pBdr"))
        left, right = (_indent_mm(ind, a, b) for a, b in (("left", "start"), ("right", "end")))
        return ParaFacts(
            text=text,
            where=where,
            runs=runs,
            align=jc.get(qn("w:val")) if jc is not None else "left",
            first_line_mm=first,
            left_mm=left,
            right_mm=right,
            space_after_pt=int(after) / 20 if after is not None else None,
            line_rule=rule,
            line_value=value,
            border_top=borders is not None and borders.find(qn("w:top")) is not None,
            border_bottom=borders is not None and borders.find(qn("w:bottom")) is not None,
            has_drawing_line=_draws_line(p),
            element=p,
        )


def _indent_mm(ind, side: str, alias: str) -> float:
    """An indent side in mm (`w:left` or its newer name `w:start`); a measure with units counts
    as some indent."""
    if ind is None:
        return 0.0
    value = ind.get(qn(f"w:{side}")) or ind.get(qn(f"w:{alias}"))
    try:
        return float(value) / 56.6929 if value else 0.0
    except ValueError:
        return 1.0
