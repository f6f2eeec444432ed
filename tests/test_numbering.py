"""The body tree numbered level by level, as the kind or the document asks."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from mtcl_docs.load.model import BodyBlock
from mtcl_docs.numerals import roman
from mtcl_docs.render.numbering import NumberingError, letter, number_body

BODY = TypeAdapter(list[BodyBlock])


def texts(blocks, levels) -> list[str]:
    return [p.text for p in number_body(BODY.validate_python(blocks), levels)]


def test_roman_and_vietnamese_letters():
    assert [roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
    assert [letter(n) for n in range(1, 8)] == ["a", "b", "c", "d", "đ", "e", "g"]


def test_levels_nest_and_restart_under_each_parent():
    body = [
        {"heading": "Mục đích", "body": [{"heading": "A", "body": [{"list": ["x", "y"]}]}]},
        {"heading": "Nhiệm vụ", "body": [{"heading": "B"}, {"heading": "C", "body": [{"item": "z"}]}]},
    ]  # fmt: skip
    assert texts(body, ["I.", "1.", "a)", "-"]) == [
        "I. MỤC ĐÍCH", "1. A", "a) x", "b) y", "II. NHIỆM VỤ", "1. B", "2. C", "a) z",
    ]  # fmt: skip


def test_decimal_levels_carry_the_parents_number():
    body = [{"heading": "A", "body": [{"heading": "B"}, {"heading": "C", "body": [{"item": "d"}]}]}]
    assert texts(body, ["1.", "1.1.", "1.1."]) == ["1. A", "1.1. B", "1.2. C", "1.2.1. d"]


def test_articles_run_on_through_chapters_and_khoan_restart():
    body = [
        {"heading": "Chung", "body": [{"heading": "P", "body": [{"item": "k"}]}, {"item": "Q"}]},
        {"heading": "Thi hành", "body": [{"heading": "R", "body": [{"item": "k"}]}]},
    ]  # fmt: skip
    assert texts(body, ["Chương", "Điều", "1."]) == [
        "Chương I", "CHUNG", "Điều 1. P", "1. k", "Điều 2. Q",
        "Chương II", "THI HÀNH", "Điều 3. R", "1. k",
    ]  # fmt: skip


def test_a_printed_label_is_kept_and_a_section_may_choose_its_style():
    body = [{"heading": "A", "label": "4.2.5.", "body": [{"heading": "B", "style": "+"}]},
            {"heading": "C"}]  # fmt: skip
    assert texts(body, ["1.", "a)"]) == ["4.2.5. A", "+ B", "1. C"]


def test_an_unknown_style_is_refused():
    with pytest.raises(NumberingError, match="không có cách đánh số"):
        number_body(BODY.validate_python([{"heading": "A"}]), ["§"])


def test_headings_keep_with_the_next_paragraph_and_are_bold():
    paras = number_body(BODY.validate_python([{"heading": "A"}, "b"]), ["1."])
    assert paras[0].keep_next and all(s.bold for s in paras[0].spans)
    assert not paras[1].keep_next
