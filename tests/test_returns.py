"""Issue 13, items 8-10: every returned file accounted for, spreadsheets hold text not formulas,
results read against the known objectives."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest
from conftest import ROOT, paths
from openpyxl import Workbook, load_workbook
from test_plans import _collect

from mtcl_docs.build import build
from mtcl_docs.number.export import write_csv, write_xlsx
from mtcl_docs.number.register import Entry
from mtcl_docs.sheet_text import append_text_row, csv_cell, risky

ATTACKS = ["=HYPERLINK(\"http://x\",\"bấm\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1"]  # fmt: skip


@pytest.fixture(scope="module")
def distributed(tmp_path_factory):
    p = paths(ROOT / "data", tmp_path_factory.mktemp("plans"))
    report = build(p, pdf=False)
    assert report.ok, [str(x) for x in report.problems]
    return p, {f.parent.name: f for f in report.forms}


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "nhan"
    folder.mkdir()
    return folder


# -- item 9: formulas from outside ------------------------------------------------------------


@pytest.mark.parametrize("value", ATTACKS)
def test_a_value_that_starts_a_formula_is_written_as_text(value, tmp_path):
    assert risky(value) and csv_cell(value) == "'" + value
    book = Workbook()
    append_text_row(book.active, [value, "thường", 3])
    book.save(tmp_path / "a.xlsx")
    cells = next(load_workbook(tmp_path / "a.xlsx").active.iter_rows())
    assert cells[0].value == value and cells[0].data_type == "s" and cells[0].quotePrefix
    assert cells[1].value == "thường" and cells[2].value == 3


def test_plain_values_are_left_alone():
    assert [csv_cell(v) for v in ["Khoa Báo chí", "100%", 5, None, ""]] == [
        "Khoa Báo chí", "100%", 5, None, ""
    ]  # fmt: skip


def _entry(**values) -> Entry:
    defaults = {f.name: (0 if f.type in ("int", int) else "x") for f in dataclasses.fields(Entry)}
    defaults.update(doc_date="2026-01-05", sent_date=None, copies=2, received_by=None, note=None,
                    cancel_reason=None)  # fmt: skip
    defaults.update(values)
    return Entry(**defaults)


def test_register_exports_hold_no_formula(tmp_path):
    entries = [_entry(symbol="01/QĐ-HVBCTT", type_subject=ATTACKS[0], signer=ATTACKS[1],
                      recipients="- Như trên;\n- Lưu: VT.", note="@SUM(A1)")]  # fmt: skip
    write_csv(entries, tmp_path / "so.csv")
    with open(tmp_path / "so.csv", encoding="utf-8-sig", newline="") as f:
        row = list(csv.reader(f))[1]
    assert row[0] == "01/QĐ-HVBCTT"
    assert row[2] == "'" + ATTACKS[0] and row[3] == "'" + ATTACKS[1]
    assert row[4].startswith("'- Như trên") and row[9] == "'@SUM(A1)"
    write_xlsx(entries, tmp_path / "so.xlsx")
    cells = list(load_workbook(tmp_path / "so.xlsx").active.iter_rows(min_row=2))[0]
    assert cells[2].value == ATTACKS[0] and cells[3].value == ATTACKS[1]
    assert all(c.data_type != "f" for c in cells)


def test_consolidated_workbook_holds_no_formula(distributed, inbox, tmp_path):
    p, _ = distributed
    (inbox / "tccb.yaml").write_text(
        "unit: TCCB\nsubmitted: 2022-10-20\nrows:\n"
        "  - {objective: 'MT11. Tỷ lệ tiến sĩ đạt 45%', plan: '=HYPERLINK(\"http://x\",\"a\")',"
        " start: 9/2022, end: 8/2023, lead: TCCB, note: \"=cmd|' /C calc'!A0\"}\n"
        "  - {objective: 'MT12. Đánh giá 100% viên chức', plan: '@SUM(1)', start: 5/2023,"
        " end: 7/2023, lead: '+TCCB'}\n",
        encoding="utf-8",
    )
    _collect(p, inbox, tmp_path)
    book = load_workbook(tmp_path / "out/mtcl/2022-2023/tong-hop-ke-hoach-mtcl.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {'=HYPERLINK("http://x","a")', "=cmd|' /C calc'!A0", "@SUM(1)"} <= values
