"""The seed's step B4 (comments back, plans adjusted): after collecting, one document per unit,
in Vietnamese, listing each problem of its plan by the row of its table, ready to send back."""

from __future__ import annotations

from pathlib import Path

from mtcl_docs.blocks import Block, Para, Span
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.load.model import Unit
from mtcl_docs.plans.collect import Collected
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.plans.tables import feedback_spec, form_page, headed
from mtcl_docs.plans.validate import UnitPlan
from mtcl_docs.render.context import FLOW_MARK, UnitResultsContext
from mtcl_docs.render.engine import render_form
from mtcl_docs.render.tables import table_block

FEEDBACK_TEMPLATE = "bao-cao-ket-qua-mtcl"  # title lines, the table, closing lines
FEEDBACK_FOLDER = "gop-y"
TO_FIX = "CÁC ĐIỂM CẦN SỬA"
NOTHING_TO_FIX = "KHÔNG CÓ ĐIỂM CẦN SỬA"
NEED_WORD = "CẦN GỬI LẠI BẢN WORD/EXCEL"


def _heading(text: str) -> list[Block]:
    return [Para("appendix_heading", (Span(text),))]


def _title(unit: Unit, cycle: QualityCycle) -> list[str]:
    return [
        f"GÓP Ý KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: {unit.name.upper()}",
        f"NĂM HỌC {cycle.year.school_year}",
    ]


def plan_feedback(cycle: QualityCycle, plan: UnitPlan) -> tuple[UnitResultsContext, list[Block]]:
    """Each problem (then each suggestion) of the unit's plan: where, which rule, what to fix."""
    rows = [[i.where, i.rule, i.message] for i in plan.issues + plan.notes]
    received = f"{plan.received:%d/%m/%Y}" + (
        f" (theo {plan.received_how})" if plan.received_how else ""
    )
    summary = [
        f"Trung tâm đã nhận kế hoạch của đơn vị: tệp {plan.source.name}, ngày {received}; "
        f"{len(plan.lines)} dòng kế hoạch.",
    ]
    flow: list[Block] = _heading(NOTHING_TO_FIX)
    if plan.issues:
        summary.append(
            f"Có {len(plan.issues)} điểm cần sửa theo yêu cầu của Thông báo (bảng trên). Đề nghị "
            "đơn vị sửa ngay trong tệp đã gửi, trưởng đơn vị phê duyệt và gửi lại Trung tâm."
        )
    else:
        summary.append("Kế hoạch đáp ứng các yêu cầu của Thông báo; không có điểm cần sửa.")
    if plan.notes:
        summary.append(f"Có {len(plan.notes)} gợi ý (không bắt buộc) để ghi rõ hơn.")
    if rows:
        page = form_page(cycle.notice.profile, cycle.source)
        flow = headed(TO_FIX, table_block(feedback_spec(rows, plan.unit.name), page))
    return UnitResultsContext(_title(plan.unit, cycle), FLOW_MARK, summary), flow


def pdf_feedback(cycle: QualityCycle, unit: Unit, pdf: Path) -> tuple[UnitResultsContext, list]:
    summary = [
        f"Trung tâm đã nhận tệp {pdf.name} của đơn vị, là bản PDF nên không đọc và tổng hợp được.",
        "Đề nghị đơn vị gửi lại kế hoạch bằng tệp Word (.docx) hoặc Excel (.xlsx) theo mẫu đã gửi.",
    ]
    return UnitResultsContext(_title(unit, cycle), FLOW_MARK, summary), _heading(NEED_WORD)


def write_feedback(
    cycle: QualityCycle, collected: Collected, templates: Path, folder: Path
) -> list[Path]:
    """`<folder>/gop-y/<mã đơn vị>.docx` for each unit that sent something."""
    written = []
    profile = cycle.notice.profile
    made = [(code, plan_feedback(cycle, plan)) for code, plan in collected.plans.items()]
    units = {u.code: u for u in cycle.org.units}
    made += [
        (code, pdf_feedback(cycle, units[code], pdf))
        for code, pdf in collected.pdfs.items()
        if code not in collected.plans
    ]
    for code, (context, flow) in made:
        document = render_form(FEEDBACK_TEMPLATE, context, profile, templates, flow)
        target = folder / FEEDBACK_FOLDER / f"{code}.docx"
        written.append(atomic_write(target, lambda tmp, d=document: d.save(str(tmp))))
    return written
