"""Issue 15, item 3: every shipped example, built, then imported, gives back the same data: the
same fields (end punctuation, signer key or signer written out and the like normalised) and the
same printed document (numbering styles, labels, `list:` or `item:` normalised), see
draft_canon.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.text.paragraph import Paragraph
from draft_canon import canon, data_facts

from mtcl_docs.build import Paths, build
from mtcl_docs.draft.datafile import write_yaml
from mtcl_docs.draft.importer import import_draft
from mtcl_docs.draft.save import import_file
from mtcl_docs.load.loader import load_data, load_document
from mtcl_docs.oxml.body import walk
from mtcl_docs.render.engine import appendix_templates, render_job

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.stem for p in (ROOT / "data" / "notices").glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every shipped example built (DOCX only) into a scratch folder with its own register."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("register.sqlite*"))
    paths = Paths(data, ROOT / "templates", tmp / "out", tmp / "register.sqlite")
    report = build(paths, pdf=False)
    assert not report.problems, report.problems
    loaded = load_data(data, appendix_templates(ROOT / "templates"))
    return paths, {job.doc.id: job for job in loaded.jobs}, loaded.orgs


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_survives_import(built, name, tmp_path):
    paths, jobs, orgs = built
    job = jobs[name]
    imported = import_draft(paths.docx(job), paths.data)
    assert imported.org is not None and imported.org.id == job.org.id
    assert imported.new_org is None
    assert not [u for u in imported.unplaced], imported.unplaced
    target = write_yaml(tmp_path / f"{name}.yaml", imported.data)
    again = load_document(target, orgs, {"phu-luc"})
    assert data_facts(again) == data_facts(job)  # the fields, as written
    assert canon(again) == canon(job)  # and everything as printed (body, tables, appendices)
    # import → build: the rebuilt document reads the same, paragraph by paragraph, cells included
    assert _texts(render_job(again, ROOT / "templates")) == _texts(Document(str(paths.docx(job))))


def _texts(document) -> list[str]:
    return [Paragraph(p, document._body).text for p, _ in walk(document)]


RESAVED = ["cong-van-215", "quyet-dinh-226-quy-che", "chuong-trinh-hanh-dong-231-phu-luc",
           "giay-moi-217-truong-mau"]  # fmt: skip


@pytest.mark.parametrize("name", RESAVED)
def test_example_resaved_by_an_office_suite_survives_import(built, name, tmp_path):
    """Our document opened and saved again (as .odt, by LibreOffice), as a clerk may do before
    sending it back: its import still gives the same data; text it had to move is reported."""
    import clerk_drafts as cd

    paths, jobs, orgs = built
    job = jobs[name]
    odt = cd.convert_draft(paths.docx(job), "odt", tmp_path / "odt")
    data = tmp_path / "data"
    shutil.copytree(paths.data / "orgs", data / "orgs")
    (data / "notices").mkdir()
    done = import_file(odt, data)
    again = load_document(done.data_path, orgs, {"phu-luc"})
    assert data_facts(again) == data_facts(job)
    assert canon(again) == canon(job)
