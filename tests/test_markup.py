"""Inline markup in body text."""

from mtcl_docs.render.markup import rich, spans


def test_bold_and_italic_spans():
    assert spans("a **b** *c* d") == [
        ("a ", False, False),
        ("b", True, False),
        (" ", False, False),
        ("c", False, True),
        (" d", False, False),
    ]


def test_escaped_and_unpaired_stars_stay_text():
    assert spans(r"5 \* 3") == [("5 * 3", False, False)]
    assert spans("điểm * ghi chú") == [("điểm * ghi chú", False, False)]


def test_rich_text_escapes_xml_characters():
    xml = rich('A & B <c> "d"').xml
    assert "A &amp; B &lt;c&gt;" in xml
    assert "<c>" not in xml
