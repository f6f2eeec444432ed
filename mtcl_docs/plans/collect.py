"""`plans collect DIR`: read every returned file, find its unit, check it; one bad file stops nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.errors import Problem
from mtcl_docs.load.model import Unit
from mtcl_docs.load.safepath import inside
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.plans.readers import (
    PLAN_COLUMNS,
    RECEIPTS,
    SUFFIXES,
    RawTable,
    ReadError,
    read_receipts,
    read_table_file,
)
from mtcl_docs.plans.units import UnitIndex
from mtcl_docs.plans.validate import UnitPlan, check, lines_of

PLAN_REQUIRED = {"objective", "plan", "start", "end"}


@dataclass
class Collected:
    """Plans by unit code, and a problem for each file that could not be taken."""

    plans: dict[str, UnitPlan] = field(default_factory=dict)
    failures: list[Problem] = field(default_factory=list)


def returned_files(folder: Path) -> list[Path]:
    """Files units sent back (Word's `~$` lock files and our receipt log are not plans)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUFFIXES
        and not p.name.startswith(("~$", "."))
        and p.name != RECEIPTS
    )


def recognise(table: RawTable, units: UnitIndex) -> Unit:
    """The unit a file belongs to: named outright (YAML), in its title, else in its file name."""
    if table.unit_hint is not None:
        unit = units.find(table.unit_hint)
        if unit is None:
            raise ReadError(f'đơn vị "{table.unit_hint}" không có trong danh sách đơn vị')
        return unit
    unit = units.in_title(table.title) or units.in_file_name(table.source.stem)
    if unit is None:
        raise ReadError(
            "không nhận ra đơn vị: tiêu đề và tên tệp đều không có tên đơn vị nào trong danh sách"
        )
    return unit


def returned_tables(
    folder: Path,
    units: UnitIndex,
    columns: dict[str, str],
    required: set[str],
    failures: list[Problem],
) -> Iterator[tuple[RawTable, Unit]]:
    """Each readable returned file with its unit; a file that is not is added to `failures`."""
    if not folder.is_dir():
        failures.append(Problem(folder, "không có thư mục này"))
        return
    for path in returned_files(folder):
        if not inside(folder, path):  # a link to a file elsewhere is not something a unit sent
            failures.append(Problem(path, (
                f"là lối tắt (symlink) trỏ ra ngoài thư mục {folder}: không đọc. Hãy chép chính "
                "tệp đơn vị gửi vào thư mục này"
            )))  # fmt: skip
            continue
        try:
            table = read_table_file(path, columns, required)
            yield table, recognise(table, units)
        except ReadError as exc:
            failures.append(Problem(path, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a file nobody foresaw must not stop the others
            failures.append(Problem(path, f"không đọc được tệp ({type(exc).__name__}: {exc})"))


def collect(folder: Path, cycle: QualityCycle) -> Collected:
    units = UnitIndex(cycle.org.units)
    out = Collected()
    try:
        receipts = read_receipts(folder) if folder.is_dir() else {}
    except ReadError as exc:  # the log is broken: say so, and fall back to the files' own dates
        out.failures.append(Problem(folder / RECEIPTS, str(exc)))
        receipts = {}
    for table, unit in returned_tables(folder, units, PLAN_COLUMNS, PLAN_REQUIRED, out.failures):
        path = table.source
        received = receipts.get(path.name, table.received or dt.date.today())
        lines = lines_of(table.rows)
        plan = UnitPlan(unit, path, received, lines, check(cycle.year, units, unit, lines))
        earlier = out.plans.get(unit.code)
        if earlier is not None:
            newer, older = sorted(
                (earlier, plan), key=lambda p: (p.received, str(p.source)), reverse=True
            )
            out.failures.append(
                Problem(
                    older.source,
                    f"{unit.name} đã gửi tệp khác nhận sau ({newer.source.name}); dùng tệp đó",
                )
            )
            plan = newer
        out.plans[unit.code] = plan
    return out


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    state: str  # "đúng hạn", "muộn", "chưa nộp"
    received: dt.date | None
    days_late: int
    rows: int
    problems: int
    source: Path | None


def submission_status(cycle: QualityCycle, collected: Collected) -> list[UnitStatus]:
    """Each unit against the notice's deadline: on time, late (by how many days), or not at all."""
    out = []
    for unit in cycle.org.units:
        plan = collected.plans.get(unit.code)
        if plan is None:
            out.append(UnitStatus(unit, "chưa nộp", None, 0, 0, 0, None))
            continue
        late = (plan.received - cycle.deadline).days
        state = "đúng hạn" if late <= 0 else "muộn"
        out.append(
            UnitStatus(
                unit,
                state,
                plan.received,
                max(late, 0),
                len(plan.lines),
                len(plan.issues),
                plan.source,
            )
        )
    return out
