"""Incremental builds: nothing changed → nothing rendered or converted; each kind of change rebuilds
what depends on it, and only that (issue 7, part 4)."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, paths, seed_data
from docx import Document

import mtcl_docs.cache
from mtcl_docs.build import build
from mtcl_docs.cli import main


@pytest.fixture
def project(tmp_path):
    data = seed_data(tmp_path / "data")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    p = paths(data, tmp_path, templates=templates)
    first = build(p)
    assert first.ok and len(first.rebuilt) == 2, [str(x) for x in first.problems]
    return p


def _rebuilt(report) -> list[str]:
    return sorted(b.job.doc.id for b in report.rebuilt)


def test_nothing_changed_renders_and_converts_nothing(project):
    bundle = project.output / "luu-tru" / "ho-so-luu-tru.pdf"
    stamp = bundle.stat().st_mtime_ns
    report = build(project)
    assert report.ok and _rebuilt(report) == []
    assert report.timings["render"] == 0 and report.timings["check"] == 0
    assert report.timings["convert"] < 0.05  # the pool never started
    assert bundle.stat().st_mtime_ns == stamp  # the archive is not rewritten either
    assert len(report.built) == 2 and all(b.pdf for b in report.built)


def test_changing_one_yaml_rebuilds_that_document_only(project):
    notice = project.data / "notices" / "4275-truong-mau.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8") + "salutation: Kính chào!\n", encoding="utf-8"
    )
    # an issued document changes only with a recorded reason (issue 13, item 1)
    assert main(["register", "amend", "4275-truong-mau", "--ly-do", "Sửa lời chào",
                 "--data", str(project.data), "--templates", str(project.templates),
                 "--register", str(project.register)]) == 0  # fmt: skip
    report = build(project)
    assert _rebuilt(report) == ["4275-truong-mau"]
    assert "Kính chào!" in [p.text for p in Document(str(report.rebuilt[0].docx)).paragraphs]


def test_a_template_change_rebuilds_what_uses_it(project):
    template = project.templates / "van-ban.docx"
    document = Document(str(template))
    document.core_properties.comments = "sửa trong Word"
    document.save(str(template))
    assert _rebuilt(build(project)) == ["4275", "4275-truong-mau"]


def test_an_organisation_profile_change_rebuilds_its_documents(project):
    org = project.data / "orgs" / "truong-mau.yaml"
    org.write_text(
        org.read_text(encoding="utf-8") + "overrides:\n  basis: {last_end: ','}\n", encoding="utf-8"
    )
    assert _rebuilt(build(project)) == ["4275-truong-mau"]


def test_a_new_package_version_rebuilds_everything(project, monkeypatch):
    monkeypatch.setattr(mtcl_docs.cache, "__version__", "99.0")
    assert _rebuilt(build(project)) == ["4275", "4275-truong-mau"]


def test_force_rebuilds_everything(project):
    assert _rebuilt(build(project, force=True)) == ["4275", "4275-truong-mau"]


def test_deleted_or_altered_outputs_are_rebuilt(project):
    (project.output / "pdf" / "hvbctt" / "4275.pdf").unlink()
    with (project.output / "docx" / "truong-mau" / "4275-truong-mau.docx").open("ab") as f:
        f.write(b"\0")
    form = project.output / "don-vi" / "VP" / "ke-hoach-mtcl-2022-2023.docx"
    form.unlink()
    report = build(project)
    assert _rebuilt(report) == ["4275", "4275-truong-mau"]
    assert form.is_file()


def test_a_lost_cache_only_costs_a_full_rebuild(project):
    (project.output / ".cache" / "build.json").write_text("{ hỏng", encoding="utf-8")
    report = build(project)
    assert report.ok and _rebuilt(report) == ["4275", "4275-truong-mau"]


def test_building_one_document_into_an_empty_output_counts_what_it_kept(tmp_path, capsys):
    """`build TÊN` on a fresh output: the others are neither built nor 'kept' (the count once
    came out negative: -1)."""
    data = seed_data(tmp_path / "data")
    args = ["--data", str(data), "--output", str(tmp_path / "out"),
            "--register", str(tmp_path / "r.sqlite")]  # fmt: skip
    main(["build", "4275", "--no-pdf", *args])
    said = capsys.readouterr().out
    assert "Đã dựng 1 văn bản, giữ nguyên 0 văn bản không đổi" in said
    assert "Chưa dựng lại 1 văn bản khác" in said
