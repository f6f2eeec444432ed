"""The last joints of issue 13: a formula-like trích yếu in manifest.csv, a full disk under the
register, exported registers covered by `verify`, LibreOffice for returned files dying with us."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from conftest import paths, replace_in, seed_data

import mtcl_docs.number.register as register_module
import mtcl_docs.plans.legacy as legacy
from mtcl_docs.archive.verify import verify
from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.number.register import Register, RegisterError


def test_manifest_csv_holds_a_formula_like_subject_as_text(tmp_path):
    data = seed_data(tmp_path / "data")
    replace_in(data / "notices" / "4275-truong-mau.yaml", "org: truong-mau",
               "org: truong-mau\nsubject: =HYPERLINK(\"http://x\";\"bấm\")")  # fmt: skip
    p = paths(data, tmp_path)
    assert build(p).ok
    with (p.output / "luu-tru" / "manifest.csv").open(encoding="utf-8-sig") as f:
        rows = {r["DocId"]: r for r in csv.DictReader(f)}
    assert rows["4275-truong-mau"]["Subject"].startswith("'=HYPERLINK")
    assert verify(p.output) == []  # CSV and JSON still agree


def test_a_full_disk_under_the_register_is_not_called_damage(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(register_module.sqlite3, "connect", full)
    with pytest.raises(RegisterError) as caught:
        Register.open(tmp_path / "so.sqlite")
    assert "hết chỗ trống" in str(caught.value) and "hỏng" not in str(caught.value).split(";")[0]


def test_an_exported_register_is_checked_by_verify(tmp_path):
    p = paths(seed_data(tmp_path / "data"), tmp_path)
    assert build(p).ok
    common = ["--data", str(p.data), "--output", str(p.output), "--register", str(p.register)]
    assert main(["register", "export", "--format", "csv", "--org", "hvbctt", *common]) == 0
    exported = next((p.output / "so-dang-ky").glob("*.csv"))
    assert verify(p.output) == []
    exported.write_text(exported.read_text(encoding="utf-8-sig") + "x\n", encoding="utf-8")
    assert any(exported.name in line for line in verify(p.output))


def test_libreoffice_for_returned_files_dies_with_the_command(tmp_path, monkeypatch):
    seen: list[list[str]] = []

    class Stop(Exception):
        pass

    def popen(command, **kwargs):
        seen.append(command)
        raise Stop

    monkeypatch.setattr(legacy.subprocess, "Popen", popen)
    source = tmp_path / "ke-hoach.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(Stop), legacy.converted(Path(source)):
        pass
    assert seen and "guard" in " ".join(seen[0])  # the guard kills soffice if we are killed


def test_a_link_inside_output_is_not_written_through(tmp_path):
    p = paths(seed_data(tmp_path / "data"), tmp_path)
    elsewhere = tmp_path / "ngoai"
    elsewhere.mkdir()
    (p.output / "docx").mkdir(parents=True)
    (p.output / "docx" / "hvbctt").symlink_to(elsewhere)
    report = build(p, pdf=False)
    assert not any(elsewhere.iterdir())
    assert any("liên kết dẫn ra ngoài" in x.message for x in report.problems)
    assert [b.job.doc.id for b in report.built] == ["4275-truong-mau"]  # the other one still builds
