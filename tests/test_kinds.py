"""Every kind of document as data: its table, its parts in order, where and how each is set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES
from docx import Document
from docx.shared import Mm
from docxfacts import font_value, para_value

from mtcl_docs.build import Paths, build
from mtcl_docs.kinds import KindError, find_kind, kinds_in
from mtcl_docs.load.loader import load_document, load_org

STATE_KINDS = {
    "nghi-quyet": "NQ", "quyet-dinh": "QĐ", "chi-thi": "CT", "quy-che": "QC", "quy-dinh": "QyĐ",
    "thong-cao": "TC", "thong-bao": "TB", "huong-dan": "HD", "chuong-trinh": "CTr",
    "ke-hoach": "KH", "phuong-an": "PA", "de-an": "ĐA", "du-an": "DA", "bao-cao": "BC",
    "bien-ban": "BB", "to-trinh": "TTr", "hop-dong": "HĐ", "cong-van": None, "cong-dien": "CĐ",
    "ban-ghi-nho": "BGN", "ban-thoa-thuan": "BTT", "giay-uy-quyen": "GUQ", "giay-moi": "GM",
    "giay-gioi-thieu": "GGT", "giay-nghi-phep": "GNP", "phieu-gui": "PG", "phieu-chuyen": "PC",
    "phieu-bao": "PB", "thu-cong": None,
}  # fmt: skip
PARTY_ONLY = {"ket-luan": "KL", "thong-tri": "TT", "cong-van": "CV", "quy-dinh": "QĐ"}


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Document]:
    """Every example under data/ as DOCX (the format checker's verdict is tested elsewhere)."""
    out = tmp_path_factory.mktemp("kinds")
    report = build(Paths(ROOT / "data", TEMPLATES, out / "out", out / "register.sqlite"), pdf=False)
    return {b.job.doc.id: Document(str(b.docx)) for b in report.built}


def body_texts(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def para(document: Document, start: str):
    found = [p for p in document.paragraphs if p.text.startswith(start)]
    assert found, f"no paragraph starting {start!r} in {body_texts(document)[:12]}"
    return found[0]


def cell_texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


# -- the tables ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind_id", "code"), STATE_KINDS.items())
def test_every_state_kind_of_dieu_7_has_its_code(kind_id, code):
    kind = find_kind(kind_id, "nd30")
    assert kind.code == code
    assert find_kind(kind.name, "nd30").id == kind_id  # the name is accepted too
    if code:
        assert find_kind(code, "nd30").id == kind_id  # and the code


@pytest.mark.parametrize(("kind_id", "code"), PARTY_ONLY.items())
def test_party_codes(kind_id, code):
    assert find_kind(kind_id, "party").code == code


def test_kinds_a_regime_lacks_are_refused_by_name():
    with pytest.raises(KindError, match="không có trong thể thức party"):
        find_kind("cong-dien", "party")
    with pytest.raises(KindError, match="không có trong thể thức nd30"):
        find_kind("Kết luận", "nd30")
    with pytest.raises(KindError, match="nhiều loại"):
        find_kind("QĐ", "party")  # quyết định and quy định share it under HD 05


def test_a_free_type_name_needs_its_title_or_code():
    kind = find_kind("Chương trình công tác", "party", code="CTr")
    assert (kind.title, kind.code) == ("CHƯƠNG TRÌNH CÔNG TÁC", "CTr")
    with pytest.raises(KindError, match="title:"):
        find_kind("Chương trình công tác", "party")


def test_every_kind_table_validates_in_both_regimes():
    assert len(kinds_in("nd30")) >= 29 and len(kinds_in("party")) >= 25
    for regime in ("nd30", "party"):
        for kind in kinds_in(regime):
            assert kind.parts and kind.numbering, kind.id


# -- công văn --------------------------------------------------------------------------------


def test_cong_van_state_has_vv_under_the_number_and_kinh_gui_hanging(docs):
    d = docs["cong-van-215-truong-mau"]
    left = cell_texts(d.tables[0].cell(1, 0))
    assert left == ["Số: 215/ĐHM-TTKT&ĐBCLĐT",
                    "V/v báo cáo kết quả thực hiện mục tiêu chất lượng năm học 2025 - 2026"]  # fmt: skip
    assert "CÔNG VĂN" not in body_texts(d)
    first = para(d, "Kính gửi:")
    assert first.text == "Kính gửi: - Khoa Báo chí;"
    lines = [first, para(d, "- Khoa Phát thanh"), para(d, "- Khoa Quan hệ công chúng")]
    lefts = {p.paragraph_format.left_indent for p in lines}
    assert len(lefts) == 1  # the dashes stand under each other
    assert first.paragraph_format.first_line_indent < 0  # the label hangs before them
    assert lines[-1].text.endswith("Quảng cáo.")
    recipients = cell_texts(d.tables[-1].cell(0, 0))
    assert recipients[:2] == ["Nơi nhận:", "- Như trên;"]
    assert recipients[-1] == "- Lưu: VT, ĐT, TTKT&ĐBCLĐT (3)NVA."


def test_cong_van_party_says_ve_viec_in_italics_and_centres_kinh_gui(docs):
    d = docs["cong-van-215"]
    left = cell_texts(d.tables[0].cell(1, 0))
    assert left[0] == "Số 215-CV/HVBCTT-TTKT&ĐBCLĐT"
    about = next(p for p in d.tables[0].cell(1, 0).paragraphs if p.text.startswith("về việc"))
    assert font_value(about, "italic") is True
    first = para(d, "Kính gửi:")
    assert first.paragraph_format.left_indent > Mm(35)  # the block is centred on the page
    label = next(r for r in first.runs if r.text.startswith("Kính gửi"))
    assert label.italic is True  # HD 05: the word in italics, the names upright


# -- quyết định ------------------------------------------------------------------------------


def test_quyet_dinh_state_has_its_parts_in_order(docs):
    d = docs["quyet-dinh-216-truong-mau"]
    texts = body_texts(d)
    order = ["QUYẾT ĐỊNH", "Về việc thành lập", "HIỆU TRƯỞNG TRƯỜNG ĐẠI HỌC MẪU", "Căn cứ Quyết định",
             "Theo đề nghị của", "QUYẾT ĐỊNH:", "Điều 1.", "Điều 2.", "Điều 3.", "Điều 4."]  # fmt: skip
    at = [next(i for i, t in enumerate(texts) if t.startswith(o)) for o in order]
    assert at == sorted(at)
    assert para(d, "Theo đề nghị").text.endswith("đào tạo.")
    for start in ("HIỆU TRƯỞNG", "QUYẾT ĐỊNH:"):
        p = para(d, start)
        assert para_value(p, "alignment") == 1 and font_value(p, "bold") is True  # centred, bold
    article = para(d, "Điều 2.")
    assert [r.bold for r in article.runs if r.text.strip()][:1] == [True]
    assert article.text == "Điều 2. Nhiệm vụ của Hội đồng"
    assert para(d, "1. Xem xét").text.startswith("1. ")  # khoản under Điều 2 restart at 1
    assert cell_texts(d.tables[-1].cell(0, 0))[1] == "- Như Điều 4;"


def test_quyet_dinh_party_enacts_with_the_authority_and_drops_ve_viec(docs):
    d = docs["quyet-dinh-216"]
    assert "GIÁM ĐỐC HỌC VIỆN BÁO CHÍ VÀ TUYÊN TRUYỀN QUYẾT ĐỊNH" in body_texts(d)
    assert para(d, "thành lập Hội đồng")  # HD 05: lowercase, no "Về việc"
    assert para(d, "- Căn cứ Quyết định").text.endswith(";")


def test_attached_quy_che_is_its_own_part_with_chuong_and_continuous_dieu(docs):
    d = docs["quyet-dinh-226-quy-che"]
    assert len(d.sections) == 2
    texts = body_texts(d)
    i = texts.index("QUY CHẾ")
    assert texts[i + 1] == "Đánh giá kết quả thực hiện mục tiêu chất lượng"
    assert texts[i + 2].startswith("(Kèm theo Quyết định số 226/QĐ-ĐHM ngày 26 tháng 11 năm 2026")
    rest = texts[i + 3 :]
    assert rest[:3] == [
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng",
    ]
    assert "Chương II" in rest and "Điều 3. Trách nhiệm thi hành" in rest
    assert "a) Khách quan, trung thực, có minh chứng;" in rest
    header = d.tables[1]  # the attached text's header: no number, no date
    assert not any(t.startswith(("Số", "Hà Nội")) for c in header._cells for t in cell_texts(c))
    assert (
        len(d.tables) == 3
    )  # header, signature of the decision, attached header: no 2nd signature


# -- forms with fields -----------------------------------------------------------------------


def test_giay_moi_lines_come_from_its_fields(docs):
    d = docs["giay-moi-217-truong-mau"]
    texts = body_texts(d)
    assert texts[texts.index("GIẤY MỜI") + 1].startswith("Hội nghị tổng kết")
    assert para(d, "Trường Đại học Mẫu trân trọng kính mời: Trưởng các khoa")
    for start in (
        "Tới dự Hội nghị",
        "Chủ trì: Bà Trần Thị Mẫu",
        "Thời gian: 08 giờ 00",
        "Địa điểm: Hội trường",
    ):
        assert para(d, start)
    assert cell_texts(d.tables[-1].cell(0, 0))[1] == "- Như thành phần mời;"
    assert cell_texts(d.tables[-1].cell(0, 1))[:3] == [
        "TL. HIỆU TRƯỞNG", "KT. TRƯỞNG PHÒNG HÀNH CHÍNH - TỔNG HỢP", "PHÓ TRƯỞNG PHÒNG",
    ]  # fmt: skip


def test_giay_gioi_thieu_has_no_trich_yeu_and_a_centred_line(docs):
    d = docs["giay-gioi-thieu-222"]
    texts = body_texts(d)
    assert texts[texts.index("GIẤY GIỚI THIỆU") + 1] == "Trường Đại học Mẫu trân trọng giới thiệu:"
    assert para_value(para(d, "Trường Đại học Mẫu trân trọng"), "alignment") == 1
    assert texts[texts.index("GIẤY GIỚI THIỆU") + 2] == "Ông (bà): Phạm Thị Mẫu"
    assert para(d, "Giấy này có giá trị đến hết ngày 31/12/2026./.")
    party = docs["giay-gioi-thieu-222-hvbctt"]
    assert para(party, "Giấy này có giá trị").text.endswith("31/12/2026.")  # HD 05 6.2.2
    assert cell_texts(d.tables[-1].cell(0, 0))[1:] == ["- Như trên;", "- Lưu: VT, TTKT&ĐBCLĐT."]


def test_giay_nghi_phep_puts_the_person_first_in_noi_nhan_and_a_confirmation_below(docs):
    d = docs["giay-nghi-phep-223"]
    assert cell_texts(d.tables[-1].cell(0, 0))[1] == "- Hoàng Văn Thử;"
    last = body_texts(d)[-2:]
    assert last[0].startswith("Xác nhận của cơ quan") and last[1] == "(Chữ ký, dấu)"


def test_cong_dien_names_the_sender_and_indents_the_receivers(docs):
    d = docs["cong-dien-224"]
    label = para(d, "TRƯỜNG ĐẠI HỌC MẪU điện:")
    assert para_value(label, "alignment") == 1
    assert para(d, "- Trưởng các khoa").paragraph_format.left_indent == Mm(55).twips * 635


# -- biên bản --------------------------------------------------------------------------------


def test_bien_ban_state_has_no_date_line_and_two_signers_side_by_side(docs):
    d = docs["bien-ban-218-truong-mau"]
    header = [t for c in d.tables[0]._cells for t in cell_texts(c)]
    assert not any("ngày" in t and "tháng" in t for t in header)
    left, right = d.tables[-1].cell(0, 0), d.tables[-1].cell(0, 1)
    assert cell_texts(left)[0] == "THƯ KÝ" and "Phạm Thị Mẫu" in cell_texts(left)
    assert cell_texts(right)[0] == "CHỦ TỌA" and cell_texts(right)[-1] == "Trần Thị Mẫu"
    assert "Nơi nhận:" in cell_texts(left)  # under the THƯ KÝ block
    assert para(d, "Cuộc họp kết thúc vào 11 giờ 30 cùng ngày./.")


def test_bien_ban_party_signers_and_no_noi_nhan(docs):
    d = docs["bien-ban-218"]
    left, right = d.tables[-1].cell(0, 0), d.tables[-1].cell(0, 1)
    assert cell_texts(left) == ["NGƯỜI GHI BIÊN BẢN", "Phạm Thị Mẫu"]
    assert cell_texts(right) == ["CHỦ TRÌ HỘI NGHỊ", "Phạm Minh Sơn"]
    assert any(
        t.startswith("Hà Nội, ngày 29 tháng 10 năm 2026")
        for t in cell_texts(d.tables[0].cell(0, 1))
    )
    assert para(d, "– Thời gian: 08 giờ 00")


# -- numbered bodies -------------------------------------------------------------------------


def test_ke_hoach_numbers_its_levels_and_keeps_a_printed_label(docs):
    texts = body_texts(docs["ke-hoach-219-truong-mau"])
    for line in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu", "a) Việc đánh giá bảo đảm",
                 "II. NỘI DUNG VÀ TIẾN ĐỘ THỰC HIỆN", "- Các đơn vị tự đánh giá",
                 "2.1. Rà soát chỉ tiêu", "III. TỔ CHỨC THỰC HIỆN"):  # fmt: skip
        assert any(t.startswith(line) for t in texts), line


def test_ke_hoach_may_have_no_noi_nhan(docs):
    sign = docs["ke-hoach-219"].tables[-1]
    assert "Nơi nhận:" not in cell_texts(sign.cell(0, 0))
    assert cell_texts(sign.cell(0, 1))[-1] == "Phạm Minh Sơn"


def test_party_chuong_trinh_hanh_dong_keeps_its_full_title_and_code(docs):
    d = docs["chuong-trinh-hanh-dong-220"]
    texts = body_texts(d)
    assert "CHƯƠNG TRÌNH HÀNH ĐỘNG" in texts
    assert "Số 220-CTr/HVBCTT" in cell_texts(d.tables[0].cell(1, 0))
    assert any(t.startswith("1.1. Đến năm 2030") for t in texts)
    headings = [p for p in d.paragraphs if p.text.startswith("1. Mục đích")]
    assert headings and headings[0].paragraph_format.keep_with_next
    assert cell_texts(d.tables[-1].cell(0, 1))[:2] == ["T/M ĐẢNG ỦY", "PHÓ BÍ THƯ"]


def test_to_trinh_party_says_kinh_trinh_under_the_trich_yeu(docs):
    texts = body_texts(docs["to-trinh-221"])
    i = texts.index("TỜ TRÌNH")
    assert texts[i + 3] == "Kính trình: Giám đốc Học viện Chính trị quốc gia Hồ Chí Minh"
    state = body_texts(docs["to-trinh-221-truong-mau"])
    assert "Kính gửi: Bộ trưởng Bộ Giáo dục và Đào tạo" in state


def test_seed_notice_numbers_stay_flat(docs):
    texts = body_texts(docs["4275"])
    assert "1. Yêu cầu:" in texts and "B1. Các đơn vị thực hiện việc tổng kết" in " ".join(texts)


# -- data mistakes ---------------------------------------------------------------------------


def _load(tmp_path: Path, body_yaml: str, **extra: str):
    orgs = {p.stem: load_org(p) for p in (ROOT / "data" / "orgs").glob("*.yaml")}
    kind = extra.pop("kind", "cong-van")
    lines = ["org: truong-mau", f"type: {kind}", "date: 2026-10-05", "subject: V/v thử",
             "filing_unit: ĐT", "signer: giam-doc",
             *(["kinh_gui: Phòng Đào tạo"] if kind == "cong-van" else []),
             *(f"{k}: {v}" for k, v in extra.items()), "body:", body_yaml]  # fmt: skip
    path = tmp_path / "thu.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_document(path, orgs)


def test_a_misspelt_block_is_an_error_naming_its_line(tmp_path):
    with pytest.raises(Exception) as caught:
        _load(tmp_path, '  - Đoạn một.\n  - heading "Yêu cầu:"')
    problem = caught.value.problems[0]
    assert problem.line == 10 and "heading:" in problem.message


def test_kinh_gui_on_a_kind_without_it_is_an_error(tmp_path):
    with pytest.raises(Exception, match="không có phần Kính gửi"):
        _load(tmp_path, "  - item: Điều một.", kind="quyet-dinh", kinh_gui="Phòng Đào tạo")


def test_a_kind_asks_for_its_parts(tmp_path):
    with pytest.raises(Exception) as caught:
        _load(tmp_path, "  - Đoạn.", code="GM", title="GIẤY MỜI HỌP", kind="giay-moi")
    assert "invitee" in str(caught.value)
    with pytest.raises(Exception, match="không có trường này"):
        _load(tmp_path, "  - Đoạn.", fields="{ngay: mai}")


# -- the PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_id", "words"),
    [
        ("quyet-dinh-216-truong-mau", ["QUYẾT ĐỊNH:", "Điều 4.", "Như Điều 4;"]),
        ("cong-van-215", ["Kính gửi:", "Khoa Phát thanh - Truyền hình;", "về việc báo cáo"]),
        ("bien-ban-218-truong-mau", ["THƯ KÝ", "CHỦ TỌA", "Cuộc họp kết thúc"]),
    ],
)
def test_pdf_keeps_the_vietnamese_text(seed_build, doc_id, words):
    text = subprocess.run(
        ["pdftotext", "-layout", str(seed_build[doc_id].pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = " ".join(text.split())
    for word in words:
        assert word in flat, word


def test_the_text_ends_with_the_regimes_mark(docs):
    state, party = body_texts(docs["ke-hoach-219-truong-mau"]), body_texts(docs["ke-hoach-219"])
    assert state[-1].endswith("kịp thời giải quyết./.")  # NĐ 30 PL I §II.6
    assert party[-1].endswith("kịp thời giải quyết.") and not party[-1].endswith("./.")
    seed = body_texts(docs["4275-truong-mau"])  # a clerk's own ending stays
    assert "Trân trọng!" in seed and "Trân trọng!./." not in seed


def test_quy_dinh_issued_on_its_own_has_its_number_and_chapters(docs):
    state, party = docs["quy-dinh-228-truong-mau"], docs["quy-dinh-228"]
    assert cell_texts(state.tables[0].cell(1, 0))[0] == "Số: 228/QyĐ-ĐHM"
    assert cell_texts(party.tables[0].cell(1, 0))[0] == "Số 228-QĐ/HVBCTT"
    texts = body_texts(party)
    assert texts[texts.index("Chương I") + 1] == "QUY ĐỊNH CHUNG"
    assert cell_texts(party.tables[-1].cell(0, 1))[0] == "T/M BAN THƯỜNG VỤ"


def test_party_nghi_quyet_has_sections_not_articles_and_a_collective_signer(docs):
    d = docs["nghi-quyet-227-dang-uy"]
    texts = body_texts(d)
    assert "I. ĐÁNH GIÁ TÌNH HÌNH" in texts and not any(t.startswith("Điều ") for t in texts)
    assert "QUYẾT NGHỊ:" not in texts
    assert cell_texts(d.tables[-1].cell(0, 1))[:2] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]


def test_party_date_line_may_stand_level_with_the_number(jobs):
    from dataclasses import replace

    from mtcl_docs.profiles import pick_profile
    from mtcl_docs.render.engine import render_job

    job = jobs["cong-van-215"]
    level = replace(job, profile=pick_profile("party", job.doc.date, {"date_beside_number": True}))
    for j, row in ((job, 0), (level, 1)):
        header = render_job(j, TEMPLATES).tables[0]
        assert cell_texts(header.cell(row, 1))[-1] == "Hà Nội, ngày 05 tháng 10 năm 2026"
    assert cell_texts(render_job(job, TEMPLATES).tables[0].cell(1, 1)) == []
