"""Templates: the shipped ones lint clean; each kind of clerk mistake is caught and named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import TEMPLATES, paths
from docx import Document

from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.render.lint import lint_templates


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def _edit_paragraph(path: Path, old: str, new_runs: list[str]) -> None:
    """Replace a paragraph's text by runs, as Word does when a clerk edits part of it."""
    document = Document(str(path))
    for paragraph in [*document.paragraphs, *(p for t in document.tables for c in t._cells for p in c.paragraphs)]:  # fmt: skip
        if paragraph.text == old:
            for run in paragraph.runs:
                run._r.getparent().remove(run._r)
            for text in new_runs:
                paragraph.add_run(text)
            document.save(str(path))
            return
    raise AssertionError(f"no paragraph {old!r}")


def test_shipped_templates_are_clean():
    assert lint_templates(TEMPLATES) == []


def test_unknown_variable_is_named(templates):
    _edit_paragraph(templates / "van-ban.docx", "{{ doc_type }}", ["{{ doc_typ }}"])
    findings = [str(f) for f in lint_templates(templates)]
    assert any("van-ban.docx" in f and "«doc_typ»" in f for f in findings), findings


def test_unknown_field_of_a_nested_variable_is_named(templates):
    _edit_paragraph(templates / "van-ban.docx", "{{ signer.name }}", ["{{ signer.names }}"])
    findings = [str(f) for f in lint_templates(templates)]
    assert any("«signer.names» không có" in f for f in findings), findings


def test_syntax_error_shows_where(templates):
    _edit_paragraph(templates / "van-ban.docx", "{%p endfor %}", ["{%p endfro %}"])
    findings = [str(f) for f in lint_templates(templates)]
    assert any("sai cú pháp thẻ" in f for f in findings), findings


def test_tag_split_across_runs_is_a_warning(templates):
    _edit_paragraph(templates / "van-ban.docx", "{{ subject }}", ["{{ sub", "ject }}"])
    findings = lint_templates(templates)
    assert [f.error for f in findings] == [False]
    assert "«{{ subject }}»" in str(findings[0])


def test_cli_exit_code(templates, capsys):
    assert main(["check-templates", "--templates", str(templates)]) == 0
    _edit_paragraph(templates / "van-ban.docx", "{{ doc_type }}", ["{{ doc_typ }}"])
    assert main(["check-templates", "--templates", str(templates)]) == 1
    assert "doc_typ" in capsys.readouterr().err


def test_placeholder_without_data_fails_the_document_not_the_build(templates, data_copy, tmp_path):
    _edit_paragraph(templates / "van-ban.docx", "{{ doc_type }}", ["{{ doc_type }} {{ ghi_chu }}"])
    report = build(paths(data_copy, tmp_path, templates=templates), pdf=False)
    messages = [str(p) for p in report.problems]
    assert report.built == []
    assert any("van-ban.docx" in m and "ghi_chu" in m for m in messages), messages
    assert not any((tmp_path / "out" / "docx").rglob("*.docx"))


def test_section_break_right_before_a_table_is_a_warning(templates):
    """A clerk puts a table of their own on the register book's landscape page, dropping the
    empty line our template keeps after the section break."""
    path = templates / "so-dang-ky-van-ban-di.docx"
    document = Document(str(path))
    [broken] = [p._p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.sectPr is not None]  # fmt: skip
    spacer = broken.getnext()
    spacer.addnext(document.add_table(rows=1, cols=1)._tbl)
    spacer.getparent().remove(spacer)
    document.save(str(path))
    findings = lint_templates(templates)
    assert [f.error for f in findings] == [False]
    assert "LibreOffice sẽ bỏ qua ngắt trang" in str(findings[0])
