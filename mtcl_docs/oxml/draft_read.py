"""Reading a hand-typed (or our own) DOCX as plain facts for `mtcl-docs import`: paragraphs with
their text, direct run formatting, alignment and indents, the label a Word list shows, text boxes,
tables on their grid with merges, sections and page setup, fonts and sizes used.

This is the one place the importer touches WordprocessingML; `mtcl_docs/draft/` works on the
dataclasses below only. Word lists are numbered here (numbering.xml: each level's format, text
and start) so that the importer sees `1.`, `a)`, `-` as a clerk sees them on screen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Length

from mtcl_docs.numerals import roman
from mtcl_docs.oxml.resolve import Resolver, _draws_line

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TXBX = qn("w:txbxContent")
P, TBL, TR, TC, R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
TWIPS_PER_MM = 56.6929
# Bullet glyphs of Word lists (Symbol, Wingdings, plain) read as the dash Vietnamese texts use.
BULLETS = {"•", "", "▪", "◦", "o", "§", "●", "■", "–", "—", "-", "−", "√"}


@dataclass
class DraftRun:
    """A piece of text and its direct formatting (what the clerk set, not the style's)."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    link: str | None = None


@dataclass
class DraftPara:
    """One paragraph as read: text (tabs kept as `\\t`), runs, look, and where it stands."""

    text: str
    runs: list[DraftRun]
    align: str = "left"  # left, center, right, both
    left_mm: float = 0.0
    first_line_mm: float = 0.0
    right_mm: float = 0.0
    bold: bool = False  # every letter is bold as Word shows it (style or direct)
    italic: bool = False
    style: str | None = None
    list_label: str | None = None  # the label a Word list shows (`1.`, `a)`, `-`)
    list_level: int | None = None
    page_break_before: bool = False
    page_break_after: bool = False  # a page break typed after the text (LibreOffice writes so)
    section_end: bool = False
    box: int | None = None  # index of the text box holding it
    rule: bool = False  # a bottom border or drawn line (the rule under a heading)
    fonts: tuple[str, ...] = ()
    sizes: tuple[float, ...] = ()


@dataclass
class DraftCell:
    """A table cell on the grid: its paragraphs, columns covered, and vertical merge."""

    paras: list[DraftPara]
    span: int = 1
    vmerge: str | None = None  # "restart", "continue" or None
    valign: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


@dataclass
class DraftRow:
    cells: list[DraftCell]
    header: bool = False
    min_height_mm: float | None = None
    cant_split: bool = False


@dataclass
class DraftTable:
    """A table: grid column widths (mm) and rows."""

    grid_mm: list[float]
    rows: list[DraftRow]
    borders: bool = True
    section: int = 0


@dataclass
class DraftSection:
    """Page setup of one section."""

    width_mm: float
    height_mm: float
    margins_mm: dict[str, float]

    @property
    def landscape(self) -> bool:
        return self.width_mm > self.height_mm


@dataclass
class DraftFile:
    """Everything the importer reads from one DOCX, in reading order."""

    path: Path
    items: list[DraftPara | DraftTable]
    sections: list[DraftSection]
    fonts: Counter = field(default_factory=Counter)  # letters per font
    sizes: Counter = field(default_factory=Counter)  # letters per size (pt)
    margin_texts: list[str] = field(default_factory=list)  # page headers and footers' text


class DraftReadError(ValueError):
    """A file Word's format reader cannot open (not a DOCX, damaged)."""


def read_draft(path: Path) -> DraftFile:
    """The facts of a DOCX file; raises DraftReadError when it is not one."""
    try:
        document = open_docx(str(path))
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DraftReadError(f"{path}: không mở được như tệp Word .docx ({exc})") from exc
    return _Reader(document, path).read()


def _on(el) -> bool:
    return el is not None and el.get(qn("w:val"), "true") not in ("0", "false", "off", "none")


def _mm(twips: str | None) -> float:
    try:
        return float(twips) / TWIPS_PER_MM if twips else 0.0
    except ValueError:
        return 0.0


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


class _Lists:
    """Word's list numbering: each list's levels from numbering.xml, counted as paragraphs come."""

    def __init__(self, document: Document):
        self.levels: dict[str, dict[int, _Level]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counts: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    int(start.get(qn("w:val"), "1")) if start is not None else 1,
                )
            abstracts[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            levels = dict(abstracts.get(ref.get(qn("w:val")), {}))
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and ilvl in levels:
                    lv = levels[ilvl]
                    levels[ilvl] = _Level(lv.fmt, lv.text, int(start.get(qn("w:val"), "1")))
            num_id = num.get(qn("w:numId"))
            self.levels[num_id] = levels
            # lists sharing one abstract definition count together (Word's behaviour)
            self.abstract_of[num_id] = ref.get(qn("w:val"))

    def label(self, num_id: str, ilvl: int) -> str | None:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return None
        key = num_id
        counts = self.counts.setdefault(key, [0] * 9)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        lv = levels[ilvl]
        if lv.fmt == "bullet":
            glyph = lv.text.strip()
            return "+" if glyph == "+" else "-" if glyph in BULLETS or not glyph else glyph
        text = lv.text
        for k in range(ilvl, -1, -1):
            level = levels.get(k)
            if level is None:
                continue
            n = counts[k] + level.start - 1 if k == ilvl else max(counts[k], 1) + level.start - 1
            text = text.replace(f"%{k + 1}", _format(n, level.fmt))
        return text.strip() or None


class _Reader:
    def __init__(self, document: Document, path: Path):
        self.document = document
        self.path = path
        self.resolver = Resolver(document)
        self.lists = _Lists(document)
        self.links = {
            rid: rel.target_ref for rid, rel in document.part.rels.items() if rel.is_external
        }
        self.boxes = 0
        self.section = 0
        self.fonts: Counter = Counter()
        self.sizes: Counter = Counter()
        self.style_names = {
            s.get(qn("w:styleId")): (s.find(qn("w:name")).get(qn("w:val")) if s.find(qn("w:name")) is not None else None)
            for s in document.styles.element.findall(qn("w:style"))
        }  # fmt: skip

    def read(self) -> DraftFile:
        items: list[DraftPara | DraftTable] = []
        for child in self.document.element.body:
            if child.tag == P:
                items.extend(self._paragraph_and_boxes(child))
            elif child.tag == TBL:
                items.append(self._table(child))
        sections = [
            DraftSection(
                _len_mm(s.page_width), _len_mm(s.page_height),
                {"top": _len_mm(s.top_margin), "bottom": _len_mm(s.bottom_margin),
                 "left": _len_mm(s.left_margin), "right": _len_mm(s.right_margin)},
            )
            for s in self.document.sections
        ]  # fmt: skip
        return DraftFile(self.path, items, sections, self.fonts, self.sizes, self._margins())

    def _margins(self) -> list[str]:
        """Text typed in page headers and footers (a page number alone is not text)."""
        out: list[str] = []
        for section in self.document.sections:
            for part in (section.header, section.first_page_header, section.even_page_header,
                         section.footer, section.first_page_footer, section.even_page_footer):  # fmt: skip
                if part.is_linked_to_previous:
                    continue
                for p in part._element.iter(P):
                    text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))).split())
                    if text and not text.isdigit() and text not in out:
                        out.append(text)
        return out

    # -- paragraphs ----------------------------------------------------------------------------

    def _paragraph_and_boxes(self, p) -> list[DraftPara]:
        """The text boxes anchored in `p` (each box's paragraphs, marked with its number), then
        `p` itself; a box drawn twice (DrawingML and its VML fallback) is read once."""
        out = []
        for box in p.iter(TXBX):
            if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
                continue
            number = self.boxes
            self.boxes += 1
            for inner in box.iter(P):
                para = self._paragraph(inner)
                para.box = number
                out.append(para)
        out.append(self._paragraph(p))
        return out

    def _runs(self, p) -> list[DraftRun]:
        runs: list[DraftRun] = []

        def take(r, link: str | None) -> None:
            rpr = r.find(qn("w:rPr"))
            bold = italic = underline = False
            if rpr is not None:
                bold = _on(rpr.find(qn("w:b")))
                italic = _on(rpr.find(qn("w:i")))
                u = rpr.find(qn("w:u"))
                underline = u is not None and u.get(qn("w:val"), "single") != "none"
            text = ""
            for el in r:
                if el.tag == qn("w:t"):
                    text += el.text or ""
                elif el.tag == qn("w:tab"):
                    text += "\t"
                elif el.tag in (qn("w:br"), qn("w:cr")):
                    if el.get(qn("w:type")) not in ("page", "column"):
                        text += "\n"
                elif el.tag == qn("w:noBreakHyphen"):
                    text += "-"
            if text:
                runs.append(DraftRun(text, bold, italic, underline, link))

        def walk(parent, link: str | None) -> None:
            for el in parent:
                if el.tag == R:
                    take(el, link)
                elif el.tag == qn("w:hyperlink"):
                    rid = el.get(qn("r:id"))
                    walk(el, self.links.get(rid) if rid else None)
                elif el.tag in (qn("w:ins"), qn("w:smartTag"), qn("w:fldSimple"),
                                qn("w:customXml"), qn("w:sdt"), qn("w:sdtContent")):  # fmt: skip
                    walk(el, link)

        walk(p, None)
        return runs

    def _paragraph(self, p) -> DraftPara:
        facts = self.resolver.paragraph(p, "body")
        runs = self._runs(p)
        text = "".join(r.text for r in runs)
        ppr = p.find(qn("w:pPr"))
        style_id = None
        page_break = False
        label = level = None
        if ppr is not None:
            st = ppr.find(qn("w:pStyle"))
            style_id = st.get(qn("w:val")) if st is not None else None
            page_break = _on(ppr.find(qn("w:pageBreakBefore")))
        num = self._num_pr(ppr, style_id)
        if num is not None and text.strip():
            label = self.lists.label(*num)
            level = num[1]
        break_after = False
        if any(br.get(qn("w:type")) == "page" for br in p.iter(qn("w:br"))):
            page_break = page_break or not text.strip() or _break_first(p)
            break_after = not page_break
        letters = [r for r in facts.runs if r.text.strip()]
        fonts, sizes = [], []
        for r in letters:
            count = len(r.text.strip())
            if r.font:
                self.fonts[r.font] += count
                fonts.append(r.font)
            if r.size:
                self.sizes[r.size] += count
                sizes.append(r.size)
        section_end = ppr is not None and ppr.find(qn("w:sectPr")) is not None
        if section_end:
            self.section += 1
        return DraftPara(
            text=text,
            runs=runs,
            align=facts.align or "left",
            left_mm=facts.left_mm,
            first_line_mm=facts.first_line_mm,
            right_mm=facts.right_mm,
            bold=bool(letters) and all(r.bold for r in letters),
            italic=bool(letters) and all(r.italic for r in letters),
            style=self.style_names.get(style_id) if style_id else None,
            list_label=label,
            list_level=level,
            page_break_before=page_break,
            page_break_after=break_after,
            section_end=section_end,
            rule=facts.border_bottom or _draws_line(p),
            fonts=tuple(sorted(set(fonts))),
            sizes=tuple(sorted(set(sizes))),
        )

    def _num_pr(self, ppr, style_id: str | None) -> tuple[str, int] | None:
        """(list id, level) of a Word list paragraph: its own numPr, or its style's."""
        holders = [ppr] if ppr is not None else []
        holders += [s.find(qn("w:pPr")) for s in self.resolver._chain(style_id)]
        for holder in holders:
            if holder is None:
                continue
            num = holder.find(qn("w:numPr"))
            if num is None:
                continue
            num_id = num.find(qn("w:numId"))
            ilvl = num.find(qn("w:ilvl"))
            if num_id is None or num_id.get(qn("w:val")) == "0":
                return None
            return num_id.get(qn("w:val")), int(
                ilvl.get(qn("w:val"), "0")
            ) if ilvl is not None else 0
        return None

    # -- tables --------------------------------------------------------------------------------

    def _table(self, tbl) -> DraftTable:
        grid = [_mm(c.get(qn("w:w"))) for c in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        rows = []
        for tr in tbl.findall(TR):
            trpr = tr.find(qn("w:trPr"))
            header = trpr is not None and _on(trpr.find(qn("w:tblHeader")))
            cant = trpr is not None and _on(trpr.find(qn("w:cantSplit")))
            height = trpr.find(qn("w:trHeight")) if trpr is not None else None
            min_h = _mm(height.get(qn("w:val"))) if height is not None else None
            cells = []
            for tc in tr.findall(TC):
                tcpr = tc.find(qn("w:tcPr"))
                span, vmerge, valign = 1, None, None
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    span = int(gs.get(qn("w:val"), "1")) if gs is not None else 1
                    vm = tcpr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = vm.get(qn("w:val"), "continue")
                    va = tcpr.find(qn("w:vAlign"))
                    valign = va.get(qn("w:val")) if va is not None else None
                paras = []
                for child in tc:
                    if child.tag == P:
                        paras.extend(self._paragraph_and_boxes(child))
                    elif child.tag == TBL:  # a table in a cell: its text, row by row
                        inner = self._table(child)
                        paras.extend(p for row in inner.rows for c in row.cells for p in c.paras)
                cells.append(DraftCell(paras, span, vmerge, valign))
            rows.append(DraftRow(cells, header, min_h, cant))
        borders = _has_borders(tbl, self.document)
        return DraftTable(grid, rows, borders, self.section)


def _break_first(p) -> bool:
    """A page break typed before the paragraph's text (the text starts a new page)."""
    for el in p.iter(qn("w:t"), qn("w:br")):
        if el.tag == qn("w:br"):
            return el.get(qn("w:type")) == "page"
        if (el.text or "").strip():
            return False
    return False


def _len_mm(length: Length | None) -> float:
    return round(length.mm, 1) if length is not None else 0.0


def _has_borders(tbl, document: Document) -> bool:
    """Whether the table draws lines (its own borders or its style's), as a header table does not."""
    for cell_borders in tbl.iter(qn("w:tcBorders")):  # borders set cell by cell (LibreOffice)
        if any(b.get(qn("w:val")) not in (None, "nil", "none") for b in cell_borders):
            return True
    tblpr = tbl.find(qn("w:tblPr"))
    if tblpr is None:
        return False
    borders = tblpr.find(qn("w:tblBorders"))
    if borders is None:
        style = tblpr.find(qn("w:tblStyle"))
        if style is None:
            return False
        for s in document.styles.element.findall(qn("w:style")):
            if s.get(qn("w:styleId")) == style.get(qn("w:val")):
                spr = s.find(qn("w:tblPr"))
                borders = spr.find(qn("w:tblBorders")) if spr is not None else None
                break
    if borders is None:
        return False
    return any(b.get(qn("w:val")) not in (None, "nil", "none") for b in borders)
