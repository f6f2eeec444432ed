"""The register can be trusted (issue 13, items 1, 2 and 4): an issued document does not change
without a recorded reason, a number belongs to a built document, `register` keeps dates in order
and finds what a clerk asks for, and a new register is safe to create from several processes."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, draft_notice, paths, replace_in
from docx import Document

import mtcl_docs.build
from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.number.register import MIGRATIONS, Register

DAY = dt.date(2026, 11, 25)


def _cli(p, *args) -> int:
    return main(
        [*args, "--data", str(p.data), "--output", str(p.output), "--register", str(p.register),
         "--templates", str(p.templates)]
    )  # fmt: skip


def _texts(docx: Path) -> str:
    return "\n".join(x.text for x in Document(str(docx)).paragraphs)


# -- 1. issued means frozen --------------------------------------------------------------------


def test_edit_after_issue_is_refused_naming_document_number_and_fields(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    path = draft_notice(data_copy, "tb-moi")
    assert build(p, pdf=False, issue=["tb-moi"], issue_date=DAY).ok
    docx = p.output / "docx" / "hvbctt" / "tb-moi.docx"
    before = docx.read_bytes()
    path.write_text(
        path.read_text(encoding="utf-8") + "subject: Trích yếu khác\nsigner: pho-giam-doc\n",
        encoding="utf-8",
    )
    report = build(p, pdf=False)
    [problem] = [str(x) for x in report.problems]
    assert "tb-moi" in problem and "01-TB/HVBCTT" in problem
    assert "subject" in problem and "signer" in problem and "người ký" in problem
    assert "đính chính" in problem and "register amend tb-moi" in problem
    assert "body" not in problem  # only what changed is named
    assert docx.read_bytes() == before  # the issued file stays as issued
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "tb-moi").type_subject.endswith(
            "năm học 2022 - 2023"
        )  # the register keeps the issued line


def test_a_given_number_document_is_frozen_too(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    replace_in(data_copy / "notices" / "4275.yaml", "salutation: Trân trọng!", "salutation: Chào!")
    problems = [str(x) for x in build(p, pdf=False).problems]
    [problem] = [x for x in problems if "4275.yaml number" in x]
    assert "4275-TB/HVBCTT" in problem and "salutation" in problem
    # the document based on it changed with it, and is refused with it; nothing else fails (the
    # issued versions stay in the build: the plans of their notice are still made)
    assert any("4275-truong-mau" in x and "4275/TB-ĐHM" in x for x in problems)
    assert len(problems) == 2, problems


def test_amend_records_a_version_then_the_document_builds_and_show_prints_the_history(
    data_copy, tmp_path, capsys
):
    p = paths(data_copy, tmp_path)
    path = draft_notice(data_copy, "tb-moi")
    assert _cli(p, "register", "issue", "tb-moi", "--date", "25/11/2026", "--no-pdf") == 0
    assert _cli(p, "register", "amend", "tb-moi", "--ly-do", "không đổi gì") == 1
    assert "không khác bản đã ban hành" in capsys.readouterr().err
    path.write_text(
        path.read_text(encoding="utf-8") + "subject: Trích yếu đã đính chính\n", encoding="utf-8"
    )
    assert _cli(p, "build", "--no-pdf") == 1
    assert _cli(p, "register", "amend", "tb-moi", "--ly-do", "Đính chính trích yếu") == 0
    said = capsys.readouterr().out
    assert "lần sửa thứ 1" in said and "subject" in said
    report = build(p, pdf=False)
    assert report.ok, [str(x) for x in report.problems]
    assert "Trích yếu đã đính chính" in _texts(p.output / "docx" / "hvbctt" / "tb-moi.docx")
    assert build(p, pdf=False).ok  # and stays built

    assert _cli(p, "register", "cancel", "tb-moi", "--reason", "Ban hành nhầm") == 0
    capsys.readouterr()
    assert _cli(p, "register", "show", "tb-moi") == 0
    shown = capsys.readouterr().out
    lines = shown[shown.index("Lịch sử") :].splitlines()[1:]
    assert "cấp số 01-TB/HVBCTT" in lines[0]
    assert "ghi nhận sửa văn bản đã ban hành" in lines[1] and "Đính chính trích yếu" in lines[1]
    assert "hủy số" in lines[2] and "Ban hành nhầm" in lines[2]
    assert all(__import__("getpass").getuser() in line for line in lines)
    assert "Số lần sửa sau khi ban hành: 1" in shown
    for internal in ("allocated", "given", "term:", "year:", "issued", "cancelled"):
        assert internal not in shown


def test_history_is_append_only(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    with sqlite3.connect(p.register) as db, pytest.raises(sqlite3.DatabaseError, match="ghi thêm"):
        db.execute("DELETE FROM history")


def test_a_version_1_register_is_migrated_with_its_history(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.executescript(
        "INSERT INTO meta VALUES ('app', 'mtcl-docs-register'), ('schema_version', '1');"
        "INSERT INTO series VALUES (1, 'o', 'year:2026', '', 1);"
        "INSERT INTO entries (org, doc_id, source, series_id, number, status, how, doc_type,"
        " symbol, doc_date, type_subject, signer, recipients, filing, content_hash, recorded_at)"
        " VALUES ('o', 'x', 's', 1, 1, 'issued', 'allocated', 'TB', '01/TB-O', '2026-01-02',"
        " 'T', 'A', 'B', 'C', 'h', '2026-01-02T09:00:00');"
    )
    db.close()
    with Register.open(path) as register:
        assert register.schema_version == 3
        [entry] = register.entries()
        assert entry.built == 1 and register.versions(entry.id) == 1
        assert [(e.what, e.symbol) for e in register.events("x")] == [("allocated", "01/TB-O")]


# -- 2. a number belongs to a built document ---------------------------------------------------


def _failing_render(monkeypatch, *failing: str) -> None:
    real = mtcl_docs.build.render_job

    def render(job, *args, **kw):
        if job.doc.id in failing:
            raise RuntimeError("hỏng giả")
        return real(job, *args, **kw)

    monkeypatch.setattr(mtcl_docs.build, "render_job", render)


def test_a_failed_build_holds_no_number(data_copy, tmp_path, monkeypatch, capsys):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "a")
    _failing_render(monkeypatch, "a")
    report = build(p, pdf=False, issue=["a"], issue_date=DAY)
    assert report.issued == []
    assert any("số 01 đã được trả lại" in str(x) for x in report.problems)
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "a") is None
        assert [e.what for e in register.events("a")] == ["returned"]
        assert register.problems() == []
    monkeypatch.undo()
    draft_notice(data_copy, "b")  # the number was free again: the next document gets it
    assert build(p, pdf=False, issue=["b"], issue_date=DAY).issued[0].doc.number == 1
    assert build(p, pdf=False, issue=["a"], issue_date=DAY).issued[0].doc.number == 2
    assert _cli(p, "register", "show", "a") == 0
    assert "trả lại số" in capsys.readouterr().out


def test_a_failed_number_followed_by_another_is_cancelled_never_reused(
    data_copy, tmp_path, monkeypatch
):
    p = paths(data_copy, tmp_path)
    for name in ("a", "b", "c"):
        draft_notice(data_copy, name)
    _failing_render(monkeypatch, "b")
    report = build(p, pdf=False, issue=["a", "b", "c"], issue_date=DAY)
    assert [j.doc.id for j in report.issued] == ["a", "c"]
    assert any("số 02 bị hủy" in str(x) for x in report.problems)
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "b") is None
        [cancelled] = register.history("b")
        assert (cancelled.number, cancelled.status) == (2, "cancelled")
        assert register.problems() == []


def test_a_given_number_is_recorded_only_once_its_document_is_built(
    data_copy, tmp_path, monkeypatch
):
    p = paths(data_copy, tmp_path)
    _failing_render(monkeypatch, "4275")
    assert not build(p, pdf=False).ok
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "4275") is None
    monkeypatch.undo()
    assert build(p, pdf=False).ok
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "4275").built == 1


def test_a_number_left_by_a_build_that_died_is_settled_by_the_next(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "a", subject="Trích yếu lúc cấp số")
    assert build(p, pdf=False).ok
    from mtcl_docs.load.loader import load_data
    from mtcl_docs.number.assign import issue_job
    from mtcl_docs.render.engine import appendix_templates

    job = next(
        j for j in load_data(data_copy, appendix_templates(p.templates)).jobs if j.doc.id == "a"
    )
    with Register.open(p.register) as register:  # the number is taken, then the build is killed
        issue_job(job, register, DAY)
        assert register.current("hvbctt", "a").built == 0
    replace_in(data_copy / "notices" / "a.yaml", "lúc cấp số", "sửa trước khi dựng xong")
    assert build(p, pdf=False).ok  # not frozen yet: the entry follows its data, then is settled
    with Register.open(p.register) as register:
        entry = register.current("hvbctt", "a")
        assert entry.built == 1 and entry.type_subject.endswith("sửa trước khi dựng xong")


# -- 4. register: dates, list, show, concurrent creation ---------------------------------------


def test_issue_keeps_the_documents_own_date_and_accepts_dd_mm_yyyy(data_copy, tmp_path, capsys):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "a", date="2026-11-20")
    draft_notice(data_copy, "b")
    assert _cli(p, "register", "issue", "a", "--no-pdf") == 0
    assert "a → 01 ngày 20/11/2026" in capsys.readouterr().out
    assert _cli(p, "register", "issue", "b", "--date", "21/11/2026", "--no-pdf") == 0
    assert "b → 02 ngày 21/11/2026" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        _cli(p, "register", "issue", "b", "--date", "31/11/2026")
    assert "31/11/2026" in capsys.readouterr().err


def test_issue_refuses_a_date_out_of_order_or_to_come_unless_forced(data_copy, tmp_path, capsys):
    p = paths(data_copy, tmp_path)
    for name in ("a", "b", "c"):
        draft_notice(data_copy, name)
    assert _cli(p, "register", "issue", "a", "--date", "25/11/2026", "--no-pdf") == 0
    assert _cli(p, "register", "issue", "b", "--date", "24/11/2026", "--no-pdf") == 1
    said = capsys.readouterr().err
    assert "trước ngày của số liền trước (01-TB/HVBCTT ngày 25/11/2026)" in said
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert _cli(p, "register", "issue", "b", "--date", f"{tomorrow:%d/%m/%Y}", "--no-pdf") == 1
    assert "chưa tới" in capsys.readouterr().err
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "b") is None  # nothing taken
    assert _cli(p, "register", "issue", "b", "--date", "24/11/2026", "--force") == 1
    assert "--ly-do" in capsys.readouterr().err
    assert (
        _cli(
            p,
            "register",
            "issue",
            "b",
            "--date",
            "24/11/2026",
            "--force",
            "--ly-do",
            "ký ngày 24, quên vào sổ",
            "--no-pdf",
        )  # fmt: skip
        == 0
    )
    capsys.readouterr()
    assert _cli(p, "register", "show", "b") == 0
    shown = capsys.readouterr().out
    assert "cấp số với ngày ngoài quy tắc" in shown and "quên vào sổ" in shown


def test_list_has_a_header_order_search_and_type(data_copy, tmp_path, capsys):
    p = paths(data_copy, tmp_path)
    draft_notice(data_copy, "kh", type="ke-hoach", subject="Kế hoạch thi đua")
    draft_notice(data_copy, "tb", subject="Lịch họp giao ban")
    draft_notice(data_copy, "qd", type="quyet-dinh", subject="Thành lập tổ công tác")
    assert build(p, pdf=False, issue=["qd", "tb", "kh"], issue_date=DAY).ok
    capsys.readouterr()

    def listed(*args) -> list[list[str]]:
        assert _cli(p, "register", "list", *args) == 0
        return [line.split("\t") for line in capsys.readouterr().out.splitlines()]

    rows = listed()
    assert rows[0][:4] == ["Mã", "Số, ký hiệu", "Ngày", "Tình trạng"]
    ids = [r[0] for r in rows[1:]]
    assert ids.index("4275") < ids.index("tb")  # by series, then number
    assert [r[1] for r in rows[1:] if r[0] in ("kh", "qd", "tb")] == sorted(
        r[1] for r in rows[1:] if r[0] in ("kh", "qd", "tb")
    )
    assert [r[0] for r in listed("--type", "qd")[1:]] == ["qd"]
    assert [r[0] for r in listed("--type", "Quyết định")[1:]] == ["qd"]
    assert [r[0] for r in listed("--type", "ke-hoach")[1:]] == ["kh"]
    assert [r[0] for r in listed("--tim", "giao ban")[1:]] == ["tb"]
    assert [r[0] for r in listed("--tim", "THANH LAP")[1:]] == ["qd"]  # no accents, any case
    assert _cli(p, "register", "list", "--tim", "không có đâu") == 0
    assert "Sổ không có văn bản nào (có chữ không có đâu)" in capsys.readouterr().err
    assert _cli(p, "register", "list", "--type", "HD") == 0
    assert "không có văn bản nào" in capsys.readouterr().err


CREATE_AND_USE = """
import sys, time
from pathlib import Path
from mtcl_docs.number.register import EntryFields, Register, SeriesKey
folder, worker, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
while time.time() < start:
    pass
for round in range(int(sys.argv[4])):
    with Register.open(folder / f"r{round}.sqlite") as register:
        for i in range(3):
            doc = f"{worker}-{i}"
            f = lambda n: EntryFields("org", doc, "t", "TB", f"{n:02d}/TB-X", "2026-01-01",
                                      "Thông báo", "A", "B", "C", None, "0" * 64)
            entry = register.allocate(SeriesKey("org", "year:2026", ""), doc, f)
            register.confirm(entry.id, f(entry.number), "{}")
"""


def test_four_processes_create_and_use_a_new_register_at_once(tmp_path):
    rounds, start = 8, time.time() + 1.5  # all start together, on files none has made yet
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_AND_USE, str(tmp_path), f"w{w}", str(start), str(rounds)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for w in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    for round in range(rounds):
        with Register.open(tmp_path / f"r{round}.sqlite") as register:
            assert sorted(e.number for e in register.entries()) == list(range(1, 13))
            assert register.problems() == [] and register.schema_version == 3


def test_a_change_of_the_number_line_after_issue_is_refused(data_copy, tmp_path):
    """The register and the files keep the number the document was issued with."""
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    replace_in(data_copy / "orgs" / "truong-mau.yaml", "symbol: ĐHM", "symbol: ĐHMX")
    [problem] = [str(x) for x in build(p, pdf=False).problems]
    assert "4275/TB-ĐHM" in problem and "số, ký hiệu" in problem
    with Register.open(p.register) as register:
        assert register.current("truong-mau", "4275-truong-mau").symbol == "4275/TB-ĐHM"


class _PdfFails:
    """A conversion pool whose every PDF fails (LibreOffice broke on them)."""

    def __init__(self, *args, **kw):
        self.sources = []

    def submit(self, docx, pdf):
        self.sources.append(docx)

    def finish(self):
        from types import SimpleNamespace

        return [SimpleNamespace(source=s, pdf=None, error="hỏng giả") for s in self.sources]

    def shutdown(self):
        pass


def test_a_document_whose_pdf_failed_gives_its_number_back_and_keeps_no_file_with_it(
    data_copy, tmp_path, monkeypatch
):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    draft_notice(data_copy, "a")
    monkeypatch.setattr(mtcl_docs.build, "_pool", lambda *a, **kw: _PdfFails())
    report = build(p, issue=["a"], issue_date=DAY)
    assert report.issued == [] and any("số 01 đã được trả lại" in str(x) for x in report.problems)
    assert not (p.output / "docx" / "hvbctt" / "a.docx").exists()  # it showed Số 01-TB/HVBCTT
    assert "a" not in [b.job.doc.id for b in report.built]
    with Register.open(p.register) as register:
        assert register.current("hvbctt", "a") is None
