"""Archive-grade PDFs, the bundle, the manifest and `verify` (issue 6, parts 1 and 2)."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from xml.etree import ElementTree as ET
from xml.sax.saxutils import unescape

import pytest
from pypdf import PdfReader

from mtcl_docs.archive.manifest import sha256
from mtcl_docs.archive.metadata import PdfMeta, stamp
from mtcl_docs.archive.verify import verify
from mtcl_docs.cli import main
from mtcl_docs.number.symbol import number_symbol


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def _tag(xmp: str, name: str) -> str:
    match = re.search(rf"<{name}>\s*(?:<rdf:\w+>\s*)?(?:<rdf:li[^>]*>)?(.*?)<", xmp, re.S)
    return unescape(match.group(1)) if match else ""


def _agree(reader: PdfReader) -> dict[str, str]:
    """Info and XMP side by side; PDF/A requires them to say the same."""
    info, xmp = reader.metadata, _xmp(reader)
    created = info["/CreationDate"]  # D:20220912000000+07'00'
    iso = f"{created[2:6]}-{created[6:8]}-{created[8:10]}T00:00:00+07:00"
    assert _tag(xmp, "dc:title") == info["/Title"]
    assert _tag(xmp, "dc:creator") == info["/Author"]
    assert _tag(xmp, "dc:description") == info["/Subject"]
    assert _tag(xmp, "pdf:Keywords") == info["/Keywords"]
    assert _tag(xmp, "pdf:Producer") == info["/Producer"]
    assert _tag(xmp, "xmp:CreateDate") == iso
    return {"title": info["/Title"], "author": info["/Author"], "created": iso,
            "keywords": info["/Keywords"]}  # fmt: skip


@pytest.fixture(scope="module", params=["4275", "4275-truong-mau"])
def archived(request, seed_build):
    return seed_build[request.param]


def test_pdf_is_pdfa_2b_with_the_documents_metadata(archived):
    reader = PdfReader(archived.pdf)
    xmp = _xmp(reader)
    assert _tag(xmp, "pdfaid:part") == "2" and _tag(xmp, "pdfaid:conformance") == "B"
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "vi-VN"
    assert _tag(xmp, "dc:language") == "vi-VN"
    assert not reader.is_encrypted
    seen = _agree(reader)
    job = archived.job
    assert seen["created"] == f"{job.doc.date:%Y-%m-%d}T00:00:00+07:00"
    assert seen["author"] == job.org.name
    # LibreOffice splits DOCX keywords on spaces; the stamped ones come through whole
    assert seen["keywords"] == f"Thông báo, {number_symbol(job)}, {job.org.symbol}"
    assert seen["title"].startswith("Thông báo số 4275") and job.doc.subject in seen["title"]


def test_stamping_again_keeps_pdfa_agreement_and_every_page(archived, tmp_path, caplog):
    """The metadata goes in by an incremental update: LibreOffice's bytes stay, a later one wins."""
    copy = tmp_path / "x.pdf"
    shutil.copy(archived.pdf, copy)
    before = copy.read_bytes()
    meta = PdfMeta("Tiêu đề & <khác>", "Cơ quan", "Trích yếu", "a, b", archived.job.doc.date)
    stamp(copy, meta)
    assert copy.read_bytes().startswith(before)
    reader = PdfReader(copy)
    assert _agree(reader)["title"] == "Tiêu đề & <khác>"
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")]
    assert _tag(_xmp(reader), "pdfaid:part") == "2"
    assert "/OutputIntents" in reader.trailer["/Root"] and "/ID" in reader.trailer
    assert len(reader.pages) == len(PdfReader(archived.pdf).pages)
    info = subprocess.run(["pdfinfo", str(copy)], capture_output=True, text=True, check=True)
    assert "Tiêu đề & <khác>" in info.stdout and "Syntax Error" not in info.stderr


@pytest.fixture(scope="module")
def output(seed_build):
    return next(iter(seed_build.values())).docx.parents[2]


def test_bundle_has_a_bookmark_per_document_and_appendix(output, seed_build):
    reader = PdfReader(output / "luu-tru" / "ho-so-luu-tru.pdf")
    assert len(reader.pages) == sum(len(PdfReader(b.pdf).pages) for b in seed_build.values())
    outline = reader.outline
    tops = [item for item in outline if not isinstance(item, list)]
    assert len(tops) == len(seed_build)  # one bookmark per document
    symbols = {t.title.split(" — ")[0] for t in tops}
    assert {"4275-TB/HVBCTT", "4275/TB-ĐHM", "216-QĐ/HVBCTT"} <= symbols
    pairs = [(outline[i - 1], item) for i, item in enumerate(outline) if isinstance(item, list)]
    seed = [child for top, child in pairs if top.title.startswith(("4275-TB", "4275/TB"))]
    assert sorted(c[0].title for c in seed) == ["PHỤ LỤC", "Phụ lục"]
    by_symbol = {number_symbol(b.job): b.job for b in seed_build.values()}
    for top, children in pairs:  # each appendix's bookmark on a page of its own orientation
        job = by_symbol[top.title.split(" — ")[0]]
        for child, appendix in zip(children, job.doc.appendices, strict=True):
            page = reader.pages[reader.get_destination_page_number(child)]
            landscape = float(page.mediabox.width) > float(page.mediabox.height)
            assert landscape == appendix.landscape, child.title
            assert reader.get_destination_page_number(child) > reader.get_destination_page_number(
                top
            )
    assert _tag(_xmp(reader), "pdfaid:part") == "2"
    assert "/OutputIntents" in reader.trailer["/Root"]
    _agree(reader)


def test_manifest_in_json_csv_and_xml(output, seed_build):
    data = json.loads((output / "luu-tru" / "manifest.json").read_text(encoding="utf-8"))
    by_id = {d["DocId"]: d for d in data["documents"]}
    seed = by_id["4275"]
    assert (seed["TypeName"], seed["CodeNumber"], seed["CodeNotation"]) == (
        "Thông báo",
        "4275",
        "TB/HVBCTT",
    )
    assert by_id["4275-truong-mau"]["CodeNotation"] == "TB-ĐHM"
    assert seed["IssuedDate"] == "12/09/2022" and seed["DueDate"] == "31/10/2022"
    assert seed["OrganName"] == "Học viện Báo chí và Tuyên truyền" and seed["Language"] == "vi"
    assert seed["SignerInfo"] == {"Position": "Giám đốc", "FullName": "Phạm Minh Sơn"}
    assert seed["To"] == [{"OrganName": "Các đơn vị (để triển khai)"}]
    assert seed["PageAmount"] == len(PdfReader(seed_build["4275"].pdf).pages)
    assert seed["Files"]["pdf"]["sha256"] == sha256(seed_build["4275"].pdf)
    assert seed["Files"]["docx"]["path"] == "docx/hvbctt/4275.docx"
    forms = {
        f.relative_to(output).as_posix() for f in (output / "don-vi").rglob("*") if f.is_file()
    }
    assert {f["path"] for f in data["forms"]} == forms and len(forms) >= 12  # every unit's forms
    assert data["bundle"]["path"] == "luu-tru/ho-so-luu-tru.pdf"

    with (output / "luu-tru" / "manifest.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert {r["DocId"] for r in rows} == set(seed_build)
    assert next(r for r in rows if r["DocId"] == "4275")["CodeNotation"] == "TB/HVBCTT"

    root = ET.parse(output / "luu-tru" / "manifest.xml").getroot()
    seed_el = next(d for d in root.iter("Document") if d.findtext("DocId") == "4275")
    assert seed_el.findtext("SignerInfo/FullName") == "Phạm Minh Sơn"
    assert seed_el.findtext("To/OrganName") == "Các đơn vị (để triển khai)"
    assert seed_el.findtext("CodeNumber") == "4275"


def test_verify_reports_missing_extra_and_changed(output, tmp_path, capsys):
    copy = tmp_path / "output"
    shutil.copytree(output, copy)
    assert verify(copy) == []
    no_register = ["--register", str(tmp_path / "nul.sqlite")]  # not the checkout's own register
    assert main(["verify", str(copy), *no_register]) == 0
    with (copy / "pdf" / "hvbctt" / "4275.pdf").open("ab") as f:
        f.write(b"%")
    (copy / "don-vi" / "VP" / "ke-hoach-mtcl-2022-2023.docx").unlink()
    (copy / "docx" / "hvbctt" / "la.docx").write_bytes(b"x")
    problems = verify(copy)
    assert problems == [
        "đã bị thay đổi: pdf/hvbctt/4275.pdf",
        "thiếu: don-vi/VP/ke-hoach-mtcl-2022-2023.docx",
        "thừa (không có trong manifest): docx/hvbctt/la.docx",
        # what was appended also makes it no longer PDF/A (ISO 19005-2 §6.1.3)
        "pdf/hvbctt/4275.pdf: không đạt PDF/A-2b, quy tắc PDFA2B-POST-EOF-DATA-001 "
        "(data follows the last %%EOF marker)",
    ]
    assert main(["verify", str(copy), *no_register]) == 1
    assert "4 chỗ không khớp" in capsys.readouterr().err


def test_verify_without_manifest(tmp_path):
    assert verify(tmp_path)[0].startswith("thiếu ")
