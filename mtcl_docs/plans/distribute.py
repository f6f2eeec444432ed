"""Each unit's plan form: a document of the unit (the academy over the unit's name), the seed's
table pre-filled with the objectives assigned to the unit, and the approval block the notice asks
for (`MTCL … được trưởng đơn vị phê duyệt`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from docx.document import Document
from docxtpl import RichText

from mtcl_docs.archive.metadata import PdfMeta
from mtcl_docs.load.model import Unit
from mtcl_docs.number.symbol import number_symbol
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.plans.tables import ending_with_next, form_page, plan_spec, results_spec
from mtcl_docs.render.context import FLOW_MARK, PlanFormContext
from mtcl_docs.render.engine import describe, render_form
from mtcl_docs.render.tables import table_block

PLAN_TEMPLATE = "ke-hoach-mtcl-don-vi"
# Part of the forms' cache key: forms made before they carried their properties and had a
# results form beside them are made again.
FORMS_VERSION = "2: thuộc tính tệp, mẫu báo cáo kết quả"
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


def distributed_on(cycle: QualityCycle) -> dt.date:
    """The day the forms go out: the date of the notice they are sent with."""
    return cycle.notice.doc.date


def _properties(document: Document, cycle: QualityCycle, unit: Unit, title: list[str]) -> None:
    """File → Properties: the form's title (unit and year), the institution as author, created
    on the day of distribution, so a returned file says whose and which year it is, and a form
    sent back untouched is seen to be one (not "saved" on python-docx's 2013-12-23)."""
    org = cycle.org
    name = f"{title[0].split(':')[0].capitalize()}: {unit.name} - năm học {cycle.year.school_year}"
    describe(
        document,
        PdfMeta(
            title=name,
            author=org.name,
            subject=f"Thực hiện Thông báo số {number_symbol(cycle.notice)}",
            keywords=", ".join([unit.code, unit.name, cycle.year.school_year, "MTCL"]),
            created=distributed_on(cycle),
        ),
    )


def plan_form(cycle: QualityCycle, unit: Unit, templates: Path) -> Document:
    profile = cycle.notice.profile
    table = table_block(plan_spec(plan_rows(cycle, unit)), form_page(profile, cycle.source))
    table = ending_with_next(table)  # the approval block follows it
    context = plan_form_context(cycle, unit)
    document = render_form(PLAN_TEMPLATE, context, profile, templates, flow=[table])
    _properties(document, cycle, unit, context.title)
    return document


# -- the year-end results form, sent with the plan form and read back like it ---------------------

RESULTS_BLANK_ROWS = 2


def results_title(unit: Unit, school_year: str) -> list[str]:
    return [
        f"BÁO CÁO KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: {unit.name.upper()}",
        f"NĂM HỌC {school_year}",
    ]


def results_rows(cycle: QualityCycle, unit: Unit) -> list[list[str]]:
    """The objectives assigned to the unit (code and text), KẾT QUẢ, TỶ LỆ, MINH CHỨNG to fill."""
    rows = [[f"{o.code}. {o.text}", "", "", ""] for o in cycle.year.assigned_to(unit)]
    return rows + [[""] * 4 for _ in range(RESULTS_BLANK_ROWS)]


def results_form(cycle: QualityCycle, unit: Unit, templates: Path) -> Document:
    """The plan form's page (header, approval block) around the results table; the unit writes
    đạt / đạt một phần / không đạt, the rate reached and its evidence."""
    profile = cycle.notice.profile
    spec = results_spec(results_rows(cycle, unit))
    table = ending_with_next(table_block(spec, form_page(profile, cycle.source)))
    end = cycle.year.end
    context = replace(
        plan_form_context(cycle, unit),
        title=results_title(unit, cycle.year.school_year),
        reference=(
            f"(Thực hiện Thông báo số {number_symbol(cycle.notice)} ngày "
            f"{cycle.notice.doc.date:%d/%m/%Y}; gửi lại khi kết thúc năm học, tháng {end}; "
            "cột KẾT QUẢ ghi: đạt, đạt một phần hoặc không đạt)"
        ),
    )
    document = render_form(PLAN_TEMPLATE, context, profile, templates, flow=[table])
    _properties(document, cycle, unit, context.title)
    return document


def form_path(output: Path, cycle: QualityCycle, unit: Unit) -> Path:
    """`output/don-vi/<mã đơn vị>/ke-hoach-mtcl-<năm học>.docx`: one folder per unit."""
    from mtcl_docs.errors import DocumentError  # noqa: PLC0415 - this check only
    from mtcl_docs.load.safepath import inside, name_problem  # noqa: PLC0415

    folder = output / "don-vi"
    target = folder / unit.code / f"ke-hoach-mtcl-{cycle.year.id}.docx"
    if name_problem(unit.code) or not inside(folder, target):  # Unit refuses such codes already
        raise DocumentError.single(
            unit.code, f"mã đơn vị không dùng được làm thư mục trong {folder}"
        )
    return target


def results_form_path(output: Path, cycle: QualityCycle, unit: Unit) -> Path:
    """Beside the plan form: `output/don-vi/<mã đơn vị>/ket-qua-mtcl-<năm học>.docx`."""
    return form_path(output, cycle, unit).with_name(f"ket-qua-mtcl-{cycle.year.id}.docx")
