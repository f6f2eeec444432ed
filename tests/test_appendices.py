"""Appendices of any shape (issue 12, part 3): any number, each in its own section with its own
orientation, label, title, (Kèm theo …) line and, when asked, its own header block; content made
of body blocks, tables included; the seed's appendix is a table block that prints as before; the
400-row exam timetable read from an XLSX prints in an office's handful of pages, no date broken."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from pypdf import PdfReader

from mtcl_docs.build import Paths, build, job_key, spreadsheets
from mtcl_docs.check.run import check_file
from mtcl_docs.load.loader import load_data

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "data" / "notices"
TIMETABLE = "cong-van-232-lich-thi"
PROGRAMME = "chuong-trinh-hanh-dong-231-phu-luc"
PLAN_COLUMNS_MM = [12, 55, 60, 22, 22, 30, 30, 21]

# Four appendices: the profile's label (I), a label of the clerk's own that uses up no number, the
# profile's again (II), and none at all; portrait and landscape; a reference line of the profile's, none,
# the clerk's own, the profile's again; a header block of its own on the third.
SHAPES = """
org: {org}
type: cong-van
number: 301
date: 2026-03-02
drafting_unit: {unit}
subject: V/v gửi các phụ lục
kinh_gui: Các đơn vị
body:
  - Gửi kèm các phụ lục.
filing_unit: {unit}
signer: giam-doc
appendices:
  - title: DANH MỤC MỘT
    orientation: portrait
    body:
      - heading: Phần đầu
        body:
          - Nội dung phần đầu.
          - table:
              name: danh mục
              columns: [{{header: STT, width: 15, number: true}}, {{header: Tên}}, {{header: Ghi chú, width: 50%}}]
              rows: [[Một, ""], [Hai, x]]
  - label: Biểu mẫu số 01
    title: [BẢNG HAI, dòng thứ hai]
    reference: false
    body:
      - table:
          columns: [{{header: A, width: 50%}}, {{header: B}}]
          rows: [[a, b]]
  - title: MẪU BA
    reference: "(Kèm theo Công văn số {{number_symbol}} {{date_words}})"
    header: true
    orientation: dọc
    body:
      - Đoạn văn của mẫu ba.
  - label: false
    title: BẢNG KHÔNG NHÃN
    body:
      - Chỉ có tên.
"""
ORIENTATIONS = [False, True, False, True]  # landscape, per appendix


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    out = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True,
                         check=True)  # fmt: skip
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """The four-appendix document in both regimes (NĐ 30 and the Party's), DOCX and PDF."""
    tmp = tmp_path_factory.mktemp("appendices")
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "orgs", data / "orgs")
    (data / "notices").mkdir()
    (data / "notices" / "pl-nd30.yaml").write_text(
        SHAPES.format(org="truong-mau", unit="ĐT"), encoding="utf-8"
    )
    (data / "notices" / "pl-dang.yaml").write_text(
        SHAPES.format(org="hvbctt", unit="VP"), encoding="utf-8"
    )
    report = build(Paths(data, ROOT / "templates", tmp / "out", tmp / "register.sqlite"))
    assert report.problems == [], [str(p) for p in report.problems]
    return {b.job.doc.id: b for b in report.built}


def _sections(document) -> list[list]:
    """The body's paragraphs and tables, section by section."""
    out: list[list] = [[]]
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:sectPr"):
            continue
        out[-1].append(child)
        if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            out.append([])
    return out


def _texts(elements) -> list[str]:
    """The non-empty paragraph texts of `elements` outside tables, in order."""
    paragraphs = (Paragraph(e, None).text for e in elements if e.tag == qn("w:p"))
    return [text for text in paragraphs if text.strip()]


def test_each_appendix_is_a_section_in_its_own_orientation(shapes):
    for doc_id in ("pl-nd30", "pl-dang"):
        document = Document(str(shapes[doc_id].docx))
        sections = document.sections
        assert len(sections) == 1 + len(ORIENTATIONS)
        for section, landscape in zip(sections, [False, *ORIENTATIONS], strict=True):
            size = (round(section.page_width.mm), round(section.page_height.mm))
            assert size == ((297, 210) if landscape else (210, 297))
            wanted = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            assert section.orientation == wanted
        for section in sections[1:]:  # each appendix numbers its pages from 1
            assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_pdf_pages_turn_with_the_appendices(shapes):
    for doc_id in ("pl-nd30", "pl-dang"):
        pages = PdfReader(shapes[doc_id].pdf).pages
        wide = [float(p.mediabox.width) > float(p.mediabox.height) for p in pages]
        assert wide == [False, *ORIENTATIONS], wide  # the text, then one page per appendix


def test_tables_take_the_room_of_their_appendix(shapes):
    document = Document(str(shapes["pl-nd30"].docx))
    first, second = _sections(document)[1:3]
    grids = []
    for elements in (first, second):
        table = next(e for e in elements if e.tag == qn("w:tbl"))
        grids.append([int(c.get(qn("w:w"))) for c in table.iter(qn("w:gridCol"))])
    assert sum(grids[0]) == pytest.approx(Mm(165).twips, abs=5)  # portrait: 165 mm
    assert sum(grids[1]) == pytest.approx(Mm(252).twips, abs=5)  # landscape: 252 mm
    assert grids[0][2] == pytest.approx(Mm(82.5).twips, abs=5)  # 50% of a portrait page
    assert grids[1][0] == pytest.approx(Mm(126).twips, abs=5)  # 50% of a landscape page


def test_labels_and_references_per_profile_custom_and_none(shapes):
    nd30 = [_texts(s) for s in _sections(Document(str(shapes["pl-nd30"].docx)))[1:]]
    assert nd30[0][:3] == [
        "Phụ lục I",
        "DANH MỤC MỘT",
        "(Kèm theo Công văn số 301/ĐHM-ĐT ngày 02 tháng 3 năm 2026 của Trường Đại học Mẫu)",
    ]
    assert nd30[1][:3] == ["Biểu mẫu số 01", "BẢNG HAI", "dòng thứ hai"]  # no reference line
    assert not any("Kèm theo" in line for line in nd30[1])
    assert nd30[2][:2] == ["Phụ lục II", "MẪU BA"]  # II: the clerk's own label took no number
    assert nd30[2][2] == "(Kèm theo Công văn số 301/ĐHM-ĐT ngày 02 tháng 3 năm 2026)"
    assert nd30[3][0] == "BẢNG KHÔNG NHÃN"  # no label at all
    assert nd30[3][1].startswith("(Kèm theo Công văn số 301/ĐHM-ĐT")

    party = [_texts(s) for s in _sections(Document(str(shapes["pl-dang"].docx)))[1:]]
    assert [s[0] for s in party] == ["PHỤ LỤC 1", "Biểu mẫu số 01", "PHỤ LỤC 2", "BẢNG KHÔNG NHÃN"]
    # HD 36 (in force on 02/3/2026) prints no (Kèm theo …) line of its own; the clerk's still stands
    assert [any("Kèm theo" in line for line in s) for s in party] == [False, False, True, False]
    assert party[2][2] == "(Kèm theo Công văn số 301-CV/HVBCTT-VP ngày 02 tháng 3 năm 2026)"


def test_numbered_headings_inside_an_appendix(shapes):
    first = _texts(_sections(Document(str(shapes["pl-nd30"].docx)))[1])
    assert "1. Phần đầu" in first and "Nội dung phần đầu." in first


def test_an_appendix_may_open_with_its_own_header_block(shapes):
    for doc_id, national, label in (("pl-nd30", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phụ lục II"),
                                    ("pl-dang", "ĐẢNG CỘNG SẢN VIỆT NAM", "PHỤ LỤC 2")):  # fmt: skip
        sections = _sections(Document(str(shapes[doc_id].docx)))
        opening = sections[3][0]  # the third appendix starts with the header table
        assert opening.tag == qn("w:tbl")
        cells = [
            "".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in opening.iter(qn("w:tc"))
        ]
        assert cells[0].endswith(("TRƯỜNG ĐẠI HỌC MẪU", "TRUYỀN*", "TRUYỀN")), cells
        assert cells[1].startswith(national)
        for other in (sections[1], sections[2], sections[4]):
            assert other[0].tag == qn("w:p")  # the others start with their label
        text = _text(shapes[doc_id].pdf, 4, 4)
        assert national in text and label in text


def test_the_checker_and_the_bundle_know_the_appendices(shapes):
    report = check_file(shapes["pl-nd30"].docx)
    assert not report.failed, report.lines()
    found = {r.rule.split(".", 1)[1]: (r.status, r.found) for r in report.results}
    assert found.get("ATTACHED", ("SKIP",))[0] == "SKIP"  # a header block makes no attached text
    assert "«Phụ lục II»" in found["APPENDIX"][1]  # the appendix's label, under its header
    bundle = PdfReader(shapes["pl-nd30"].docx.parents[2] / "luu-tru" / "ho-so-luu-tru.pdf")
    outline = bundle.outline
    marks = {outline[i - 1].title.split(" — ")[0]: item
             for i, item in enumerate(outline) if isinstance(item, list)}  # fmt: skip
    labels = {
        "301/ĐHM-ĐT": ["Phụ lục I", "Phụ lục II"],
        "301-CV/HVBCTT-VP": ["PHỤ LỤC 1", "PHỤ LỤC 2"],
    }
    for symbol, first in labels.items():
        children = marks[symbol]
        assert [c.title for c in children] == [first[0], "Biểu mẫu số 01", first[1],
                                               "BẢNG KHÔNG NHÃN"]  # fmt: skip
        pages = [bundle.get_destination_page_number(c) for c in children]
        assert pages == list(range(pages[0], pages[0] + 4))  # one page each, in order
        wide = [float(bundle.pages[n].mediabox.width) > 600 for n in pages]
        assert wide == ORIENTATIONS


def _build_one(tmp_path: Path, yaml_text: str):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "orgs", data / "orgs")
    (data / "notices").mkdir()
    (data / "notices" / "x.yaml").write_text(yaml_text, encoding="utf-8")
    return build(
        Paths(data, ROOT / "templates", tmp_path / "out", tmp_path / "r.sqlite"), pdf=False
    )


def test_a_table_too_wide_for_a_portrait_appendix_is_an_error_naming_it(tmp_path):
    wide = SHAPES.format(org="truong-mau", unit="ĐT").replace(
        "{header: Ghi chú, width: 50%}", "{header: Ghi chú, width: 160}"
    )
    report = _build_one(tmp_path, wide)
    [problem] = report.problems
    assert problem.field == "appendices[0].body"
    assert "bảng «danh mục»" in problem.message and "165 mm" in problem.message


def test_the_old_template_rows_shape_is_refused_with_the_way_to_write_it(tmp_path):
    old = SHAPES.format(org="truong-mau", unit="ĐT").replace(
        "  - title: DANH MỤC MỘT\n",
        "  - template: phu-luc-ke-hoach-mtcl\n    title: DANH MỤC MỘT\n",
    )
    report = _build_one(tmp_path, old)
    assert report.problems and "- table:" in report.problems[0].message


# -- the seed's appendix: the MTCL plan table, now a table block ----------------------------------


@pytest.mark.parametrize("doc_id", ["4275", "4275-truong-mau"])
def test_the_seed_appendix_is_the_plan_table_as_before(seed_build, doc_id):
    document = Document(str(seed_build[doc_id].docx))
    label = {"4275": "PHỤ LỤC", "4275-truong-mau": "Phụ lục"}[doc_id]  # one appendix: no number
    texts = _texts(_sections(document)[1])
    assert texts[:3] == [label, "MẪU KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ:.....",
                         "NĂM HỌC 2022 - 2023"]  # fmt: skip
    tbl = document.tables[-1]._tbl
    widths = [int(c.get(qn("w:w"))) for c in tbl.iter(qn("w:gridCol"))]
    assert widths == [round(Mm(w).twips) for w in PLAN_COLUMNS_MM]
    rows = tbl.findall(qn("w:tr"))
    assert len(rows) == 2 + 3  # two header rows, rows 1 / ... / n

    def cells(tr):
        return [(("".join(t.text or "" for t in tc.iter(qn("w:t")))),
                 tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"),
                 tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")) for tc in tr.findall(qn("w:tc"))]  # fmt: skip

    top, second = cells(rows[0]), cells(rows[1])
    assert [t for t, _, _ in top] == ["TT", "MỤC TIÊU CỤ THỂ", "KẾ HOẠCH THỰC HIỆN",
                                      "THỜI GIAN THỰC HIỆN (Tháng/Năm)", "ĐƠN VỊ CHỦ TRÌ",
                                      "ĐƠN VỊ PHỐI HỢP", "GHI CHÚ"]  # fmt: skip
    for text, span, merge in top:
        if text.startswith("THỜI GIAN"):
            assert span.get(qn("w:val")) == "2" and merge is None
        else:
            assert span is None and merge.get(qn("w:val")) == "restart"
    assert [t for t, _, _ in second] == ["", "", "", "BẮT ĐẦU", "KẾT THÚC", "", "", ""]
    for i, (_, _, merge) in enumerate(second):  # merged down from the row above, but 3 and 4
        assert (merge is None) == (i in (3, 4))
        if merge is not None:
            assert merge.get(qn("w:val")) in (None, "continue")
    for tr in rows:  # the two header rows repeat on every page, the data rows do not
        assert (tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None) == (tr in rows[:2])
    data = [cells(tr) for tr in rows[2:]]
    assert [r[0][0] for r in data] == ["1", "...", "n"]
    assert all(t == "" for r in data for t, _, _ in r[1:])
    for tr in rows[2:]:  # blank rows at least 10 mm high for the units to write in, text on top
        height = tr.find(f"{qn('w:trPr')}/{qn('w:trHeight')}")
        assert int(height.get(qn("w:val"))) == round(Mm(10).twips)
        assert tr.find(f".//{qn('w:vAlign')}") is None
        assert tr.find(f".//{qn('w:b')}") is not None  # the number is bold, as the template had


# -- the exam timetable: 400 rows × 12 columns from an XLSX ---------------------------------------

# An office prints 400 timetable rows at 10 pt single-spaced: a row is about 4.2 mm, so a landscape
# page (170 mm between the margins) holds 36 of them under the two-row header, 31 on the first page
# under the title: 11.1 pages, printed on 12 here. Squeezed into the MTCL columns it took about seven
# times that. The bound allows one page more than measured, for another LibreOffice's rounding of
# row heights: 13 is still "a handful", the old layout's ~80 is not.
TIMETABLE_PAGES = 13


@pytest.fixture(scope="module")
def timetable(seed_build):
    return seed_build[TIMETABLE]


def _sheet_rows():
    sheet = load_workbook(NOTICES / "lich-thi-hk1.xlsx").active
    return sheet, list(sheet.iter_rows(min_row=3, values_only=True))


def test_timetable_prints_in_a_handful_of_landscape_pages(timetable):
    pages = PdfReader(timetable.pdf).pages
    wide = [float(p.mediabox.width) > float(p.mediabox.height) for p in pages]
    assert wide[0] is False and all(wide[1:])
    assert 10 <= sum(wide) <= TIMETABLE_PAGES, sum(wide)


def test_timetable_header_on_every_page_and_no_date_broken(timetable):
    _, rows = _sheet_rows()
    dates = {r[6].strftime("%d/%m/%Y") for r in rows if r[6] is not None}
    pages = len(PdfReader(timetable.pdf).pages)
    seen = set()
    for n in range(2, pages + 1):
        text = _text(timetable.pdf, n, n)
        assert "Tên học phần" in text and "Phòng" in text, n  # the header rows, repeated
        whole = re.findall(r"(?<!\d)\d\d/\d\d/\d{4}(?!\d)", text)
        broken = re.findall(
            r"(?<![\d/])\d\d/\d\d/\d{0,3}(?![\d/])|(?<![\d/])\d\d/\d\d/?$", text, re.M
        )
        assert not broken, (n, broken)
        seen.update(whole)
    assert dates <= seen  # every date of the sheet appears whole


def test_timetable_rows_and_merges_come_from_the_sheet(timetable):
    sheet, rows = _sheet_rows()
    tbl = Document(str(timetable.docx)).tables[-1]._tbl
    trs = tbl.findall(qn("w:tr"))
    header = [tr for tr in trs if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(header) == 2 and len(trs) - 2 == len(rows) == 400
    assert len(tbl.findall(qn("w:tblGrid") + "/" + qn("w:gridCol"))) == 12
    restarts = sum(1 for tr in trs[2:] for m in tr.iter(qn("w:vMerge"))
                   if m.get(qn("w:val")) == "restart")  # fmt: skip
    data_merges = [a for a in sheet.merged_cells.ranges if a.min_row > 2]
    assert restarts == len(data_merges) > 0
    sizes = {
        int(s.get(qn("w:val"))) for s in tbl.iter(qn("w:sz")) if s.getparent().tag == qn("w:rPr")
    }
    assert sizes == {20}  # 10 pt throughout, empty cells included


def test_timetable_columns_are_wide_enough_for_what_they_hold(tmp_path):
    """No warning of a narrow column: the columns under a vertical merge are counted right."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "orgs", data / "orgs")
    (data / "notices").mkdir()
    for name in (f"{TIMETABLE}.yaml", "lich-thi-hk1.xlsx"):
        shutil.copy(NOTICES / name, data / "notices" / name)
    report = build(Paths(data, ROOT / "templates", tmp_path / "out", tmp_path / "r.sqlite"),
                   pdf=False)  # fmt: skip
    assert report.problems == [] and report.warnings == [], report.warnings


def test_a_changed_spreadsheet_rebuilds_its_document(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "orgs", data / "orgs")
    (data / "notices").mkdir()
    for name in (f"{TIMETABLE}.yaml", "lich-thi-hk1.xlsx"):
        shutil.copy(NOTICES / name, data / "notices" / name)
    [job] = load_data(data).jobs
    assert spreadsheets(job) == [data / "notices" / "lich-thi-hk1.xlsx"]

    def key():
        from mtcl_docs.build import _Templates

        return job_key(job, _Templates(ROOT / "templates"))

    before = key()
    book = load_workbook(data / "notices" / "lich-thi-hk1.xlsx")
    book.active["I3"] = "C-999"
    book.save(data / "notices" / "lich-thi-hk1.xlsx")
    assert key() != before


# -- the Party programme: a portrait target table and a landscape task table --------------------


def test_programme_has_a_portrait_target_table_and_a_landscape_task_table(seed_build):
    built = seed_build[PROGRAMME]
    document = Document(str(built.docx))
    main, targets, tasks = document.sections
    assert targets.orientation == WD_ORIENT.PORTRAIT and tasks.orientation == WD_ORIENT.LANDSCAPE
    target_table, task_table = document.tables[-2]._tbl, document.tables[-1]._tbl
    assert len(target_table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")) == 5
    assert len(task_table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")) == 6
    groups = [tc for tc in task_table.iter(qn("w:tc"))
              if (s := tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")) is not None
              and s.get(qn("w:val")) == "6"]  # fmt: skip
    assert len(groups) == 3  # I., II., III. across the whole table
    assert task_table.find(f".//{qn('w:cantSplit')}") is None  # long rows may run on
    assert target_table.find(f".//{qn('w:cantSplit')}") is not None
    longest = max(
        len("".join(t.text for t in tc.iter(qn("w:t")))) for tc in task_table.iter(qn("w:tc"))
    )
    assert longest > 400
    text = _text(built.pdf)
    assert "PHỤ LỤC 1" in text and "PHỤ LỤC 2" in text
    assert "(Kèm theo Chương trình hành động số 231-CTr/HVBCTT" in text
