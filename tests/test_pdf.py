"""End to end: the seed to PDF in both profiles, as the archive receives it."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

A4 = (595.3, 841.9)


@pytest.fixture(scope="session", params=["4275", "4275-truong-mau"])
def pdf(request, seed_build):
    return seed_build[request.param].pdf


def _size(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width), float(box.height)


def test_pages_are_a4_with_a_landscape_appendix(pdf):
    pages = PdfReader(pdf).pages
    assert len(pages) >= 3
    for page in pages[:-1]:
        assert _size(page) == pytest.approx(A4, abs=1)
    assert _size(pages[-1]) == pytest.approx(A4[::-1], abs=1)


def test_every_font_is_embedded_liberation_serif(pdf):
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values()), fonts
    assert all("LiberationSerif" in name for name in fonts)


def _text(pdf) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def test_party_pdf_holds_the_seed_lines_with_diacritics(seed_build):
    text = _text(seed_build["4275"].pdf)
    for line in (
        "Số 4275-TB/HVBCTT",
        "Hà Nội, ngày 12 tháng 9 năm 2022",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "MỤC TIÊU CỤ THỂ",
        "Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo",
        "Phạm Minh Sơn",
        "Lưu VT, TTKT&ĐBCLĐT.",
    ):
        assert line in text, line


def test_nd30_pdf_holds_quoc_hieu_and_state_number(seed_build):
    text = _text(seed_build["4275-truong-mau"].pdf)
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 4275/TB-ĐHM",
        "Hà Nội, ngày 12 tháng 9 năm 2022",
        "MỤC TIÊU CỤ THỂ",
        "Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo",
    ):
        assert line in text, line


def test_page_one_has_no_number_and_page_two_has_2(seed_build):
    reader = PdfReader(seed_build["4275"].pdf)
    first_lines = reader.pages[0].extract_text().strip().splitlines()
    second_lines = reader.pages[1].extract_text().strip().splitlines()
    assert first_lines[0] != "1"
    assert second_lines[0].strip() == "2"


def test_no_soffice_is_left_running(seed_build):
    running = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if b"mtcl-pdf-" in cmdline.read_bytes():  # our pool's soffice, by its profile folder
                running.append(cmdline)
        except OSError:
            continue
    assert running == []
