"""pydantic's validation errors, said in plain Vietnamese with the file, line and field."""

from __future__ import annotations

import re

from pydantic import ValidationError

from mtcl_docs.errors import Problem
from mtcl_docs.load.yamlsource import YamlSource, field_path, fixed_quoted

_DATE = "không phải ngày hợp lệ (cần dạng NĂM-THÁNG-NGÀY, ví dụ 2022-09-12)"
_BY_TYPE = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường này không có trong mẫu dữ liệu (gõ sai tên?)",
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "int_from_float": "cần một số nguyên (không có phần lẻ)",
    "int_parsing_size": "là số quá lớn",
    "finite_number": "cần một số thật (không phải .inf hay .nan)",
    "float_parsing": "cần một số",
    "float_type": "cần một số",
    "bool_parsing": "cần true hoặc false",
    "string_type": "cần một dòng chữ",
    "list_type": "cần một danh sách (mỗi mục một dòng bắt đầu bằng '- ')",
    "dict_type": "cần một nhóm trường dạng 'tên: giá trị'",
    "model_type": "cần một nhóm trường dạng 'tên: giá trị'",
    "model_attributes_type": "cần một nhóm trường dạng 'tên: giá trị'",
    "string_pattern_mismatch": "không đúng dạng (chỉ chữ in hoa, chữ số, '&' và '-')",
    "too_short": "không được để trống",
    "string_too_short": "không được để trống",
}
_TAG = re.compile(r"^<.*>$")


def explain(source: YamlSource, exc: ValidationError, extra_sources=()) -> list[Problem]:
    """One Problem per pydantic error, located in `source` (or a file it is based on)."""
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _TAG.match(p)))
        src, line = _where(source, extra_sources, loc)
        text = colon_in_text(err, src.text_of(line)) or message(err)
        problems.append(Problem(src.path, text, line=line, field=field_path(loc) or None))
    return problems


def locate(source: YamlSource, extra_sources, loc) -> tuple:
    """(file, line) of a field: the file that writes it (a document or the file it is based on)."""
    src, line = _where(source, extra_sources, loc)
    return src.path, line


def _where(source: YamlSource, extra_sources, loc) -> tuple[YamlSource, int | None]:
    for src in (source, *extra_sources):
        if loc and isinstance(src.data, dict) and loc[0] in src.data:
            return src, src.line_of(loc)
    return source, source.line_of(loc) if loc else None


def colon_in_text(err: dict, line_text: str) -> str | None:
    """A text with `: ` in it that YAML read as `{sentence: rest}`, found where it does not fit.

    `- Yêu cầu sau: cụ thể` is valid YAML for a one-field group named "Yêu cầu sau"; field names
    are single words, so a name with a space in it is a sentence cut at its colon.
    """
    value = err.get("input")
    if err["type"] in ("missing", "extra_forbidden") or not isinstance(value, dict):
        return None
    if len(value) != 1 or not re.search(r"\s", str(next(iter(value)))):
        return None
    key, rest = next(iter(value.items()))
    if str(key) in line_text:
        example = fixed_quoted(line_text)
    else:
        example = fixed_quoted(f"- {key}: {'' if rest is None else rest}")
    return (
        f'dấu ":" giữa câu làm YAML đọc dòng này thành một trường tên "{key}" chứ không phải '
        f"một đoạn chữ. Hãy đặt cả dòng trong ngoặc kép, ví dụ: {example}"
    )


def summary(exc: ValidationError) -> str:
    """All errors on one line, for data with no file of its own (a profile merged with overrides)."""
    return "; ".join(f"{field_path(e['loc'])}: {message(e)}" for e in exc.errors())


def message(err: dict) -> str:
    kind = err["type"]
    shown = err.get("input")
    value = f'"{shown}" ' if isinstance(shown, str | int | float) and kind != "missing" else ""
    if kind == "greater_than_equal":
        return f"{value}phải từ {err['ctx']['ge']} trở lên"
    if kind == "enum":
        return f"{value}phải là một trong: {err['ctx']['expected']}"
    if kind == "literal_error":
        return f"{value}phải là một trong: {err['ctx']['expected']}"
    if kind == "value_error":
        return str(err["ctx"]["error"])
    if kind in _BY_TYPE:
        return value + _BY_TYPE[kind]
    return value + err["msg"]
