"""One bad file costs only itself (issue 13, items 6, 7): bombs, deep nesting, numbers out of range,
control characters, paths that leave their folder; each a Vietnamese message for that file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import paths, replace_in

from mtcl_docs.build import build

NOTICE = "4275.yaml"
OTHER = "4275-truong-mau.yaml"


def _build(data: Path, tmp_path: Path):
    return build(paths(data, tmp_path), pdf=False)


def _messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def _only_this_failed(report, path: Path, *needles: str) -> str:
    """The other document built; the one problem is about `path` and says each needle."""
    mine = [m for m in _messages(report) if m.startswith(str(path))]
    assert mine, _messages(report)
    for needle in needles:
        assert any(needle in m for m in mine), mine
    assert "Traceback" not in "\n".join(mine)
    return mine[0]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_alias_bomb_is_refused_and_the_other_document_builds(data_copy, tmp_path):
    bad = data_copy / "notices" / OTHER
    lines = ["x0: &x0 [a, a, a, a, a, a, a, a, a]"]
    lines += [f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]" for i in range(1, 10)]
    _append(bad, "\n".join(lines) + "\n")
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    _only_this_failed(report, bad, "tham chiếu *tên")


@pytest.mark.parametrize("loop", ["x: &a [b, *a]\n", "x: &a {k: *a}\n", "x: &a {<<: *a}\n"])
def test_an_alias_inside_its_own_anchor_is_refused(data_copy, tmp_path, loop):
    bad = data_copy / "notices" / OTHER
    _append(bad, loop)
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    _only_this_failed(report, bad, "tham chiếu *a nằm ngay trong khối &a")


def test_deep_nesting_is_refused(data_copy, tmp_path):
    bad = data_copy / "notices" / OTHER
    _append(bad, "extra: " + "[" * 5000 + "]" * 5000 + "\n")
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    _only_this_failed(report, bad, "lồng nhau quá sâu")


def test_a_huge_file_is_refused_before_it_is_read(data_copy, tmp_path):
    bad = data_copy / "notices" / OTHER
    _append(bad, "# " + "x" * 3_000_000 + "\n")
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    _only_this_failed(report, bad, "tệp quá lớn")


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "number",
            "100000000000000000000000000000",
            'number: "10000000…" (30 chữ số) phải từ 1 đến 99.999',
        ),
        ("number", "0", 'number: "0" phải từ 1 đến 99.999'),
        (
            "copies",
            "10000000000000000000000000",
            'copies: "10000000…" (26 chữ số) phải từ 1 đến 10.000',
        ),
        ("filing_copies", "1000", 'filing_copies: "1000" phải từ 1 đến 100'),
        ("number", "9" * 5000, "có một số quá dài để đọc"),
        ("number", "1.0e+300", 'number: "1e+300" phải từ 1 đến 99.999'),
        ("number", ".inf", 'number: "inf" phải từ 1 đến 99.999'),
        ("copies", ".nan", 'copies: "nan" cần một số thật (không phải .inf hay .nan)'),
        ("copies", "true", 'copies: "true" cần một số nguyên, không phải có/không'),
        ("filing_copies", "1.5", 'filing_copies: "1.5" cần một số nguyên (không có phần lẻ)'),
    ],
)
def test_numbers_out_of_range_name_the_range(data_copy, tmp_path, field, value, expected):
    bad = data_copy / "notices" / NOTICE
    text = bad.read_text(encoding="utf-8").replace("number: 4275\n", "")
    bad.write_text(text + f"{field}: {value}\n", encoding="utf-8")
    report = _build(data_copy, tmp_path)
    _only_this_failed(report, bad, expected)


def test_a_table_cell_spanning_a_billion_columns_is_refused(data_copy, tmp_path):
    bad = data_copy / "notices" / OTHER
    _append(
        bad,
        "appendices:\n  - title: BẢNG\n    body:\n      - table:\n          columns:\n"
        "            - {header: A}\n          rows:\n            - [{text: x, span: 1000000000}]\n",
    )
    report = _build(data_copy, tmp_path)
    _only_this_failed(report, bad, "phải từ 1 đến 200")


def test_escaped_control_character_is_named_by_field_and_position(data_copy, tmp_path):
    bad = data_copy / "notices" / NOTICE
    replace_in(bad, "salutation: Trân trọng!", 'salutation: "Trân\\x01 trọng!"')
    report = _build(data_copy, tmp_path)
    message = _only_this_failed(report, bad, "salutation: ", "mã U+0001", "vị trí thứ 5")
    assert "ValueError" not in message and "XML compatible" not in message


def test_duplicate_key_names_both_lines(data_copy, tmp_path):
    bad = data_copy / "notices" / NOTICE
    _append(bad, "salutation: Kính chào!\n")
    report = _build(data_copy, tmp_path)
    lines = bad.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("salutation:"))
    _only_this_failed(report, bad, f"ghi hai lần (dòng {first} và dòng {len(lines)})")


def test_a_very_long_subject_builds(data_copy, tmp_path):
    bad = data_copy / "notices" / NOTICE
    long = "V/v xây dựng mục tiêu chất lượng " * 30
    replace_in(bad, "subject: V/v xây dựng", f"subject: {long.strip()} xây dựng")
    report = _build(data_copy, tmp_path)
    assert report.problems == [], _messages(report)
    assert {b.job.doc.id for b in report.built} == {"4275", "4275-truong-mau"}


@pytest.mark.parametrize("date", ["0001-01-01", "1900-01-01", "2999-12-31", "9999-12-31"])
def test_a_date_far_outside_the_organisations_life_warns(data_copy, tmp_path, date):
    bad = data_copy / "notices" / OTHER
    _append(bad, f"date: {date}\n")
    report = _build(data_copy, tmp_path)
    warned = [str(w) for w in report.warnings if str(w).startswith(str(bad))]
    assert any("date:" in w and date[:4] in w for w in warned), (
        [str(w) for w in report.warnings],
        _messages(report),
    )


def _table_from(notice: Path, file: str) -> None:
    _append(
        notice,
        "appendices:\n  - title: BẢNG\n    body:\n      - table:\n          columns:\n"
        "            - {header: A}\n            - {header: B}\n"
        f"          rows_from: {{file: '{file}'}}\n",
    )


def test_a_control_character_in_a_rows_file_is_named_by_row_column_and_position(
    data_copy, tmp_path
):
    bad = data_copy / "notices" / OTHER
    (data_copy / "notices" / "bang.csv").write_text("A,B\nx,ab\x01c\n", encoding="utf-8")
    _table_from(bad, "bang.csv")
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    _only_this_failed(report, bad, "bang.csv, dòng 2, cột B", "mã U+0001", "vị trí thứ 3")


def test_too_many_rows_in_a_rows_file_are_refused(data_copy, tmp_path, monkeypatch):
    import mtcl_docs.render.spreadsheet as spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_ROWS", 5)
    bad = data_copy / "notices" / OTHER
    rows = "".join(f"x{i},y{i}\n" for i in range(10))
    (data_copy / "notices" / "bang.csv").write_text("A,B\n" + rows, encoding="utf-8")
    _table_from(bad, "bang.csv")
    report = _build(data_copy, tmp_path)
    _only_this_failed(report, bad, "quá nhiều hàng")


def test_an_xlsx_that_unpacks_too_large_is_refused_unread(data_copy, tmp_path, monkeypatch):
    import mtcl_docs.render.spreadsheet as spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED", 1000)  # the shipped workbook unpacks to more
    monkeypatch.setattr(spreadsheet, "load_workbook", lambda *a, **k: pytest.fail("read"))
    bad = data_copy / "notices" / OTHER
    _table_from(bad, "lich-thi-hk1.xlsx")
    report = _build(data_copy, tmp_path)
    _only_this_failed(report, bad, "giải nén ra quá lớn")
