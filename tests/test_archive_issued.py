"""The archive holds issued documents only and follows its outputs; `verify` sees the whole output
folder, the manifest's metadata and its three forms, and never leaves output/ (issue 13, item 3)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import paths, seed_data
from pypdf import PdfReader

import mtcl_docs.archive.verify as verify_module
from mtcl_docs.archive.manifest import sha256
from mtcl_docs.archive.verify import verify
from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.number.register import Register

ISSUED = {"4275", "4275-truong-mau"}


def _draft(data: Path, name: str, subject: str) -> None:
    (data / "notices" / f"{name}.yaml").write_text(
        f"based_on: 4275.yaml\nnumber: null\ndraft_mark: DỰ THẢO\ndate: 2026-11-20\n"
        f"subject: {subject}\n",
        encoding="utf-8",
    )


def _cli(p, *args) -> int:
    return main(
        [*args, "--data", str(p.data), "--output", str(p.output), "--register", str(p.register)]
    )


def _archived(output: Path) -> dict[str, set[str]]:
    """The documents each form of the archive lists (JSON, CSV, XML, bundle bookmarks)."""
    folder = output / "luu-tru"
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    with (folder / "manifest.csv").open(encoding="utf-8-sig") as f:
        rows = {r["DocId"] for r in csv.DictReader(f)}
    xml = (folder / "manifest.xml").read_text(encoding="utf-8")
    bundle = PdfReader(folder / "ho-so-luu-tru.pdf")
    tops = [i.title for i in bundle.outline if not isinstance(i, list)]
    return {
        "json": {d["DocId"] for d in data["documents"]},
        "csv": rows,
        "xml": {
            d for d in ("4275", "4275-truong-mau", "tb-nhap", "tb-huy") if f"<DocId>{d}<" in xml
        },
        "bundle": {t for t in tops if "Nháp" in t or "Hủy" in t},
    }


def test_drafts_and_cancelled_numbers_never_enter_the_archive(tmp_path, capsys):
    data = seed_data(tmp_path / "data")
    _draft(data, "tb-nhap", "Nháp chưa ký")
    _draft(data, "tb-huy", "Hủy sau khi cấp số")
    p = paths(data, tmp_path)
    report = build(p, issue=["tb-huy"], issue_date=dt.date(2026, 11, 25))
    assert report.ok, [str(x) for x in report.problems]
    listed = _archived(p.output)
    assert listed["json"] == listed["csv"] == listed["xml"] == ISSUED | {"tb-huy"}
    assert len(listed["bundle"]) == 1  # the issued one, not the draft
    assert (p.output / "docx" / "hvbctt" / "tb-nhap.docx").is_file()  # built, not archived
    assert verify(p.output, p.register) == []

    # cancel: the files that read the cancelled number leave at once, the archive drops them
    assert _cli(p, "register", "cancel", "tb-huy", "--reason", "Ban hành nhầm") == 0
    said = capsys.readouterr().out
    assert "tb-huy-so-01-2026.pdf (bản mang số đã hủy)" in said
    assert "chạy mtcl-docs build để làm lại tệp gộp" in said
    moved = sorted(x.relative_to(p.output).as_posix() for x in (p.output / "da-huy").rglob("*.*"))
    assert moved == [
        "da-huy/da-huy.json",
        "da-huy/hvbctt/tb-huy-so-01-2026.docx",
        "da-huy/hvbctt/tb-huy-so-01-2026.pdf",
    ]
    assert not (p.output / "docx" / "hvbctt" / "tb-huy.docx").exists()
    assert not (p.output / "pdf" / "hvbctt" / "tb-huy.pdf").exists()
    data_json = json.loads((p.output / "luu-tru" / "manifest.json").read_text(encoding="utf-8"))
    assert {d["DocId"] for d in data_json["documents"]} == ISSUED
    assert verify(p.output, p.register) == []

    # the next plain build: the cancelled document is a draft again, still outside the archive
    report = build(p)
    assert report.ok, [str(x) for x in report.problems]
    listed = _archived(p.output)
    assert listed["json"] == listed["csv"] == listed["xml"] == ISSUED
    assert listed["bundle"] == set()
    assert verify(p.output, p.register) == []
    assert main(["verify", str(p.output), "--register", str(p.register)]) == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("issued")
    data = seed_data(tmp / "data")
    _draft(data, "tb-nhap", "Nháp chưa ký")
    p = paths(data, tmp)
    assert build(p).ok
    assert verify(p.output, p.register) == []
    return p


def test_a_deleted_pdf_or_an_interrupted_build_is_followed_by_a_fresh_archive(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built.output, out)
    p = paths(built.data, tmp_path)
    shutil.copy(built.register, p.register)
    pdf = out / "pdf" / "hvbctt" / "4275.pdf"
    pdf.unlink()
    # what a build killed while writing leaves: a half-written file of a process that is gone
    stale = out / "pdf" / "hvbctt" / ".4275.pdf.999999999.tmp"
    stale.write_bytes(b"%PDF-1.7 half")
    assert verify(out) != []
    report = build(p)
    assert report.ok and pdf.is_file() and not stale.exists()
    manifest = json.loads((out / "luu-tru" / "manifest.json").read_text(encoding="utf-8"))
    record = next(d for d in manifest["documents"] if d["DocId"] == "4275")
    assert record["Files"]["pdf"]["sha256"] == sha256(pdf)
    assert manifest["bundle"]["sha256"] == sha256(out / "luu-tru" / "ho-so-luu-tru.pdf")
    assert verify(out, p.register) == []


def test_an_altered_pdf_changes_the_archive_key(built, tmp_path):
    """The key follows the files: the same inputs with a different PDF on disk remake the archive."""
    from mtcl_docs.archive.outputs import archive_key_parts

    pdf = built.output / "pdf" / "hvbctt" / "4275.pdf"
    docx = built.output / "docx" / "hvbctt" / "4275.docx"

    class Doc:
        def model_dump_json(self):
            return "{}"

    class Job:
        doc = Doc()
        doc.id = "4275"
        org = type("Org", (), {"id": "hvbctt"})

    before = archive_key_parts([(Job, docx, pdf)], [], built.output)
    copy = tmp_path / "x.pdf"
    shutil.copy(pdf, copy)
    try:
        os.utime(pdf, ns=(pdf.stat().st_atime_ns, pdf.stat().st_mtime_ns + 10**9))
        assert archive_key_parts([(Job, docx, pdf)], [], built.output) != before
    finally:
        shutil.copy2(copy, pdf)


@pytest.fixture
def copy(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built.output, out)
    assert verify(out, built.register) == []
    return out


def _edit_json(out: Path, **fields) -> None:
    path = out / "luu-tru" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = next(d for d in data["documents"] if d["DocId"] == "4275")
    doc.update(fields)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _fails(out: Path, capsys) -> str:
    assert main(["verify", str(out)]) == 1
    return capsys.readouterr().err


def test_verify_sees_edited_manifest_metadata(copy, built, capsys):
    _edit_json(copy, Subject="Trích yếu khác", IssuedDate="01/01/2020")
    problems = verify(copy)
    assert "đã bị sửa sau lần dựng: luu-tru/manifest.json" in problems
    assert "manifest.json ghi Subject của 4275 khác bản PDF pdf/hvbctt/4275.pdf" in problems
    assert "manifest.json ghi IssuedDate của 4275 khác bản PDF pdf/hvbctt/4275.pdf" in problems
    # without the build's record the PDF and the register still tell
    shutil.rmtree(copy / ".cache")
    shutil.rmtree(copy / "docx" / "hvbctt")  # (drafts are known from that record only)
    problems = verify(copy, built.register)
    assert "manifest.json ghi IssuedDate của 4275 khác sổ đăng ký" in problems
    assert "manifest.json ghi TypeName/Subject của 4275 khác sổ đăng ký" in problems
    assert "4275" in _fails(copy, capsys)


def test_verify_sees_a_field_the_pdf_does_not_carry(copy, capsys):
    _edit_json(copy, DueDate="01/01/2030")
    assert verify(copy) == [
        "đã bị sửa sau lần dựng: luu-tru/manifest.json",
        "luu-tru/manifest.csv khác manifest.json ở văn bản 4275: DueDate",
        "luu-tru/manifest.xml khác manifest.json ở văn bản 4275: DueDate",
    ]
    _fails(copy, capsys)


def test_verify_sees_a_manifest_naming_a_draft_or_a_cancelled_number(copy, built, tmp_path):
    _edit_json(copy, CodeNumber="")
    assert "manifest.json có văn bản chưa có số (dự thảo): 4275" in verify(copy)
    register = tmp_path / "so.sqlite"
    shutil.copy(built.register, register)
    with Register.open(register) as r:
        r.cancel(None, "4275-truong-mau", "thử")
    assert "manifest.json có văn bản 4275-truong-mau đã bị hủy số" in verify(copy, register)


def test_verify_sees_edited_csv_and_xml(copy, capsys):
    csv_path = copy / "luu-tru" / "manifest.csv"
    original = csv_path.read_bytes()
    csv_path.write_bytes(original.replace("Phạm Minh Sơn".encode(), "Người Khác".encode(), 1))
    problems = verify(copy)
    assert any(
        p.startswith("luu-tru/manifest.csv khác manifest.json ở văn bản") and "FullName" in p
        for p in problems
    ), problems
    assert "đã bị sửa sau lần dựng: luu-tru/manifest.csv" in problems
    _fails(copy, capsys)
    csv_path.write_bytes(original)
    assert verify(copy) == []

    xml_path = copy / "luu-tru" / "manifest.xml"
    xml = xml_path.read_text(encoding="utf-8")
    xml_path.write_text(xml.replace("<IssuedDate>12/09/2022", "<IssuedDate>13/09/2022", 1), "utf-8")
    problems = verify(copy)
    assert any(
        p.startswith("luu-tru/manifest.xml khác manifest.json ở văn bản 4275")
        and p.endswith(": IssuedDate")
        for p in problems
    ), problems
    _fails(copy, capsys)


def test_verify_reports_files_added_anywhere(copy, capsys):
    (copy / ".gitkeep").write_text("", encoding="utf-8")  # the project's placeholder: not extra
    (copy / "bench").mkdir()
    (copy / "bench" / "bench-1.json").write_text("{}", encoding="utf-8")  # make bench's, not ours
    (copy / "ghi-chu.txt").write_text("x", encoding="utf-8")
    (copy / "la").mkdir()
    (copy / "la" / "b.pdf").write_bytes(b"x")
    (copy / "luu-tru" / "them.pdf").write_bytes(b"x")
    (copy / "docx" / "lien-ket.docx").symlink_to("/etc/passwd")
    problems = verify(copy)
    assert problems == [
        "thừa (không có trong manifest): ghi-chu.txt",
        "thừa (không có trong manifest): la/b.pdf",
        "thừa (không có trong manifest): luu-tru/them.pdf",
        "thừa (liên kết, không theo): docx/lien-ket.docx",
    ]
    assert "4 chỗ không khớp" in _fails(copy, capsys)


def test_verify_sees_an_altered_draft(copy):
    with (copy / "docx" / "hvbctt" / "tb-nhap.docx").open("ab") as f:
        f.write(b"\0")
    assert verify(copy) == ["đã bị thay đổi: docx/hvbctt/tb-nhap.docx"]


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/passwd", "pdf/../../../etc/passwd"])
def test_verify_refuses_paths_leaving_output_without_reading_them(copy, bad, capsys, monkeypatch):
    _edit_json(copy, Files={"pdf": {"path": bad, "sha256": "0" * 64}})
    read = []
    real = verify_module.sha256
    monkeypatch.setattr(verify_module, "sha256", lambda path: read.append(path) or real(path))
    problems = verify(copy)
    assert f"đường dẫn ra ngoài {copy}/, không đọc: {bad!r}" in problems
    assert all(Path(x).resolve().is_relative_to(copy.resolve()) for x in read)
    assert "passwd" in _fails(copy, capsys)


# -- after any interrupted build, a plain build leaves verify clean ------------------------------


def _descendants(pid: int) -> list[int]:
    """The build's processes (LibreOffice included), found before the kill, to end them by id."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.append(child)
                    todo.append(child)
    return found


def _kill_build_when(p, seen) -> bool:
    """Run `mtcl-docs build` and kill -9 it (and what it started) once `seen()` holds."""
    import signal
    import subprocess
    import sys
    import time

    args = ["build", "--data", str(p.data), "--output", str(p.output), "--register", str(p.register),
            "--templates", str(p.templates)]  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "mtcl_docs", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline, hit = time.monotonic() + 120, False
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if seen():
                hit = True
                break
            time.sleep(0.005)
    finally:
        started = _descendants(proc.pid)
        for pid in [proc.pid, *started]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.wait()
    return hit


def _stage_seen(output: Path, stage: str):
    if stage == "render":
        folder, pattern = output / "docx", "*.docx"
    elif stage == "convert":
        folder, pattern = output / "pdf", "*.pdf"
    else:  # the archive: once the manifest is rewritten
        manifest = output / "luu-tru" / "manifest.json"
        before = manifest.stat().st_mtime_ns
        return lambda: not manifest.is_file() or manifest.stat().st_mtime_ns != before
    return lambda: folder.is_dir() and any(folder.rglob(pattern))


@pytest.mark.parametrize("stage", ["render", "convert", "archive"])
def test_a_plain_build_after_a_killed_one_leaves_verify_clean(tmp_path, stage):
    data = seed_data(tmp_path / "data")
    _draft(data, "tb-nhap", "Nháp chưa ký")
    p = paths(data, tmp_path)
    assert build(p).ok  # a first build, then a change the killed build was making
    draft = data / "notices" / "tb-nhap.yaml"
    draft.write_text(draft.read_text(encoding="utf-8").replace("Nháp", "Bản nháp"), "utf-8")
    for pdf in (p.output / "pdf").rglob("*.pdf"):
        pdf.unlink()  # so that the killed build converts again
    if stage == "render":
        shutil.rmtree(p.output / "docx")
    assert _kill_build_when(p, _stage_seen(p.output, stage))
    report = build(p)
    assert report.ok, [str(x) for x in report.problems]
    assert verify(p.output, p.register) == []


def test_verify_reports_a_manifest_field_of_the_wrong_kind(copy, built, capsys):
    _edit_json(copy, SignerInfo="Giám đốc", To="ai đó")
    problems = verify(copy, built.register)
    assert any("có trường sai kiểu, không đối chiếu được" in p for p in problems), problems
    _fails(copy, capsys)


def test_verify_does_not_follow_linked_manifests(copy, tmp_path):
    secret = tmp_path / "bi-mat.json"
    secret.write_text('{"documents": [], "forms": []}', encoding="utf-8")
    xml = copy / "luu-tru" / "manifest.xml"
    xml.unlink()
    xml.symlink_to(secret)
    problems = verify(copy)
    assert "luu-tru/manifest.xml là liên kết, không đọc" in problems
    manifest = copy / "luu-tru" / "manifest.json"
    manifest.unlink()
    manifest.symlink_to(secret)
    assert verify(copy) == [
        f"luu-tru/manifest.json là liên kết (có thể ra ngoài {copy}/), không đọc"
    ]


def test_verify_checks_what_other_commands_recorded(copy):
    from mtcl_docs.archive.ledger import record_written

    book = copy / "so-dang-ky" / "hvbctt-2026.csv"
    book.parent.mkdir()
    book.write_text("a,b\n", encoding="utf-8")
    (copy / "mtcl").mkdir()
    (copy / "mtcl" / "lien-ket").symlink_to("/etc")
    assert verify(copy) == ["thừa (liên kết, không theo): mtcl/lien-ket"]  # not recorded: its own
    (copy / "mtcl" / "lien-ket").unlink()
    record_written(copy, [book, Path("/etc/passwd")])
    assert verify(copy) == []
    book.write_text("a,c\n", encoding="utf-8")
    assert verify(copy) == ["đã bị thay đổi: so-dang-ky/hvbctt-2026.csv"]
