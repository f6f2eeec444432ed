"""Each unit's plan form: the seed's table, pre-filled with the objectives assigned to the unit."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document

from mtcl_docs.load.model import Unit
from mtcl_docs.number.symbol import number_symbol
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.render.context import AppendixContext, PlanRowContext
from mtcl_docs.render.engine import render_form

PLAN_TEMPLATE = "phu-luc-ke-hoach-mtcl"
BLANK_ROWS = 2  # room for the unit's own objectives


def plan_title(unit: Unit, school_year: str) -> list[str]:
    return [
        f"KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: {unit.name.upper()}",
        f"NĂM HỌC {school_year}",
    ]


def plan_form_context(cycle: QualityCycle, unit: Unit) -> AppendixContext:
    notice = cycle.notice
    reference = (
        f"(Thực hiện Thông báo số {number_symbol(notice)} ngày {notice.doc.date:%d/%m/%Y}; "
        f"gửi lại trước ngày {cycle.deadline:%d/%m/%Y})"
    )
    assigned = cycle.year.assigned_to(unit)
    rows = [
        PlanRowContext(str(i), f"{o.code}. {o.text}", "", "", "", unit.name, "", "")
        for i, o in enumerate(assigned, 1)
    ]
    rows += [
        PlanRowContext(str(len(rows) + i), "", "", "", "", "", "", "")
        for i in range(1, BLANK_ROWS + 1)
    ]
    return AppendixContext("", plan_title(unit, cycle.year.school_year), reference, rows)


def plan_form(cycle: QualityCycle, unit: Unit, templates: Path) -> Document:
    return render_form(
        PLAN_TEMPLATE, plan_form_context(cycle, unit), cycle.notice.profile, templates
    )


def form_path(output: Path, cycle: QualityCycle, unit: Unit) -> Path:
    """`output/don-vi/<mã đơn vị>/ke-hoach-mtcl-<năm học>.docx`: one folder per unit."""
    return output / "don-vi" / unit.code / f"ke-hoach-mtcl-{cycle.year.id}.docx"
