"""The clerk drafts of `clerk_drafts` are what they claim: each variant's trait is in the file, and
every text of the truth stands in the document."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml
from clerk_drafts import (
    DRAFTS,
    NS,
    PRESETS,
    Truth,
    Variant,
    all_texts,
    convert_draft,
    doc_and_odt,
    paragraph_text,
    qn,
    squash,
)
from docx import Document
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = [
    "clean",
    "arial",
    "wrong-margins",
    "tabs",
    "textbox",
    "vml",
    "no-quoc-hieu",
    "slash-date",
    "word-lists",
    "sloppy-noi-nhan",
    "signer-indent",
    "nfd",
    "messy",
    "party",
    "unknown-org",
    "clerk",
    "party+textbox+word-lists+nfd",
    "unknown-org+party+tabs+slash-date",
]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Truth]]:
    """Every kind in every variant above, written once."""
    out = tmp_path_factory.mktemp("drafts")
    made = {}
    for kind, make in DRAFTS.items():
        for name in VARIANTS:
            path = out / f"{kind}-{name}.docx"
            made[kind, name] = (path, make(path, name))
    return made


CASES = [(k, v) for k in DRAFTS for v in VARIANTS]


def _ids(case):
    return f"{case[0]}-{case[1]}"


def body_paragraphs(path: Path):
    """Top-level paragraphs of the body (outside tables and text boxes)."""
    return Document(str(path)).element.body.findall(qn("w:p"))


def in_order(needles: list[str], haystack: list[str]) -> None:
    """Each needle is a whole paragraph of the haystack, in this order."""
    at = 0
    for needle in needles:
        try:
            at = haystack.index(needle, at) + 1
        except ValueError:
            raise AssertionError(f"{needle!r} not found (in order) in the document") from None


def run_props(path: Path):
    """(font, size in pt) of every run that has text, outside text boxes' VML copies."""
    document = Document(str(path))
    for r in document.element.body.iter(qn("w:r")):
        text = "".join(t.text or "" for t in r.findall(qn("w:t")))
        if not text.strip():
            continue
        fonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        size = r.find(f"{qn('w:rPr')}/{qn('w:sz')}")
        yield (
            fonts.get(qn("w:ascii")) if fonts is not None else None,
            int(size.get(qn("w:val"))) / 2 if size is not None else None,
            text,
        )


# ---------------------------------------------------------------------------------------------
# Every truth text is in the document


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_truth_texts_stand_in_the_document(drafts, case):
    path, truth = drafts[case]
    texts = list(all_texts(path))
    joined = "\n".join(texts)
    in_order(truth.body_texts(), texts)
    in_order(truth.cell_texts(), texts)
    in_order(truth.noi_nhan, texts)
    for line in truth.basis + [truth.subject, truth.signer_title, truth.signer_name]:
        assert line in texts
    for line in truth.superior_lines + truth.issuer_lines + [truth.number_line, truth.date_line]:
        assert line in joined  # the tabs header has both columns on one line
    for name in truth.kinh_gui:
        assert any(name in t for t in texts if t.startswith("- "))
    if truth.title:
        assert truth.title in texts
    if truth.enacting:
        assert truth.enacting in texts
    if truth.authority_line:
        assert truth.authority_line in texts
    if truth.signer_authority:
        assert truth.signer_authority in texts
    if truth.salutation:
        assert truth.salutation in texts


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_truth_is_nfc_and_consistent(drafts, case):
    _, truth = drafts[case]
    for text in [truth.subject, truth.number_line, truth.date_line, *truth.body_texts()]:
        assert unicodedata.is_normalized("NFC", text)
    assert truth.number_line.endswith(truth.symbol)
    assert f"{truth.number:02d}" in truth.number_line
    assert truth.issuer_symbol in truth.symbol
    if truth.type_code:
        assert truth.type_code in truth.symbol
    assert truth.place in truth.date_line
    assert truth.kind == case[0]
    assert truth.variant == Variant.parse(case[1])


# ---------------------------------------------------------------------------------------------
# Font, size, margins


@pytest.mark.parametrize("kind", DRAFTS)
def test_times_14_by_default_and_arial_13_in_the_arial_variant(drafts, kind):
    for name, font, body in (("clean", "Times New Roman", 14), ("arial", "Arial", 13)):
        path, truth = drafts[kind, name]
        props = list(run_props(path))
        assert {f for f, _, _ in props} == {font}
        sizes = {text: size for _, size, text in props}
        first = truth.body[0]
        assert sizes[first.text] == body
        assert max(s for _, s, _ in props) <= (16 if name == "clean" else 13)


@pytest.mark.parametrize("kind", DRAFTS)
def test_margins_proper_or_wrong(drafts, kind):
    section = Document(str(drafts[kind, "clean"][0])).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.cm, 2) for m in (section.top_margin, section.bottom_margin)] == [2, 2]
    assert [round(m.cm, 2) for m in (section.left_margin, section.right_margin)] == [3, 1.5]
    section = Document(str(drafts[kind, "wrong-margins"][0])).sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert {round(m.cm, 2) for m in margins} == {2.54}


# ---------------------------------------------------------------------------------------------
# The header: table, tabs, text boxes


def header_texts(truth: Truth) -> list[str]:
    return truth.superior_lines + truth.issuer_lines + [truth.number_line, truth.date_line]


@pytest.mark.parametrize("kind", DRAFTS)
def test_header_as_a_borderless_table(drafts, kind):
    path, truth = drafts[kind, "clean"]
    body = Document(str(path)).element.body
    first = body[0]
    assert first.tag == qn("w:tbl")
    borders = first.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    cell_texts = [paragraph_text(p) for p in first.iter(qn("w:p"))]
    for text in header_texts(truth):
        assert unicodedata.normalize("NFC", text) in cell_texts
    # the rules under the issuer and the Tiêu ngữ are line shapes
    assert len(first.findall(".//" + qn("wps:wsp"))) == 2


@pytest.mark.parametrize("kind", DRAFTS)
def test_header_typed_with_tabs_and_spaces(drafts, kind):
    path, truth = drafts[kind, "tabs"]
    document = Document(str(path))
    body = document.element.body
    first_table = body.find(qn("w:tbl"))
    top = [paragraph_text(p) for p in body.findall(qn("w:p"))]
    assert body[0].tag == qn("w:p")
    number_line = next(t for t in top if truth.number_line in t)
    assert truth.date_line in number_line  # number and date on one line, apart by tabs
    assert re.search(
        re.escape(truth.number_line) + r"\t+ *" + re.escape(truth.date_line), number_line
    )
    assert top[0].startswith(" ") or top[0].startswith(truth.superior_lines[0])
    assert any(re.fullmatch(r" *-{5,}\t*.*", t) for t in top)  # a rule typed as dashes
    if first_table is not None:  # only the kế hoạch's table and the signer block
        assert truth.superior_lines[0] not in "".join(first_table.itertext())


@pytest.mark.parametrize("kind", DRAFTS)
@pytest.mark.parametrize("style", ["textbox", "vml"])
def test_header_only_inside_text_boxes(drafts, kind, style):
    path, truth = drafts[kind, style]
    body = Document(str(path)).element.body
    found = 0
    for p in body.iter(qn("w:p")):
        text = paragraph_text(p)
        for needle in header_texts(truth):
            if needle == text.strip():
                found += 1
                assert any(a.tag == qn("w:txbxContent") for a in p.iterancestors()), needle
    assert found >= len(header_texts(truth))
    first = body[0]
    assert first.tag == qn("w:p") and paragraph_text(first) == ""
    if style == "textbox":  # as Word saves: wps shape, VML fallback
        assert len(first.findall(".//" + qn("mc:AlternateContent"))) == 2
        assert len(first.findall(".//" + qn("wps:txbx") + "/" + qn("w:txbxContent"))) == 2
        assert len(first.findall(".//" + qn("mc:Fallback") + "//" + qn("v:textbox"))) == 2
    else:
        assert first.find(".//" + qn("w:drawing")) is None
        assert len(first.findall(".//" + qn("v:textbox") + "/" + qn("w:txbxContent"))) == 2
    # all_texts reads each box once
    texts = list(all_texts(path))
    assert texts.count(truth.number_line) == 1


# ---------------------------------------------------------------------------------------------
# Quốc hiệu, date, numbering, Nơi nhận, signer


@pytest.mark.parametrize("kind", DRAFTS)
@pytest.mark.parametrize(
    ("regime", "title"),
    [("", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("party", "ĐẢNG CỘNG SẢN VIỆT NAM")],
)
def test_quoc_hieu_present_or_missing(drafts, tmp_path, kind, regime, title):
    path, truth = drafts[kind, regime or "clean"]
    assert truth.quoc_hieu and title in all_texts(path)
    spec = "+".join(filter(None, [regime, "no-quoc-hieu"]))
    truth = DRAFTS[kind](tmp_path / "draft.docx", spec)
    texts = "\n".join(all_texts(tmp_path / "draft.docx"))
    assert not truth.quoc_hieu
    assert title not in texts and "Độc lập - Tự do - Hạnh phúc" not in texts
    assert truth.number_line in texts and truth.date_line in texts


@pytest.mark.parametrize("kind", DRAFTS)
def test_date_full_or_typed_with_slashes(drafts, kind):
    _, truth = drafts[kind, "clean"]
    assert re.fullmatch(
        r"Hà Nội, ngày (0[1-9]|[12]\d|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm \d{4}", truth.date_line
    )
    path, truth = drafts[kind, "slash-date"]
    d = truth.date
    assert truth.date_line == f"Hà Nội, {d.day:02d}/{d.month}/{d.year}"
    assert truth.date_line in all_texts(path)


@pytest.mark.parametrize("kind", DRAFTS)
def test_word_lists_have_numpr_and_no_label_in_the_text(drafts, kind):
    path, truth = drafts[kind, "word-lists"]
    document = Document(str(path))
    numbered = {}
    for p in document.element.body.findall(qn("w:p")):
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num is not None:
            numbered[paragraph_text(p)] = int(num.find(qn("w:ilvl")).get(qn("w:val")))
    labelled = [p for p in truth.body if p.label]
    assert len(numbered) == len(labelled) > 0
    for para in labelled:
        assert para.text in numbered  # the text alone: Word draws the label
        assert not para.text.startswith(para.label)
    for para in truth.body:
        if not para.label:
            assert para.text not in numbered
    numbering = document.part.numbering_part.element
    lvl_texts = {lt.get(qn("w:val")) for lt in numbering.iter(qn("w:lvlText"))}
    expected = {"cong-van": {"%1.", "%2)", "-"}, "quyet-dinh": {"Điều %1.", "%2.", "%3)", "-"}}
    assert expected.get(kind, {"%1.", "%2.", "%3)", "-"}) <= lvl_texts
    # the typed variant has the labels in the text and no Word list
    path, truth = drafts[kind, "clean"]
    assert not Document(str(path)).element.body.findall(f".//{qn('w:numPr')}")
    in_order([p.typed for p in labelled], list(all_texts(path)))


def test_word_list_levels_follow_the_labels(drafts):
    path, truth = drafts["ke-hoach", "word-lists"]
    levels = {}
    for p in Document(str(path)).element.body.findall(qn("w:p")):
        num = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num is not None:
            levels[paragraph_text(p)] = int(num.find(qn("w:ilvl")).get(qn("w:val")))
    by_label = {p.label: levels[p.text] for p in truth.body if p.label}
    assert by_label == {"I.": 0, "II.": 0, "III.": 0, "1.": 1, "2.": 1, "a)": 2, "b)": 2, "-": 3}


def test_merged_table_has_grid_span_and_vmerge(drafts):
    for name in ("clean", "arial", "word-lists", "party"):
        path, truth = drafts["ke-hoach", name]
        document = Document(str(path))
        tables = [t for t in document.tables if len(t.columns) == 6]
        assert len(tables) == 1
        tbl = tables[0]._tbl
        spans = [int(g.get(qn("w:val"))) for g in tbl.iter(qn("w:gridSpan"))]
        assert sorted(set(spans)) == [2, 6]
        merges = [v.get(qn("w:val")) for v in tbl.iter(qn("w:vMerge"))]
        assert "restart" in merges and None in merges  # started and continued
        (table_truth,) = truth.tables
        grid = [[tables[0].cell(r, c).text for c in range(6)] for r in range(len(tables[0].rows))]
        assert [[unicodedata.normalize("NFC", x) for x in row] for row in grid] == (
            table_truth.grid()
        )
        assert truth.body[table_truth.after - 1].text.startswith("Các việc cụ thể")


@pytest.mark.parametrize("kind", DRAFTS)
def test_noi_nhan_punctuation(drafts, kind):
    _, truth = drafts[kind, "clean"]
    assert all(line.endswith(";") for line in truth.noi_nhan[:-1])
    assert re.fullmatch(r"- Lưu: VT, [^.]+\.", truth.noi_nhan[-1])
    _, truth = drafts[kind, "sloppy-noi-nhan"]
    assert all(line.startswith("- ") for line in truth.noi_nhan)
    assert not any(line.endswith((";", ".")) for line in truth.noi_nhan)
    assert [squash(line.rstrip(";.")) for line in drafts[kind, "clean"][1].noi_nhan] == (
        truth.noi_nhan
    )


@pytest.mark.parametrize("kind", DRAFTS)
def test_signer_block_as_table_or_indented_paragraphs(drafts, kind):
    path, truth = drafts[kind, "clean"]
    last = Document(str(path)).tables[-1]
    assert truth.signer_name in last.cell(0, 1).text
    assert "Nơi nhận:" in last.cell(0, 0).text
    path, truth = drafts[kind, "signer-indent"]
    document = Document(str(path))
    assert all(
        truth.signer_name not in t.cell(0, t._column_count - 1).text for t in document.tables
    )
    name = next(p for p in document.paragraphs if p.text == truth.signer_name)
    assert name.paragraph_format.left_indent.cm > 6
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Nơi nhận:") > texts.index(truth.signer_name)


# ---------------------------------------------------------------------------------------------
# NFD, messy spacing


@pytest.mark.parametrize("kind", DRAFTS)
def test_nfd_variant_is_decomposed_and_the_default_is_nfc(drafts, kind):
    path, _ = drafts[kind, "nfd"]
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    assert not unicodedata.is_normalized("NFC", xml)
    assert unicodedata.normalize("NFD", "Học viện") in xml
    path, _ = drafts[kind, "clean"]
    with zipfile.ZipFile(path) as z:
        assert unicodedata.is_normalized("NFC", z.read("word/document.xml").decode())


@pytest.mark.parametrize("kind", DRAFTS)
def test_messy_variant_has_empty_paragraphs_and_double_spaces(drafts, kind):
    path, truth = drafts[kind, "messy"]
    clean_path, clean = drafts[kind, "clean"]
    empties = sum(1 for p in body_paragraphs(path) if paragraph_text(p) == "")
    assert empties >= sum(1 for p in body_paragraphs(clean_path) if paragraph_text(p) == "") + 4
    assert any("  " in t for t in truth.body_texts())
    assert [squash(t) for t in truth.body_texts()] == clean.body_texts()


# ---------------------------------------------------------------------------------------------
# Party format, unknown issuer, presets


@pytest.mark.parametrize("kind", DRAFTS)
def test_party_variant_follows_the_party_layout(drafts, kind):
    path, truth = drafts[kind, "party"]
    texts = list(all_texts(path))
    assert truth.regime == "party"
    assert truth.superior_lines[0].startswith("ĐẢNG BỘ")
    assert truth.issuer_lines[0].startswith("ĐẢNG ỦY")
    assert re.fullmatch(r"Số (0[1-9]|[1-9]\d+)-[A-ZĐ]+/ĐU", truth.number_line)
    assert "*" in texts and "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts
    assert re.fullmatch(r"- Lưu [^:].*\.", truth.noi_nhan[-1])
    assert truth.signer_authority == "T/M BAN THƯỜNG VỤ"
    assert not any(t.endswith("./.") for t in texts)
    if kind == "cong-van":
        assert truth.type_code == "CV" and truth.subject.startswith("về việc ")
    else:
        assert truth.subject[0].islower()
        assert "-----" in texts
    if kind == "quyet-dinh":
        assert truth.enacting == "BAN THƯỜNG VỤ ĐẢNG ỦY QUYẾT ĐỊNH"
        assert all(b.startswith("- ") for b in truth.basis)
        assert truth.basis[-1].endswith(",")


@pytest.mark.parametrize("kind", DRAFTS)
def test_unknown_issuer_is_not_an_organisation_of_data(drafts, kind):
    names = {
        yaml.safe_load(f.read_text(encoding="utf-8"))["name"]
        for f in (ROOT / "data" / "orgs").glob("*.yaml")
    }
    _, known = drafts[kind, "clean"]
    assert known.org == "hvbctt" and known.issuer in names
    _, truth = drafts[kind, "unknown-org"]
    assert truth.org is None and truth.issuer not in names
    assert truth.issuer == "Sở Văn hóa và Thể thao" and truth.place == "Ninh Bình"


def test_variant_presets_combine():
    v = Variant.parse("arial+tabs+word-lists+party")
    assert (v.font, v.header, v.numbering, v.regime) == ("arial", "tabs", "word", "party")
    assert v.margins == "proper" and v.name == "font=arial,header=tabs,numbering=word,regime=party"
    assert Variant.parse("clean") == Variant() and Variant().name == "clean"
    assert Variant.parse("clerk").messy and set(PRESETS) >= {"nfd", "vml", "unknown-org"}
    with pytest.raises(ValueError, match="unknown variant"):
        Variant.parse("arial+comic-sans")


def test_namespaces_are_the_office_ones():
    assert NS["wps"].endswith("/word/2010/wordprocessingShape")
    assert qn("w:p") == "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"


# ---------------------------------------------------------------------------------------------
# .doc and .odt through LibreOffice


def _our_soffices() -> list[str]:
    found = subprocess.run(["pgrep", "-af", "clerk-drafts-lo-"], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if "pgrep" not in line]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_convert_to_doc_and_odt(drafts, tmp_path):
    path, truth = drafts["ke-hoach", "textbox"]
    profiles = set(Path("/tmp").glob("clerk-drafts-lo-*"))
    doc, odt = doc_and_odt(path, tmp_path)
    assert doc.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # OLE2, Word 97
    with zipfile.ZipFile(odt) as z:
        assert z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = unicodedata.normalize("NFC", z.read("content.xml").decode())
    assert truth.number_line in content and truth.body[1].text in content
    assert _our_soffices() == []
    assert set(Path("/tmp").glob("clerk-drafts-lo-*")) == profiles  # private profiles removed


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_convert_timeout_kills_libreoffice(drafts, tmp_path):
    path, _ = drafts["cong-van", "clean"]
    with pytest.raises(TimeoutError):
        convert_draft(path, "odt", tmp_path, timeout=0.2)
    assert _our_soffices() == []
    assert not (tmp_path / "cong-van-clean.odt").exists()


# ---------------------------------------------------------------------------------------------
# Word opens them: properties in the schema's order

ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect "
    "bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
}


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_properties_follow_the_schema_order(drafts, case):
    path, _ = drafts[case]
    with zipfile.ZipFile(path) as z:
        parts = [z.read("word/document.xml"), z.read("word/numbering.xml")]
    for xml in parts:
        root = etree.fromstring(xml)
        for name, seq in ORDER.items():
            rank = {tag: i for i, tag in enumerate(seq.split())}
            for el in root.iter(f"{{{NS['w']}}}{name}"):
                tags = [etree.QName(c).localname for c in el]
                assert all(t in rank for t in tags), (name, tags)
                assert tags == sorted(tags, key=rank.__getitem__), (name, tags)
