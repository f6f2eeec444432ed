"""Templates a clerk broke or a stranger wrote (issue 13, item 11): check-templates names every
syntax error and every tag the sandbox refuses, and a build bounds what a template may make."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TEMPLATES, paths
from docx import Document

from mtcl_docs.build import build
from mtcl_docs.render.jinja import template_env
from mtcl_docs.render.lint import lint_templates


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    """A paragraph whose text is `old` gets the text `new`, in one run."""
    document = Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text == old:
            for run in paragraph.runs[1:]:
                run._r.getparent().remove(run._r)
            paragraph.runs[0].text = new
            document.save(str(path))
            return
    raise AssertionError(f"no paragraph {old!r}")


def _errors(templates: Path) -> list[str]:
    return [str(f) for f in lint_templates(templates) if f.error]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("{{ subject }", "thẻ mở '{{' không được đóng"),
        ("{{ subject", "thẻ mở '{{' không được đóng"),
        ("{ subject }}", "dấu đóng '}}' không có dấu mở"),
        ("{% if subject %}{{ subject }}", "sai cú pháp thẻ"),
    ],
)
def test_a_broken_tag_is_an_error(templates, written, said):
    _replace(templates / "van-ban.docx", "{{ subject }}", written)
    errors = _errors(templates)
    assert any("van-ban.docx" in e and said in e for e in errors), errors


@pytest.mark.parametrize(
    ("written", "tag"),
    [
        ("{% include 'phu-luc.docx' %}", "include"),
        ("{% import 'x' as y %}", "import"),
        ("{% from 'x' import y %}", "from … import"),
        ("{% extends 'x' %}", "extends"),
    ],
)
def test_tags_that_read_other_files_are_errors(templates, written, tag):
    _replace(templates / "van-ban.docx", "{{ subject }}", written)
    errors = _errors(templates)
    assert any(f"thẻ {{% {tag} %}} không dùng được" in e for e in errors), errors


@pytest.mark.parametrize("written", ["{{ subject.__class__ }}", "{{ subject['__len__'] }}"])
def test_a_name_the_sandbox_refuses_is_an_error_in_check_templates(templates, written):
    _replace(templates / "van-ban.docx", "{{ subject }}", written)
    errors = _errors(templates)
    assert any("bắt đầu bằng '_'" in e for e in errors), errors


def test_a_huge_number_is_an_error_in_check_templates(templates):
    _replace(templates / "van-ban.docx", "{{ subject }}", "{{ 'A' * 3000000000 }}")
    errors = _errors(templates)
    assert any("số 3000000000 quá lớn" in e for e in errors), errors


@pytest.mark.parametrize(
    "written",
    [
        "{{ 'A' * 3000000000 }}",
        "{{ 'A' * n }}{% set n = 3000000000 %}",
        "{% for i in range(1000000000) %}x{% endfor %}",
        "{{ ['A'] * 3000000000 }}",
        "{{ 'x'|center(3000000000) }}",
        "{{ '{:>3000000000}'.format(1) }}",
        "{{ 2 ** 100000000 }}",
    ],
)
def test_the_sandbox_bounds_sizes(written):
    with pytest.raises(Exception) as caught:
        template_env().from_string(written).render(n=3000000000)
    assert "quá lớn" in str(caught.value)


def test_an_oversized_template_fails_its_documents_with_a_clear_message(
    templates, data_copy, tmp_path
):
    _replace(templates / "van-ban.docx", "{{ subject }}", "{{ subject * 3000000000 }}")
    report = build(paths(data_copy, tmp_path, templates=templates), pdf=False)
    messages = [str(p) for p in report.problems]
    assert report.built == []
    assert messages and all("van-ban.docx" in m and "quá lớn" in m for m in messages), messages


def test_include_fails_the_template_not_the_data(templates, data_copy, tmp_path):
    _replace(templates / "van-ban.docx", "{{ subject }}", "{% include 'x' %}")
    report = build(paths(data_copy, tmp_path, templates=templates), pdf=False)
    messages = [str(p) for p in report.problems]
    assert messages and all(m.startswith(str(templates / "van-ban.docx")) for m in messages)
    assert all("include" in m for m in messages), messages


def test_ordinary_templates_still_work():
    env = template_env()
    text = "{{ 'Số %s'|format(1234567) }} {{ '{:,}'.format(12345678) }} {{ range(3)|list }}"
    assert env.from_string(text).render() == "Số 1234567 12,345,678 [0, 1, 2]"


def test_a_build_refuses_an_unclosed_tag_instead_of_swallowing_text(templates, data_copy, tmp_path):
    _replace(templates / "van-ban.docx", "{{ subject }}", "{{ subject }")
    report = build(paths(data_copy, tmp_path, templates=templates), pdf=False)
    messages = [str(p) for p in report.problems]
    assert report.built == []
    assert messages and all(
        m.startswith(str(templates / "van-ban.docx")) and "không được đóng" in m for m in messages
    ), messages


def test_a_template_linked_from_outside_is_not_read(templates, data_copy, tmp_path):
    outside = tmp_path / "ngoai.docx"
    (templates / "van-ban.docx").rename(outside)
    (templates / "van-ban.docx").symlink_to(outside)
    assert any("symlink" in e for e in _errors(templates))
    report = build(paths(data_copy, tmp_path, templates=templates), pdf=False)
    messages = [str(p) for p in report.problems]
    assert report.built == []
    assert messages and all("symlink" in m for m in messages), messages


def test_loops_within_loops_are_bounded_together():
    nested = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    with pytest.raises(Exception) as caught:
        template_env().from_string(nested).render()
    assert "lặp quá nhiều lần" in str(caught.value)
    small = "{% for i in range(3) %}{{ i }}{% endfor %} {{ range(5)|length }} {{ 3 in range(5) }}"
    for _ in range(3):  # each rendering has the whole budget again
        assert template_env().from_string(small).render() == "012 5 True"
