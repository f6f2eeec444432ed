"""Paths stay inside (issue 13, item 7): every name from the data that becomes a path is checked to
stay in its folder; an escape is an error for that file that never shows the target's content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import paths, replace_in

from mtcl_docs.build import build
from mtcl_docs.errors import DocumentError
from mtcl_docs.load.loader import load_org
from mtcl_docs.plans.collect import returned_tables
from mtcl_docs.plans.readers import PLAN_COLUMNS
from mtcl_docs.plans.units import UnitIndex
from mtcl_docs.render.engine import template_path

SECRET = "mat-khau-bi-mat: 12345"


def _build(data: Path, tmp_path: Path):
    return build(paths(data, tmp_path), pdf=False)


def _messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def _outside_files(tmp_path: Path) -> set[Path]:
    return {p for p in tmp_path.rglob("*") if p.is_file()}


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project whose content must never be read or shown."""
    target = tmp_path / "ngoai" / "secret.yaml"
    target.parent.mkdir()
    target.write_text(f"{SECRET}\nmore: [a, b]\n", encoding="utf-8")
    return target


def test_a_unit_code_that_climbs_out_is_refused(data_copy, tmp_path):
    org = data_copy / "orgs" / "hvbctt.yaml"
    replace_in(org, "{code: VP,", "{code: ../../../../../tmp/x,")
    report = _build(data_copy, tmp_path)
    messages = _messages(report)
    assert any(
        m.startswith(str(org)) and "units[" in m and "không dùng được làm mã đơn vị" in m
        for m in messages
    ), messages
    out = (tmp_path / "out").resolve()
    written = [p for p in tmp_path.rglob("*.docx") if not p.resolve().is_relative_to(out)]
    assert written == []
    assert not Path("/tmp/x").exists()


@pytest.mark.parametrize("name", ["...yaml", ".an.yaml"])
def test_an_org_file_whose_name_is_no_folder_name_is_refused(data_copy, tmp_path, name):
    (data_copy / "orgs" / "truong-mau.yaml").rename(data_copy / "orgs" / name)
    report = _build(data_copy, tmp_path)
    assert any(f"tên tệp '{name}' không dùng được làm mã cơ quan" in m for m in _messages(report))
    top = {p.name for p in (tmp_path / "out").iterdir()} if (tmp_path / "out").exists() else set()
    assert not {p for p in top if p.endswith(".docx")}
    assert all((tmp_path / "out" / "docx" / "..").resolve() != p.parent.resolve()
               for p in (tmp_path / "out").rglob("*.docx") if p.parent.name == "")  # fmt: skip


def test_a_document_file_named_dot_dot_is_refused(data_copy, tmp_path):
    (data_copy / "notices" / "4275-truong-mau.yaml").rename(data_copy / "notices" / "...yaml")
    report = _build(data_copy, tmp_path)
    assert any("không dùng được làm mã văn bản" in m for m in _messages(report)), _messages(report)
    assert [b.job.doc.id for b in report.built] == ["4275"]


@pytest.mark.parametrize("how", ["absolute", "climb", "symlink", "not-yaml"])
def test_based_on_outside_its_folder_is_refused_without_reading_it(
    data_copy, tmp_path, secret, how
):
    notice = data_copy / "notices" / "4275-truong-mau.yaml"
    if how == "absolute":
        value = str(secret)
    elif how == "climb":
        value = os.path.relpath(secret, notice.parent)
    elif how == "symlink":
        (notice.parent / "goc.yaml").symlink_to(secret)
        value = "goc.yaml"
    else:
        value = "lich-thi-hk1.xlsx"
    replace_in(notice, "based_on: 4275.yaml", f"based_on: {value}")
    report = _build(data_copy, tmp_path)
    messages = _messages(report)
    assert any(m.startswith(str(notice)) and "based_on:" in m for m in messages), messages
    assert not any("mat-khau" in m or "12345" in m or "more" in m for m in messages), messages
    assert [b.job.doc.id for b in report.built] == ["4275"]


@pytest.mark.parametrize("value", ["/etc/passwd", "../../ngoai/secret.yaml", "../orgs/hvbctt.yaml"])
def test_rows_from_outside_its_folder_is_refused(data_copy, tmp_path, secret, value):
    notice = data_copy / "notices" / "4275-truong-mau.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8")
        + "appendices:\n  - title: BẢNG\n    body:\n      - table:\n          columns:\n"
        + "            - {header: A}\n"
        + f"          rows_from: {{file: '{value}'}}\n",
        encoding="utf-8",
    )
    report = _build(data_copy, tmp_path)
    messages = _messages(report)
    assert any(
        m.startswith(str(notice)) and "appendices[0].body[0].table.rows_from.file" in m
        for m in messages
    ), messages
    assert not any("mat-khau" in m or "root:" in m for m in messages), messages


def test_collect_does_not_follow_a_symlink_out_of_its_folder(tmp_path, secret):
    from conftest import ROOT

    units = UnitIndex(load_org(ROOT / "data" / "orgs" / "hvbctt.yaml").units)
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    outside = tmp_path / "ngoai" / "kbc.yaml"
    outside.write_text("unit: KBC\nobjectives: []\n", encoding="utf-8")
    (inbox / "kbc.yaml").symlink_to(outside)
    (inbox / "thu-muc").symlink_to(outside.parent, target_is_directory=True)
    failures = []
    read = list(returned_tables(inbox, units, PLAN_COLUMNS, {"objective"}, failures))
    assert read == []
    said = [str(f) for f in failures]
    assert said and all("symlink" in f and "không đọc" in f for f in said), said


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "..", ""])
def test_a_template_name_cannot_leave_the_templates_folder(tmp_path, name):
    with pytest.raises(DocumentError):
        template_path(tmp_path, name)


def test_collect_does_not_read_a_receipt_log_linked_from_outside(tmp_path, secret):
    from conftest import ROOT

    from mtcl_docs.load.loader import load_data
    from mtcl_docs.plans.collect import collect
    from mtcl_docs.plans.model import load_cycles

    loaded = load_data(ROOT / "data")
    cycles, errors = load_cycles(ROOT / "data", loaded.orgs, {j.doc.id: j for j in loaded.jobs})
    assert cycles and not errors
    inbox = tmp_path / "nhan"
    inbox.mkdir()
    (inbox / "so-nhan.yaml").symlink_to(secret)
    said = [str(f) for f in collect(inbox, cycles[0]).failures]
    assert any("so-nhan.yaml" in f and "symlink" in f for f in said), said
    assert not any("mat-khau" in f or "12345" in f for f in said), said
