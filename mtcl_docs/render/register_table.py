"""The table of the printed register book: the ten columns of NĐ 30 Phụ lục IV (mục I.2) with the
`(1)`…`(10)` row under them, made by the one table block (`render/tables.py`).

Its widths come from what the book holds, measured in the font LibreOffice prints with: no header
word, no date and no number-and-symbol is broken inside its cell, Ký nhận has room to sign, and the
rest of the landscape page goes to the columns of running text (the trích yếu first), whose text
wraps between words."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mtcl_docs.blocks import Table
from mtcl_docs.load.table_model import TableCell, TableColumn, TableSpec
from mtcl_docs.number.export import COLUMNS
from mtcl_docs.render.tables import (
    CELL_MARGINS_MM,
    PT_PER_MM,
    TableError,
    TablePage,
    table_block,
)
from mtcl_docs.render.textwidth import text_width_pt

SYMBOL, DATE, SUBJECT, SIGNER, RECIPIENTS, FILING, COPIES, SENT, RECEIVED, NOTE = range(10)
ALIGNS = ("left", "center", "left", "left", "left", "left", "center", "center", "left", "left")

SIZES_PT = (11.0, 10.5, 10.0)  # offices print registers at 10–11 pt: the largest that fits
SAMPLE_DATE = "30/12/2026"  # the date columns are written by hand too (Ngày chuyển): always room
SAFETY_MM = 0.5  # our advance widths and LibreOffice's line breaking may differ by a hair

# Ký nhận is signed by hand when the document leaves: a short signature is some 20 mm wide and
# 10 mm tall, so the column is at least 25 mm (20 mm of writing inside the cell's 3.8 mm of
# margins) and a data row at least 12 mm, however short its text.
SIGN_MM = 25.0
SIGN_ROW_MM = 12.0
# The columns of running text wrap between words and share what the others leave.
TEXT = (SUBJECT, SIGNER, RECIPIENTS, FILING, NOTE)
# Below 40 mm a trích yếu of 100–150 characters runs past six lines; Ghi chú is written in by
# hand (`Đã thu hồi`, `Chuyển lại`), 15 mm holds a word or two.
TEXT_LEAST_MM = {SUBJECT: 40.0, NOTE: 15.0}
EMPTY_SHARE = {SUBJECT: 3.0, RECIPIENTS: 2.0}  # a book with no running text at all


@dataclass(frozen=True)
class BookLayout:
    """The book's font size and column widths (mm, in the order of `COLUMNS`)."""

    size_pt: float
    widths_mm: tuple[float, ...]


@dataclass(frozen=True)
class _Need:
    width_mm: float
    word: str  # what sets it, named when the book cannot fit


def _mm(text: str, font: str, size: float, bold: bool, italic: bool) -> float:
    return text_width_pt(text, font, size, bold, italic) / PT_PER_MM


def _needs(rows: Sequence[Sequence[str]], page: TablePage, size: float) -> list[_Need]:
    """The least width of each column: its widest header word (in the header's look), word of
    data, or date, with the cell's margins; rounded up to half a millimetre."""
    font, head = page.profile.font, page.profile.roles["table_header"]
    widest: list[tuple[float, str]] = []
    for i, header in enumerate(COLUMNS):
        words = [(_mm(w, font, size, head.bold, head.italic), w) for w in header.split()]
        if i in (DATE, SENT):
            words.append((_mm(SAMPLE_DATE, font, size, False, False), SAMPLE_DATE))
        widest.append(max(words))
    for row in rows:
        for i, text in enumerate(row):
            for word in set(text.split()):
                width = _mm(word, font, size, False, False)
                if width > widest[i][0]:
                    widest[i] = (width, word)
    return [_Need(math.ceil((w + CELL_MARGINS_MM + SAFETY_MM) * 2) / 2, word) for w, word in widest]


def _volumes(rows: Sequence[Sequence[str]], page: TablePage, size: float) -> dict[int, float]:
    """How much text each column of running text holds: its mean length on one line (mm)."""
    font, count = page.profile.font, max(len(rows), 1)
    return {
        i: sum(_mm(" ".join(row[i].split()), font, size, False, False) for row in rows) / count
        for i in TEXT
    }


def book_layout(rows: Sequence[Sequence[str]], page: TablePage) -> BookLayout:
    """Widths for the largest size in `SIZES_PT` at which the book fits across `page`.

    Every column is at least as wide as its widest header word, word of data, date or number and
    symbol (`_needs`), Ký nhận `SIGN_MM`, the trích yếu and Ghi chú `TEXT_LEAST_MM`. The short
    columns (number and symbol, the dates, Số lượng bản, Ký nhận) keep that width; the columns of
    running text share the rest in proportion to the text they hold, so that they run to about
    as many lines as each other and the rows are as short as the page allows: the trích yếu and
    Nơi nhận take most of it. A book that fits at no size is an error naming what is too long."""
    room = page.width_mm
    for size in SIZES_PT:
        needs = _needs(rows, page, size)
        widths = [n.width_mm for n in needs]
        widths[RECEIVED] = max(widths[RECEIVED], SIGN_MM)
        for i, least in TEXT_LEAST_MM.items():
            widths[i] = max(widths[i], least)
        if sum(widths) > room:
            continue
        volumes = _volumes(rows, page, size)
        if not any(volumes.values()):
            volumes = {i: EMPTY_SHARE.get(i, 0.0) for i in TEXT}
        shared = _share(room - sum(w for i, w in enumerate(widths) if i not in TEXT),
                        {i: widths[i] for i in TEXT}, volumes)  # fmt: skip
        widths = [shared.get(i, w) for i, w in enumerate(widths)]
        return BookLayout(size, tuple(math.floor(w * 10) / 10 for w in widths))
    raise TableError(_too_wide(needs, widths, room, size))


def _share(room: float, least: dict[int, float], volumes: dict[int, float]) -> dict[int, float]:
    """`room` across the text columns: each `CELL_MARGINS_MM` plus a part of its text's length
    (the same part for all), never below its least width. The part is found by halving."""

    def widths(part: float) -> dict[int, float]:
        return {i: max(least[i], CELL_MARGINS_MM + part * volumes[i]) for i in least}

    low, high = 0.0, room / min(v for v in volumes.values() if v > 0)
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if sum(widths(middle).values()) < room else (low, middle)
    return widths(low)


def _too_wide(needs: list[_Need], widths: list[float], room: float, size: float) -> str:
    shown = " + ".join(f"{w:g}" for w in widths)
    longest = sorted(range(len(needs)), key=lambda i: -needs[i].width_mm)[:2]
    named = "; ".join(
        f"cột ({i + 1}) «{needs[i].word}» cần {needs[i].width_mm:g} mm" for i in longest
    )
    return (
        f"sổ đăng ký văn bản đi không vừa trang ngang ({room:g} mm) cả ở cỡ chữ {size:g}: "
        f"các cột cần {shown} = {sum(widths):g} mm ({named}); "
        f"mỗi chữ, ngày và số, ký hiệu phải nằm trọn trong ô, Ký nhận cần {SIGN_MM:g} mm để ký"
    )


def register_table(rows: Sequence[Sequence[str]], page: TablePage) -> Table:
    """The printed table of a book: `rows` are the ten cells of each line (`RegisterRow.cells`)."""
    layout = book_layout(rows, page)
    spec = TableSpec(
        name="sổ đăng ký văn bản đi",
        columns=[
            TableColumn(header=header, width=width, align=align)
            for header, width, align in zip(COLUMNS, layout.widths_mm, ALIGNS, strict=True)
        ],
        header=[list(COLUMNS), [TableCell(text=f"({i})") for i in range(1, len(COLUMNS) + 1)]],
        rows=[[_literal(text) for text in row] for row in rows],
        size=layout.size_pt,
    )
    table = table_block(spec, page)
    return replace(table, rows=tuple(
        row if row.header else replace(row, min_height_mm=SIGN_ROW_MM) for row in table.rows
    ))  # fmt: skip


def _literal(text: str) -> str:
    """The register's text as recorded: a star is a star, not the table's italic mark."""
    return text.replace("*", "\\*")
