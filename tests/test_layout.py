"""Layout that holds (issue 11 item 5): header columns sized from their text, hyphens that never
end a line, core properties a DOCX can hold, and a signature that stays with its text.

Layout is measured in the PDF LibreOffice makes, as the archive receives it."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import ROOT, TEMPLATES, paths
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from mtcl_docs.build import build
from mtcl_docs.check.run import check_file
from mtcl_docs.oxml.coreprops import core_text
from mtcl_docs.oxml.hyphens import bind_hyphens
from mtcl_docs.oxml.keep import keep_with_next
from mtcl_docs.render.columns import header_needs, split
from mtcl_docs.render.engine import _table_with

# -- the data: organisations with long names, notices built to land on the edges -----------------

HVCTQG = "HỌC VIỆN CHÍNH TRỊ QUỐC GIA\nHỒ CHÍ MINH"
ORGS = {
    # 'TRƯỜNG ĐẠI HỌC CÔNG NGHỆ' (12 pt bold, 65.7 mm) wraps in nd30's 68 mm column, fits in 70
    "uet": ("nd30", "ĐẠI HỌC QUỐC GIA HÀ NỘI", "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ", "CN"),
    "ttkt": ("party", HVCTQG, "TRUNG TÂM KHẢO THÍ VÀ\nĐẢM BẢO CHẤT LƯỢNG ĐÀO TẠO", "TTKT"),
    "ttkt-nd30": ("nd30", HVCTQG, "TRUNG TÂM KHẢO THÍ VÀ\nĐẢM BẢO CHẤT LƯỢNG\nĐÀO TẠO", "TTKTNN"),
    # 'HỌC VIỆN CHÍNH TRỊ KHU VỰC I' (69.2 mm) cannot fit beside the national name: it wraps
    "hvct1": ("nd30", HVCTQG, "HỌC VIỆN CHÍNH TRỊ KHU VỰC I", "HVCT"),
}
SIGNERS = {"nd30": "Trần Thị Mẫu", "party": "Phạm Minh Sơn"}
AUTHORITY = {"nd30": "HIỆU TRƯỞNG", "party": "GIÁM ĐỐC"}
FILL = (
    "Kế hoạch thực hiện cần trình bày chi tiết theo từng mục tiêu, ứng với các nội dung của "
    "từng mục tiêu chất lượng cần phải đảm bảo các yêu cầu đã nêu trong thông báo này."
)
SENTENCE = (
    "các đơn vị thực hiện việc tổng kết và đánh giá kết quả thực hiện mục tiêu chất lượng năm "
    "học vừa qua theo kế hoạch"
)
WORDS = SENTENCE.split()
CODES = ["4275-TB/HVBCTT", "tế-xã", "COVID-19", "2022-2023"]
LONG_SUBJECT = " ".join(
    ["V/v xây dựng mục tiêu chất lượng và kế hoạch thực hiện mục tiêu chất lượng"] * 9
)[:600].rstrip()
# where the signature table falls at a page's foot: (org, fill paragraphs, first sweep step)
SWEEPS = {"truong-mau": (7, 0), "hvbctt": (6, 0)}
STEPS = 12


def _yaml_list(key: str, items: list[str]) -> list[str]:
    return [f"{key}:"] + [f"  - {_quoted(item)}" for item in items]


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _notice(org: str, number: int, body: list[str], subject: str = "V/v thử bố cục") -> str:
    lines = [f"org: {org}", "type: thong-bao", f"number: {number}", "date: 2022-09-12"]
    lines += [f"subject: {_quoted(subject)}", *_yaml_list("body", body)]
    lines += ["closing: Đề nghị lãnh đạo các đơn vị nghiêm túc thực hiện thông báo này./."]
    lines += ["salutation: Trân trọng!", *_yaml_list("recipients", ["Các đơn vị (để triển khai)"])]
    lines += ["filing_unit: TTKT&ĐBCLĐT", "signer: giam-doc"]
    return "\n".join(lines) + "\n"


def _org(source: str, superior: str, name: str, symbol: str) -> str:
    """An organisation like a seed one, with other names printed in the header."""
    text = (ROOT / "data" / "orgs" / f"{source}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(superior_caps|name_caps): \|-\n(?:  .*\n)+", "", text)
    text = re.sub(r"(?m)^symbol: .*$", f"symbol: {symbol}", text)
    return text + f"superior_caps: {_quoted(superior)}\nname_caps: {_quoted(name)}\n"


def _hyphen_body() -> list[str]:
    """Paragraphs whose codes shift along the line by a word each: some fall at a line's end."""
    tail = (
        "theo Thông báo số 4275-TB/HVBCTT về phát triển kinh tế-xã hội sau COVID-19 "
        "trong năm học 2022-2023 của Học viện."
    )
    return [" ".join(WORDS[:k]).capitalize() + " " + tail for k in range(1, 21)]


def _bare_data(tmp: Path) -> Path:
    """The seed's organisations, none of its notices or plans."""
    data = tmp / "data"
    shutil.copytree(ROOT / "data", data)
    for notice in (data / "notices").glob("*.yaml"):
        notice.unlink()
    shutil.rmtree(data / "mtcl", ignore_errors=True)
    return data


def _built(data: Path, tmp: Path) -> dict:
    report = build(paths(data, tmp, templates=TEMPLATES))
    assert report.problems == [], [str(p) for p in report.problems]
    return {b.job.doc.id: b for b in report.built}


@pytest.fixture(scope="module")
def layout_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("layout")
    data = _bare_data(tmp)
    notices = data / "notices"
    for org, (profile, superior, name, symbol) in ORGS.items():
        source = "truong-mau" if profile == "nd30" else "hvbctt"
        (data / "orgs" / f"{org}.yaml").write_text(
            _org(source, superior, name, symbol), encoding="utf-8"
        )
        (notices / f"header-{org}.yaml").write_text(_notice(org, 1, [FILL]), encoding="utf-8")
    for org, (fills, first) in SWEEPS.items():
        for i in range(STEPS):
            last = " ".join((WORDS * 40)[: 20 + 12 * (first + i)]).capitalize() + "."
            (notices / f"sign-{org}-{i:02d}.yaml").write_text(
                _notice(org, 100 + i, [FILL] * fills + [last]), encoding="utf-8"
            )
    (notices / "hyphens.yaml").write_text(
        _notice("truong-mau", 200, _hyphen_body()), encoding="utf-8"
    )
    return _built(data, tmp)


def _pages(pdf: Path) -> list[str]:
    """Each page's text, one PDF line per line."""
    count = len(PdfReader(pdf).pages)
    return [
        unicodedata.normalize(
            "NFC",
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout,
        )
        for n in range(1, count + 1)
    ]


def _lines(pdf: Path, page: int = 1) -> list[str]:
    """The text lines LibreOffice laid out on a page, each column's lines apart (-bbox-layout)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [
        unicodedata.normalize("NFC", " ".join(re.findall(r"<word[^>]*>([^<]*)</word>", line)))
        for line in re.findall(r"(?s)<line[^>]*>(.*?)</line>", xml)
    ]


# -- 1. header columns -------------------------------------------------------------------------


@pytest.mark.parametrize("org", ["uet", "ttkt", "ttkt-nd30"])
def test_header_names_stay_on_their_lines_in_the_pdf(layout_build, org):
    _, superior, name, _ = ORGS[org]
    lines = _lines(layout_build[f"header-{org}"].pdf)
    for line in (superior + "\n" + name).split("\n"):
        assert line in lines, (line, lines[:12])


def test_only_a_left_column_that_would_wrap_is_widened(layout_build):
    widths = {}
    for org in ORGS:
        built = layout_build[f"header-{org}"]
        table = Document(str(built.docx)).tables[0]
        widths[org] = tuple(round(c.width.mm, 1) for c in table.rows[0].cells)
    assert 68 < widths["uet"][0] < 72.5 and sum(widths["uet"]) == pytest.approx(165, abs=0.1)
    assert widths["ttkt"] == (88.0, 77.0)  # party: its lines fit the profile's columns
    assert widths["hvct1"] == (68.0, 97.0)  # cannot fit beside the national name: profile's
    assert widths["uet"][1] >= 92  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM still on one line
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _lines(layout_build["header-uet"].pdf)


def test_the_seed_keeps_the_profiles_columns(seed_build):
    for doc_id, want in (("4275", (88.0, 77.0)), ("4275-truong-mau", (68.0, 97.0))):
        table = Document(str(seed_build[doc_id].docx)).tables[0]
        assert tuple(round(c.width.mm, 1) for c in table.rows[0].cells) == want


def test_needs_are_measured_from_the_printed_lines(layout_build):
    document = Document(str(layout_build["header-uet"].docx))
    job = layout_build["header-uet"].job
    needed = header_needs(document, _table_with(document, "issuer"), job.profile)
    # 65.7 mm of bold 12 pt text + 2 × 1.905 mm cell margins + 0.5 mm; the national name 88.3 mm
    assert needed[0] == pytest.approx(70.0, abs=0.2)
    assert needed[1] == pytest.approx(92.6, abs=0.2)


@pytest.mark.parametrize(
    ("needed", "want"),
    [
        ((60.0, 90.0), (68, 97)),  # everything fits: the profile's split
        ((70.0, 92.6), (70.0, 95.0)),  # the left one would wrap: widened just enough
        ((73.5, 92.6), (68, 97)),  # both cannot fit: the profile's split, the text wraps
        ((60.0, 99.0), (68, 97)),  # the left column never goes below the profile's value
    ],
)
def test_split(needed, want):
    assert split((68, 97), needed, 165) == pytest.approx(want)


# -- 2. hyphens --------------------------------------------------------------------------------


def test_a_code_at_a_line_end_stays_on_one_line(layout_build):
    pdf = layout_build["hyphens"].pdf
    text = "".join(_pages(pdf))
    lines = text.splitlines()
    body = _hyphen_body()
    for code in CODES:
        assert text.count(code) == len(body), (code, [x for x in lines if x.endswith("-")])
    assert "\u2011" not in text  # pdftotext reads the non-breaking hyphen as '-'
    ends = [line.split()[-1] for line in lines if line.strip()]
    assert any(end in ("4275-TB/HVBCTT", "tế-xã", "COVID-19", "2022-2023") for end in ends)


def test_hyphens_are_drawn_in_liberation_serif(layout_build):
    fonts = set()
    for page in PdfReader(layout_build["hyphens"].pdf).pages:
        fonts |= {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("LiberationSerif" in name for name in fonts), fonts


def test_docx_readers_still_see_a_plain_hyphen(layout_build):
    path = layout_build["hyphens"].docx
    document = Document(str(path))
    xml = document.element.body.xml
    assert "<w:noBreakHyphen/>" in xml
    texts = [p.text for p in document.paragraphs]
    assert any("4275-TB/HVBCTT" in t and "kinh tế-xã hội" in t for t in texts)
    assert ", 0 failed," in check_file(path).summary()


def test_only_hyphens_inside_words_are_bound():
    document = Document()
    for text in ["Độc lập - Tự do - Hạnh phúc", "- Lưu: VT, TTKT&ĐBCLĐT.", "-----", "a -b c- d"]:
        document.add_paragraph(text)
    split_runs = document.add_paragraph("kinh tế")
    split_runs.add_run("-xã hội, Số 4275-TB/HVBCTT, 2022-")
    split_runs.add_run("2023")
    assert bind_hyphens(document.element.body) == 3
    assert [p.text for p in document.paragraphs][-1] == (
        "kinh tế-xã hội, Số 4275-TB/HVBCTT, 2022-2023"
    )
    bound = document.paragraphs[-1]._p.findall(f".//{qn('w:noBreakHyphen')}")
    assert len(bound) == 3
    assert all(p._p.find(f".//{qn('w:noBreakHyphen')}") is None for p in document.paragraphs[:4])


# -- 3. core properties ------------------------------------------------------------------------


def test_a_600_character_subject_builds_whole_in_the_text(tmp_path):
    data = _bare_data(tmp_path)
    (data / "notices" / "long-subject.yaml").write_text(
        _notice("hvbctt", 300, [FILL], subject=LONG_SUBJECT), encoding="utf-8"
    )
    built = _built(data, tmp_path)["long-subject"]
    document = Document(str(built.docx))
    props = document.core_properties
    for value in (props.title, props.subject, props.keywords, props.author):
        assert len(value) <= 255
    assert props.subject.endswith("…") and LONG_SUBJECT.startswith(props.subject[:-1])
    assert LONG_SUBJECT in [p.text for p in document.paragraphs]
    pdf = PdfReader(built.pdf)  # the PDF's metadata has no limit: the whole subject
    assert pdf.metadata["/Subject"] == LONG_SUBJECT
    assert pdf.metadata["/Title"].endswith(LONG_SUBJECT)
    assert escape(LONG_SUBJECT) in pdf.xmp_metadata.stream.get_data().decode("utf-8")


def test_core_text_cuts_at_a_word():
    assert core_text("ngắn") == "ngắn"
    long = "mục tiêu chất lượng " * 40
    cut = core_text(long)
    assert len(cut) <= 255 and cut.endswith("…")
    assert long.startswith(cut[:-1]) and long[len(cut) - 1] == " "  # cut where a word ends
    assert core_text("x" * 600) == "x" * 254 + "…"


# -- 4. signature with its text ----------------------------------------------------------------


@pytest.mark.parametrize("org", sorted(SWEEPS))
def test_signature_stays_whole_and_with_the_last_lines(layout_build, org):
    """Bodies a line longer each: the signature table crosses the foot of page 1 in some."""
    profile = "nd30" if org == "truong-mau" else "party"
    crossed = False
    for i in range(STEPS):
        pages = _pages(layout_build[f"sign-{org}-{i:02d}"].pdf)

        def on(text, pages=pages):
            return [n for n, page in enumerate(pages, 1) if text in page]

        name = on(SIGNERS[profile])
        assert len(name) == 1
        together = {
            "authority": on(AUTHORITY[profile]),
            "Nơi nhận": on("Nơi nhận"),
            "Lưu": on("Lưu"),
            "salutation": on("Trân trọng!"),
            "closing": on("Đề nghị lãnh đạo"),
        }
        assert all(where == name for where in together.values()), (i, name, together)
        crossed |= name != [1] and on(FILL[:40])[0] == 1
    assert crossed  # the sweep did push the signature over a page break


def test_keep_with_next_marks_a_heading():
    document = Document()
    heading = document.add_paragraph("1. Yêu cầu:")
    keep_with_next(heading)
    keep_with_next(heading._p)  # a raw w:p too, and twice is harmless
    assert heading.paragraph_format.keep_with_next is True
    assert len(heading._p.findall(f".//{qn('w:keepNext')}")) == 1


def test_the_signature_rows_cannot_split(seed_build):
    document = Document(str(seed_build["4275"].docx))
    signature = _table_with(document, "authority")
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in signature.rows)
    before = signature._tbl.getprevious()
    assert before.pPr.keepNext_val and before.getprevious().pPr.keepNext_val
