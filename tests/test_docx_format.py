"""Each generated DOCX checked against the spec's rules (vn-admin-format.md §2, §3, §10)."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT as ALIGN
from docx.oxml.ns import qn
from docxfacts import find, font_value, has_rule_after, para_value, size_pt, text_runs, used_fonts


def mm(length) -> float:
    return round(length.mm, 1)


def test_a4_portrait_with_profile_margins_then_landscape_appendix(party_docx, nd30_docx):
    for document in (party_docx, nd30_docx):
        main, appendix = document.sections
        assert (mm(main.page_width), mm(main.page_height)) == (210.0, 297.0)
        assert main.orientation == WD_ORIENT.PORTRAIT
        assert [mm(main.top_margin), mm(main.bottom_margin)] == [20.0, 20.0]
        assert [mm(main.left_margin), mm(main.right_margin)] == [30.0, 15.0]
        assert appendix.orientation == WD_ORIENT.LANDSCAPE
        assert (mm(appendix.page_width), mm(appendix.page_height)) == (297.0, 210.0)


def test_only_times_new_roman_is_named(party_docx, nd30_docx):
    for document in (party_docx, nd30_docx):
        assert used_fonts(document) == {"Times New Roman"}


def test_party_header_block(party_docx):
    superior = find(party_docx, "HỌC VIỆN CHÍNH TRỊ QUỐC GIA\nHỒ CHÍ MINH")
    issuer = find(party_docx, "HỌC VIỆN BÁO CHÍ\nVÀ TUYÊN TRUYỀN")
    assert size_pt(superior) == 14 and not font_value(superior, "bold")
    assert size_pt(issuer) == 14 and font_value(issuer, "bold")
    star = find(party_docx, "*")
    assert para_value(star, "alignment") == ALIGN.CENTER
    number = find(party_docx, "Số 4275-TB/HVBCTT")
    assert size_pt(number) == 14 and not font_value(number, "bold")
    party = find(party_docx, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert size_pt(party) == 15 and font_value(party, "bold")
    assert has_rule_after(party)
    date = find(party_docx, "Hà Nội, ngày 12 tháng 9 năm 2022")
    assert font_value(date, "italic") and size_pt(date) == 14
    header_cells = party_docx.tables[0]
    left = header_cells.cell(0, 0).text
    assert left.index("TRUYỀN") < left.index("*")
    assert "CỘNG HÒA" not in "".join(c.text for c in header_cells._cells)


def test_nd30_header_block(nd30_docx):
    quoc_hieu = find(nd30_docx, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert size_pt(quoc_hieu) == 12 and font_value(quoc_hieu, "bold")
    tieu_ngu = find(nd30_docx, "Độc lập - Tự do - Hạnh phúc")
    assert size_pt(tieu_ngu) == 13 and font_value(tieu_ngu, "bold")
    assert has_rule_after(tieu_ngu)
    issuer = find(nd30_docx, "TRƯỜNG ĐẠI HỌC MẪU")
    assert size_pt(issuer) == 12 and font_value(issuer, "bold") and has_rule_after(issuer)
    number = find(nd30_docx, "Số: 4275/TB-ĐHM")
    date = find(nd30_docx, "Hà Nội, ngày 12 tháng 9 năm 2022")
    row = nd30_docx.tables[0].rows[1]
    assert number.text in row.cells[0].text and date.text in row.cells[1].text
    assert "*" not in [p.text for p in nd30_docx.tables[0].cell(0, 0).paragraphs]
    assert "ĐẢNG CỘNG SẢN" not in nd30_docx.tables[0].cell(0, 1).text


def test_title_and_subject(party_docx, nd30_docx):
    assert size_pt(find(party_docx, "THÔNG BÁO")) == 16
    assert size_pt(find(nd30_docx, "THÔNG BÁO")) == 14
    for document in (party_docx, nd30_docx):
        title = find(document, "THÔNG BÁO")
        assert font_value(title, "bold") and para_value(title, "alignment") == ALIGN.CENTER
        subject = find(document, "V/v xây dựng mục tiêu chất lượng")
        assert font_value(subject, "bold") and size_pt(subject) == 14
    assert find(party_docx, "-----") is not None
    assert has_rule_after(find(nd30_docx, "V/v xây dựng mục tiêu chất lượng"))


def test_body_is_14pt_justified_with_first_line_indent(party_docx, nd30_docx):
    for document in (party_docx, nd30_docx):
        body = find(document, "Học viện Báo chí và Tuyên truyền thông báo tới các đơn vị")
        assert size_pt(body) == 14
        assert para_value(body, "alignment") == ALIGN.JUSTIFY
        assert round(para_value(body, "first_line_indent").mm) == 10
        assert para_value(body, "space_after").pt >= 6


def test_numbered_headings_have_a_bold_lead_and_steps_are_numbered(party_docx):
    heading = find(party_docx, "1. Yêu cầu:")
    assert text_runs(heading)[0].bold
    deadline = text_runs(find(party_docx, "4. Thời gian hoàn thành"))
    assert deadline[0].bold and not deadline[-1].bold
    assert deadline[-1].text.endswith("trước ngày 31/10/2022.")
    assert find(party_docx, "B4. Lấy ý kiến góp ý").text.startswith("B4. ")
    assert find(party_docx, "Trân trọng!") is not None


def test_basis_lines_follow_each_profile(party_docx, nd30_docx):
    party_last = find(party_docx, "Căn cứ đề xuất của Giám đốc")
    assert party_last.text.endswith("đào tạo,") and not font_value(party_last, "italic")
    nd30_last = find(nd30_docx, "Căn cứ đề xuất của Giám đốc")
    assert nd30_last.text.endswith("đào tạo.") and font_value(nd30_last, "italic")


def test_signature_and_recipients(party_docx, nd30_docx):
    party_sign = party_docx.tables[1]
    label = find(party_docx, "Nơi nhận:")
    assert size_pt(label) == 14 and font_value(label, "underline") and not font_value(label, "bold")
    assert size_pt(find(party_docx, "- Các đơn vị (để triển khai);")) == 12
    assert find(party_docx, "- Lưu VT, TTKT&ĐBCLĐT.") is not None
    authority = find(party_docx, "GIÁM ĐỐC")
    assert font_value(authority, "bold") and authority.text in party_sign.cell(0, 1).text
    assert font_value(find(party_docx, "Phạm Minh Sơn"), "bold")

    label = find(nd30_docx, "Nơi nhận:")
    assert size_pt(label) == 12 and font_value(label, "bold") and font_value(label, "italic")
    assert size_pt(find(nd30_docx, "- Các đơn vị (để triển khai);")) == 11
    assert find(nd30_docx, "- Lưu: VT, TTKT&ĐBCLĐT.") is not None
    assert find(nd30_docx, "HIỆU TRƯỞNG") is not None


def _header_xml(section, first: bool) -> str:
    header = section.first_page_header if first else section.header
    return header._element.xml


def test_page_numbers_from_page_2_and_restart_in_appendix(party_docx):
    main, appendix = party_docx.sections
    assert main.different_first_page_header_footer
    assert "PAGE" in _header_xml(main, first=False)
    assert "PAGE" not in _header_xml(main, first=True)
    number = main.header.paragraphs[0]
    assert size_pt(number) == 14 and para_value(number, "alignment") == ALIGN.CENTER
    assert appendix.different_first_page_header_footer
    start = appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
    assert start == "1"


def test_appendix_table_matches_the_seed(party_docx, nd30_docx):
    assert find(party_docx, "PHỤ LỤC") is not None
    assert find(nd30_docx, "Phụ lục") is not None
    reference = find(nd30_docx, "(Kèm theo Thông báo số 4275/TB-ĐHM ngày 12 tháng 9 năm 2022")
    assert font_value(reference, "italic")
    table = party_docx.tables[-1]
    top = [c.text for c in table.rows[0].cells]
    assert top == [
        "TT", "MỤC TIÊU CỤ THỂ", "KẾ HOẠCH THỰC HIỆN", "THỜI GIAN THỰC HIỆN (Tháng/Năm)",
        "THỜI GIAN THỰC HIỆN (Tháng/Năm)", "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "GHI CHÚ",
    ]  # fmt: skip
    second = [c.text for c in table.rows[1].cells]
    assert second[3:5] == ["BẮT ĐẦU", "KẾT THÚC"]
    assert second[0] == "TT" and second[7] == "GHI CHÚ"  # merged down from row 1
    assert [r.cells[0].text for r in table.rows[2:]] == ["1", "...", "n"]


def test_every_style_a_document_names_is_defined_in_it(party_docx, nd30_docx):
    """Templates carry only the styles they use, so an appendix's table grid must travel with it."""
    for document in (party_docx, nd30_docx):
        defined = {s.get(qn("w:styleId")) for s in document.styles.element.iter(qn("w:style"))}
        named = {e.get(qn("w:val")) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
                 for e in document.element.body.iter(qn(tag))}  # fmt: skip
        assert named and named <= defined, named - defined


def test_appendix_table_has_grid_borders(party_docx, nd30_docx):
    for document in (party_docx, nd30_docx):
        table = document.tables[-1]  # the appendix's plan table
        borders = table.style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
        assert borders is not None and borders.find(qn("w:insideH")) is not None
