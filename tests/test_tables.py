"""One table model for every table: merges, group rows, numbers, widths, headers, spreadsheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT, TEMPLATES
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook

from mtcl_docs.build import Paths, build
from mtcl_docs.load.table_model import TableSpec
from mtcl_docs.profiles import pick_profile
from mtcl_docs.render.spreadsheet import read_rows
from mtcl_docs.render.tables import TableError, TablePage, table_block

ND30 = pick_profile("nd30", dt.date(2026, 11, 1))


def make(spec: dict, tmp_path: Path | None = None, width: float = 165, rows=None):
    warnings: list[str] = []
    page = TablePage(width, ND30, (tmp_path or Path(".")) / "x.yaml", warnings.append)
    return table_block(TableSpec.model_validate(spec), page, 1, rows), warnings


def grid_texts(table) -> list[list[str]]:
    return [[" ".join(p.text for p in c.paras) for c in row.cells] for row in table.rows]


COLUMNS = [{"header": "STT", "width": 12, "number": True}, {"header": "Nội dung"},
           {"header": "Thời hạn", "width": 25}]  # fmt: skip


def test_numbers_skip_group_rows_and_a_given_number_is_kept():
    table, _ = make({"columns": COLUMNS, "rows": [
        {"group": "I. CHUẨN BỊ"}, ["Rà soát", "15/11/2026"], ["Họp", "20/11/2026"],
        ["9", "Tự ghi số", "21/11/2026"],
    ]})  # fmt: skip
    assert grid_texts(table) == [
        ["STT", "Nội dung", "Thời hạn"], ["I. CHUẨN BỊ"], ["1", "Rà soát", "15/11/2026"],
        ["2", "Họp", "20/11/2026"], ["9", "Tự ghi số", "21/11/2026"],
    ]  # fmt: skip
    group = table.rows[1].cells[0]
    assert group.col_span == 3 and all(s.bold for s in group.paras[0].spans)
    assert table.rows[0].header and not table.rows[1].header


def test_widths_in_mm_and_shares_and_the_rest_shared_out():
    table, _ = make(
        {"columns": [{"width": 20}, {"width": "50%"}, {}, {}], "rows": [["a", "b", "c", "d"]]}
    )
    assert [c.width_mm for c in table.columns] == [20, 82.5, 31.25, 31.25]


def test_a_table_too_wide_names_itself_and_its_widths():
    with pytest.raises(TableError, match=r"bảng «Lịch» rộng 100 \+ 90 = 190 mm, trang chỉ có 165"):
        make({"name": "Lịch", "columns": [{"width": 100}, {"width": 90}], "rows": []})
    make({"name": "Lịch", "columns": [{"width": 100}, {"width": 90}], "rows": []}, width=252)


def test_a_row_with_too_many_cells_is_an_error_naming_the_row():
    with pytest.raises(TableError, match=r"bảng thứ 1, hàng 1: thừa 1 ô \(«x»\); bảng có 2 cột"):
        make({"columns": [{}, {}], "rows": [["a", "b", "x"]]})


def test_a_vertical_merge_covers_the_next_rows_and_must_end_inside_the_table():
    table, _ = make({"columns": [{"header": "Đối tượng"}, {"header": "TT", "number": True},
                                 {"header": "Mức thu"}],
                     "rows": [[{"text": "Người học", "rows": 3}, "100"], ["200"], ["300"], ["Khác", "400"]]})  # fmt: skip
    texts = grid_texts(table)
    assert texts[1] == ["Người học", "1", "100"] and texts[2] == ["2", "200"]
    assert texts[4] == ["Khác", "4", "400"]
    assert table.rows[1].cells[0].row_span == 3
    with pytest.raises(TableError, match="kéo quá hàng cuối"):
        make({"columns": [{}, {}], "rows": [[{"text": "a", "rows": 3}, "b"], ["c"]]})


def test_header_rows_with_merges_as_the_seed_has_them():
    spec = {"columns": [{"width": 12}, {}, {"width": 22}, {"width": 22}],
            "header": [[{"text": "TT", "rows": 2}, {"text": "MỤC TIÊU", "rows": 2},
                        {"text": "THỜI GIAN THỰC HIỆN (Tháng/Năm)", "span": 2}],
                       ["BẮT ĐẦU", "KẾT THÚC"]],
            "rows": [["1", "", "", ""]]}  # fmt: skip
    table, _ = make(spec)
    assert [r.header for r in table.rows] == [True, True, False]
    assert grid_texts(table)[:2] == [["TT", "MỤC TIÊU", "THỜI GIAN THỰC HIỆN (Tháng/Năm)"],
                                     ["BẮT ĐẦU", "KẾT THÚC"]]  # fmt: skip


def test_a_column_too_narrow_for_a_date_is_a_warning_naming_it():
    _, warnings = make({"name": "Lịch thi", "columns": [{"header": "Ngày thi", "width": 16}, {}],
                        "rows": [["18/12/2025", "Toán"]]})  # fmt: skip
    assert len(warnings) == 1
    assert "bảng «Lịch thi», cột 1 «Ngày thi» (16 mm) hẹp hơn «18/12/2025»" in warnings[0]
    _, none = make({"columns": [{"width": 30}, {}], "rows": [["18/12/2025", "Toán"]]})
    assert none == []


def test_cells_hold_lines_and_markup():
    table, _ = make(
        {"columns": [{}, {}], "rows": [["**Đậm** và *nghiêng*\n- ý một\n- ý hai", "x"]]}
    )
    cell = table.rows[0].cells[0]
    assert [p.text for p in cell.paras] == ["Đậm và nghiêng", "- ý một", "- ý hai"]
    assert cell.paras[0].spans[0].bold and cell.paras[0].spans[2].italic


# -- spreadsheets ----------------------------------------------------------------------------


def _workbook(path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "Lịch"
    ws.append(["Môn", "Ngày", "Giờ", "Phòng"])
    ws.append(["Triết học", dt.datetime(2025, 12, 18), dt.time(7, 30), 301])
    ws.append(["", dt.datetime(2025, 12, 19), dt.time(13, 30), 302.0])
    ws.append(["Kinh tế", dt.date(2025, 12, 20), "9:00", "A2"])
    ws.merge_cells("A2:A3")
    book.save(path)


def test_xlsx_rows_are_read_as_excel_shows_them_with_merges(tmp_path):
    _workbook(tmp_path / "lich.xlsx")
    spec = TableSpec.model_validate(
        {"columns": [{}] * 4, "rows_from": {"file": "lich.xlsx", "sheet": "Lịch"}}
    )
    rows = read_rows(spec.rows_from, tmp_path, 4)
    assert rows[0][0].text == "Triết học" and rows[0][0].rows == 2
    assert rows[0][1:] == ["18/12/2025", "07:30", "301"]
    assert rows[1] == ["19/12/2025", "13:30", "302"]  # the merged cell below is left out
    table, _ = make(spec.model_dump(), tmp_path, rows=rows)
    assert grid_texts(table)[1] == ["19/12/2025", "13:30", "302"]


def test_xlsx_cell_outside_the_table_names_file_sheet_row_and_column(tmp_path):
    _workbook(tmp_path / "lich.xlsx")
    spec = TableSpec.model_validate({"columns": [{}] * 3, "rows_from": {"file": "lich.xlsx"}})
    with pytest.raises(
        TableError, match=r"lich.xlsx, trang «Lịch», dòng 2, cột D: có «301» ngoài 3 cột"
    ):
        read_rows(spec.rows_from, tmp_path, 3)
    missing = TableSpec.model_validate(
        {"columns": [{}], "rows_from": {"file": "lich.xlsx", "sheet": "X"}}
    )
    with pytest.raises(TableError, match="không có trang tính «X» \\(có: Lịch\\)"):
        read_rows(missing.rows_from, tmp_path, 1)


def test_csv_rows_and_files_outside_the_data_are_refused(tmp_path):
    (tmp_path / "data" / "notices").mkdir(parents=True)
    (tmp_path / "data" / "notices" / "phi.csv").write_text(
        "Nội dung;Mức thu\nTự đánh giá;2.500.000\n\nĐánh giá ngoài;8.000.000\n",
        encoding="utf-8-sig",
    )
    spec = TableSpec.model_validate({"columns": [{}, {}], "rows_from": {"file": "phi.csv"}})
    assert read_rows(spec.rows_from, tmp_path / "data" / "notices", 2) == [
        ["Tự đánh giá", "2.500.000"], ["Đánh giá ngoài", "8.000.000"],
    ]  # fmt: skip
    (tmp_path / "ngoai.csv").write_text("a\nb\n", encoding="utf-8")
    far = TableSpec.model_validate({"columns": [{}], "rows_from": {"file": "../../ngoai.csv"}})
    with pytest.raises(TableError, match="không thấy tệp"):
        read_rows(far.rows_from, tmp_path / "data" / "notices", 1)


# -- in a document ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    report = build(Paths(ROOT / "data", TEMPLATES, out / "out", out / "register.sqlite"), pdf=False)
    return {b.job.doc.id: Document(str(b.docx)) for b in report.built}


def test_fee_table_merges_its_first_column_over_five_rows(built):
    tbl = built["thong-bao-229-le-phi"].tables[1]._tbl
    first = [tr.findall(qn("w:tc"))[0] for tr in tbl.findall(qn("w:tr"))]
    merges = [tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") for tc in first]
    kinds = [None if m is None else m.get(qn("w:val"), "continue") for m in merges]
    assert kinds == [None, "restart", "continue", "continue", "continue", "continue", None]
    rows = tbl.findall(qn("w:tr"))
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)


def test_activity_table_sits_in_the_body_with_its_group_rows(built):
    doc = built["ke-hoach-219-truong-mau"]
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    texts = [[c.text for c in row.cells] for row in table.rows]
    assert texts[1][0] == "I. CÔNG TÁC TỰ ĐÁNH GIÁ" and len(set(map(id, table.rows[1].cells))) == 1
    assert texts[2][0] == "1" and texts[2][1] == "Đánh giá cấp đơn vị"
    grid = [float(c.get(qn("w:w"))) / 56.6929 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - 165) < 0.5  # the table fills the portrait page's width
