"""The seed's requirements for a unit plan, checked row by row (cụ thể, đo lường được, …)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.load.model import Unit
from mtcl_docs.names import fold
from mtcl_docs.plans.model import QualityYear
from mtcl_docs.plans.months import Month, parse_month
from mtcl_docs.plans.readers import RawRow
from mtcl_docs.plans.units import UnitIndex

# The rules, named as the notice names them.
SPECIFIC = "cụ thể"
MEASURABLE = "đo lường được"
TIMED = "có thời gian hoàn thành"
LEAD = "đơn vị chủ trì"
PARTNERS = "đơn vị phối hợp"
LINKED = "gắn kết với MTCL của Học viện"

CODE = re.compile(r"\bMT\d{2,}\b")
# A measurable target: a number, a percentage, a count in words, or a named product.
MEASURE_WORDS = re.compile(
    r"\d|%|\b(mot|hai|ba|bon|sau|bay|tam|chin|muoi|tat ca|toan bo|moi)\b"
    r"|\b(bai bao|giao trinh|sach|de tai|hoi thao|bao cao|quy trinh|quy dinh|quy che|"
    r"chuong trinh|phan mem|co so du lieu|tai lieu|hoc lieu|san pham|ngan hang cau hoi|"
    r"bo de|website|so tay|ke hoach|de an|khoa hoc|lop)\b"
)
LIST_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class Issue:
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: [{self.rule}] {self.message}"


@dataclass
class PlanLine:
    """One row that says something, as written, with its months read."""

    where: str
    tt: str
    objective: str
    plan: str
    start_text: str
    end_text: str
    lead: str
    partners: str
    note: str
    start: Month | None = None
    end: Month | None = None
    codes: list[str] = field(default_factory=list)


@dataclass
class UnitPlan:
    """A unit's returned plan: where it came from, when, its rows and what is wrong with them."""

    unit: Unit
    source: Path
    received: dt.date
    lines: list[PlanLine]
    issues: list[Issue]
    received_how: str = ""  # where `received` comes from: the receipt log, the file, …
    notes: list[Issue] = field(default_factory=list)  # suggestions, not errors


def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return str(Month.of(value))
    return str(value).strip()


def lines_of(rows: list[RawRow]) -> list[PlanLine]:
    """Rows with content; empty rows (and placeholders such as `...`) are dropped."""
    out = []
    for row in rows:
        v = row.values
        texts = {
            k: _s(v.get(k))
            for k in ("objective", "plan", "start", "end", "lead", "partners", "note")
        }
        if not any(texts.values()):
            continue
        # merging two filled cells in Word keeps both texts: one lead unit written twice is one
        lead = " ".join(
            dict.fromkeys(" ".join(x.split()) for x in texts["lead"].splitlines() if x.strip())
        )
        line = PlanLine(
            row.where, _s(v.get("tt")), " ".join(texts["objective"].split()), texts["plan"],
            texts["start"], texts["end"], lead, texts["partners"], texts["note"],
        )  # fmt: skip
        line.start = parse_month(v.get("start")) or parse_month(texts["start"])
        line.end = parse_month(v.get("end")) or parse_month(texts["end"])
        line.codes = CODE.findall(line.objective)
        out.append(line)
    return out


SUGGESTION = "gợi ý"


def _unit_named(
    units: UnitIndex, text: str, what: str, where: str, notes: list[Issue]
) -> str | None:
    """None when `text` names a unit (with a note if only found without its diacritics), else
    the error, with the unit it most likely means."""
    found = units.find(text)
    if found is not None:
        if units.loosely_typed(text, found):
            notes.append(
                Issue(
                    SUGGESTION,
                    where,
                    f'{what} "{text}" được hiểu là «{found.name}»; nên ghi '
                    "đúng tên đơn vị (có dấu) hoặc mã đơn vị",
                )  # fmt: skip
            )
        return None
    near = units.closest(text)
    hint = f"; có phải «{near.name}»?" if near else ""
    return f'{what} "{text}" không có trong danh sách đơn vị{hint}'


def check(
    year: QualityYear,
    units: UnitIndex,
    unit: Unit,
    lines: list[PlanLine],
    notes: list[Issue] | None = None,
) -> list[Issue]:
    """Every rule on every row, then coverage of the objectives assigned to the unit (step B2);
    suggestions (a unit typed without its diacritics) go to `notes`."""
    notes = [] if notes is None else notes
    issues: list[Issue] = []
    collective = {fold(c) for c in year.collective}
    for line in lines:
        where = line.where + (f" (TT {line.tt})" if line.tt else "")

        def bad(rule: str, message: str, where=where) -> None:
            issues.append(Issue(rule, where, message))

        if not line.objective:
            bad(SPECIFIC, "chưa ghi mục tiêu cụ thể")
        if not line.plan.strip():
            bad(SPECIFIC, "chưa ghi kế hoạch thực hiện")
        if line.objective and not MEASURE_WORDS.search(fold(CODE.sub("", line.objective))):
            bad(
                MEASURABLE,
                "mục tiêu chưa có chỉ tiêu đo được (con số, tỷ lệ %, số lượng hoặc sản phẩm cụ thể)",
            )
        for label, text, month in (
            ("bắt đầu", line.start_text, line.start),
            ("kết thúc", line.end_text, line.end),
        ):
            if not text:
                bad(TIMED, f"chưa ghi tháng {label}")
            elif month is None:
                bad(TIMED, f'tháng {label} "{text}" không đọc được (ghi dạng 9/2022)')
            elif not year.start <= month <= year.end:
                bad(TIMED, f"tháng {label} {month} nằm ngoài năm học ({year.start} - {year.end})")
        if line.start and line.end and line.start > line.end:
            bad(TIMED, f"tháng bắt đầu {line.start} sau tháng kết thúc {line.end}")
        if not line.lead:
            bad(LEAD, "chưa ghi đơn vị chủ trì")
        elif error := _unit_named(units, line.lead, "đơn vị chủ trì", where, notes):
            bad(LEAD, error.removeprefix("đơn vị chủ trì "))
        for name in (p.strip() for p in LIST_SPLIT.split(line.partners)):
            if not name or fold(name) in collective:
                continue
            if error := _unit_named(units, name, PARTNERS, where, notes):
                bad(PARTNERS, error)
    written = " ".join(fold(line.objective) for line in lines)
    cited = {code for line in lines for code in line.codes}
    for objective in year.assigned_to(unit):
        if objective.code not in cited and fold(objective.text)[:40] not in written:
            issues.append(
                Issue(
                    LINKED,
                    "cả kế hoạch",
                    f"chưa có dòng cho mục tiêu {objective.code} của Học viện: {objective.text}",
                )
            )
    return issues
