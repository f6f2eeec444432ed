"""The printed register book (issue 12, part 4): NĐ 30 Phụ lục IV's ten columns made by the one table
block, widths measured so that no header word, date or number-and-symbol breaks, room to sign in
Ký nhận, header on every page, rows never split, one book per series with its counts on the cover."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import paths
from docx import Document
from docx.oxml.ns import qn

from mtcl_docs import register_book
from mtcl_docs.convert.soffice import Converted
from mtcl_docs.number.export import COLUMNS
from mtcl_docs.number.register import EntryFields, Register, SeriesKey
from mtcl_docs.profiles import pick_profile
from mtcl_docs.register_book import export_book
from mtcl_docs.render.register_table import (
    DATE,
    RECEIVED,
    SENT,
    SIGN_MM,
    SYMBOL,
    book_layout,
)
from mtcl_docs.render.tables import CELL_MARGINS_MM, TableError, TablePage
from mtcl_docs.render.textwidth import PT_PER_MM, text_width_pt

LONG_SYMBOL = "215/HVBCTT-TTKT&ĐBCLĐT"  # a công văn with its drafting unit (NĐ 30 PL I §II.3)
DATE_RE = re.compile(r"\d{1,2}/\d{1,2}/\d*")


def _page(profile_name: str = "nd30") -> TablePage:
    profile = pick_profile(profile_name, dt.date(2026, 1, 1))
    return TablePage(profile.room_mm(landscape=True), profile, Path("so.yaml"), lambda _: None)


def _row(symbol: str, subject: str = "Thông báo V/v kế hoạch năm học") -> list[str]:
    return [symbol, "30/11/2026", subject, "Phạm Minh Sơn (Giám đốc)", "Các đơn vị",
            "Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo", "12", "", "", ""]  # fmt: skip


def _fits(text: str, width_mm: float, page: TablePage, size: float, bold: bool) -> bool:
    need = text_width_pt(text, page.profile.font, size, bold, False) / PT_PER_MM
    return need + CELL_MARGINS_MM <= width_mm


@pytest.mark.parametrize("symbol", ["01-TB/HVBCTT", LONG_SYMBOL])
def test_every_header_word_date_and_symbol_fits_its_column(symbol):
    page = _page()
    layout = book_layout([_row("02/TB-ĐHM"), _row(symbol)], page)
    widths, size = layout.widths_mm, layout.size_pt
    assert 10 <= size <= 11  # what offices print registers at
    assert sum(widths) <= page.width_mm + 0.01 and len(widths) == 10
    bold = page.profile.roles["table_header"].bold
    for header, width in zip(COLUMNS, widths, strict=True):
        for word in header.split():
            assert _fits(word, width, page, size, bold), (header, word, width)
    for column in (DATE, SENT):  # Ngày chuyển is written by hand: room for a date all the same
        assert _fits("30/11/2026", widths[column], page, size, False)
    assert _fits(symbol, widths[SYMBOL], page, size, False)
    assert widths[RECEIVED] >= SIGN_MM >= 25


def test_a_book_that_cannot_fit_is_a_clear_error():
    absurd = "01/" + "-".join(["TTKT&ĐBCLĐT"] * 8)
    with pytest.raises(TableError) as caught:
        book_layout([_row(absurd)], _page())
    message = str(caught.value)
    assert "không vừa trang ngang (252 mm) cả ở cỡ chữ 10" in message
    assert f"cột (1) «{absurd}»" in message


# -- books of a register -----------------------------------------------------------------------


def _fill(register: Register, org: str, scope: str, series: str, code: str, symbol: str,
          count: int, day: str, subject=lambda n: "Thông báo V/v kế hoạch") -> None:  # fmt: skip
    """`count` numbers of one series, given as the build gives them."""
    key = SeriesKey(org, scope, series)
    for i in range(count):
        doc_id = f"{org}-{scope}-{code}-{i}"
        register.allocate(key, doc_id, lambda n, doc_id=doc_id: EntryFields(
            org, doc_id, f"{doc_id}.yaml", code, symbol.format(n=n), day, subject(n),
            "Phạm Minh Sơn (Giám đốc)", "Các đơn vị (để triển khai)",
            "Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo", 12, "0" * 64,
        ))  # fmt: skip


def _cover(docx: Path) -> list[str]:
    return [p.text for p in Document(str(docx)).paragraphs if p.text.strip()]


@pytest.fixture
def no_pdf(monkeypatch):
    """The covers are read from the DOCX: PDF conversion is skipped (tested further down)."""

    def fake(sources, targets, **_):
        for target in targets:
            target.write_bytes(b"%PDF-")
        return [Converted(s, t) for s, t in zip(sources, targets, strict=True)]

    monkeypatch.setattr(register_book, "to_pdf", fake)
    monkeypatch.setattr(register_book, "pdfa_failures", lambda pdf: [])  # not a PDF, on purpose


def test_one_book_per_series_with_its_counts_on_the_cover(data_copy, tmp_path, no_pdf):
    p = paths(data_copy, tmp_path)
    with Register.open(p.register) as register:
        _fill(register, "hvbctt", "term:2020-06-01", "TB", "TB", "4275-TB/HVBCTT", 1, "2022-09-12")
        _fill(register, "truong-mau", "year:2022", "", "TB", "{n:02d}/TB-ĐHM", 2, "2022-09-12")
        _fill(
            register, "hvbctt", "term:2025-06-01", "TB", "TB", "{n:02d}-TB/HVBCTT", 3, "2026-03-02"
        )
        _fill(
            register, "hvbctt", "term:2025-06-01", "KH", "KH", "{n:02d}-KH/HVBCTT", 2, "2026-04-01"
        )
        register.cancel("hvbctt", "hvbctt-term:2025-06-01-TB-1", "Ban hành nhầm")

    written = export_book(p, "docx", org="hvbctt", book="02")
    folder = p.output / "so-dang-ky"
    assert [w.name for w in written if w.suffix == ".docx"] == [
        "so-dang-ky-hvbctt-nhiem-ky-2020-tb.docx",
        "so-dang-ky-hvbctt-nhiem-ky-2025-kh.docx",
        "so-dang-ky-hvbctt-nhiem-ky-2025-tb.docx",
    ]
    old_term = _cover(folder / "so-dang-ky-hvbctt-nhiem-ky-2020-tb.docx")
    assert "Nhiệm kỳ: từ ngày 01/06/2020 đến ngày 31/05/2025" in old_term
    assert "Từ số 01 đến số 01" in old_term and "Tổng số: 1 số đã cấp" in old_term
    plans = _cover(folder / "so-dang-ky-hvbctt-nhiem-ky-2025-kh.docx")
    for line in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Loại văn bản: Kế hoạch (KH)", "Nhiệm kỳ: từ ngày 01/06/2025",
                 "Từ ngày 01/04/2026 đến ngày 01/04/2026", "Từ số 01 đến số 02",
                 "Tổng số: 2 số đã cấp", "Quyển số: 02"):  # fmt: skip
        assert line in plans
    notices = _cover(folder / "so-dang-ky-hvbctt-nhiem-ky-2025-tb.docx")
    assert "Loại văn bản: Thông báo (TB)" in notices and "Từ số 01 đến số 03" in notices
    assert "Tổng số: 3 số đã cấp, trong đó 1 số đã hủy (số 02)" in notices
    book = Document(str(folder / "so-dang-ky-hvbctt-nhiem-ky-2025-tb.docx"))
    [table] = book.tables
    assert [r.cells[0].text for r in table.rows[2:]] == [
        "01-TB/HVBCTT",
        "02-TB/HVBCTT",
        "03-TB/HVBCTT",
    ]
    assert table.rows[3].cells[9].text == "Đã hủy: Ban hành nhầm"

    # a body under NĐ 30: one series a year for every type; the book is named by its year
    written = export_book(p, "docx", org="truong-mau")
    assert [w.name for w in written] == [
        "so-dang-ky-truong-mau-2022.docx",
        "so-dang-ky-truong-mau-2022.pdf",
    ]
    cover = _cover(written[0])
    assert "Năm: 2022" in cover and not any(line.startswith("Loại văn bản") for line in cover)

    # --file names one book; with several, each book's series follows its stem
    chosen = tmp_path / "in" / "so-2025.docx"
    written = export_book(p, "docx", org="hvbctt", year=2026, target=chosen)
    assert sorted(w.name for w in written if w.suffix == ".docx") == [
        "so-2025-nhiem-ky-2025-kh-nam-2026.docx", "so-2025-nhiem-ky-2025-tb-nam-2026.docx",
    ]  # fmt: skip


# -- the PDF: nothing broken, header on every page, rows whole ---------------------------------


def _pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """Each page's words (top, text) as LibreOffice laid them out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    word = re.compile(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>'
    )
    return [
        [(float(y), html.unescape(text)) for y, text in word.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def _subject(n: int) -> str:
    """A trích yếu of five or six lines, its first and last words marked with the number."""
    return (f"đầu{n:03d} Công văn V/v đề nghị các đơn vị rà soát, cập nhật chương trình đào tạo, "
            f"đề cương chi tiết học phần và kế hoạch giảng dạy học kỳ II năm học 2026 - 2027 "
            f"theo chuẩn đầu ra cuối{n:03d}")  # fmt: skip


def test_long_book_repeats_its_header_keeps_rows_whole_and_breaks_no_word(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    count = 40
    with Register.open(p.register) as register:
        _fill(register, "hvbctt", "term:2025-06-01", "CV", "CV", "{n:02d}/HVBCTT-TTKT&ĐBCLĐT",
              count, "2026-11-30", _subject)  # fmt: skip
    written = export_book(p, "docx", org="hvbctt")
    docx, pdf = written

    rows = Document(str(docx)).tables[0]._tbl.findall(qn("w:tr"))
    assert len(rows) == 2 + count
    for i, tr in enumerate(rows):
        props = tr.find(qn("w:trPr"))
        assert props.find(qn("w:cantSplit")) is not None  # no row split across pages
        assert (props.find(qn("w:tblHeader")) is not None) == (i < 2)  # both header rows repeat
        if i >= 2:  # room to sign: at least 12 mm tall (680 twips)
            assert int(props.find(qn("w:trHeight")).get(qn("w:val"))) >= 680

    pages = _pages(pdf)[1:]  # after the cover
    assert len(pages) >= 4, "forty rows of five lines take several pages"
    header_words = Counter(w for name in COLUMNS for w in name.split())
    seen_dates, seen_rows = 0, set()
    for number, words in enumerate(pages, 2):
        top = min(y for y, text in words if text == "(1)")
        above = Counter(t for y, t in words if y < top and not t.isdigit())
        assert above == header_words, f"trang {number}: tiêu đề bị ngắt hoặc thiếu: {above}"
        texts = [t for _, t in words]
        for text in texts:
            if DATE_RE.match(text):  # a date, or the start of one cut short
                assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", text), (
                    f"trang {number}: ngày bị ngắt «{text}»"
                )
                seen_dates += 1
        for n in range(1, count + 1):
            first, last = f"đầu{n:03d}" in texts, f"cuối{n:03d}" in texts
            assert first == last, f"trang {number}: hàng {n} bị chia sang trang khác"
            if first:
                assert f"{n:02d}/HVBCTT-TTKT&ĐBCLĐT" in texts, f"số, ký hiệu {n} bị ngắt"
                seen_rows.add(n)
    assert seen_rows == set(range(1, count + 1)) and seen_dates == count
