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


SEED_LINES = {
    "4275": [
        "Số 4275-TB/HVBCTT",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Phạm Minh Sơn",
        "Lưu VT, TTKT&ĐBCLĐT.",
    ],
    "4275-truong-mau": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 4275/TB-ĐHM",
    ],
}
BOTH = [
    "Hà Nội, ngày 12 tháng 9 năm 2022",
    "MỤC TIÊU CỤ THỂ",
    "Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo",
]


@pytest.mark.parametrize("doc_id", sorted(SEED_LINES))
def test_pdf_text_holds_the_seed_lines_with_diacritics(seed_build, doc_id):
    text = _text(seed_build[doc_id].pdf)
    for line in SEED_LINES[doc_id] + BOTH:
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
