"""The institution-wide plan (DOCX + PDF, by unit), an XLSX of every row, and who submitted when."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mtcl_docs.blocks import Block
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.plans.collect import Collected, UnitStatus
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.plans.tables import form_page, headed, plan_spec
from mtcl_docs.render.context import FLOW_MARK, ConsolidatedPlanContext
from mtcl_docs.render.engine import render_form
from mtcl_docs.render.tables import table_block
from mtcl_docs.sheet_text import append_text_row

CONSOLIDATED_TEMPLATE = "tong-hop-ke-hoach-mtcl"


def consolidated_flow(cycle: QualityCycle, collected: Collected) -> list[Block]:
    """Each unit that sent a plan, in the organisation's order (not the order files arrived in):
    its name as a heading kept with its table."""
    page = form_page(cycle.notice.profile, cycle.source)
    flow: list[Block] = []
    for unit in cycle.org.units:
        plan = collected.plans.get(unit.code)
        if plan is None:
            continue
        rows = [
            [
                line.objective, line.plan,
                str(line.start) if line.start else line.start_text,
                str(line.end) if line.end else line.end_text,
                line.lead, line.partners, line.note,
            ]
            for line in plan.lines
        ]  # fmt: skip
        flow += headed(unit.name.upper(), table_block(plan_spec(rows, unit.name), page))
    return flow


def consolidated_context(cycle: QualityCycle, collected: Collected) -> ConsolidatedPlanContext:
    title = [
        "KẾ HOẠCH THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG CỦA CÁC ĐƠN VỊ",
        f"NĂM HỌC {cycle.year.school_year}",
    ]
    reference = f"(Tổng hợp từ kế hoạch của {len(collected.plans)}/{len(cycle.org.units)} đơn vị)"
    return ConsolidatedPlanContext(title, reference, FLOW_MARK)


def write_consolidated_docx(
    cycle: QualityCycle, collected: Collected, templates: Path, target: Path
) -> Path:
    document = render_form(
        CONSOLIDATED_TEMPLATE,
        consolidated_context(cycle, collected),
        cycle.notice.profile,
        templates,
        flow=consolidated_flow(cycle, collected),
    )
    return atomic_write(target, lambda tmp: document.save(str(tmp)))


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list], widths: list[int]):
    sheet = book.create_sheet(title)
    append_text_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:  # units' own text: never a live formula
        append_text_row(sheet, row)
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def write_workbook(
    cycle: QualityCycle,
    collected: Collected,
    status: list[UnitStatus],
    target: Path,
    history: tuple[list, dict[str, str]] | None = None,
) -> Path:
    """Every plan row, every problem, the submission status per unit, and (given `history`,
    plans/history.py) every file each unit sent, the replaced ones too."""
    book = Workbook()
    book.remove(book.active)
    rows, problems = [], []
    for unit in cycle.org.units:
        plan = collected.plans.get(unit.code)
        if plan is None:
            continue
        for line in plan.lines:
            rows.append([
                unit.code, unit.name, line.tt, line.objective, line.plan,
                str(line.start or line.start_text), str(line.end or line.end_text),
                line.lead, line.partners, line.note, ", ".join(line.codes),
            ])  # fmt: skip
        problems += [
            [unit.code, unit.name, i.where, i.rule, i.message] for i in plan.issues + plan.notes
        ]
    problems += [["", "", str(p.file), "tệp", p.message] for p in collected.failures]
    _sheet(book, "Kế hoạch", ["Mã đơn vị", "Đơn vị", "TT", "Mục tiêu cụ thể", "Kế hoạch thực hiện",
           "Bắt đầu", "Kết thúc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Ghi chú", "MTCL Học viện"],
           rows, [12, 30, 5, 50, 50, 10, 10, 25, 25, 20, 14])  # fmt: skip
    _sheet(
        book,
        "Lỗi",
        ["Mã đơn vị", "Đơn vị", "Vị trí", "Yêu cầu", "Lỗi"],
        problems,
        [12, 30, 30, 24, 70],
    )
    _sheet(
        book,
        "Tình hình nộp",
        ["Mã đơn vị", "Đơn vị", "Tình trạng", "Ngày nhận", "Ngày nhận theo", "Số ngày muộn",
         "Số dòng", "Số lỗi", "Tệp"],
        [
            [s.unit.code, s.unit.name, s.state, s.received.strftime("%d/%m/%Y") if s.received else "",
             s.how, s.days_late or "", s.rows, s.problems, s.source.name if s.source else ""]
            for s in status
        ],
        [12, 34, 12, 12, 20, 12, 10, 10, 36],
    )  # fmt: skip
    if history is not None:
        entries, state = history
        names = {u.code: u.name for u in cycle.org.units}
        _sheet(
            book,
            "Lịch sử nộp",
            ["Mã đơn vị", "Đơn vị", "Tệp", "Ngày nhận", "Ngày nhận theo", "Tình trạng",
             "Ghi nhận lúc", "SHA-256"],
            [[e.unit, names.get(e.unit, ""), e.file, e.received, e.how, state.get(e.sha256, ""),
              e.recorded, e.sha256] for e in entries],
            [12, 34, 36, 12, 20, 14, 20, 20],
        )  # fmt: skip
    return atomic_write(target, lambda tmp: book.save(tmp))
