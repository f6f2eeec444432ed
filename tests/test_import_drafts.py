"""Import of drafts typed in ways tests/clerk_drafts.py does not cover: a header of plain
paragraphs one under the other, Word's Heading styles for the sections, the signing side in a
table with Nơi nhận typed under it, a date whose day is left blank for the signing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN

from mtcl_docs.draft.importer import import_draft

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data" / "orgs", tmp_path / "data" / "orgs")
    (tmp_path / "data" / "notices").mkdir()
    return tmp_path / "data"


def _para(doc, text: str, bold: bool | None = None, align=None, style: str | None = None):
    p = doc.add_paragraph(style=style)
    p.add_run(text).bold = bold
    if align is not None:
        p.alignment = align
    return p


def test_header_typed_as_paragraphs_one_under_another(data, tmp_path):
    doc = Document()
    _para(doc, "BỘ GIÁO DỤC VÀ ĐÀO TẠO", align=ALIGN.CENTER)
    _para(doc, "TRƯỜNG ĐẠI HỌC MẪU", True, ALIGN.CENTER)
    _para(doc, "Số: 45/TB-ĐHM", align=ALIGN.CENTER)
    _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, ALIGN.CENTER)
    _para(doc, "Độc lập - Tự do - Hạnh phúc", True, ALIGN.CENTER)
    _para(doc, "Hà Nội, ngày 5 tháng 3 năm 2026", align=ALIGN.RIGHT)
    _para(doc, "THÔNG BÁO", True, ALIGN.CENTER)
    _para(doc, "Về việc nghỉ Tết Nguyên đán", True, ALIGN.CENTER)
    _para(doc, "-----------", align=ALIGN.CENTER)
    _para(doc, "Nhà trường thông báo lịch nghỉ như sau:")
    _para(doc, "1. Thời gian nghỉ: từ ngày 10/02/2026 đến hết ngày 20/02/2026.")
    _para(doc, "2. Các đơn vị bố trí trực theo quy định.")
    _para(doc, "Nơi nhận:\t\t\tHIỆU TRƯỞNG", True)
    _para(doc, "- Các đơn vị;")
    _para(doc, "- Lưu: VT, HCTH.")
    _para(doc, "\t\t\t\tTrần Thị Mẫu")
    draft = tmp_path / "tb.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert got.org.id == "truong-mau" and got.kind.id == "thong-bao"
    assert got.data["number"] == 45 and got.data["date"] == dt.date(2026, 3, 5)
    assert got.data["subject"] == "Về việc nghỉ Tết Nguyên đán"
    assert got.data["body"] == [
        "Nhà trường thông báo lịch nghỉ như sau:",
        {"item": "Thời gian nghỉ: từ ngày 10/02/2026 đến hết ngày 20/02/2026."},
        {"item": "Các đơn vị bố trí trực theo quy định."},
    ]
    assert got.data["recipients"] == ["Các đơn vị"]
    assert got.data["filing_unit"] == "HCTH"
    assert got.data["signer"] == "giam-doc"
    assert not got.unplaced


def test_heading_styles_signer_table_and_a_blank_day(data, tmp_path):
    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "TRƯỜNG ĐẠI HỌC MẪU"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số:     /KH-ĐHM"
    _para(doc, "Hà Nội, ngày      tháng 3 năm 2026", align=ALIGN.RIGHT)
    _para(doc, "KẾ HOẠCH", True, ALIGN.CENTER)
    _para(doc, "Tổ chức hội nghị", True, ALIGN.CENTER)
    _para(doc, "I. MỤC ĐÍCH", style="Heading 1")
    _para(doc, "Tổ chức hội nghị đúng kế hoạch.")
    _para(doc, "II. TỔ CHỨC THỰC HIỆN", style="Heading 1")
    _para(doc, "Phòng Đào tạo chủ trì.")
    sign = doc.add_table(rows=1, cols=2)
    sign.cell(0, 1).text = "HIỆU TRƯỞNG\n\n\nTrần Thị Mẫu"
    for p in sign.cell(0, 1).paragraphs:
        for run in p.runs:
            run.bold = p.text.isupper() or None
    _para(doc, "Nơi nhận:", True)
    _para(doc, "- Các đơn vị;")
    _para(doc, "- Lưu: VT, ĐT.")
    draft = tmp_path / "kh.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert got.kind.id == "ke-hoach" and "number" not in got.data  # a draft: no number yet
    assert got.data["date"] == dt.date(2026, 3, 1)
    assert [why for _, why in got.unplaced] == [
        "không đọc được ngày văn bản: lấy 01/03/2026, hãy sửa date:"
    ]
    assert got.data["body"] == [
        {"heading": "MỤC ĐÍCH", "body": ["Tổ chức hội nghị đúng kế hoạch."]},
        {"heading": "TỔ CHỨC THỰC HIỆN", "body": ["Phòng Đào tạo chủ trì."]},
    ]
    assert got.data["signer"] == "giam-doc"
    assert got.data["recipients"] == ["Các đơn vị"] and got.data["filing_unit"] == "ĐT"


def test_nothing_centred_and_no_signature(data, tmp_path):
    """Everything typed flush left (columns by tabs), no signing side: the trích yếu is still the
    line under the title, and the missing signer is said, not guessed."""
    doc = Document()
    for text in [
        "TRƯỜNG ĐẠI HỌC MẪU\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "\t\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 3/TB-ĐHM\t\tHà Nội, ngày 02 tháng 3 năm 2026",
        "THÔNG BÁO",
        "Về việc họp",
        "Kính gửi: Các đơn vị",
        "Nhà trường tổ chức họp vào ngày 5/3/2026.",
    ]:
        doc.add_paragraph(text)
    draft = tmp_path / "tb.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert got.data["subject"] == "Về việc họp"
    assert got.data["kinh_gui"] == ["Các đơn vị"]
    assert got.data["body"] == ["Nhà trường tổ chức họp vào ngày 5/3/2026."]
    assert [text for text, _ in got.unplaced] == ["(người ký)"]


def test_an_appendix_typed_after_the_signature_without_a_section_break(data, tmp_path):
    """`PHỤ LỤC` after Nơi nhận on a new page (a page break, not a section break): an appendix,
    its table read too; nothing under the signature is lost."""
    doc = Document()
    header = doc.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "TRƯỜNG ĐẠI HỌC MẪU"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 7/TB-ĐHM"
    header.cell(1, 1).text = "Hà Nội, ngày 02 tháng 3 năm 2026"
    _para(doc, "THÔNG BÁO", True, ALIGN.CENTER)
    _para(doc, "Lịch trực Tết", True, ALIGN.CENTER)
    _para(doc, "Nhà trường thông báo lịch trực tại Phụ lục kèm theo.")
    _para(doc, "Nơi nhận:\t\t\tHIỆU TRƯỞNG", True)
    _para(doc, "- Các đơn vị;")
    _para(doc, "- Lưu: VT, HCTH.")
    _para(doc, "\t\t\t\tTrần Thị Mẫu")
    label = _para(doc, "PHỤ LỤC", True, ALIGN.CENTER)
    label.paragraph_format.page_break_before = True
    _para(doc, "LỊCH TRỰC TẾT NGUYÊN ĐÁN", True, ALIGN.CENTER)
    table = doc.add_table(rows=3, cols=3)
    table.style = "Table Grid"
    for r, row in enumerate([["Ngày", "Người trực", "Đơn vị"], ["10/02", "Nguyễn Văn A", "HCTH"],
                             ["11/02", "Trần Thị B", "ĐT"]]):  # fmt: skip
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    draft = tmp_path / "tb.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert got.data["body"] == ["Nhà trường thông báo lịch trực tại Phụ lục kèm theo."]
    assert got.data["signer"] == "giam-doc" and got.data["filing_unit"] == "HCTH"
    [appendix] = got.data["appendices"]
    assert appendix["title"] == ["LỊCH TRỰC TẾT NGUYÊN ĐÁN"]
    assert appendix["orientation"] == "portrait"
    rows = appendix["body"][0]["table"]["rows"]
    assert rows[-1] == ["11/02", "Trần Thị B", "ĐT"]
    assert not got.unplaced


def test_kinh_gui_typed_in_a_borderless_table(data, tmp_path):
    doc = Document()
    for text in [
        "TRƯỜNG ĐẠI HỌC MẪU\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "\t\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 3/ĐHM-ĐT\t\tHà Nội, ngày 02 tháng 3 năm 2026",
        "V/v lịch họp",
    ]:
        doc.add_paragraph(text)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Kính gửi:"
    table.cell(0, 1).text = "- Phòng Đào tạo;\n- Phòng Hành chính - Tổng hợp."
    for text in ["Nhà trường tổ chức họp vào ngày 5/3/2026.", "Nơi nhận:\t\t\tHIỆU TRƯỞNG",
                 "- Như trên;", "- Lưu: VT, ĐT.", "\t\t\t\tTrần Thị Mẫu"]:  # fmt: skip
        doc.add_paragraph(text)
    draft = tmp_path / "cv.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert got.kind.id == "cong-van" and got.data["subject"] == "V/v lịch họp"
    assert got.data["kinh_gui"] == ["Phòng Đào tạo", "Phòng Hành chính - Tổng hợp"]
    assert got.data["drafting_unit"] == "ĐT" and "recipients" not in got.data  # Như trên: auto
    assert got.data["body"] == ["Nhà trường tổ chức họp vào ngày 5/3/2026."]


def test_a_typed_invitation_gives_its_fields(data, tmp_path):
    """A giấy mời typed without the body's name before `trân trọng kính mời`: the form's lines
    still give the fields (invitee, event, time, place)."""
    doc = Document()
    for text in [
        "TRƯỜNG ĐẠI HỌC MẪU\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "\t\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 9/GM-ĐHM\t\tHà Nội, ngày 02 tháng 3 năm 2026",
    ]:
        doc.add_paragraph(text)
    _para(doc, "GIẤY MỜI", True, ALIGN.CENTER)
    _para(doc, "Họp giao ban tháng 3", True, ALIGN.CENTER)
    for text in ["Trân trọng kính mời: Trưởng các đơn vị", "Tới dự họp giao ban tháng 3/2026.",
                 "Thời gian: 8 giờ 00, ngày 05/3/2026.", "Địa điểm: Phòng họp số 1, nhà A.",
                 "Nơi nhận:\t\t\tHIỆU TRƯỞNG", "- Như thành phần mời;", "- Lưu: VT, HCTH.",
                 "\t\t\t\tTrần Thị Mẫu"]:  # fmt: skip
        doc.add_paragraph(text)
    draft = tmp_path / "gm.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert got.kind.id == "giay-moi"
    assert got.data["fields"] == {
        "invitee": "Trưởng các đơn vị",
        "event": "họp giao ban tháng 3/2026.",
        "time": "8 giờ 00, ngày 05/3/2026.",
        "place": "Phòng họp số 1, nhà A.",
    }
    assert "body" not in got.data and got.data["recipients"] == ["Như thành phần mời"]


def test_text_in_the_page_header_is_reported(data, tmp_path):
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Dự thảo lần 2 - gửi xin ý kiến"
    for text in [
        "TRƯỜNG ĐẠI HỌC MẪU\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "\t\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 3/ĐHM-ĐT\t\tHà Nội, ngày 02 tháng 3 năm 2026",
        "V/v lịch họp",
        "Kính gửi: Phòng Đào tạo",
        "Nhà trường tổ chức họp vào ngày 5/3/2026.",
    ]:
        doc.add_paragraph(text)
    draft = tmp_path / "cv.docx"
    doc.save(str(draft))
    got = import_draft(draft, data)
    assert ("Dự thảo lần 2 - gửi xin ý kiến") in [text for text, _ in got.unplaced]
