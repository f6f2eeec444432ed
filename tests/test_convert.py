"""LibreOffice conversion: a missing soffice and a file it cannot read are reported, not crashed on."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import paths, seed_data

from mtcl_docs.build import build
from mtcl_docs.convert import soffice
from mtcl_docs.convert.pool import to_pdf
from mtcl_docs.convert.soffice import ConversionError, find_soffice


def test_missing_soffice_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ConversionError, match="libreoffice-writer-nogui"):
        find_soffice()


def test_build_without_soffice_keeps_the_docx_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "/nonexistent")
    report = build(paths(seed_data(tmp_path / "data"), tmp_path))
    assert [str(p) for p in report.problems] == [
        "LibreOffice không tìm thấy LibreOffice (soffice) để làm PDF; "
        "cài bằng: apt-get install libreoffice-writer-nogui fonts-liberation2 python3-uno"
    ]
    assert len(list((tmp_path / "out" / "docx").rglob("*.docx"))) == 2
    assert not list(tmp_path.rglob("*.pdf"))


def test_unreadable_file_fails_alone(tmp_path, seed_build):
    good = next(iter(seed_build.values())).docx
    bad = tmp_path / "hong.docx"
    bad.write_bytes(good.read_bytes()[:3000])  # a DOCX cut short, as by a crashed copy
    out = tmp_path / "pdf" / "x"
    results = to_pdf([good, bad], [out / "good.pdf", out / "bad.pdf"], jobs=1)
    by_name = {r.source.name: r for r in results}
    assert by_name[good.name].pdf == out / "good.pdf" and (out / "good.pdf").stat().st_size > 0
    assert by_name["hong.docx"].pdf is None and "không tạo được PDF" in by_name["hong.docx"].error
    assert sorted(p.name for p in (tmp_path / "pdf").rglob("*")) == ["good.pdf", "x"]


def test_batches_split_across_processes(tmp_path, seed_build):
    sources = [b.docx for b in seed_build.values()]
    targets = [tmp_path / "pdf" / "o" / f"{s.stem}.pdf" for s in sources]
    results = to_pdf(sources, targets, jobs=2)
    assert sorted(r.pdf for r in results) == sorted(targets)
    assert all(Path(t).stat().st_size > 1000 for t in targets)


def test_build_without_python3_uno_keeps_the_docx_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setattr(soffice, "PYTHONS", ("/nonexistent/python3",))
    soffice.find_uno_python.cache_clear()
    try:
        report = build(paths(seed_data(tmp_path / "data"), tmp_path))
    finally:
        soffice.find_uno_python.cache_clear()
    assert [str(p) for p in report.problems] == [
        "LibreOffice không tìm thấy python3-uno để điều khiển LibreOffice; "
        "cài bằng: apt-get install libreoffice-writer-nogui fonts-liberation2 python3-uno"
    ]
    assert len(list((tmp_path / "out" / "docx").rglob("*.docx"))) == 2
