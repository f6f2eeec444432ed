"""Issue 13, items 8-10: every returned file accounted for, spreadsheets hold text not formulas,
results read against the known objectives."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import resource
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import Workbook, load_workbook
from test_plans import _collect, _fill_form, _scratch, _set

from mtcl_docs.cli import main
from mtcl_docs.convert.soffice import find_soffice
from mtcl_docs.number.export import write_csv, write_xlsx
from mtcl_docs.number.register import Entry
from mtcl_docs.plans.collect import BY_LOG, BY_MTIME, BY_SAVED
from mtcl_docs.plans.readers import OLE_MAGIC, PDF_MESSAGE
from mtcl_docs.plans.results import vn_number
from mtcl_docs.plans.run import run_results
from mtcl_docs.sheet_text import append_text_row, csv_cell, risky

ATTACKS = ["=HYPERLINK(\"http://x\",\"bấm\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1"]  # fmt: skip


# -- item 9: formulas from outside ------------------------------------------------------------


@pytest.mark.parametrize("value", ATTACKS)
def test_a_value_that_starts_a_formula_is_written_as_text(value, tmp_path):
    assert risky(value) and csv_cell(value) == "'" + value
    book = Workbook()
    append_text_row(book.active, [value, "thường", 3])
    book.save(tmp_path / "a.xlsx")
    cells = next(load_workbook(tmp_path / "a.xlsx").active.iter_rows())
    assert cells[0].value == value and cells[0].data_type == "s" and cells[0].quotePrefix
    assert cells[1].value == "thường" and cells[2].value == 3


def test_plain_values_are_left_alone():
    assert [csv_cell(v) for v in ["Khoa Báo chí", "100%", 5, None, ""]] == [
        "Khoa Báo chí", "100%", 5, None, ""
    ]  # fmt: skip


def _entry(**values) -> Entry:
    defaults = {f.name: (0 if f.type in ("int", int) else "x") for f in dataclasses.fields(Entry)}
    defaults.update(doc_date="2026-01-05", sent_date=None, copies=2, received_by=None, note=None,
                    cancel_reason=None)  # fmt: skip
    defaults.update(values)
    return Entry(**defaults)


def test_register_exports_hold_no_formula(tmp_path):
    entries = [_entry(symbol="01/QĐ-HVBCTT", type_subject=ATTACKS[0], signer=ATTACKS[1],
                      recipients="- Như trên;\n- Lưu: VT.", note="@SUM(A1)")]  # fmt: skip
    write_csv(entries, tmp_path / "so.csv")
    with open(tmp_path / "so.csv", encoding="utf-8-sig", newline="") as f:
        row = list(csv.reader(f))[1]
    assert row[0] == "01/QĐ-HVBCTT"
    assert row[2] == "'" + ATTACKS[0] and row[3] == "'" + ATTACKS[1]
    assert row[4].startswith("'- Như trên") and row[9] == "'@SUM(A1)"
    write_xlsx(entries, tmp_path / "so.xlsx")
    cells = list(load_workbook(tmp_path / "so.xlsx").active.iter_rows(min_row=2))[0]
    assert cells[2].value == ATTACKS[0] and cells[3].value == ATTACKS[1]
    assert all(c.data_type != "f" for c in cells)


def test_consolidated_workbook_holds_no_formula(distributed, inbox, tmp_path):
    p, _ = distributed
    (inbox / "tccb.yaml").write_text(
        "unit: TCCB\nsubmitted: 2022-10-20\nrows:\n"
        "  - {objective: 'MT11. Tỷ lệ tiến sĩ đạt 45%', plan: '=HYPERLINK(\"http://x\",\"a\")',"
        " start: 9/2022, end: 8/2023, lead: TCCB, note: \"=cmd|' /C calc'!A0\"}\n"
        "  - {objective: 'MT12. Đánh giá 100% viên chức', plan: '@SUM(1)', start: 5/2023,"
        " end: 7/2023, lead: '+TCCB'}\n",
        encoding="utf-8",
    )
    _collect(p, inbox, tmp_path)
    book = load_workbook(tmp_path / "out/mtcl/2022-2023/tong-hop-ke-hoach-mtcl.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {'=HYPERLINK("http://x","a")', "=cmd|' /C calc'!A0", "@SUM(1)"} <= values


# -- item 10: results ---------------------------------------------------------------------------


def test_vietnamese_numbers():
    assert [vn_number(x) for x in (75, 100, 2 / 3 * 100, 1234.5)] == ["75,0", "100,0", "66,7", "1.234,5"]  # fmt: skip


def _results_table(document):
    return next(t for t in document.tables if t.rows[0].cells[1].text == "MỤC TIÊU")


def test_a_results_form_per_unit_distributed_and_read_back(distributed, inbox, tmp_path):
    p, forms = distributed
    form = forms["KBC"].with_name("ket-qua-mtcl-2022-2023.docx")
    document = Document(str(form))
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: KHOA BÁO CHÍ" in [
        x.text for x in document.paragraphs
    ]
    assert document.core_properties.author == "Học viện Báo chí và Tuyên truyền"
    table = _results_table(document)
    assert [c.text for c in table.rows[0].cells] == ["TT", "MỤC TIÊU", "KẾT QUẢ", "TỶ LỆ ĐẠT (%)", "MINH CHỨNG"]  # fmt: skip
    filled = [r for r in table.rows[1:] if r.cells[1].text]
    assert filled[0].cells[1].text.startswith("MT01. ")
    for i, row in enumerate(filled):
        _set(row.cells[2], "đạt" if i % 2 else "đạt một phần")
        _set(row.cells[3], "87,5")
        _set(row.cells[4], "Biên bản số 12")
    document.save(str(inbox / "kbc-ket-qua.docx"))
    report = run_results(_scratch(p, tmp_path), inbox, pdf=False)
    assert report.problems == []
    kbc = report.results.units["KBC"]
    assert kbc.issues == [] and len(kbc.outcomes) == len(filled)
    assert kbc.outcomes[0].percent == 87.5
    shown = Document(str(tmp_path / "out/mtcl/2022-2023/ket-qua/KBC.docx")).tables[0]
    assert shown.rows[1].cells[3].text == "87,5"


def test_unknown_objective_refused_with_the_known_list_and_code_shown_with_text(
    distributed, inbox, tmp_path
):
    p, _ = distributed
    (inbox / "kbc.yaml").write_text(
        "unit: KBC\nrows:\n"
        "  - {objective: MT01, result: đạt, percent: 100, evidence: Biên bản}\n"
        "  - {objective: 'MT99. Mục tiêu bịa', result: đạt, percent: 100, evidence: Không}\n",
        encoding="utf-8",
    )
    report = run_results(_scratch(p, tmp_path), inbox, pdf=False)
    kbc = report.results.units["KBC"]
    assert [o.code for o in kbc.outcomes] == ["MT01"]  # MT99 never counted as achieved
    assert kbc.outcomes[0].objective.startswith("MT01. 100% chương trình đào tạo")
    (refused,) = [i for i in kbc.issues if i.rule == "mục tiêu"]
    assert "MT99 không có trong MTCL của Học viện" in refused.message
    assert "(có: MT01, MT02," in refused.message and "MT16)" in refused.message
    institution = Document(str(tmp_path / "out/mtcl/2022-2023/ket-qua/hoc-vien.docx"))
    assert "Tổng số kết quả: 1; đạt: 1; tỷ lệ đạt: 100,0 %." in [
        x.text for x in institution.paragraphs
    ]


# -- item 8: the forms' own properties ------------------------------------------------------------


def test_forms_carry_their_unit_year_institution_and_distribution_date(distributed):
    _, forms = distributed
    for form in (forms["KBC"], forms["KBC"].with_name("ket-qua-mtcl-2022-2023.docx")):
        props = Document(str(form)).core_properties
        assert "Khoa Báo chí" in props.title and "2022 - 2023" in props.title
        assert props.author == props.last_modified_by == "Học viện Báo chí và Tuyên truyền"
        assert props.created.date() == props.modified.date() == dt.date(2022, 9, 12)
        assert "python-docx" not in (props.comments + props.author)


# -- item 8: every returned file accounted for ----------------------------------------------------


def _day(path: Path, day: dt.date) -> None:
    stamp = dt.datetime.combine(day, dt.time(10)).timestamp()
    os.utime(path, (stamp, stamp))


def test_submission_day_from_log_then_saved_after_distribution_then_mtime(
    distributed, inbox, tmp_path
):
    p, forms = distributed
    untouched = inbox / "kbc.docx"
    shutil.copy(forms["KBC"], untouched)  # sent back as it came: "saved" on the notice's day
    _day(untouched, dt.date(2022, 10, 20))
    saved = _fill_form(forms["VP"], inbox / "vp.docx", [("9/2022", "6/2023")] * 8)
    document = Document(str(saved))
    document.core_properties.modified = dt.datetime(2022, 10, 25, 9)
    document.save(str(saved))
    logged = _fill_form(forms["KTT"], inbox / "ktt.docx", [("9/2022", "6/2023")] * 8)
    (inbox / "so-nhan.yaml").write_text(f"{logged.name}: 02/11/2022\n", encoding="utf-8")
    report = _collect(p, inbox, tmp_path)
    status = {s.unit.code: s for s in report.status}
    assert (status["KBC"].received, status["KBC"].how) == (dt.date(2022, 10, 20), BY_MTIME)
    assert (status["VP"].received, status["VP"].how) == (dt.date(2022, 10, 25), BY_SAVED)
    assert (status["KTT"].received, status["KTT"].how) == (dt.date(2022, 11, 2), BY_LOG)
    assert status["KTT"].state == "muộn"
    book = load_workbook(tmp_path / "out/mtcl/2022-2023/tong-hop-ke-hoach-mtcl.xlsx")
    rows = {r[0]: r for r in book["Tình hình nộp"].iter_rows(min_row=2, values_only=True)}
    assert rows["KBC"][3:5] == ("20/10/2022", "ngày sửa tệp trên máy")


def _zip_bomb(target: Path, form: Path) -> None:
    """A real form plus one member that unpacks to 300 MB of zeros (about 300 KB packed)."""
    shutil.copy(form, target)
    with (
        zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as package,
        package.open("word/media/bomb.bin", "w") as member,
    ):
        for _ in range(300):
            member.write(bytes(1 << 20))


def test_every_file_is_named_pdf_encrypted_spoofed_bomb_and_others(distributed, inbox, tmp_path):
    p, forms = distributed
    good = _fill_form(forms["KTT"], inbox / "ktt.docx", [("9/2022", "6/2023")] * 8)
    (inbox / "khoa-bao-chi.pdf").write_bytes(b"%PDF-1.4\n% scan\n")
    encrypted = inbox / "vp.xlsx"
    encrypted.write_bytes(OLE_MAGIC + bytes(500) + "EncryptionInfo".encode("utf-16-le") + bytes(99))
    shutil.copy(forms["QLĐT"], inbox / "kptth.docx")  # named for one unit, titled for another
    _zip_bomb(inbox / "knn.docx", forms["KNN"])
    (inbox / "ktt-cu.doc").write_bytes(b"\xd0\xcf\x11\xe0 old word")
    (inbox / "ghi-chu.txt").write_text("nhận qua email", encoding="utf-8")
    (inbox / "dot-2").mkdir()
    (inbox / "dot-2" / "anh.jpg").write_bytes(b"\xff\xd8")

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = _collect(p, inbox, tmp_path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB: flat
    messages = {Path(str(x.file)).name: x.message for x in report.problems}
    assert messages["khoa-bao-chi.pdf"] == "Khoa Báo chí: " + PDF_MESSAGE
    assert "được đặt mật khẩu" in messages["vp.xlsx"]
    assert "tên tệp ghi Khoa Phát thanh - Truyền hình" in messages["kptth.docx"]
    assert "tiêu đề trong tệp ghi Ban Quản lý đào tạo" in messages["kptth.docx"]
    assert "zip bomb" in messages["knn.docx"]
    assert "không thấy bảng kế hoạch" in messages["ktt-cu.doc"]  # converted, then read
    assert "không đọc được loại tệp .txt" in messages["ghi-chu.txt"]
    assert "anh.jpg" in messages
    assert set(report.collected.plans) == {"KTT"}  # QLĐT's plan not taken from a KPTTH file
    status = {s.unit.code: s for s in report.status}
    assert status["KBC"].state == "đã nộp bản PDF — cần bản Word/Excel"
    assert status["QLĐT"].state == status["KPTTH"].state == "chưa nộp"
    named = {Path(str(x.file)) for x in report.problems} | {good}
    assert named == {x for x in inbox.rglob("*") if x.is_file()}


def test_a_unit_typed_without_accents_is_matched_with_a_note_a_misspelt_one_refused(
    distributed, inbox, tmp_path
):
    p, forms = distributed
    _fill_form(forms["KBC"], inbox / "kbc.docx", [("9/2022", "6/2023")] * 8,
               partners="Ban Quan ly dao tao; Khoa Báo trí", lead="khoa bao chi")  # fmt: skip
    report = _collect(p, inbox, tmp_path)
    kbc = report.collected.plans["KBC"]
    assert [i.message for i in kbc.issues if i.rule == "đơn vị phối hợp"] == [
        'đơn vị phối hợp "Khoa Báo trí" không có trong danh sách đơn vị; có phải «Khoa Báo chí»?'
    ]
    notes = [n.message for n in kbc.notes]
    assert 'đơn vị phối hợp "Ban Quan ly dao tao" được hiểu là «Ban Quản lý đào tạo»' in notes[1]
    assert notes[0].startswith('đơn vị chủ trì "khoa bao chi" được hiểu là «Khoa Báo chí»')
    assert not [i for i in kbc.issues if i.rule == "đơn vị chủ trì"]  # matched, not refused


# -- item 8: old and other office files, through LibreOffice --------------------------------------


def _save_as(source: Path, target: Path) -> Path:
    """`source` saved as `target`'s kind by LibreOffice (as a unit with old Word would send it)."""
    from mtcl_docs.plans.legacy import converted

    ext = target.suffix.lstrip(".")
    filters = {"doc": "doc:MS Word 97", "odt": "odt:writer8", "xls": "xls:MS Excel 97"}
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [find_soffice(), f"-env:UserInstallation={Path(scratch, 'p').as_uri()}", "--headless",
             "--convert-to", filters[ext], "--outdir", scratch, str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        shutil.copy(Path(scratch) / f"{source.stem}.{ext}", target)
    assert converted  # the module the reader uses imports without LibreOffice running
    return target


@pytest.mark.skipif(shutil.which("soffice") is None, reason="cần LibreOffice")
def test_doc_and_odt_are_converted_and_read(distributed, inbox, tmp_path):
    p, forms = distributed
    work = tmp_path / "work"
    work.mkdir()
    kbc = _fill_form(forms["KBC"], work / "kbc.docx", [("9/2022", "6/2023")] * 8)
    vp = _fill_form(forms["VP"], work / "vp.docx", [("10/2022", "5/2023")] * 8)
    _save_as(kbc, inbox / "khoa-bao-chi.doc")
    _save_as(vp, inbox / "van-phong.odt")
    report = _collect(p, inbox, tmp_path)
    assert report.problems == [], [str(x) for x in report.problems]
    assert report.collected.plans["KBC"].source.name == "khoa-bao-chi.doc"
    assert report.collected.plans["KBC"].issues == []
    assert [str(x.start) for x in report.collected.plans["VP"].lines][:1] == ["10/2022"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="cần LibreOffice")
def test_a_conversion_that_hangs_is_bounded_and_leaves_nothing_running(tmp_path):
    from mtcl_docs.plans.legacy import LegacyError, converted

    source = tmp_path / "cham.doc"
    source.write_bytes(b"{\\rtf1 cham}")
    expected = "không chuyển xong tệp .doc trong 0.5 giây"
    with pytest.raises(LegacyError, match=expected), converted(source, timeout_s=0.5):
        pass
    left = subprocess.run(["pgrep", "-f", "mtcl-doi-tep-"], capture_output=True, text=True)
    assert left.stdout == ""


# -- item 8: step B4, feedback to each unit -------------------------------------------------------


def test_collecting_writes_each_unit_its_feedback_by_table_row(distributed, inbox, tmp_path):
    p, forms = distributed
    _fill_form(forms["KBC"], inbox / "kbc.docx", [("9/2022", "6/2023")] * 8,
               start="13/2022", partners="Khoa Bao chi; Phòng Ma")  # fmt: skip
    _fill_form(forms["VP"], inbox / "vp.docx", [("9/2022", "6/2023")] * 8)
    (inbox / "ktt.pdf").write_bytes(b"%PDF-1.4\n")
    report = _collect(p, inbox, tmp_path)
    folder = tmp_path / "out/mtcl/2022-2023/gop-y"
    assert sorted(x.name for x in folder.iterdir()) == ["KBC.docx", "KTT.docx", "VP.docx"]
    kbc = Document(str(folder / "KBC.docx"))
    texts = [x.text for x in kbc.paragraphs]
    assert "GÓP Ý KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: KHOA BÁO CHÍ" in texts
    (table,) = kbc.tables
    header, *rows = [[c.text for c in r.cells] for r in table.rows]
    assert header == ["TT", "VỊ TRÍ TRONG TỆP", "YÊU CẦU", "NỘI DUNG CẦN SỬA"]
    issues = report.collected.plans["KBC"].issues
    assert len(rows) == len(issues) + 1  # the problems, then the suggestion
    assert rows[0][1].startswith("dòng 1 của bảng") and rows[0][2] == "có thời gian hoàn thành"
    assert 'tháng bắt đầu "13/2022" không đọc được' in rows[0][3]
    assert any('"Phòng Ma" không có trong danh sách đơn vị' in r[3] for r in rows)
    assert rows[-1][2] == "gợi ý" and "Khoa Bao chi" in rows[-1][3]
    assert any(f"Có {len(issues)} điểm cần sửa" in t for t in texts)
    vp = [x.text for x in Document(str(folder / "VP.docx")).paragraphs]
    assert "Kế hoạch đáp ứng các yêu cầu của Thông báo; không có điểm cần sửa." in vp
    ktt = [x.text for x in Document(str(folder / "KTT.docx")).paragraphs]
    assert any("là bản PDF" in t for t in ktt)


def test_a_resubmission_replaces_the_earlier_one_both_kept_in_the_history(
    distributed, inbox, tmp_path
):
    p, forms = distributed
    first = _fill_form(forms["KBC"], inbox / "kbc.docx", [("9/2022", "6/2023")] * 8,
                       start="13/2022")  # fmt: skip
    _day(first, dt.date(2022, 10, 20))
    report = _collect(p, inbox, tmp_path)
    assert report.collected.plans["KBC"].issues
    first.rename(tmp_path / "kbc-cu.docx")  # the clerk files the old one away
    again = _fill_form(forms["KBC"], inbox / "kbc-sua.docx", [("9/2022", "6/2023")] * 8)
    _day(again, dt.date(2022, 10, 27))
    shutil.copy2(tmp_path / "kbc-cu.docx", inbox / "kbc.docx")  # …or leaves both in the folder
    report = _collect(p, inbox, tmp_path)
    assert report.collected.plans["KBC"].source.name == "kbc-sua.docx"
    assert report.collected.plans["KBC"].issues == []
    assert not [x for x in report.problems if Path(str(x.file)).name == "kbc.docx"]  # not an error
    out = tmp_path / "out/mtcl/2022-2023"
    saved = yaml.safe_load((out / "lich-su-nop.yaml").read_text(encoding="utf-8"))
    assert [(x["unit"], x["file"], x["received"]) for x in saved] == [
        ("KBC", "kbc.docx", "20/10/2022"), ("KBC", "kbc-sua.docx", "27/10/2022")
    ]  # fmt: skip
    sheet = load_workbook(out / "tong-hop-ke-hoach-mtcl.xlsx")["Lịch sử nộp"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[5]) for r in rows] == [("kbc.docx", "đã được thay"), ("kbc-sua.docx", "đang dùng")]  # fmt: skip


def test_collect_cli_names_the_replaced_file(distributed, inbox, tmp_path, capsys):
    p, forms = distributed
    old = _fill_form(forms["VP"], inbox / "vp.docx", [("9/2022", "6/2023")] * 8)
    _day(old, dt.date(2022, 10, 1))
    _fill_form(forms["VP"], inbox / "vp-2.docx", [("9/2022", "6/2023")] * 8)
    args = ["plans", "collect", str(inbox), "--data", str(p.data), "--output", str(tmp_path / "o"),
            "--register", str(p.register), "--no-pdf"]  # fmt: skip
    assert main(args) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert "Văn phòng (vp.docx) đã được thay bằng tệp nhận sau vp-2.docx" in printed


@pytest.mark.skipif(shutil.which("soffice") is None, reason="cần LibreOffice")
def test_an_old_excel_plan_is_converted_and_read(distributed, inbox, tmp_path):
    from openpyxl import Workbook

    p, _ = distributed
    book = Workbook()
    sheet = book.active
    sheet.append(["KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: Văn phòng"])
    sheet.append(["TT", "MỤC TIÊU CỤ THỂ", "KẾ HOẠCH THỰC HIỆN", "BẮT ĐẦU", "KẾT THÚC",
                  "ĐƠN VỊ CHỦ TRÌ", "ĐƠN VỊ PHỐI HỢP", "GHI CHÚ"])  # fmt: skip
    sheet.append(
        [1, "MT12. mục tiêu 100% đúng hạn", "Triển khai", "09/2022", "6/2023", "Văn phòng"]
    )
    work = tmp_path / "work"
    work.mkdir()
    book.save(work / "van-phong.xlsx")
    _save_as(work / "van-phong.xlsx", inbox / "van-phong.xls")
    report = _collect(p, inbox, tmp_path)
    assert report.collected.plans["VP"].source.name == "van-phong.xls"
    assert [x.plan for x in report.collected.plans["VP"].lines] == ["Triển khai"]
