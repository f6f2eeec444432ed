"""MTCL plans, the whole cycle: distribute → edit as Word users do → collect → consolidate → results."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, paths
from docx import Document
from openpyxl import Workbook, load_workbook

from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.load.model import Unit
from mtcl_docs.plans.months import Month, parse_month, parse_range
from mtcl_docs.plans.run import load_cycle, run_collect
from mtcl_docs.plans.units import UnitIndex
from mtcl_docs.plans.validate import (
    LEAD,
    LINKED,
    MEASURABLE,
    PARTNERS,
    SPECIFIC,
    TIMED,
    PlanLine,
    check,
)

COLS = {
    "tt": 0,
    "objective": 1,
    "plan": 2,
    "start": 3,
    "end": 4,
    "lead": 5,
    "partners": 6,
    "note": 7,
}


@pytest.fixture(scope="module")
def distributed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plans")
    p = paths(ROOT / "data", tmp)
    report = build(p, pdf=False)
    assert report.ok, [str(x) for x in report.problems]
    return p, {f.parent.name: f for f in report.forms}


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "nhan"
    folder.mkdir()
    return folder


def _set(cell, text: str) -> None:
    """Type into a cell (or a paragraph): replace its text, keeping the style, as Word does."""
    paragraph = cell.paragraphs[0] if hasattr(cell, "paragraphs") else cell
    for run in paragraph.runs:
        run._r.getparent().remove(run._r)
    lines = text.split("\n")
    run = paragraph.add_run(lines[0])
    for line in lines[1:]:  # Shift+Enter: a line break inside the cell
        run.add_break()
        run = paragraph.add_run(line)


def _fill(row, **values) -> None:
    for key, text in values.items():
        _set(row.cells[COLS[key]], text)


def _copy_row(table, index: int):
    """Word's 'insert row below': a copy of the row, appended after it."""
    tr = table.rows[index]._tr
    new = copy.deepcopy(tr)
    tr.addnext(new)
    return table.rows[index + 1]


def _fill_form(form: Path, target: Path, months: list[tuple[str, str]], **extra) -> Path:
    """A valid plan for every pre-filled objective, with the months typed as given."""
    document = Document(str(form))
    table = document.tables[0]
    data_rows = table.rows[2:]
    for row, (start, end) in zip(data_rows, months, strict=False):
        if row.cells[COLS["objective"]].text:
            _fill(
                row,
                plan="Rà soát, cập nhật\nBáo cáo kết quả",
                start=start,
                end=end,
                partners="Ban Quản lý đào tạo",
            )
    for key, value in extra.items():
        _fill(data_rows[0], **{key: value})
    document.save(str(target))
    return target


def _kbc_edited_like_word(form: Path, target: Path) -> Path:
    """Khoa Báo chí's return: every kind of edit the issue lists."""
    document = Document(str(form))
    table = document.tables[0]
    rows = table.rows
    formats = [("9/2022", "12/2022"), ("09/2022", "06/2023"), ("T9/2022", "T3/2023"),
               ("tháng 9/2022", "tháng 5/2023"), ("9-2022", "2-2023"), ("09.2022", "08.2023")]  # fmt: skip
    for row, (start, end) in zip(rows[2:8], formats, strict=True):
        _fill(row, plan="Xây dựng kế hoạch chi tiết\nTổ chức thực hiện", start=start, end=end,
              partners="Ban Quản lý đào tạo; Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo")  # fmt: skip
    # a row of its own, added by copying the last objective row
    added = _copy_row(table, 7)
    _fill(added, tt="7", objective="Tổ chức 02 tọa đàm chuyên môn cho sinh viên", plan="Mời chuyên gia",
          start="10/2022", end="4/2023", lead="KBC", partners="Các khoa", note="")  # fmt: skip
    # lead unit merged down over two rows (vertical merge)
    rows = table.rows
    rows[2].cells[COLS["lead"]].merge(rows[3].cells[COLS["lead"]])
    # start and end merged into one cell holding a range
    merged = rows[4].cells[COLS["start"]].merge(rows[4].cells[COLS["end"]])
    _set(merged, "T9/2022 - T3/2023")
    for p in merged.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    # one of the two blank rows deleted, the other left empty
    last = table.rows[-1]._tr
    last.getparent().remove(last)
    document.save(str(target))
    return target


def _scratch(p, tmp_path: Path):
    """The same data and register, writing into this test's own output folder."""
    return type(p)(p.data, p.templates, tmp_path / "out", p.register)


def _collect(p, inbox: Path, tmp_path: Path):
    return run_collect(_scratch(p, tmp_path), inbox, pdf=False)


def test_each_unit_gets_a_prefilled_form(distributed):
    p, forms = distributed
    cycle = load_cycle(p, None)
    assert set(forms) == {u.code for u in cycle.org.units} and len(forms) == 12
    kbc = Document(str(forms["KBC"]))
    texts = [x.text for x in kbc.paragraphs]
    assert "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: KHOA BÁO CHÍ" in texts
    assert "NĂM HỌC 2022 - 2023" in texts
    table = kbc.tables[0]
    assert table.rows[0].cells[3].text == "THỜI GIAN THỰC HIỆN (Tháng/Năm)"
    assert table.rows[0].cells[3]._tc is table.rows[0].cells[4]._tc  # merged header
    assigned = [o.code for o in cycle.year.objectives if "KBC" in o.units]
    objectives = [r.cells[1].text for r in table.rows[2:] if r.cells[1].text]
    assert [o.split(".")[0] for o in objectives] == assigned
    assert all(r.cells[COLS["plan"]].text == "" for r in table.rows[2:])  # left for the unit
    assert kbc.sections[0].orientation == 1


def test_round_trip_collect_consolidate_and_status(distributed, inbox, tmp_path):
    p, forms = distributed
    _kbc_edited_like_word(forms["KBC"], inbox / "KBC - ke hoach 2022.docx")
    late = _fill_form(forms["QLĐT"], inbox / "quan-ly-dao-tao.docx", [("10/2022", "6/2023")] * 8)
    (inbox / "so-nhan.yaml").write_text(
        f"{late.name}: 2022-11-04\nKBC - ke hoach 2022.docx: 2022-10-28\n"
    )
    out = paths(ROOT / "data", tmp_path)
    report = run_collect(
        type(out)(p.data, p.templates, tmp_path / "out", p.register), inbox, pdf=True
    )

    assert report.problems == []
    kbc = report.collected.plans["KBC"]
    assert kbc.issues == [], [str(i) for i in kbc.issues]
    assert len(kbc.lines) == 7  # six pre-filled + one added; the empty row is dropped
    assert [(str(x.start), str(x.end)) for x in kbc.lines[:6]] == [
        ("09/2022", "12/2022"), ("09/2022", "06/2023"), ("09/2022", "03/2023"),
        ("09/2022", "05/2023"), ("09/2022", "02/2023"), ("09/2022", "08/2023"),
    ]  # fmt: skip
    assert kbc.lines[1].lead == "Khoa Báo chí"  # from the vertically merged cell
    assert kbc.lines[0].plan == "Xây dựng kế hoạch chi tiết\nTổ chức thực hiện"

    status = {s.unit.code: s for s in report.status}
    assert status["KBC"].state == "đúng hạn" and status["KBC"].received == dt.date(2022, 10, 28)
    assert status["QLĐT"].state == "muộn" and status["QLĐT"].days_late == 4
    assert status["VP"].state == "chưa nộp"

    names = sorted(x.name for x in report.written)
    assert names == [
        "tong-hop-ke-hoach-mtcl.docx",
        "tong-hop-ke-hoach-mtcl.pdf",
        "tong-hop-ke-hoach-mtcl.xlsx",
    ]
    consolidated = Document(str(tmp_path / "out/mtcl/2022-2023/tong-hop-ke-hoach-mtcl.docx"))
    headings = [x.text for x in consolidated.paragraphs]
    assert headings.index("BAN QUẢN LÝ ĐÀO TẠO") < headings.index("KHOA BÁO CHÍ")  # the org's order
    assert len(consolidated.tables) == 2 and consolidated.sections[0].orientation == 1
    book = load_workbook(tmp_path / "out/mtcl/2022-2023/tong-hop-ke-hoach-mtcl.xlsx")
    assert book.sheetnames == ["Kế hoạch", "Lỗi", "Tình hình nộp"]
    plan_rows = list(book["Kế hoạch"].iter_rows(min_row=2, values_only=True))
    assert len(plan_rows) == 7 + len(report.collected.plans["QLĐT"].lines)
    by_unit = {r[0]: r for r in book["Tình hình nộp"].iter_rows(min_row=2, values_only=True)}
    assert by_unit["QLĐT"][2:5] == ("muộn", "04/11/2022", 4)
    assert by_unit["VP"][2] == "chưa nộp"


def test_xlsx_and_yaml_returns(distributed, inbox, tmp_path):
    p, _ = distributed
    book = Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: Văn phòng"])
    sheet.append(["TT", "MỤC TIÊU CỤ THỂ", "KẾ HOẠCH THỰC HIỆN", "THỜI GIAN THỰC HIỆN (Tháng/Năm)", None,
                  "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "GHI CHÚ"])  # fmt: skip
    sheet.append([None, None, None, "BẮT ĐẦU", "KẾT THÚC", None, None, None])
    sheet.merge_cells("D2:E2")
    for col in "ABCFGH":
        sheet.merge_cells(f"{col}2:{col}3")
    for i, code in enumerate(["MT12", "MT13", "MT14", "MT16"], 1):
        start = dt.datetime(2022, 9, 1) if i % 2 else "09/2022"  # Excel turned some into dates
        sheet.append(
            [
                i,
                f"{code}. mục tiêu 100% đúng hạn",
                "Triển khai",
                start,
                "6/2023",
                "Văn phòng",
                None,
                None,
            ]
        )
    book.save(inbox / "vp.xlsx")
    (inbox / "tccb.yaml").write_text(
        "unit: TCCB\nsubmitted: 2022-10-20\nrows:\n"
        "  - {objective: 'MT11. Tỷ lệ tiến sĩ đạt 45%', plan: Cử đi học, start: 9/2022, end: 8/2023, lead: TCCB}\n"
        "  - {objective: 'MT12. Đánh giá 100% viên chức', plan: Đánh giá, start: 5/2023, end: 7/2023,"
        " lead: Ban Tổ chức - Cán bộ, partners: Các đơn vị}\n",
        encoding="utf-8",
    )
    report = _collect(p, inbox, tmp_path)
    assert report.problems == []
    vp, tccb = report.collected.plans["VP"], report.collected.plans["TCCB"]
    assert vp.issues == [] and [str(x.start) for x in vp.lines] == ["09/2022"] * 4
    assert tccb.issues == [] and tccb.received == dt.date(2022, 10, 20)


def test_bad_files_fail_alone(distributed, inbox, tmp_path):
    p, forms = distributed
    good = _fill_form(forms["KTT"], inbox / "ktt.docx", [("9/2022", "6/2023")] * 8)
    (inbox / "hong.docx").write_bytes(good.read_bytes()[:2000])
    shutil.copy(p.output / "docx" / "hvbctt" / "4275.docx", inbox / "thong-bao.docx")
    minutes = Document()
    minutes.add_paragraph("Biên bản họp Khoa Ngoại ngữ")
    minutes.save(str(inbox / "bien-ban.docx"))
    odd = Document(str(forms["KNN"]))
    _set(odd.tables[0].rows[0].cells[7], "NGUỒN LỰC")
    odd.save(str(inbox / "knn.docx"))
    stranger = Document(str(forms["KPTTH"]))
    for paragraph in stranger.paragraphs:
        if paragraph.text.startswith("KẾ HOẠCH"):
            _set(paragraph, "KẾ HOẠCH CỦA ĐƠN VỊ: PHÒNG KHÔNG CÓ")
    stranger.save(str(inbox / "khong-ro.docx"))
    (inbox / "la.yaml").write_text("unit: Phòng Ma\nrows: []\n", encoding="utf-8")

    report = _collect(p, inbox, tmp_path)
    messages = {Path(str(x.file)).name: x.message for x in report.problems}
    assert "tệp DOCX hỏng" in messages["hong.docx"]
    assert "không thấy bảng kế hoạch" in messages["bien-ban.docx"]
    assert "không nhận ra đơn vị" in messages["thong-bao.docx"]  # the notice's blank appendix
    assert "cột không nhận ra: «NGUỒN LỰC»" in messages["knn.docx"]
    assert "không nhận ra đơn vị" in messages["khong-ro.docx"]
    assert 'đơn vị "Phòng Ma" không có' in messages["la.yaml"]
    assert set(report.collected.plans) == {"KTT"}  # the good one is still collected


def test_unit_from_file_name_when_the_title_is_gone(distributed, inbox, tmp_path):
    p, forms = distributed
    document = Document(str(forms["KXBĐT"]))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("KẾ HOẠCH"):
            _set(paragraph, "KẾ HOẠCH NĂM HỌC")
    document.save(str(inbox / "khoa-xuat-ban.docx"))
    report = _collect(p, inbox, tmp_path)
    assert list(report.collected.plans) == ["KXBĐT"]


def test_results_per_unit_and_institution(distributed, inbox, tmp_path, capsys):
    p, _ = distributed
    (inbox / "kbc.yaml").write_text(
        "unit: KBC\nrows:\n"
        "  - {objective: MT01, result: đạt, percent: 100, evidence: Biên bản rà soát số 12}\n"
        "  - {objective: MT02, result: Đạt một phần, percent: 80%, evidence: Báo cáo tốt nghiệp}\n"
        "  - {objective: MT04, result: không đạt, percent: 60, evidence: Báo cáo khảo sát}\n"
        "  - {objective: MT05, result: đạt, percent: 100, evidence: Báo cáo tự đánh giá}\n"
        "  - {objective: MT06, result: đạt, percent: 110, evidence: Danh mục bài báo}\n"
        "  - {objective: MT10, result: xong rồi, evidence: ''}\n",
        encoding="utf-8",
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["BÁO CÁO KẾT QUẢ ĐƠN VỊ: Ban Tổ chức - Cán bộ"])
    sheet.append(["TT", "MỤC TIÊU", "KẾT QUẢ", "TỶ LỆ ĐẠT (%)", "MINH CHỨNG"])
    sheet.append([1, "MT11. Tỷ lệ tiến sĩ", "đạt", 0.95, "Danh sách"])
    sheet.append([2, "MT12. Đánh giá viên chức", "đạt", 1, "Quyết định"])
    book.save(inbox / "tccb.xlsx")

    out = _scratch(p, tmp_path)
    assert main(["plans", "results", str(inbox), "--data", str(p.data), "--output", str(out.output),
                 "--register", str(p.register)]) == 0  # fmt: skip
    printed = capsys.readouterr().out
    assert '"xong rồi" phải là: đạt, đạt một phần hoặc không đạt' in printed
    assert '"110" phải là số từ 0 đến 100' in printed
    assert "chưa ghi minh chứng" in printed
    folder = out.output / "mtcl" / "2022-2023" / "ket-qua"
    assert sorted(x.name for x in folder.iterdir()) == [
        "KBC.docx", "KBC.pdf", "TCCB.docx", "TCCB.pdf", "hoc-vien.docx", "hoc-vien.pdf"
    ]  # fmt: skip
    kbc = [x.text for x in Document(str(folder / "KBC.docx")).paragraphs]
    assert "Số mục tiêu: 6; đạt: 3; đạt một phần: 1; không đạt: 1." in kbc
    assert "Tỷ lệ mục tiêu đạt: 50.0%." in kbc
    tccb = Document(str(folder / "TCCB.docx")).tables[0]
    assert [r.cells[3].text for r in tccb.rows[1:]] == ["95", "1"]
    institution = Document(str(folder / "hoc-vien.docx"))
    by_objective, by_unit = institution.tables
    mt01 = [c.text for c in by_objective.rows[1].cells]
    assert mt01[1].startswith("MT01.") and mt01[2:7] == ["1", "1", "0", "0", "100.0"]
    tccb_row = next(r for r in by_unit.rows if r.cells[1].text == "Ban Tổ chức - Cán bộ")
    assert [c.text for c in tccb_row.cells[2:]] == ["2", "2", "0", "0", "100.0"]
    assert "Số đơn vị đã báo cáo: 2/12." in [x.text for x in institution.paragraphs]


# -- months and units ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["9/2022", "09/2022", "T9/2022", "tháng 9/2022", "9-2022", "09.2022",
                                  "Tháng 9 năm 2022", "t9/2022", "2022-09"])  # fmt: skip
def test_month_spellings(text):
    assert parse_month(text) == Month(2022, 9)


@pytest.mark.parametrize("text", ["13/2022", "9/22", "quý 3", "", "2022"])
def test_not_months(text):
    assert parse_month(text) is None


def test_month_range_in_one_cell():
    assert parse_range("T9/2022 - T3/2023") == (Month(2022, 9), Month(2023, 3))
    assert parse_range("9/2022 đến 12/2022") == (Month(2022, 9), Month(2022, 12))
    assert parse_range("9/2022") is None


def test_unit_index_matches_names_and_codes_however_typed():
    units = UnitIndex([Unit(code="KBC", name="Khoa Báo chí"), Unit(code="VP", name="Văn phòng")])
    assert units.find("khoa bao chi").code == "KBC"
    assert units.find("KBC").code == "KBC"
    assert units.find(" Khoa  Báo chí. ").code == "KBC"
    assert units.in_title("KẾ HOẠCH … ĐƠN VỊ: KHOA BÁO CHÍ\nNĂM HỌC 2022 - 2023").code == "KBC"
    assert units.in_file_name("VP_ke_hoach").code == "VP"
    assert units.in_file_name("vpp") is None


# -- each rule seen passing and failing ------------------------------------------------------------


@pytest.fixture(scope="module")
def cycle(distributed):
    p, _ = distributed
    return load_cycle(p, None)


def _line(**kw) -> PlanLine:
    base = dict(where="dòng 1", tt="1", objective="MT11. Tỷ lệ tiến sĩ đạt 45%", plan="Cử đi học",
                start_text="9/2022", end_text="6/2023", lead="Ban Tổ chức - Cán bộ", partners="", note="",
                start=Month(2022, 9), end=Month(2023, 6), codes=["MT11"])  # fmt: skip
    base.update(kw)
    return PlanLine(**base)


def _rules(cycle, *lines) -> list[str]:
    unit = cycle.org.unit("TCCB")
    issues = check(cycle.year, UnitIndex(cycle.org.units), unit, list(lines) or [_line()])
    return [i.rule for i in issues]


def test_valid_plan_passes_every_rule(cycle):
    lines = [
        _line(),
        _line(objective="MT12. Đánh giá 100% viên chức", codes=["MT12"], partners="Các đơn vị; VP"),
    ]
    assert _rules(cycle, *lines) == []


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"objective": "", "codes": []}, SPECIFIC),
        ({"plan": " "}, SPECIFIC),
        ({"objective": "MT11. Nâng cao chất lượng đội ngũ"}, MEASURABLE),
        ({"start_text": "", "start": None}, TIMED),
        ({"end_text": "cuối năm", "end": None}, TIMED),
        ({"start": Month(2023, 7), "start_text": "7/2023"}, TIMED),
        ({"end": Month(2023, 9), "end_text": "9/2023"}, TIMED),
        ({"lead": ""}, LEAD),
        ({"lead": "Phòng Ma"}, LEAD),
        ({"partners": "Khoa Báo chí, Phòng Ma"}, PARTNERS),
    ],
)
def test_each_rule_fails_when_broken(cycle, change, rule):
    lines = [_line(**change), _line(objective="MT12. Đánh giá 100% viên chức", codes=["MT12"])]
    assert rule in _rules(cycle, *lines)


def test_measurable_accepts_numbers_percentages_and_named_products(cycle):
    for objective in (
        "MT11. Cử 05 giảng viên đi học",
        "MT11. Tỷ lệ đạt 45%",
        "MT11. Ban hành quy trình tuyển dụng",
    ):
        lines = [
            _line(objective=objective),
            _line(objective="MT12. 100% viên chức", codes=["MT12"]),
        ]
        assert MEASURABLE not in _rules(cycle, *lines)


def test_every_assigned_objective_must_be_covered(cycle):
    assert LINKED in _rules(cycle, _line())  # MT12 is assigned to TCCB too
    by_text = _line(
        objective="100% viên chức, người lao động được đánh giá, xếp loại đúng hạn", codes=[]
    )
    assert LINKED not in _rules(cycle, _line(), by_text)


def test_collect_cli_reports_status_and_exit_code(distributed, inbox, tmp_path, capsys):
    p, forms = distributed
    _fill_form(forms["VP"], inbox / "vp.docx", [("9/2022", "6/2023")] * 8)
    os.utime(inbox / "vp.docx")
    args = ["plans", "collect", str(inbox), "--data", str(p.data), "--output", str(tmp_path / "o"),
            "--register", str(p.register), "--no-pdf"]  # fmt: skip
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Văn phòng" in printed and "chưa nộp" in printed
    (inbox / "hong.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert main(args) == 1
    assert "tệp XLSX hỏng" in capsys.readouterr().err


def test_broken_receipt_log_and_bad_submitted_date_are_reported_not_fatal(
    distributed, inbox, tmp_path
):
    p, forms = distributed
    _fill_form(forms["VP"], inbox / "vp.docx", [("9/2022", "6/2023")] * 8)
    (inbox / "so-nhan.yaml").write_text("vp.docx: 31/10/2022\n", encoding="utf-8")
    (inbox / "tccb.yaml").write_text("unit: TCCB\nsubmitted: hôm qua\nrows: []\n", encoding="utf-8")
    report = _collect(p, inbox, tmp_path)
    messages = {Path(str(x.file)).name: x.message for x in report.problems}
    assert "sổ nhận không đọc được" in messages["so-nhan.yaml"]
    assert 'submitted: "hôm qua" không phải ngày' in messages["tccb.yaml"]
    assert "VP" in report.collected.plans  # still collected, dated by the file itself
