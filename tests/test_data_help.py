"""Writing data is easy to get right (issue 11, item 6): YAML mistakes explained in Vietnamese with
the line and the fix, `build FILE` for one document, `new` from an example, Vietnamese --help."""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import inspect
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import TEMPLATES, line_of, paths, replace_in

from mtcl_docs.build import build
from mtcl_docs.cli import _parser, main
from mtcl_docs.cli_vi import MESSAGES, PLURALS
from mtcl_docs.load.loader import load_data
from mtcl_docs.load.yamlsource import TCVN3

# --- helpers ------------------------------------------------------------------------------------


def _problems(data: Path, path: Path) -> list[str]:
    """What loading the data says about `path` (each said once)."""
    said = [str(p) for p in load_data(data).problems if str(p).startswith(f"{path}:")]
    return list(dict.fromkeys(said))


def _one(data: Path, path: Path) -> str:
    said = _problems(data, path)
    assert len(said) == 1, said
    return said[0]


@pytest.fixture
def notice(data_copy: Path) -> Path:
    return data_copy / "notices" / "4275.yaml"


# --- 1. YAML mistakes ---------------------------------------------------------------------------

_REQUIREMENTS = "MTCL phải đảm bảo các yêu cầu sau: cụ thể, đo lường được"


def test_colon_inside_a_field_value_says_put_it_in_quotes(data_copy, notice):
    replace_in(notice, "subject: V/v xây dựng", "subject: V/v: xây dựng")
    line = line_of(notice, "subject: V/v:")
    said = _one(data_copy, notice)
    assert said.startswith(f"{notice}:{line} sai cú pháp YAML: dấu ':' ở cột 13 nằm giữa câu")
    assert "đặt cả dòng trong ngoặc kép" in said
    assert 'ví dụ: subject: "V/v: xây dựng' in said


def test_colon_in_a_list_item_that_yaml_reads_as_a_field(data_copy, notice):
    text = notice.read_text(encoding="utf-8")
    quoted_item = next(line for line in text.splitlines() if _REQUIREMENTS in line)
    replace_in(notice, quoted_item, f"  - {_REQUIREMENTS}")  # no error from YAML: {MTCL…: cụ thể…}
    line = line_of(notice, _REQUIREMENTS)
    said = _one(data_copy, notice)
    assert said.startswith(f'{notice}:{line} body[3]: dấu ":" giữa câu'), said
    assert "đặt cả dòng trong ngoặc kép" in said
    assert said.endswith(f'ví dụ: - "{_REQUIREMENTS}"')


@pytest.mark.parametrize(
    ("old", "new", "field", "example"),
    [
        ("  - Căn cứ đề xuất", "  - Căn cứ: đề xuất", "basis[2]", '- "Căn cứ: đề xuất'),
        ("  - Các đơn vị (để triển khai)", "  - Các đơn vị:", "recipients[0]", '- "Các đơn vị:"'),
    ],
)
def test_colon_in_other_lists_of_text(data_copy, notice, old, new, field, example):
    replace_in(notice, old, new)
    line = line_of(notice, new.strip())
    said = _one(data_copy, notice)
    assert said.startswith(f'{notice}:{line} {field}: dấu ":" giữa câu'), said
    assert f"ví dụ: {example}" in said


@pytest.mark.parametrize(
    ("old", "new", "sibling", "fixed"),
    [
        ("number: 4275", "  number: 4275", "type: thong-bao", "number: 4275"),
        ("number: 4275", " number: 4275", "type: thong-bao", "number: 4275"),
        (  # a list item one space short of its siblings
            "      - Các đơn vị thực hiện việc rà soát",
            "     - Các đơn vị thực hiện việc rà soát",
            "      - Các đơn vị thực hiện việc tổng kết",
            "      - Các đơn vị thực hiện việc rà soát",
        ),
        (
            "    text: trước ngày",
            "   text: trước ngày",
            '  - heading: "Thời gian',
            "    text: trước",
        ),
        ("closing: Đề nghị", "  closing: Đề nghị", "body:", "closing: Đề nghị"),
    ],
)
def test_wrong_indentation_names_the_line_its_sibling_and_the_fix(
    data_copy, notice, old, new, sibling, fixed
):
    replace_in(notice, old, new)
    line, above = line_of(notice, new), line_of(notice, sibling)
    own = len(new) - len(new.lstrip())
    said = _one(data_copy, notice)
    assert said.startswith(
        f"{notice}:{line} sai cú pháp YAML: dòng {line} thụt lề không khớp với các dòng cùng cấp "
        f"ở trên (dòng {above} "
    ), said
    assert f"dòng {line} thụt {own} dấu cách)" in said
    assert "Hãy thụt bằng dấu cách, đúng bằng dòng cùng cấp" in said
    assert f"sửa dòng {line} thành '{fixed}" in said


def test_a_list_item_indented_off_is_not_glued_to_the_text_above(data_copy, notice):
    # YAML itself reads this as "…MTCL.  - Các đơn vị…": one step instead of two, silently
    replace_in(
        notice,
        "      - Các đơn vị thực hiện việc rà soát",
        "        - Các đơn vị thực hiện việc rà soát",
    )
    line = line_of(notice, "        - Các đơn vị thực hiện việc rà soát")
    said = _one(data_copy, notice)
    assert said.startswith(f"{notice}:{line} sai cú pháp YAML: dòng {line} bị YAML nối vào chữ")
    assert f"sửa dòng {line} thành '      - Các đơn vị" in said


def test_tab_indentation_has_its_own_message(data_copy, notice):
    replace_in(
        notice, "      - Các đơn vị thực hiện việc rà soát", "\t- Các đơn vị thực hiện việc rà soát"
    )
    line = line_of(notice, "\t- Các đơn vị")
    said = _one(data_copy, notice)
    assert said.startswith(f"{notice}:{line} sai cú pháp YAML: dòng {line} thụt lề bằng phím Tab")
    assert "YAML chỉ nhận dấu cách" in said
    assert "ví dụ: '      - Các đơn vị thực hiện" in said  # lined up with the steps above


def test_a_field_written_twice_is_refused(data_copy, notice):
    replace_in(notice, "signer: giam-doc\n", "signer: giam-doc\nsigner: pho-giam-doc\n")
    line = line_of(notice, "signer: pho-giam-doc")
    assert _one(data_copy, notice) == (
        f"{notice}:{line} trường 'signer' ghi hai lần (dòng {line - 1} và dòng {line}); "
        "YAML chỉ giữ lần sau. Hãy xóa một trong hai"
    )


def _cp1258(text: str) -> bytes:
    """Text as Windows saves it in Vietnamese: base letters precomposed, tone marks combining."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            shape = "".join(m for m in marks if m in "\u0302\u0306\u031b")
            tone = "".join(m for m in marks if m not in shape)
            out += (unicodedata.normalize("NFC", base + shape) + tone).encode("cp1258")
    return out


def _tcvn3(text: str) -> bytes:
    back = {char: byte for byte, char in TCVN3.items()}
    return b"".join(bytes([back[c]]) if c in back else c.encode("ascii") for c in text)


# The same text typed with the VNI fonts: a letter, then a byte for its marks.
_VNI = "org: hvbctt\nsubject: Thoâng baùo veà vieäc xaây döïng muïc tieâu chaát löôïng\n"
_SAVE_AS = "File → Save As…, ở ô Encoding chọn UTF-8"


@pytest.mark.parametrize(
    ("encode", "named", "line", "fix"),
    [
        (_cp1258, "Windows-1258 (bảng mã tiếng Việt của Windows)", 2, _SAVE_AS),
        (lambda t: t.encode("utf-16"), "UTF-16", 1, _SAVE_AS),
        (lambda t: t.encode("latin-1", "replace"), "Windows-1252 / Latin-1", 2, _SAVE_AS),
        (_tcvn3, "TCVN3 (ABC", 2, "Nguồn: TCVN3 (ABC), Đích: Unicode"),
        (lambda _: _VNI.encode("cp1252"), "VNI", 2, "Nguồn: VNI Windows, Đích: Unicode"),
    ],
)
def test_a_file_not_in_utf8_names_its_encoding_and_how_to_save_it(
    data_copy, notice, encode, named, line, fix
):
    text = "org: hvbctt\nsubject: Thông báo về việc xây dựng mục tiêu chất lượng\n"
    notice.write_bytes(encode(text))
    said = _one(data_copy, notice)
    assert said.startswith(f"{notice}:{line} tệp "), said
    assert named in said and "UTF-8" in said
    assert fix in said


def test_a_utf8_bom_is_accepted_silently(data_copy, notice):
    notice.write_bytes(b"\xef\xbb\xbf" + notice.read_bytes())  # as Notepad saves "UTF-8"
    loaded = load_data(data_copy)
    assert loaded.problems == []
    assert {job.doc.id: job.doc.org for job in loaded.jobs}["4275"] == "hvbctt"
    assert main(["new", "thong-bao", "moi", "--data", str(data_copy)]) == 0  # an example still
    assert "\ufeff" not in (data_copy / "notices" / "moi.yaml").read_text(encoding="utf-8")


# --- 2. build FILE ------------------------------------------------------------------------------


def _rebuilt(report) -> list[str]:
    return sorted(b.job.doc.id for b in report.rebuilt)


def test_build_named_files_renders_only_those(data_copy, tmp_path):
    p = paths(data_copy, tmp_path)
    everything = sorted(path.stem for path in (data_copy / "notices").glob("*.yaml"))
    assert _rebuilt(build(p, pdf=False)) == everything
    other = tmp_path / "out" / "docx" / "hvbctt" / "4275.docx"
    before = other.read_bytes()
    notices = data_copy / "notices"  # both changed; one asked for
    replace_in(notices / "4275.yaml", "salutation: Trân trọng!", "salutation: Kính chào!")
    replace_in(
        notices / "4275-truong-mau.yaml", "org: truong-mau", "org: truong-mau\nclosing: Xong./."
    )
    for doc_id in ("4275", "4275-truong-mau"):  # issued: changed only with a recorded reason
        assert main(["register", "amend", doc_id, "--ly-do", "thử", "--data", str(p.data),
                     "--templates", str(p.templates), "--register", str(p.register)]) == 0  # fmt: skip

    report = build(p, pdf=False, only=[str(data_copy / "notices" / "4275-truong-mau.yaml")])
    assert report.ok, [str(x) for x in report.problems]
    assert _rebuilt(report) == ["4275-truong-mau"]
    assert [job.doc.id for job in report.outdated] == ["4275"]
    assert other.read_bytes() == before  # left as it was, still listed among the documents
    assert sorted(b.job.doc.id for b in report.built) == everything

    assert _rebuilt(build(p, pdf=False, only=["4275"])) == ["4275"]  # an id works too
    assert _rebuilt(build(p, pdf=False)) == []


def test_build_command_takes_data_files(data_copy, tmp_path, capsys):
    args = ["--data", str(data_copy), "--templates", str(TEMPLATES), "--output",
            str(tmp_path / "out"), "--register", str(tmp_path / "r.sqlite"), "--no-pdf"]  # fmt: skip
    assert main(["build", str(data_copy / "notices" / "4275.yaml"), *args]) == 0
    assert "Đã dựng 1 văn bản" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "out" / "docx").rglob("*.docx")] == ["4275.docx"]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("4725", "không có văn bản này: cần đường dẫn tới một tệp .yaml trong"),
        ("4725", "; có phải '4275'?"),
        ("data/notices/khong-co.yaml", "không có văn bản này"),
        ("{orgs}/hvbctt.yaml", "tệp này không nằm trong"),
    ],
)
def test_build_a_name_that_is_no_data_file_is_a_clear_error(data_copy, tmp_path, name, says):
    name = name.format(orgs=data_copy / "orgs")
    report = build(paths(data_copy, tmp_path), pdf=False, only=[name])
    assert report.rebuilt == []
    assert any(str(p).startswith(f"{name} ") and says in str(p) for p in report.problems), [
        str(p) for p in report.problems
    ]


# --- 3. new -------------------------------------------------------------------------------------


def test_new_writes_a_draft_from_the_example_that_loads(data_copy, capsys):
    assert main(["new", "thong-bao", "thong-bao-moi", "--data", str(data_copy)]) == 0
    made = data_copy / "notices" / "thong-bao-moi.yaml"
    assert str(made) in capsys.readouterr().out
    text = made.read_text(encoding="utf-8")
    assert text.startswith("# Văn bản mới, loại thong-bao")
    assert "chép từ tệp mẫu\n# 4275.yaml (mọi nội dung dưới đây" in text
    assert "mtcl-docs register issue thong-bao-moi" in text
    assert "# hạn các đơn vị nộp kế hoạch MTCL" in text  # the example's comments are kept
    assert not re.search(r"(?m)^number\s*:", text)
    today = dt.date.today()
    assert f"\ndate: {today.isoformat()}\n" in text

    loaded = load_data(data_copy)
    assert loaded.problems == []
    doc = {job.doc.id: job.doc for job in loaded.jobs}["thong-bao-moi"]
    assert doc.number is None and doc.date == today


def test_new_refuses_to_overwrite(data_copy, capsys):
    made = data_copy / "notices" / f"thong-bao-{dt.date.today().isoformat()}.yaml"
    assert main(["new", "thong-bao", "--data", str(data_copy)]) == 0  # the default name
    made.write_text(made.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
    kept = made.read_bytes()
    assert main(["new", "thong-bao", "--data", str(data_copy)]) == 1
    assert "đã có; không ghi đè" in capsys.readouterr().err
    assert made.read_bytes() == kept
    assert main(["new", "thong-bao", "4275", "--data", str(data_copy)]) == 1


def test_new_unknown_kind_lists_the_kinds_with_examples(data_copy, capsys):
    before = sorted((data_copy / "notices").iterdir())
    assert main(["new", "thong-bao-moi", "--data", str(data_copy)]) == 1
    said = capsys.readouterr().err
    assert "chưa có tệp mẫu cho loại 'thong-bao-moi'" in said
    assert "(các loại có mẫu: " in said and "thong-bao (mẫu 4275.yaml)" in said
    assert sorted((data_copy / "notices").iterdir()) == before


def test_new_prefers_an_example_that_is_not_based_on_another(data_copy):
    (data_copy / "notices" / "0001.yaml").write_text(
        "based_on: 4275.yaml\ntype: thong-bao\nnumber: 1\n", encoding="utf-8"
    )
    assert main(["new", "thong-bao", "moi", "--data", str(data_copy)]) == 0
    assert "\n# 4275.yaml (mọi nội dung" in (data_copy / "notices" / "moi.yaml").read_text("utf-8")


# --- 4. --help in Vietnamese --------------------------------------------------------------------

_ENGLISH = re.compile(
    r"usage:|positional arguments|options:|show this help|error:|required|invalid choice|"
    r"expected|argument|unrecognized|choose from|subcommands",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["build", "--help"],
        ["register", "issue", "--help"],
        ["new", "-h"],
        ["register", "--help"],
        ["plans", "collect", "--help"],
    ],
)
def test_help_is_vietnamese(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("cách dùng: mtcl-docs")
    assert "tùy chọn:" in shown and "-h, --help  " in shown
    assert "hiện hướng dẫn này rồi thoát" in shown
    assert not _ENGLISH.search(shown), _ENGLISH.search(shown)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["register", "issue"], "mtcl-docs register issue: lỗi: thiếu tham số bắt buộc: MÃ"),
        (["buil"], "mtcl-docs: lỗi: tham số LỆNH: không có lựa chọn 'buil' (chọn một trong:"),
        (["build", "--jobs"], "mtcl-docs build: lỗi: tham số --jobs: cần một giá trị"),
        (["build", "--jobs", "x"], 'tham số --jobs: "x" không phải số nguyên'),
        (["build", "--bogus"], "lỗi: không hiểu các tham số: --bogus"),
        ([], "lỗi: thiếu tham số bắt buộc: LỆNH"),
    ],
)
def test_command_line_errors_are_vietnamese(argv, says, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    said = capsys.readouterr().err
    assert says in said and said.startswith("cách dùng: ")
    assert not _ENGLISH.search(said), said


def _argparse_message_ids() -> tuple[set[str], set[tuple[str, str]]]:
    """Every text argparse passes to gettext, read from the argparse of the Python we run."""
    source = inspect.getsource(argparse)
    literal = r"""(?:'[^'\\]*'|"[^"\\]*")\s*"""
    ids = re.findall(rf"\b_\(\s*((?:{literal})+)\)", source)  # 'a' 'b' continued on a line
    plurals = re.findall(rf"\bngettext\(\s*({literal}),\s*({literal}),", source)
    defaults = re.findall(rf"_\(kwargs\.pop\('\w+', ({literal})\)\)", source)

    def unquote(text: str) -> str:
        return ast.literal_eval(f"({text})")

    return {unquote(i) for i in ids + defaults}, {(unquote(a), unquote(b)) for a, b in plurals}


def test_every_argparse_message_has_a_vietnamese_text():
    ids, plurals = _argparse_message_ids()
    assert "usage: " in ids and "the following arguments are required: %s" in ids  # read right
    assert ids - set(MESSAGES) == set()
    assert plurals - set(PLURALS) == set()


def test_argparse_elsewhere_keeps_its_own_language():
    _parser().format_help()
    other = argparse.ArgumentParser(prog="khac")
    assert other.format_help().startswith("usage: khac")
