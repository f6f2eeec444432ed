"""Each unit's plan form: a document of the unit (the academy over the unit's name), the seed's
table pre-filled with the objectives assigned to the unit, and the approval block the notice asks
for (`MTCL … được trưởng đơn vị phê duyệt`)."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document
from docxtpl import RichText

from mtcl_docs.load.model import Unit
from mtcl_docs.number.symbol import number_symbol
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.plans.tables import ending_with_next, form_page, plan_spec
from mtcl_docs.render.context import FLOW_MARK, PlanFormContext
from mtcl_docs.render.engine import render_form
from mtcl_docs.render.tables import table_block

PLAN_TEMPLATE = "ke-hoach-mtcl-don-vi"
BLANK_ROWS = 2  # room for the unit's own objectives
HEAD_TITLE = "Trưởng đơn vị"  # when the unit's data names no title of its head
BLANK_DATE = "ngày …… tháng …… năm ……"  # the unit writes the day it approves the plan
SIGN_NOTE = "(Ký, ghi rõ họ tên)"
NAME_LINE = "………………………………"


def plan_title(unit: Unit, school_year: str) -> list[str]:
    return [
        f"KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: {unit.name.upper()}",
        f"NĂM HỌC {school_year}",
    ]


def plan_form_context(cycle: QualityCycle, unit: Unit) -> PlanFormContext:
    notice, org, profile = cycle.notice, cycle.org, cycle.notice.profile
    reference = (
        f"(Thực hiện Thông báo số {number_symbol(notice)} ngày {notice.doc.date:%d/%m/%Y}; "
        f"gửi lại trước ngày {cycle.deadline:%d/%m/%Y})"
    )
    return PlanFormContext(
        superior=RichText(org.caps_name),
        issuer=RichText(unit.name.upper()),
        issuer_mark=profile.issuer_mark or "",
        title=plan_title(unit, cycle.year.school_year),
        reference=reference,
        flow=FLOW_MARK,
        date_line=f"{org.place}, {BLANK_DATE}",
        head_title=(unit.head_title or HEAD_TITLE).upper(),
        sign_note=SIGN_NOTE,
        sign_space=[""] * profile.signature_space_lines,
        name_line=NAME_LINE,
    )


def plan_rows(cycle: QualityCycle, unit: Unit) -> list[list[str]]:
    """The objectives assigned to the unit (code first, the unit as lead), then blank rows."""
    assigned = cycle.year.assigned_to(unit)
    rows = [[f"{o.code}. {o.text}", "", "", "", unit.name, "", ""] for o in assigned]
    return rows + [[""] * 7 for _ in range(BLANK_ROWS)]


def plan_form(cycle: QualityCycle, unit: Unit, templates: Path) -> Document:
    profile = cycle.notice.profile
    table = table_block(plan_spec(plan_rows(cycle, unit)), form_page(profile, cycle.source))
    table = ending_with_next(table)  # the approval block follows it
    return render_form(
        PLAN_TEMPLATE, plan_form_context(cycle, unit), profile, templates, flow=[table]
    )


def form_path(output: Path, cycle: QualityCycle, unit: Unit) -> Path:
    """`output/don-vi/<mã đơn vị>/ke-hoach-mtcl-<năm học>.docx`: one folder per unit."""
    return output / "don-vi" / unit.code / f"ke-hoach-mtcl-{cycle.year.id}.docx"
