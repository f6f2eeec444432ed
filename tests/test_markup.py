"""Inline markup in body text."""

from mtcl_docs.blocks import Span
from mtcl_docs.render.markup import spans


def test_bold_italic_and_underline_spans():
    assert spans("a **b** *c* __d__") == [
        Span("a "),
        Span("b", bold=True),
        Span(" "),
        Span("c", italic=True),
        Span(" "),
        Span("d", underline=True),
    ]


def test_escaped_and_unpaired_marks_stay_text():
    assert spans(r"5 \* 3") == [Span("5 * 3")]
    assert spans("điểm * ghi chú") == [Span("điểm * ghi chú")]
    assert spans("mã_số __x") == [Span("mã_số __x")]


def test_links_keep_their_text_and_address():
    got = spans("xem [cổng thông tin](https://ajc.hcma.vn/a) nhé", bold=True)
    assert got == [
        Span("xem ", bold=True),
        Span("cổng thông tin", True, False, True, "https://ajc.hcma.vn/a"),
        Span(" nhé", bold=True),
    ]
