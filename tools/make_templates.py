"""Write the starting DOCX templates in templates/ (run once; afterwards clerks edit them in Word).

    .venv/bin/python tools/make_templates.py

The templates hold the text and order of a document; its look (sizes, margins, rules) comes from
the profile tables, applied to the `VB <role>` styles at build time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

from mtcl_docs.oxml.package import slim
from mtcl_docs.oxml.styles import style_name
from mtcl_docs.oxml.tables import set_column_widths
from mtcl_docs.profiles.profile import ROLES

OUT = Path(__file__).resolve().parent.parent / "templates"


def new_document():
    doc = Document()
    for role in ROLES:
        style = doc.styles.add_style(style_name(role), WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
        style.paragraph_format.space_after = Pt(0)
    doc.element.body.remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    return doc


def save(doc, name: str) -> None:
    """Slimmed first: only the styles and parts our documents use (see mtcl_docs/oxml/package.py)."""
    slim(doc)
    doc.save(OUT / name)


def put(container, role: str | None, text: str, first: bool = False):
    """A paragraph of `text` in style `VB role`; `first` reuses a cell's initial empty paragraph."""
    para = container.paragraphs[0] if first else container.add_paragraph()
    para.text = text
    if role:
        para.style = container.part.document.styles[style_name(role)]
    return para


def put_if(container, role: str, name: str, first: bool = False) -> None:
    """The paragraph `{{ name }}` in style `VB role`, only when the variable has a value."""
    put(container, None, f"{{%p if {name} %}}", first=first)
    put(container, role, f"{{{{ {name} }}}}")
    put(container, None, "{%p endif %}")


def header_block(doc, numbered: bool = True) -> None:
    """The two-column header: bodies and `*` left, Quốc hiệu (Tiêu ngữ) and date right; the number
    and a công văn's V/v under them (left), the NĐ 30 date beside the number (right)."""
    header = doc.add_table(rows=2 if numbered else 1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.cell(0, 0), header.cell(0, 1)
    put(left, None, "{%p if superior %}", first=True)
    put(left, "superior", "{{r superior }}")
    put(left, None, "{%p endif %}")
    put(left, "issuer", "{{r issuer }}")
    put_if(left, "issuer_mark", "issuer_mark")
    put(right, "national", "{{ national }}", first=True)
    put_if(right, "motto", "motto")
    if numbered:
        put_if(right, "date", "date_top")
        number = header.cell(1, 0)
        put(number, "number", "{{ number_line }}", first=True)
        put_if(number, "draft_mark", "draft_mark")
        put_if(number, "subject_header", "subject_header")
        put(header.cell(1, 1), "date", "{{ date_bottom }}", first=True)
    set_column_widths(header, [82, 83])


def title_block(doc, attached: bool = False) -> None:
    """Tên loại and trích yếu with its rule (or `-----`); a kind without trích yếu rules its title;
    an attached text has its (Kèm theo …) line between the trích yếu and the rule. Then the flow."""
    put(doc, None, "{%p if doc_type and subject %}")
    put(doc, "doc_type", "{{ doc_type }}")
    if attached:
        put(doc, "subject_attached", "{{ subject }}")
        put(doc, "attached_reference", "{{ reference }}")
    else:
        put(doc, "subject", "{{ subject }}")
    put(doc, None, "{%p elif doc_type %}")
    put(doc, "doc_type_ruled", "{{ doc_type }}")
    put(doc, None, "{%p endif %}")
    put_if(doc, "subject_mark", "subject_mark")
    put(doc, "body", "{{ flow }}")


def signing_side(cell, who: str, first: bool = False) -> None:
    """Authority lines, title, the space to sign, and the name of `who` (signer or cosigner)."""
    put(cell, None, f"{{%p for line in {who}.authority %}}", first=first)
    put(cell, "authority", "{{ line }}")
    put(cell, None, "{%p endfor %}")
    put_if(cell, "signer_title", f"{who}.title")
    put(cell, None, "{%p for blank in sign_space %}")
    put(cell, "signer_name", "{{ blank }}")
    put(cell, None, "{%p endfor %}")
    put(cell, "signer_name", f"{{{{ {who}.name }}}}")


def main_template() -> None:
    doc = new_document()
    header_block(doc)
    title_block(doc)
    sign = doc.add_table(rows=1, cols=2)
    sign.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    put(left, None, "{%p if cosigner %}", first=True)
    signing_side(left, "cosigner")
    put(left, None, "{%p endif %}")
    put(left, None, "{%p if recipients %}")
    put(left, "recipients_label", "Nơi nhận:")
    put(left, None, "{%p for line in recipients %}")
    put(left, "recipients", "{{ line }}")
    put(left, None, "{%p endfor %}")
    put(left, None, "{%p endif %}")
    signing_side(right, "signer", first=True)
    set_column_widths(sign, [82, 83])
    put(doc, None, "{%p for line in after_signature %}")
    put(doc, "confirmation", "{{ line }}")
    put(doc, None, "{%p endfor %}")
    save(doc, "van-ban.docx")


def attached_template() -> None:
    """A text issued with a decision (quy chế, quy định): no number, date, signature or Nơi nhận."""
    doc = new_document()
    header_block(doc, numbered=False)
    title_block(doc, attached=True)
    save(doc, "van-ban-kem-theo.docx")


def appendix_template() -> None:
    """Every document appendix: its own header block when the data asks (`header: true`), the
    label, title lines, the (Kèm theo …) line, a blank line, then its content (`{{ flow }}`:
    paragraphs, headings and tables, written by mtcl_docs/oxml/flow.py)."""
    doc = new_document()
    put(doc, None, "{%p if header %}")
    header_block(doc, numbered=False)
    put(doc, None, "{%p endif %}")
    put_if(doc, "appendix_heading", "heading")
    title_lines(doc)
    put_if(doc, "appendix_reference", "reference")
    put(doc, "appendix_reference", "")
    put(doc, "body", "{{ flow }}")
    save(doc, "phu-luc.docx")


def register_book_template() -> None:
    """The cover of one series' book (NĐ 30 Phụ lục IV: Bìa và trang đầu), then on a landscape
    page the `{{ flow }}` where the register's table is put at build time (its widths are measured
    from what the book holds, see mtcl_docs/render/register_table.py)."""
    doc = new_document()
    put(doc, None, "{%p if superior %}")
    put(doc, "superior", "{{r superior }}")
    put(doc, None, "{%p endif %}")
    put(doc, "issuer", "{{r issuer }}")
    for _ in range(8):
        put(doc, "cover_line", "")
    put(doc, "doc_type", "SỔ ĐĂNG KÝ VĂN BẢN ĐI")
    put_if(doc, "cover_line", "series")
    put(doc, "cover_line", "")
    put(doc, None, "{%p for line in period %}")
    put(doc, "cover_line", "{{ line }}")
    put(doc, None, "{%p endfor %}")
    put(doc, "cover_line", "Từ ngày {{ from_date }} đến ngày {{ to_date }}")
    put(doc, "cover_line", "Từ số {{ from_number }} đến số {{ to_number }}")
    put(doc, "cover_line", "{{ tally }}")
    put(doc, "cover_line", "Quyển số: {{ book }}")
    doc.add_section(WD_SECTION.NEW_PAGE)
    put(doc, "cover_line", "")  # LibreOffice drops a section break that a table follows directly
    put(doc, "body", "{{ flow }}")
    save(doc, "so-dang-ky-van-ban-di.docx")


def title_lines(doc) -> None:
    put(doc, None, "{%p for line in title %}")
    put(doc, "appendix_title", "{{ line }}")
    put(doc, None, "{%p endfor %}")


def unit_header(doc) -> None:
    """A unit's header block: the academy (as superior, not bold) over the unit (bold), then the
    profile's `*` (or, in NĐ 30, the rule the unit's style draws). The empty right column keeps
    the left one as wide as a document's; both are sized to the text at build time."""
    header = doc.add_table(rows=1, cols=2)
    left = header.cell(0, 0)
    put(left, "superior", "{{r superior }}", first=True)
    put(left, "issuer", "{{r issuer }}")
    put_if(left, "issuer_mark", "issuer_mark")
    set_column_widths(header, [88, 77])


def approval_block(doc) -> None:
    """The unit head's approval at the right: the date line left to fill, the head's title, room
    to sign and a line for the name (landscape: 152 + 100 mm)."""
    table = doc.add_table(rows=1, cols=2)
    right = table.cell(0, 1)
    put(right, "date", "{{ date_line }}", first=True)
    put(right, "authority", "{{ head_title }}")
    put(right, "appendix_reference", "{{ sign_note }}")
    put(right, None, "{%p for blank in sign_space %}")
    put(right, "signer_name", "{{ blank }}")
    put(right, None, "{%p endfor %}")
    put(right, "signer_name", "{{ name_line }}")
    set_column_widths(table, [152, 100])


def unit_plan_form_template() -> None:
    """The plan form each unit fills in: a document of the unit; its table goes where `{{ flow }}`
    stands (built from the data, see mtcl_docs/plans/tables.py)."""
    doc = new_document()
    unit_header(doc)
    put(doc, "appendix_title", "")
    title_lines(doc)
    put_if(doc, "appendix_reference", "reference")
    put(doc, "appendix_reference", "")
    put(doc, "body", "{{ flow }}")
    approval_block(doc)
    save(doc, "ke-hoach-mtcl-don-vi.docx")


def consolidated_plan_template() -> None:
    """Title, reference, then each unit's heading and table where `{{ flow }}` stands."""
    doc = new_document()
    title_lines(doc)
    put(doc, "appendix_reference", "{{ reference }}")
    put(doc, "body", "{{ flow }}")
    save(doc, "tong-hop-ke-hoach-mtcl.docx")


def unit_results_template() -> None:
    doc = new_document()
    title_lines(doc)
    put(doc, "appendix_reference", "")
    put(doc, "body", "{{ flow }}")
    put(doc, None, "{%p for line in summary %}")
    put(doc, "body", "{{ line }}")
    put(doc, None, "{%p endfor %}")
    save(doc, "bao-cao-ket-qua-mtcl.docx")


def institution_results_template() -> None:
    """Title, the two tallies (per objective, per unit) each under its heading, the summary."""
    doc = new_document()
    title_lines(doc)
    put(doc, "body", "{{ flow }}")
    put(doc, None, "{%p for line in summary %}")
    put(doc, "body", "{{ line }}")
    put(doc, None, "{%p endfor %}")
    save(doc, "tong-hop-ket-qua-mtcl.docx")


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    main_template()
    attached_template()
    appendix_template()
    unit_plan_form_template()
    register_book_template()
    consolidated_plan_template()
    unit_results_template()
    institution_results_template()
    sys.exit(0)
