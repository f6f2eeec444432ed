"""Bad input: a clear message naming file, line and field; the other documents still build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEMPLATES, line_of, paths, replace_in
from docx import Document

from mtcl_docs.build import build
from mtcl_docs.cli import main


def _build(data: Path, tmp_path: Path):
    return build(paths(data, tmp_path), pdf=False)


def _messages(report) -> list[str]:
    return [str(p) for p in report.problems]


def _said(report, text: str, *, first: bool = False) -> bool:
    """Some problem message holds `text` (at its start, with `first`)."""
    return any(m.startswith(text) if first else text in m for m in _messages(report))


def test_impossible_date_names_file_line_field_and_value(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, "date: 2022-09-12", "date: 2022-02-31")
    report = _build(data_copy, tmp_path)
    line = line_of(notice, "date: 2022-02-31")
    assert _said(
        report, f'{notice}:{line} date: "2022-02-31" không phải ngày hợp lệ', first=True
    ), _messages(report)


def test_one_bad_file_does_not_stop_the_others_and_writes_nothing(data_copy, tmp_path):
    replace_in(data_copy / "notices" / "4275-truong-mau.yaml", "org: truong-mau", "org: khong-co")
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    assert _said(report, 'org: "khong-co" không phải cơ quan đã khai báo')
    written = sorted(p.name for p in (tmp_path / "out" / "docx").rglob("*") if p.is_file())
    assert written == ["4275.docx"]


def test_malformed_yaml_names_the_line(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, "salutation: Trân trọng!", "salutation: [Trân trọng!")
    report = _build(data_copy, tmp_path)
    messages = [m for m in _messages(report) if m.startswith(str(notice))]
    assert messages and "sai cú pháp YAML" in messages[0]
    assert messages[0].split(" ")[0].rsplit(":", 1)[1].isdigit()


def test_missing_field_is_named(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, "signer: giam-doc\n", "")
    report = _build(data_copy, tmp_path)
    assert _said(report, f"{notice} signer: thiếu trường bắt buộc")


def test_misspelt_field_is_refused_not_ignored(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, "salutation:", "salutaton:")
    report = _build(data_copy, tmp_path)
    line = line_of(notice, "salutaton:")
    assert _said(report, f"{notice}:{line} salutaton: ", first=True)


def test_bad_body_block_points_at_its_index(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, '  - heading: "Yêu cầu:"', '  - headng: "Yêu cầu:"')
    report = _build(data_copy, tmp_path)
    line = line_of(notice, "headng")
    assert _said(report, f"{notice}:{line} body[1]: ", first=True), _messages(report)


def test_unknown_profile_in_organisation(data_copy, tmp_path):
    org = data_copy / "orgs" / "truong-mau.yaml"
    replace_in(org, "profile: nd30", "profile: nd31")
    report = _build(data_copy, tmp_path)
    line = line_of(org, "profile: nd31")
    assert _said(report, f'{org}:{line} profile: "nd31" không phải thể thức', first=True)


def test_unknown_profile_named_by_a_document(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, "type: thong-bao", "type: thong-bao\nprofile: hd99")
    report = _build(data_copy, tmp_path)
    assert any(
        f"{notice}:" in m and "profile: không có thể thức 'hd99'" in m for m in _messages(report)
    )


def test_party_profile_refuses_tuq(data_copy, tmp_path):
    org = data_copy / "orgs" / "hvbctt.yaml"
    replace_in(org, "authority: K/T", "authority: TUQ.")
    notice = data_copy / "notices" / "4275.yaml"
    replace_in(notice, "signer: giam-doc", "signer: pho-giam-doc")
    report = _build(data_copy, tmp_path)
    assert _said(report, "không có thẩm quyền ký TUQ")


def test_xml_special_characters_come_out_as_text(data_copy, tmp_path):
    notice = data_copy / "notices" / "4275.yaml"
    odd = "Báo cáo \"Q&A\" <bản nháp> & 'trích'"
    replace_in(
        notice, "salutation: Trân trọng!", f"salutation: {json.dumps(odd, ensure_ascii=False)}"
    )
    replace_in(notice, "subject: V/v", "subject: A&B <c> V/v")
    report = _build(data_copy, tmp_path)
    assert report.ok, _messages(report)
    document = Document(str(report.built[0].docx))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("A&B <c> V/v") for t in texts)
    assert any("<bản nháp> &" in t for t in texts)


def test_decomposed_unicode_is_normalised_to_nfc(data_copy, tmp_path):
    import unicodedata

    notice = data_copy / "notices" / "4275.yaml"
    decomposed = unicodedata.normalize("NFD", "Trân trọng!")
    replace_in(notice, "salutation: Trân trọng!", f"salutation: {decomposed}")
    report = _build(data_copy, tmp_path)
    document = Document(str(report.built[0].docx))
    assert "Trân trọng!" in [p.text for p in document.paragraphs]


def test_cli_exits_non_zero_and_lists_failures(data_copy, tmp_path, capsys):
    replace_in(data_copy / "notices" / "4275.yaml", "number: 4275", "number: -3")
    code = main(["build", "--data", str(data_copy), "--templates", str(TEMPLATES),
                 "--output", str(tmp_path / "out"), "--register", str(tmp_path / "r.sqlite"),
                 "--no-pdf"])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert 'number: "-3" phải từ 1 đến 99.999' in err


@pytest.mark.parametrize("missing", ["4275.yaml"])
def test_based_on_a_missing_file(data_copy, tmp_path, missing):
    (data_copy / "notices" / missing).rename(data_copy / "notices" / "khac.yaml")
    report = _build(data_copy, tmp_path)
    assert _said(report, "based_on: không thấy tệp gốc '4275.yaml'")


def test_bad_override_points_at_the_organisation_file(data_copy, tmp_path):
    org = data_copy / "orgs" / "truong-mau.yaml"
    org.write_text(
        org.read_text(encoding="utf-8") + "overrides:\n  page: {header_mm: xa}\n", encoding="utf-8"
    )
    report = _build(data_copy, tmp_path)
    line = line_of(org, "overrides:")
    expected = f'{org}:{line} overrides: giá trị thể thức riêng không hợp lệ: page.header_mm: "xa" cần một số'
    assert expected in _messages(report)


def test_an_unforeseen_render_error_fails_that_document_only(data_copy, tmp_path, monkeypatch):
    import mtcl_docs.build as build_module

    real = build_module.render_job

    def flaky(job, templates, warn=None):
        if job.doc.id == "4275-truong-mau":
            raise RuntimeError("hỏng bất ngờ")
        return real(job, templates, warn)

    monkeypatch.setattr(build_module, "render_job", flaky)
    report = _build(data_copy, tmp_path)
    assert [b.job.doc.id for b in report.built] == ["4275"]
    assert _said(report, "4275-truong-mau.yaml lỗi khi dựng văn bản (RuntimeError: hỏng bất ngờ)")


def test_missing_folders_are_named(tmp_path):
    report = build(paths(tmp_path / "khong-co", tmp_path), pdf=False)
    assert [str(p) for p in report.problems] == [
        f"{tmp_path}/khong-co/orgs không có thư mục này (dữ liệu cần data/orgs/ và data/notices/)",
        f"{tmp_path}/khong-co/notices không có thư mục này (dữ liệu cần data/orgs/ và data/notices/)",
    ]
    report = build(paths(tmp_path, tmp_path, templates=tmp_path / "mau"), pdf=False)
    assert [str(p) for p in report.problems] == [f"{tmp_path}/mau không có thư mục mẫu DOCX này"]
