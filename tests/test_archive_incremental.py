"""The archive updates in place (issue 14, item 5): a bundle and manifest made from what earlier
builds read are byte for byte those of a build from nothing, whatever changed; a document read
again is validated inside the bundle; drafts never enter it. And every PDF the project writes is
validated as it is written (item 1): the bundle, the register book, the plans' reports."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import page
import pytest
from conftest import paths, seed_data
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NullObject, StreamObject

import mtcl_docs.archive.assemble as assemble_module
from mtcl_docs import register_book
from mtcl_docs.archive import bundle, pdfa
from mtcl_docs.archive.assemble import CACHE, assemble
from mtcl_docs.archive.manifest import BUNDLE, MANIFEST, MANIFEST_DIR, MANIFEST_FILES
from mtcl_docs.archive.metadata import PdfMeta, stamp
from mtcl_docs.archive.outputs import issued
from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.build import build
from mtcl_docs.cli import main
from mtcl_docs.number.register import RegisterError
from mtcl_docs.number.symbol import number_symbol
from mtcl_docs.plans import run as plans_run
from mtcl_docs.register_book import export_book

# documents of several sizes, two with appendices (one found by its label's line)
IDS = ["4275", "cong-van-215", "chuong-trinh-hanh-dong-231-phu-luc", "4275-truong-mau",
       "giay-moi-217", "quyet-dinh-216-truong-mau"]  # fmt: skip


def _documents(seed_build, out: Path, ids: list[str]) -> list[tuple]:
    """The seed's documents, copied into `out` as a build would leave them."""
    documents = []
    for doc_id in ids:
        built = seed_build[doc_id]
        seed_out = built.docx.parents[2]
        files = []
        for source in (built.docx, built.pdf):
            target = out / source.relative_to(seed_out)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
            files.append(target)
        documents.append((built.job, *files))
    return documents


def _form(out: Path) -> Path:
    form = out / "don-vi" / "khoa-a" / "ke-hoach.docx"
    form.parent.mkdir(parents=True, exist_ok=True)
    form.write_bytes(b"PK mau")
    return form


def _archive(out: Path) -> dict[str, bytes]:
    folder = out / MANIFEST_DIR
    return {name: (folder / name).read_bytes() for name in (BUNDLE, *MANIFEST_FILES)}


def _from_nothing(documents, forms, out: Path) -> dict[str, bytes]:
    """What a build with no cache makes of the same files."""
    (out / CACHE).unlink()
    assemble(documents, forms, out)
    return _archive(out)


@pytest.fixture
def reads(monkeypatch):
    """The PDFs the next assemble reads (every other part comes from the cache)."""
    seen: list[str] = []
    real = assemble_module.read_part

    def counting(pdf, marks):
        seen.append(pdf.stem)
        return real(pdf, marks)

    monkeypatch.setattr(assemble_module, "read_part", counting)
    return seen


def _valid(out: Path) -> None:
    """The bundle itself, validated for real (not only what its writer established), with
    pdfa.py's reading of the validator's false STREAM-LENGTH on data ending in CR."""
    assert pdfa_failures(out / MANIFEST_DIR / BUNDLE) == []


def _replace_pdf(pdf: Path, by: Path, job) -> None:
    """The document's PDF made again, with other pages (another document's) and its identity."""
    shutil.copy(by, pdf)
    stamp(pdf, PdfMeta.of(job))


def test_a_changed_document_gives_the_bundle_of_a_full_rebuild(seed_build, tmp_path, reads):
    out = tmp_path / "out"
    documents, forms = _documents(seed_build, out, IDS), [_form(out)]
    assemble(documents, forms, out)
    before = _archive(out)
    job, _, pdf = documents[1]  # longer now: every later part is numbered anew
    _replace_pdf(pdf, seed_build["chuong-trinh-hanh-dong-231-phu-luc"].pdf, job)
    reads.clear()
    written = assemble(documents, forms, out).written
    assert reads == ["cong-van-215"]
    assert pdfa_failures(written[0]) == []
    incremental = _archive(out)
    assert incremental[BUNDLE] != before[BUNDLE]
    assert incremental == _from_nothing(documents, forms, out)
    _valid(out)
    bundle_reader = PdfReader(out / MANIFEST_DIR / BUNDLE)
    expected = sum(len(PdfReader(p).pages) for _, _, p in documents)
    assert len(bundle_reader.pages) == expected


def test_an_added_document_gives_the_bundle_of_a_full_rebuild(seed_build, tmp_path, reads):
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS)
    assemble(documents[:2] + documents[3:], [], out)
    reads.clear()
    assemble(documents, [], out)
    assert reads == [documents[2][2].stem]
    incremental = _archive(out)
    assert incremental == _from_nothing(documents, [], out)
    _valid(out)


def test_a_removed_or_cancelled_document_leaves_the_bundle_of_a_full_rebuild(
    seed_build, tmp_path, reads
):
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS)
    assemble(documents, [], out)
    kept = documents[:1] + documents[2:]  # the caller leaves a cancelled number out
    reads.clear()
    assemble(kept, [], out)
    assert reads == []
    incremental = _archive(out)
    listed = json.loads(incremental[MANIFEST])["documents"]
    assert [d["DocId"] for d in listed] == [job.doc.id for job, _, _ in kept]
    outline = PdfReader(out / MANIFEST_DIR / BUNDLE).outline
    gone = number_symbol(documents[1][0])
    assert [m.title.split(" — ")[0] for m in outline if not isinstance(m, list)] == [
        number_symbol(job) for job, _, _ in kept
    ]
    assert gone not in [m.title.split(" — ")[0] for m in outline if not isinstance(m, list)]
    assert incremental == _from_nothing(kept, [], out)
    _valid(out)


def test_appendix_marks_changing_reread_the_document(seed_build, tmp_path, reads, monkeypatch):
    """A part is kept under its file's stamp and its appendices' marks: the same PDFs with other
    appendix labels are read again (those with appendices only), so their bookmarks follow."""
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS)
    assemble(documents, [], out)
    monkeypatch.setattr(assemble_module, "appendix_label", lambda job, i: f"PHỤ LỤC {i + 7}")
    reads.clear()
    assemble(documents, [], out)
    assert sorted(reads) == sorted(p.stem for j, _, p in documents if j.doc.appendices)
    assert len(reads) == 3
    incremental = _archive(out)
    assert incremental == _from_nothing(documents, [], out)
    outline = PdfReader(out / MANIFEST_DIR / BUNDLE).outline
    assert "PHỤ LỤC 7" in [m.title for sub in outline if isinstance(sub, list) for m in sub]


def test_a_new_part_that_is_not_pdfa_is_caught_inside_the_bundle(seed_build, tmp_path, monkeypatch):
    """Only the frame and the parts read again are validated (blank pages stand for the proven
    ones): a part read again without its fonts fails, naming the rule, and is not proven."""
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS)
    assemble(documents, [], out)
    validated: list[str] = []
    real_bytes = assemble_module.pdfa_failures_of
    monkeypatch.setattr(assemble_module, "pdfa_failures_of",
                        lambda data: validated.append("proof") or real_bytes(data))  # fmt: skip
    _, _, pdf = documents[4]
    writer = PdfWriter(clone_from=pdf)
    for number in range(1, len(writer._objects) + 1):
        obj = writer.get_object(number)
        if isinstance(obj, dict) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                obj.pop(NameObject(key), None)
    writer.write(pdf)
    assembled = assemble(documents, [], out)
    written = assembled.written
    assert validated == ["proof"]
    failures = pdfa_failures(written[0])
    assert any("PDFA2B-FONT-EMBEDDING-001" in f for f in failures), failures
    assert assembled.failures == failures  # what the writer established is what is true
    validated.clear()
    assemble(documents, [], out)  # not proven: validated again, and failing again
    assert validated == ["proof"]
    assert any("PDFA2B-FONT-EMBEDDING-001" in f for f in pdfa_failures(written[0]))


def test_many_documents_are_grouped_so_the_outline_stays_valid(seed_build, tmp_path, monkeypatch):
    """Past GROUP documents, bookmarks are grouped (a chain of /Next longer than 256 is past the
    validator's limit: the bundle of 1000 documents failed)."""
    monkeypatch.setattr(bundle, "GROUP", 2)
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS[:5])
    assemble(documents, [], out)
    _valid(out)
    outline = PdfReader(out / MANIFEST_DIR / BUNDLE).outline
    tops = [m.title for m in outline if not isinstance(m, list)]
    assert tops == ["Văn bản 1–4", "Văn bản 5–5"]
    groups = [m for m in outline if isinstance(m, list)]
    assert [m.title for m in groups[0] if not isinstance(m, list)] == ["Văn bản 1–2", "Văn bản 3–4"]


def test_a_broken_cache_costs_a_full_read_only(seed_build, tmp_path, reads):
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS[:3])
    assemble(documents, [], out)
    before = _archive(out)
    (out / CACHE).write_text('{"version": [1, "x"], "parts": 3', encoding="utf-8")
    reads.clear()
    assemble(documents, [], out)
    assert len(reads) == 3
    assert _archive(out) == before


def test_a_build_keeps_drafts_out_and_matches_a_full_rebuild(tmp_path):
    """Through the build: a draft is built but never archived, before and after an edit of one
    issued document; the archive after the edit is that of a build from nothing."""
    data = seed_data(tmp_path / "data")
    (data / "notices" / "tb-nhap.yaml").write_text(
        "based_on: 4275.yaml\nnumber: null\ndraft_mark: DỰ THẢO\ndate: 2026-11-20\n"
        "subject: Nháp chưa ký\n",
        encoding="utf-8",
    )
    p = paths(data, tmp_path)
    report = build(p)
    assert report.ok, [str(x) for x in report.problems]

    def titles() -> list[str]:
        outline = PdfReader(p.output / MANIFEST_DIR / BUNDLE).outline
        return [m.title for m in outline if not isinstance(m, list)]

    assert len(titles()) == 2 and not any("Nháp" in t for t in titles())
    seed = data / "notices" / "4275-truong-mau.yaml"
    seed.write_text(seed.read_text(encoding="utf-8") + "\ncopies: 7\n", encoding="utf-8")
    assert main(["register", "amend", "4275-truong-mau", "--ly-do", "Sửa số bản",
                 "--data", str(p.data), "--register", str(p.register)]) == 0  # fmt: skip
    report = build(p)
    assert report.ok, [str(x) for x in report.problems]
    assert [b.job.doc.id for b in report.rebuilt] == ["4275-truong-mau"]
    assert len(titles()) == 2 and not any("Nháp" in t for t in titles())
    incremental = _archive(p.output)
    documents = [(b.job, b.docx, b.pdf) for b in report.built if b.pdf and issued(b.job)]
    assert {j.doc.id for j, _, _ in documents} == {"4275", "4275-truong-mau"}
    assert incremental == _from_nothing(documents, report.forms, p.output)
    _valid(p.output)


def _content_ending_in_cr(source: Path, target: Path) -> Path:
    """The PDF with its first page's content stream ending in a CR byte, written uncompressed:
    pypdf then puts LF, then endstream, right after it."""
    writer = PdfWriter(clone_from=source)
    first = writer.pages[0]
    stream = StreamObject()
    stream.set_data(first["/Contents"].get_object().get_data() + b"\r")
    first[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(target)
    return target


def test_a_stream_ending_in_cr_is_not_called_too_long(seed_build, tmp_path):
    """page-validation takes such a stream's CR LF for the end-of-line marker and reports its
    /Length one too many; the file is right, and builds failed on it at random (LibreOffice's
    colour profile ends in CR now and then). A /Length really wrong is still reported."""
    pdf = _content_ending_in_cr(seed_build["4275"].pdf, tmp_path / "cr.pdf")
    report = page.validate_pdf(pdf, profile="2b")
    assert [f.rule_id for f in report.failures] == ["PDFA2B-STREAM-LENGTH-001"]
    assert pdfa_failures(pdf) == []
    data = pdf.read_bytes()
    end = data.rindex(b"\r\nendstream")
    at = data.rindex(b"/Length ", 0, end) + len(b"/Length ")
    length = int(data[at:].split()[0])
    wrong = str(length + 1).encode()
    assert len(wrong) == len(str(length))
    broken = tmp_path / "wrong.pdf"
    broken.write_bytes(data[:at] + wrong + data[at + len(wrong) :])
    assert any("PDFA2B-STREAM-LENGTH-001" in f for f in pdfa_failures(broken))
    # in a large file the validator names no object: every stream is checked
    assert pdfa._data_ends_in_cr(data, None)
    assert not pdfa._data_ends_in_cr(broken.read_bytes(), None)


def test_a_signed_document_enters_the_bundle_unsigned_with_its_look(seed_build, tmp_path):
    """A signature covers its own file's bytes: in the bundle the field stays, with its
    appearance, and without its value, so the bundle is still PDF/A-2b."""
    apply = pytest.importorskip("mtcl_docs.sign.apply")
    demo = pytest.importorskip("mtcl_docs.sign.demo")
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS[:2])
    job, _, pdf = documents[0]
    apply.sign_pdf(pdf, pdf, demo.demo_signer(job.org.name), apply.StampLook("Số 4275-TB/HVBCTT"))
    assemble(documents, [], out)
    _valid(out)
    reader = PdfReader(out / MANIFEST_DIR / BUNDLE)
    widgets = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    assert [w["/FT"] for w in widgets] == ["/Sig"]
    assert isinstance(widgets[0].get("/V", NullObject()), NullObject)  # null: no value
    assert "/AP" in widgets[0]


# Every PDF the project writes is validated as PDF/A-2b as it is written (issue 14, item 1): the
# register book (register export) and the plans' reports (plans collect, plans results).


def _without_xmp(pdf: Path) -> None:
    writer = PdfWriter(clone_from=pdf)
    del writer._root_object[NameObject("/Metadata")]
    writer.write(pdf)


def _converting_then_breaking(real, name: str):
    """`to_pdf` as it is, then the PDF called `name` loses its XMP (no longer PDF/A)."""

    def convert(sources, targets, **kw):
        results = real(sources, targets, **kw)
        for result in results:
            if result.pdf and result.pdf.name == name:
                _without_xmp(result.pdf)
        return results

    return convert


def test_the_register_book_pdf_is_validated_as_it_is_written(data_copy, tmp_path, monkeypatch):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    written = export_book(p, "docx", org="hvbctt")
    pdf = next(w for w in written if w.suffix == ".pdf")
    assert page.validate_pdf(pdf, profile="2b").is_compliant
    broken = _converting_then_breaking(register_book.to_pdf, pdf.name)
    monkeypatch.setattr(register_book, "to_pdf", broken)
    with pytest.raises(RegisterError) as caught:
        export_book(p, "docx", org="hvbctt")
    assert f"{pdf} không đạt PDF/A-2b, quy tắc PDFA2B-ID-SCHEMA-001" in str(caught.value)


def test_plans_report_pdfs_are_validated_as_they_are_written(distributed, inbox, tmp_path,
                                                             monkeypatch):  # fmt: skip
    p, _ = distributed
    (inbox / "kbc.yaml").write_text(
        "unit: KBC\nrows:\n  - {objective: MT01, result: đạt, percent: 100, evidence: Biên bản}\n",
        encoding="utf-8",
    )
    out = type(p)(p.data, p.templates, tmp_path / "out", p.register)
    broken = _converting_then_breaking(plans_run.to_pdf, "KBC.pdf")
    monkeypatch.setattr(plans_run, "to_pdf", broken)
    report = plans_run.run_results(out, inbox)
    folder = out.output / "mtcl" / "2022-2023" / "ket-qua"
    said = [str(x) for x in report.problems]
    assert f"{folder / 'KBC.pdf'} không đạt PDF/A-2b, quy tắc PDFA2B-ID-SCHEMA-001" in " ".join(
        said
    )
    assert not any("hoc-vien.pdf" in x for x in said)  # the other one validates
    assert (folder / "hoc-vien.pdf") in report.written


def test_a_pdf_the_bundle_cannot_copy_is_rewritten_first(seed_build, tmp_path, reads):
    """A stream whose /Length is wrong (not as LibreOffice writes) is not copied byte for byte:
    pypdf rewrites the file into the cache first, and the bundle is still that of a full
    rebuild; the copy goes when its document leaves the archive."""
    out = tmp_path / "out"
    documents = _documents(seed_build, out, IDS[:3])
    _, _, pdf = documents[1]
    data = pdf.read_bytes()
    value = re.search(rb"\n\d+ 0 obj\n(\d+)\nendobj", data)  # a stream's /Length, indirect
    at, length = value.start(1), value.group(1)
    wrong = str(int(length) + 3).encode()
    assert len(wrong) == len(length)
    pdf.write_bytes(data[:at] + wrong + data[at + len(wrong) :])
    with pytest.raises(bundle.BundleError):
        bundle.read_part(pdf, [])
    assemble(documents, [], out)
    copy = out / ".cache" / "luu-tru" / pdf.relative_to(out)
    assert copy.is_file()
    reads.clear()
    assemble(documents, [], out)
    assert reads == []
    assert _archive(out) == _from_nothing(documents, [], out)
    _valid(out)
    assemble(documents[:1] + documents[2:], [], out)
    assert not copy.exists()
