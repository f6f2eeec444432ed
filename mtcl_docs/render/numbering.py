"""The body as a tree, numbered: each level's style (`I.`, `1.`, `1.1.`, `a)`, `-`, Chương, Điều…)
comes from the kind's table or the document, and a label written in the data is kept as printed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mtcl_docs.blocks import Block, Para, Span, Table
from mtcl_docs.load.model import (
    BodyBlock,
    Bullets,
    Center,
    Heading,
    Item,
    NumberedList,
    PageBreak,
    Quote,
    Steps,
)
from mtcl_docs.load.table_model import TableBlock, TableSpec
from mtcl_docs.numerals import roman
from mtcl_docs.render.markup import spans

LETTERS = "abcdđeghiklmnopqrstuvxy"  # điểm a), b), … đ), e) (NĐ 30 PL I §V)
ORDINALS = ("nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười")


def letter(n: int) -> str:
    return LETTERS[(n - 1) % len(LETTERS)] * ((n - 1) // len(LETTERS) + 1)


@dataclass(frozen=True)
class LevelStyle:
    """How one level is numbered and set."""

    label: Callable[[int, str], str]  # (n, the parent's label) → this label
    block: bool = False  # Phần/Chương/Mục: label centred, title in capitals on the next line
    caps: bool = False  # the title is printed in capitals
    continuous: bool = False  # counted through the whole text (Điều, Chương), not per parent
    bold_label: bool = False  # the label is bold even without a title (Điều 1.)


def _decimal(n: int, parent: str) -> str:
    core = parent.rstrip(".")
    return f"{core}.{n}." if core.replace(".", "").isdigit() else f"{n}."


STYLES: dict[str, LevelStyle] = {
    "I.": LevelStyle(lambda n, _: f"{roman(n)}.", caps=True),
    "I-": LevelStyle(lambda n, _: f"{roman(n)}-", caps=True),
    "1.": LevelStyle(lambda n, _: f"{n}."),
    "1-": LevelStyle(lambda n, _: f"{n}-"),
    "1.1.": LevelStyle(_decimal),
    "a)": LevelStyle(lambda n, _: f"{letter(n)})"),
    "(1)": LevelStyle(lambda n, _: f"({n})"),
    "-": LevelStyle(lambda n, _: "-"),
    "+": LevelStyle(lambda n, _: "+"),
    "Phần": LevelStyle(lambda n, _: f"Phần {roman(n)}", block=True, caps=True, continuous=True),
    "Phần thứ": LevelStyle(
        lambda n, _: f"Phần thứ {ORDINALS[n - 1] if n <= len(ORDINALS) else n}",
        block=True,
        caps=True,
        continuous=True,
    ),  # fmt: skip
    "Chương": LevelStyle(lambda n, _: f"Chương {roman(n)}", block=True, caps=True, continuous=True),
    "Mục": LevelStyle(lambda n, _: f"Mục {n}", block=True, caps=True),
    "Điều": LevelStyle(lambda n, _: f"Điều {n}.", continuous=True, bold_label=True),
}


class NumberingError(ValueError):
    """A numbering style no table knows."""


def level_style(token: str) -> LevelStyle:
    try:
        return STYLES[token]
    except KeyError:
        raise NumberingError(f'không có cách đánh số "{token}" (có: {", ".join(STYLES)})') from None


@dataclass
class _Counters:
    levels: Sequence[str]
    running: dict[str, int]  # continuous styles, counted through the text
    tables: Tables | None = None
    table_count: int = 0

    def style_at(self, depth: int, own: str | None) -> str:
        return own or self.levels[min(depth, len(self.levels) - 1)]


Tables = Callable[[TableSpec, int], Table]  # a clerk's table (and its number) → the printed one


def number_body(blocks: Sequence[BodyBlock], levels: Sequence[str],
                tables: Tables | None = None) -> list[Block]:  # fmt: skip
    """The body's paragraphs and tables, in order, each paragraph numbered for its level."""
    for token in levels:
        level_style(token)
    out: list[Block] = []
    _walk(blocks, 0, "", _Counters(levels, {}, tables), out)
    return out


def count_top(blocks: Sequence[BodyBlock], levels: Sequence[str], token: str) -> int:
    """How many numbered blocks of style `token` the body has, wherever they sit (Điều …)."""
    total = 0
    counters = _Counters(levels, {})

    def walk(items: Sequence[BodyBlock], depth: int) -> None:
        nonlocal total
        for block in items:
            if isinstance(block, Heading | Item):
                total += counters.style_at(depth, block.style) == token
                walk(block.body, depth + 1)

    walk(blocks, 0)
    return total


def _walk(blocks: Sequence[BodyBlock], depth: int, parent: str, c: _Counters, out: list[Block]):
    local: dict[str, int] = {}
    for block in blocks:
        if isinstance(block, Heading | Item):
            token = c.style_at(depth, block.style)
            style = level_style(token)
            counts = c.running if style.continuous else local
            if block.label:  # kept as printed; the automatic count goes on without it
                label = block.label
            else:
                counts[token] = counts.get(token, 0) + 1
                label = style.label(counts[token], parent)
            out.extend(_numbered(block, label, style))
            _walk(block.body, depth + 1, label, c, out)
        elif isinstance(block, NumberedList):
            token = c.style_at(depth, block.style)
            style = level_style(token)
            for entry in block.entries:
                local[token] = local.get(token, 0) + 1
                out.append(_para([Span(style.label(local[token], parent) + " "), *spans(entry)]))
        elif isinstance(block, Steps):
            out.extend(
                _para(spans(f"{block.prefix}{i}. {s}")) for i, s in enumerate(block.steps, 1)
            )
        elif isinstance(block, Bullets):
            out.extend(_para(spans(f"- {b}")) for b in block.bullets)
        elif isinstance(block, Center):
            out.append(Para("body_center", tuple(spans(block.center))))
        elif isinstance(block, Quote):
            out.append(Para("quote", tuple(spans(block.quote))))
        elif isinstance(block, PageBreak):
            out.append(Para("body", (), page_break_before=True))
        elif isinstance(block, TableBlock):
            c.table_count += 1
            if c.tables is None:
                raise NumberingError("bảng không dùng được ở chỗ này")
            out.append(c.tables(block.table, c.table_count))
        else:
            out.append(_para(spans(block)))


def _para(runs: Sequence[Span], keep_next: bool = False) -> Para:
    return Para("body", tuple(runs), keep_next=keep_next)


def _numbered(block: Heading | Item, label: str, style: LevelStyle) -> list[Para]:
    """`Chương I` over its title, or one paragraph: a bold label and title, then the text."""
    if isinstance(block, Heading):
        title = block.heading.upper() if style.caps else block.heading
        if style.block:
            paras = [
                Para("chapter", (Span(label, bold=True),), keep_next=True),
                Para("chapter", tuple(spans(title, bold=True)), keep_next=True),
            ]
            if block.text:
                paras.append(_para(spans(block.text)))
            return paras
        runs = [Span(label + " ", bold=True), *spans(title, bold=True)]
        if block.text:
            runs += [Span(" "), *spans(block.text)]
        return [_para(runs, keep_next=not block.text or bool(block.body))]
    if style.block:
        return [Para("chapter", (Span(label, bold=True),), keep_next=True),
                Para("chapter", tuple(spans(block.item)), keep_next=True)]  # fmt: skip
    return [_para([Span(label + " ", bold=style.bold_label), *spans(block.item)])]
