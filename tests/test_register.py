"""The register of outgoing documents: numbers never lost, never given twice (issue 4)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, draft_notice, paths
from docx import Document
from openpyxl import load_workbook

from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.number.register import (
    SCHEMA_VERSION,
    EntryFields,
    Register,
    RegisterError,
    SeriesKey,
)


def _texts(docx: Path) -> list[str]:
    document = Document(str(docx))
    cells = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return [p.text for p in document.paragraphs] + cells


def _built(report, doc_id):
    return next(b for b in report.built if b.job.doc.id == doc_id)


def test_given_numbers_are_recorded_and_kept(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    assert build(p, pdf=False).ok  # a rebuild records nothing twice
    with Register.open(p.register) as register:
        entries = register.entries()
    assert [(e.doc_id, e.symbol, e.how) for e in entries] == [
        ("4275", "4275-TB/HVBCTT", "given"),
        ("4275-truong-mau", "4275/TB-ĐHM", "given"),
    ]


def test_a_number_held_by_another_document_is_refused_naming_both(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    (data_copy / "notices" / "trung-so.yaml").write_text(
        "based_on: 4275.yaml\nsubject: Văn bản khác\n", encoding="utf-8"
    )
    report = build(p, pdf=False)
    [problem] = [str(x) for x in report.problems]
    assert "trung-so.yaml number: số 4275 đã cấp cho văn bản '4275'" in problem
    assert "4275.yaml" in problem
    assert "trung-so" not in [b.job.doc.id for b in report.built]


def test_draft_has_a_blank_number_then_issue_numbers_it(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "tb-moi")
    report = build(p, pdf=False)
    draft_texts = _texts(_built(report, "tb-moi").docx)
    assert "Số      -TB/HVBCTT" in draft_texts and "DỰ THẢO" in draft_texts

    report = build(p, pdf=False, issue=["tb-moi"], issue_date=dt.date(2026, 11, 25))
    assert report.ok and [j.doc.id for j in report.issued] == ["tb-moi"]
    assert [b.job.doc.id for b in report.rebuilt] == ["tb-moi"]  # the others are unchanged
    texts = _texts(_built(report, "tb-moi").docx)
    assert "Số 01-TB/HVBCTT" in texts
    assert "Hà Nội, ngày 25 tháng 11 năm 2026" in texts
    assert "DỰ THẢO" not in texts

    # kept across rebuilds; an edit after issue only with a recorded reason (issue 13, item 1)
    texts = _texts(_built(build(p, pdf=False), "tb-moi").docx)
    assert "Số 01-TB/HVBCTT" in texts
    path = data_copy / "notices" / "tb-moi.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "subject: Trích yếu đã sửa\n", encoding="utf-8"
    )
    assert not build(p, pdf=False).ok
    assert _cli(p, "register", "amend", "tb-moi", "--ly-do", "Sửa lỗi chính tả") == 0
    texts = _texts(_built(build(p, pdf=False), "tb-moi").docx)
    assert "Số 01-TB/HVBCTT" in texts and "Trích yếu đã sửa" in texts


def test_issuing_twice_is_refused(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "tb-moi")
    assert build(p, pdf=False, issue=["tb-moi"], issue_date=dt.date(2026, 11, 25)).ok
    report = build(p, pdf=False, issue=["tb-moi"], issue_date=dt.date(2026, 11, 26))
    assert any("đã được cấp số 01-TB/HVBCTT" in str(x) for x in report.problems)


def test_deleting_the_yaml_does_not_free_the_number(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    first = draft_notice(data_copy, "a")
    assert build(p, pdf=False, issue=["a"], issue_date=dt.date(2026, 11, 25)).ok
    first.unlink()
    draft_notice(data_copy, "b")
    report = build(p, pdf=False, issue=["b"], issue_date=dt.date(2026, 11, 25))
    assert report.issued[0].doc.number == 2


def test_cancelled_number_is_never_given_again(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "a")
    draft_notice(data_copy, "b")
    assert build(p, pdf=False, issue=["a"], issue_date=dt.date(2026, 11, 25)).ok
    with Register.open(p.register) as register:
        cancelled = register.cancel(None, "a", "Ban hành nhầm")
    assert cancelled.note == "Đã hủy: Ban hành nhầm"
    assert (
        build(p, pdf=False, issue=["b"], issue_date=dt.date(2026, 11, 25)).issued[0].doc.number == 2
    )
    # the cancelled document is a draft again and gets a new number
    again = build(p, pdf=False, issue=["a"], issue_date=dt.date(2026, 11, 26))
    assert again.issued[0].doc.number == 3
    with Register.open(p.register) as register:
        history = register.history("a")
        assert [(e.number, e.status) for e in history] == [(1, "cancelled"), (3, "issued")]
        assert register.problems() == []


def test_series_per_profile(data_copy, tmp_path):
    """nd30: one series per body per year; party: one per type per committee term."""
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "tb1")
    draft_notice(data_copy, "kh1", type="ke-hoach")
    draft_notice(data_copy, "st1", org="truong-mau")
    draft_notice(data_copy, "st2", org="truong-mau", type="ke-hoach")
    draft_notice(data_copy, "st3", org="truong-mau", date="2027-01-02")
    day = dt.date(2026, 11, 26)
    numbers = {}
    for doc_id in ("tb1", "kh1", "st1", "st2"):
        numbers[doc_id] = build(p, pdf=False, issue=[doc_id], issue_date=day).issued[0].doc.number
    report = build(p, pdf=False, issue=["st3"], issue_date=dt.date(2027, 1, 2),
                   issue_force="ký trước, ghi ngày theo kế hoạch")  # fmt: skip
    numbers["st3"] = report.issued[0].doc.number
    assert numbers == {"tb1": 1, "kh1": 1, "st1": 1, "st2": 2, "st3": 1}
    assert "Số: 02/KH-ĐHM" in _texts(_built(build(p, pdf=False), "st2").docx)


def test_party_term_must_be_configured(data_copy, tmp_path):
    org = data_copy / "orgs" / "hvbctt.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace(
            "terms: [2015-06-01, 2020-06-01, 2025-06-01]", "terms: []"
        ),
        encoding="utf-8",
    )
    report = build(paths(data_copy, tmp_path), pdf=False)
    assert any("chưa khai báo nhiệm kỳ cấp ủy" in str(x) for x in report.problems)


def test_entry_holds_the_ten_columns(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "tb-moi", copies=12)
    build(p, pdf=False, issue=["tb-moi"], issue_date=dt.date(2026, 11, 25))
    with Register.open(p.register) as register:
        entry = register.current("hvbctt", "tb-moi")
    assert entry.symbol == "01-TB/HVBCTT"
    assert entry.doc_date == "2026-11-25"
    assert entry.type_subject.startswith("Thông báo V/v xây dựng mục tiêu chất lượng")
    assert entry.signer == "Phạm Minh Sơn (Giám đốc)"
    assert entry.recipients == "Các đơn vị (để triển khai)"
    assert entry.filing == "Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo"
    assert entry.copies == 12
    assert len(entry.content_hash) == 64


ALLOCATE = """
import sys
from pathlib import Path
from mtcl_docs.number.register import EntryFields, Register, SeriesKey
path, worker, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
key = SeriesKey("org", "year:2026", "")
with Register.open(path) as register:
    for i in range(count):
        register.allocate(key, f"{worker}-{i}", lambda n: EntryFields(
            "org", f"{worker}-{i}", "test", "TB", f"{n:02d}/TB-X", "2026-01-01", "Thông báo",
            "A", "B", "C", None, "0" * 64))
"""


def test_four_processes_allocating_250_each_get_exactly_1_to_1000(tmp_path):
    path = tmp_path / "register.sqlite"
    Register.open(path).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", ALLOCATE, str(path), f"w{w}", "250"])
        for w in range(4)
    ]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    with Register.open(path) as register:
        numbers = sorted(e.number for e in register.entries())
        assert register.problems() == []
    assert numbers == list(range(1, 1001))


def test_sigkill_during_issue_leaves_no_duplicate_and_no_gap(data_copy, tmp_path):
    names = [f"d{i:02d}" for i in range(40)]
    for name in names:
        draft_notice(data_copy, name)
    register = tmp_path / "register.sqlite"
    cmd = [sys.executable, "-m", "mtcl_docs", "register", "issue", *names, "--date", "2026-11-25",
           "--no-pdf", "--data", str(data_copy), "--templates", str(ROOT / "templates"),
           "--output", str(tmp_path / "out"), "--register", str(register)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:  # kill once some, not all, numbers are given
        if register.exists():
            try:
                with sqlite3.connect(register, timeout=1) as db:
                    if (
                        db.execute("SELECT count(*) FROM entries WHERE how='allocated'").fetchone()[
                            0
                        ]
                        >= 5
                    ):
                        break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with Register.open(register) as reg:
        assert reg.problems() == []
        given = sorted(e.number for e in reg.entries() if e.how == "allocated")
    assert given == list(range(1, len(given) + 1))

    p = paths(data_copy, tmp_path)
    rebuilt = build(p, pdf=False)  # the build rerun: issued ones keep their numbers
    assert rebuilt.ok, [str(x) for x in rebuilt.problems]
    remaining = [n for n in names if n not in {e for e in _issued(register)}]
    assert build(p, pdf=False, issue=remaining, issue_date=dt.date(2026, 11, 25)).ok
    with Register.open(register) as reg:
        assert reg.problems() == []
        numbers = sorted(e.number for e in reg.entries() if e.how == "allocated")
    assert numbers == list(range(1, 41))


def _issued(register: Path) -> list[str]:
    with Register.open(register) as reg:
        return [e.doc_id for e in reg.entries() if e.status == "issued"]


# -- bad files ---------------------------------------------------------------------------------


def _refused_untouched(path: Path, match: str) -> None:
    before = path.read_bytes()
    with pytest.raises(RegisterError, match=match):
        Register.open(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "register.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    _refused_untouched(path, "không phải tệp SQLite")


def test_other_sqlite_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (name TEXT)")
    _refused_untouched(path, "không phải sổ đăng ký")


def test_damaged_database_pages_are_refused(tmp_path):
    path = tmp_path / "register.sqlite"
    Register.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    with pytest.raises(RegisterError):
        Register.open(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "register.sqlite"
    Register.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(RegisterError, match="phiên bản mtcl-docs mới hơn"):
        Register.open(path)


def test_new_register_carries_its_schema_version(tmp_path):
    with Register.open(tmp_path / "r.sqlite") as register:
        assert register.schema_version == SCHEMA_VERSION == 3


def test_register_under_output_is_refused(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    p = type(p)(p.data, p.templates, p.output, p.output / "register.sqlite")
    report = build(p, pdf=False)
    assert any("không được để trong" in str(x) for x in report.problems)
    assert not (p.output / "register.sqlite").exists()


def test_given_number_must_not_change_silently(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    notice = data_copy / "notices" / "4275.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8").replace("number: 4275", "number: 4276"), encoding="utf-8"
    )
    report = build(p, pdf=False)
    assert any("đã được ghi sổ với số 4275-TB/HVBCTT" in str(x) for x in report.problems)


# -- CLI: list, show, cancel, export, backup ----------------------------------------------------


def _cli(p, *args) -> int:
    return main(
        [*args, "--data", str(p.data), "--output", str(p.output), "--register", str(p.register)]
    )


def test_cli_list_show_cancel(data_copy, tmp_path, capsys):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "tb-moi")
    assert _cli(p, "register", "issue", "tb-moi", "--date", "2026-11-25", "--no-pdf") == 0
    assert _cli(p, "register", "list", "--year", "2026") == 0
    listed = capsys.readouterr().out
    assert "01-TB/HVBCTT" in listed and "4275-TB/HVBCTT" not in listed
    assert _cli(p, "register", "cancel", "tb-moi", "--reason", "Sai trích yếu") == 0
    assert _cli(p, "register", "show", "tb-moi") == 0
    shown = capsys.readouterr().out
    assert "Ghi chú: Đã hủy: Sai trích yếu" in shown
    assert _cli(p, "register", "cancel", "tb-moi", "--reason", "lần hai") == 1
    assert "không có văn bản 'tb-moi' đang có số" in capsys.readouterr().err


def test_export_csv_xlsx_and_printed_book(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "tb1")
    draft_notice(data_copy, "tb2")
    assert build(p, pdf=False, issue=["tb1", "tb2"], issue_date=dt.date(2026, 11, 25)).ok
    with Register.open(p.register) as register:
        register.cancel(None, "tb2", "Ban hành nhầm")

    assert (
        _cli(p, "register", "export", "--format", "csv", "--org", "hvbctt", "--year", "2026") == 0
    )
    csv_text = (p.output / "so-dang-ky" / "hvbctt-2026.csv").read_text(encoding="utf-8-sig")
    header, first, second = csv_text.splitlines()
    assert header.startswith('"Số, ký hiệu văn bản",Ngày tháng văn bản,Tên loại và trích yếu')
    assert header.endswith("Ký nhận,Ghi chú")
    assert first.startswith("01-TB/HVBCTT,25/11/2026,Thông báo V/v")
    assert second.endswith("Đã hủy: Ban hành nhầm")

    assert (
        _cli(p, "register", "export", "--format", "xlsx", "--org", "hvbctt", "--year", "2026") == 0
    )
    sheet = load_workbook(p.output / "so-dang-ky" / "hvbctt-2026.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 10 and rows[0][5] == "Đơn vị, người nhận bản lưu"
    assert rows[1][0] == "01-TB/HVBCTT" and rows[2][9] == "Đã hủy: Ban hành nhầm"

    assert (
        _cli(p, "register", "export", "--format", "docx", "--org", "hvbctt", "--year", "2026") == 0
    )
    # one book per series: the party's notices of the 2025 term, the year 2026 of it
    name = "so-dang-ky-hvbctt-nhiem-ky-2025-tb-nam-2026"
    book = Document(str(p.output / "so-dang-ky" / f"{name}.docx"))
    texts = [x.text for x in book.paragraphs]
    for line in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Loại văn bản: Thông báo (TB)",
                 "Nhiệm kỳ: từ ngày 01/06/2025", "Năm: 2026",
                 "Từ ngày 25/11/2026 đến ngày 25/11/2026", "Từ số 01 đến số 02",
                 "Tổng số: 2 số đã cấp, trong đó 1 số đã hủy (số 02)", "Quyển số: 01"):  # fmt: skip
        assert line in texts
    assert book.sections[1].orientation == 1  # landscape
    table = book.tables[0]
    assert len(table.columns) == 10 and table.rows[1].cells[9].text == "(10)"
    assert table.rows[3].cells[9].text == "Đã hủy: Ban hành nhầm"
    pdf = p.output / "so-dang-ky" / f"{name}.pdf"
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in out


def test_export_needs_an_org_when_several(data_copy, tmp_path, capsys):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    assert _cli(p, "register", "export", "--format", "csv") == 1
    assert "nhiều cơ quan" in capsys.readouterr().err


def test_backup_is_a_working_register(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    target = tmp_path / "sao-luu" / "so.sqlite"
    assert _cli(p, "register", "backup", str(target)) == 0
    with Register.open(target) as copy, Register.open(p.register) as original:
        assert copy.entries() == original.entries()


def test_direct_allocation_api_rejects_a_second_number(tmp_path):
    key = SeriesKey("org", "year:2026", "")

    def fields(n):
        return EntryFields(
            "org", "x", "s", "TB", f"{n:02d}", "2026-01-01", "T", "A", "B", "C", None, "h"
        )

    with Register.open(tmp_path / "r.sqlite") as register:
        assert register.allocate(key, "x", fields).number == 1
        with pytest.raises(RegisterError):
            register.allocate(key, "x", fields)
        assert register.entries()[-1].number == 1
