"""Real PDF/A-2b validation (issue 14, part 1): every PDF the build writes is validated by `page`
(PyPI page-validation); a broken one is a problem of the build and of `verify`, naming the file
and the rule."""

from __future__ import annotations

import shutil

import page
from conftest import ROOT, paths
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from mtcl_docs.archive import bundle
from mtcl_docs.archive.manifest import BUNDLE, MANIFEST_DIR
from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.archive.verify import verify
from mtcl_docs.build import build


def _output(seed_build):
    return next(iter(seed_build.values())).docx.parents[2]


def _without_xmp(source, target):
    writer = PdfWriter(clone_from=source)
    del writer._root_object[NameObject("/Metadata")]
    writer.write(target)
    return target


def _without_fonts(source, target):
    """Every embedded font program taken out of its font descriptor."""
    writer = PdfWriter(clone_from=source)
    stripped = 0
    for number in range(1, len(writer._objects) + 1):
        obj = writer.get_object(number)
        if isinstance(obj, dict) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    del obj[NameObject(key)]
                    stripped += 1
    assert stripped
    writer.write(target)
    return target


def test_built_pdfs_validate_as_pdfa_2b(seed_build):
    pdfs = [b.pdf for b in seed_build.values() if b.pdf]
    assert len(pdfs) > 20
    for pdf in pdfs:
        assert page.validate_pdf(pdf, profile="2b").is_compliant, pdf
        assert pdfa_failures(pdf) == []


def test_removing_the_xmp_metadata_fails_with_the_rule_named(seed_build, tmp_path):
    broken = _without_xmp(seed_build["4275"].pdf, tmp_path / "4275.pdf")
    failures = pdfa_failures(broken)
    assert failures
    assert any("PDFA2B-ID-SCHEMA-001" in f for f in failures), failures
    assert all(f.startswith("không đạt PDF/A-2b, quy tắc PDFA2B-") for f in failures), failures


def test_stripping_the_fonts_fails(seed_build, tmp_path):
    broken = _without_fonts(seed_build["4275-truong-mau"].pdf, tmp_path / "no-fonts.pdf")
    failures = pdfa_failures(broken)
    assert any("quy tắc PDFA2B-FONT-EMBEDDING-001" in f for f in failures), failures


def test_the_bundle_validates_with_an_id_output_intent_and_pdfaid(seed_build):
    path = _output(seed_build) / MANIFEST_DIR / BUNDLE
    assert pdfa_failures(path) == []
    reader = PdfReader(path)
    assert len(reader.trailer["/ID"]) == 2
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert b"<pdfaid:part>2</pdfaid:part>" in reader.xmp_metadata.stream.get_data()


def test_the_build_names_a_bundle_that_is_not_pdfa(tmp_path, monkeypatch):
    """The bundle as pypdf writes it unasked (no trailer /ID) is a problem of the build."""
    monkeypatch.setattr(bundle, "file_identifier", lambda parts, meta: None)
    p = paths(ROOT / "data", tmp_path)
    report = build(p)
    target = p.output / MANIFEST_DIR / BUNDLE
    said = [str(x) for x in report.problems]
    assert said == [f"{target} không đạt PDF/A-2b, quy tắc PDFA2B-TRAILER-ID-001 "
                    "(the applicable document trailer does not contain an ID entry)"]  # fmt: skip


def test_verify_reports_a_pdf_that_is_no_longer_pdfa(seed_build, tmp_path):
    copy = tmp_path / "output"
    shutil.copytree(_output(seed_build), copy)
    assert verify(copy) == []
    pdf = copy / "pdf" / "hvbctt" / "4275.pdf"
    _without_xmp(pdf, pdf)
    problems = verify(copy)
    assert "đã bị thay đổi: pdf/hvbctt/4275.pdf" in problems
    assert any(
        p.startswith("pdf/hvbctt/4275.pdf: không đạt PDF/A-2b, quy tắc PDFA2B-ID-SCHEMA-001")
        for p in problems
    ), problems
