"""`plans results DIR`: year-end results per objective (step B1), per unit and for the institution."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.blocks import Block
from mtcl_docs.errors import Problem
from mtcl_docs.load.model import Unit
from mtcl_docs.names import fold
from mtcl_docs.plans.collect import returned_tables
from mtcl_docs.plans.model import Objective, QualityCycle
from mtcl_docs.plans.readers import RESULT_COLUMNS
from mtcl_docs.plans.tables import form_page, headed, results_spec, tally_spec
from mtcl_docs.plans.units import UnitIndex
from mtcl_docs.plans.validate import CODE, Issue
from mtcl_docs.render.context import FLOW_MARK, InstitutionResultsContext, UnitResultsContext
from mtcl_docs.render.tables import table_block

MET, PARTLY, MISSED = "đạt", "đạt một phần", "không đạt"
_OUTCOMES = {"dat": MET, "hoan thanh": MET, "dat mot phan": PARTLY, "dat 1 phan": PARTLY,
             "khong dat": MISSED, "chua dat": MISSED}  # fmt: skip
RESULT_REQUIRED = {"objective", "result"}
BY_OBJECTIVE, BY_UNIT = "I. THEO MỤC TIÊU CỦA HỌC VIỆN", "II. THEO ĐƠN VỊ"


@dataclass
class Outcome:
    where: str
    objective: str
    code: str | None
    result: str | None
    percent: float | None
    evidence: str


@dataclass
class UnitResults:
    unit: Unit
    source: Path
    outcomes: list[Outcome]
    issues: list[Issue]

    def count(self, result: str) -> int:
        return sum(o.result == result for o in self.outcomes)


@dataclass
class Results:
    units: dict[str, UnitResults] = field(default_factory=dict)
    failures: list[Problem] = field(default_factory=list)


def _percent(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number * 100 if 0 < number < 1 else number  # Excel keeps 85% as 0.85
    match = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$", str(value))
    return float(match.group(1).replace(",", ".")) if match else None


def vn_number(value: float, digits: int = 1) -> str:
    """A number as Vietnamese writes it: `75,0`, `1.234,5` (comma for decimals, dot for
    thousands)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _known(cycle: QualityCycle) -> str:
    return ", ".join(o.code for o in cycle.year.objectives)


def _shown(objective: str, code: str | None, known: dict[str, Objective]) -> str:
    """What the report shows for a row: the unit's own words, or, when the unit wrote only the
    code (`MT01`), the code with the objective's text from the MTCL decision."""
    if code in known and not CODE.sub("", objective).strip(" .:-–"):
        return f"{code}. {known[code].text}"
    return objective


def read_results(folder: Path, cycle: QualityCycle) -> Results:
    units = UnitIndex(cycle.org.units)
    known = {o.code: o for o in cycle.year.objectives}
    out = Results()
    for table, unit in returned_tables(
        folder, units, RESULT_COLUMNS, RESULT_REQUIRED, out.failures, expected="bao cao"
    ):
        outcomes, issues = [], []
        for row in table.rows:
            v = row.values
            objective = " ".join(str(v.get("objective") or "").split())
            raw_result = str(v.get("result") or "").strip()
            if not objective and not raw_result:
                continue
            result = _OUTCOMES.get(fold(raw_result))
            percent = _percent(v.get("percent"))
            codes = CODE.findall(objective)
            unknown = [c for c in codes if c not in known]
            if unknown:  # never counted: MT99 is no objective of the institution
                issues.append(
                    Issue(
                        "mục tiêu",
                        row.where,
                        f"mục tiêu {', '.join(unknown)} không có trong MTCL của Học viện năm học "
                        f"{cycle.year.school_year} (có: {_known(cycle)}); dòng này không được tính",
                    )
                )
                continue
            code = codes[0] if codes else None
            outcome = Outcome(row.where, _shown(objective, code, known), code, result, percent,
                              str(v.get("evidence") or "").strip())  # fmt: skip
            if result is None:
                issues.append(
                    Issue(
                        "kết quả",
                        row.where,
                        f'"{raw_result}" phải là: {MET}, {PARTLY} hoặc {MISSED}',
                    )
                )
            if v.get("percent") not in (None, "") and (percent is None or not 0 <= percent <= 100):
                issues.append(
                    Issue("tỷ lệ đạt", row.where, f'"{v.get("percent")}" phải là số từ 0 đến 100')
                )
            if not outcome.evidence:
                issues.append(Issue("minh chứng", row.where, "chưa ghi minh chứng"))
            outcomes.append(outcome)
        reported = {o.code for o in outcomes}
        for objective in cycle.year.assigned_to(unit):
            if objective.code not in reported:
                issues.append(
                    Issue(
                        "đủ mục tiêu",
                        "cả báo cáo",
                        f"chưa báo cáo mục tiêu {objective.code}: {objective.text}",
                    )
                )
        out.units[unit.code] = UnitResults(unit, table.source, outcomes, issues)
    return out


def _rate(met: int, total: int) -> str:
    return vn_number(100 * met / total) if total else "-"


def _fmt(percent: float | None) -> str:
    if percent is None:
        return ""
    return vn_number(percent, 2).rstrip("0").rstrip(",")


def unit_report(
    cycle: QualityCycle, results: UnitResults
) -> tuple[UnitResultsContext, list[Block]]:
    """A unit's results report: its title and summary lines, and its table."""
    rows = [[o.objective, o.result or "?", _fmt(o.percent), o.evidence] for o in results.outcomes]
    page = form_page(cycle.notice.profile, cycle.source)
    table = table_block(results_spec(rows, results.unit.name), page)
    total = len(results.outcomes)
    met = results.count(MET)
    summary = [
        f"Số mục tiêu: {total}; đạt: {met}; đạt một phần: {results.count(PARTLY)}; "
        f"không đạt: {results.count(MISSED)}.",
        f"Tỷ lệ mục tiêu đạt: {_rate(met, total)} %.",
    ]
    title = [
        f"BÁO CÁO KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG ĐƠN VỊ: {results.unit.name.upper()}",
        f"NĂM HỌC {cycle.year.school_year}",
    ]
    return UnitResultsContext(title, FLOW_MARK, summary), [table]


def _tally(name: str, outcomes: list[Outcome]) -> list[str]:
    met = sum(o.result == MET for o in outcomes)
    partly = sum(o.result == PARTLY for o in outcomes)
    missed = sum(o.result == MISSED for o in outcomes)
    return [name, str(len(outcomes)), str(met), str(partly), str(missed), _rate(met, len(outcomes))]


def institution_report(
    cycle: QualityCycle, results: Results
) -> tuple[InstitutionResultsContext, list[Block]]:
    """The institution's results: counted per objective, then per unit, each table under its
    heading."""
    every = [o for r in results.units.values() for o in r.outcomes]
    objectives: list[Objective] = cycle.year.objectives
    by_objective = [
        _tally(f"{o.code}. {o.text}", [x for x in every if x.code == o.code]) for o in objectives
    ]
    by_unit = [
        _tally(u.name, results.units[u.code].outcomes if u.code in results.units else [])
        for u in cycle.org.units
    ]
    page = form_page(cycle.notice.profile, cycle.source)
    flow = [
        *headed(BY_OBJECTIVE, table_block(tally_spec("MỤC TIÊU", by_objective), page, 1)),
        *headed(BY_UNIT, table_block(tally_spec("ĐƠN VỊ", by_unit), page, 2)),
    ]
    met = sum(o.result == MET for o in every)
    summary = [
        f"Số đơn vị đã báo cáo: {len(results.units)}/{len(cycle.org.units)}.",
        f"Tổng số kết quả: {len(every)}; đạt: {met}; tỷ lệ đạt: {_rate(met, len(every))} %.",
    ]
    title = [
        "BÁO CÁO KẾT QUẢ THỰC HIỆN MỤC TIÊU CHẤT LƯỢNG CỦA HỌC VIỆN",
        f"NĂM HỌC {cycle.year.school_year}",
    ]
    return InstitutionResultsContext(title, FLOW_MARK, summary), flow
