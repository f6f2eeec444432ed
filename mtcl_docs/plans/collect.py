"""`plans collect DIR`: read every returned file, find its unit, check it; one bad file stops nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.errors import Problem
from mtcl_docs.load.model import Unit
from mtcl_docs.load.safepath import inside
from mtcl_docs.names import fold
from mtcl_docs.plans.model import QualityCycle
from mtcl_docs.plans.readers import (
    PDF_MESSAGE,
    PLAN_COLUMNS,
    RECEIPTS,
    PdfReturned,
    RawTable,
    ReadError,
    read_receipts,
    read_table_file,
)
from mtcl_docs.plans.units import UnitIndex
from mtcl_docs.plans.validate import UnitPlan, check, lines_of

PLAN_REQUIRED = {"objective", "plan", "start", "end"}
PDF_STATE = "đã nộp bản PDF — cần bản Word/Excel"
# Kinds of document a file's own title may name (File → Properties → Title, as our documents
# carry it): one of these where a plan (or a results report) is expected is refused by name.
DOCUMENT_KINDS = ("thong bao", "quyet dinh", "cong van", "to trinh", "bien ban", "giay moi",
                  "huong dan", "quy dinh", "quy che", "chi thi", "nghi quyet", "ke hoach",
                  "bao cao", "chuong trinh", "de an")  # fmt: skip
# How the submission day was found, as the status table says it.
BY_LOG, BY_FILE_DATE, BY_SAVED, BY_MTIME = (
    "sổ nhận",
    "ngày ghi trong tệp",
    "ngày lưu trong tệp",
    "ngày sửa tệp trên máy",
)


@dataclass
class Collected:
    """Plans by unit code, and a problem for each file that could not be taken."""

    plans: dict[str, UnitPlan] = field(default_factory=dict)
    failures: list[Problem] = field(default_factory=list)
    pdfs: dict[str, Path] = field(default_factory=dict)  # units that sent only a PDF
    superseded: list[UnitPlan] = field(default_factory=list)  # replaced by a later submission


def returned_files(folder: Path) -> list[Path]:
    """Every file units sent back, whatever its kind, so each one is named in the report (Word's
    `~$` lock files, hidden files and our receipt log are not submissions)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(("~$", ".")) and p.name != RECEIPTS
    )


def _not_a(table: RawTable, expected: str) -> None:
    """Refuse a file whose own title says it is another kind of document (a notice sent back
    in place of a plan)."""
    title = fold(table.doc_title)
    kind = next((k for k in DOCUMENT_KINDS if title.startswith(k)), None)
    if kind is not None and kind != expected:
        raise ReadError(
            f"tệp này là «{table.doc_title[:100]}» (theo tiêu đề trong thuộc tính của tệp), "
            "không phải " + ("kế hoạch MTCL" if expected == "ke hoach" else "báo cáo kết quả MTCL")
            + " của đơn vị"
        )  # fmt: skip


def recognise(table: RawTable, units: UnitIndex) -> Unit:
    """The unit a file belongs to: named outright (YAML), in its title, else in its file name."""
    if table.unit_hint is not None:
        unit = units.find(table.unit_hint)
        if unit is None:
            raise ReadError(f'đơn vị "{table.unit_hint}" không có trong danh sách đơn vị')
        return unit
    in_title, in_name = units.in_title(table.title), units.in_file_name(table.source.stem)
    if in_title and in_name and in_title is not in_name:
        raise ReadError(
            f"tên tệp ghi {in_name.name} nhưng tiêu đề trong tệp ghi {in_title.name}: không rõ "
            "là của đơn vị nào nên không thu; đề nghị kiểm tra lại với đơn vị"
        )
    unit = in_title or in_name
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
    pdfs: dict[str, Path] | None = None,
    expected: str = "ke hoach",
) -> Iterator[tuple[RawTable, Unit]]:
    """Each readable returned file with its unit; a file that is not is added to `failures`
    (a PDF also to `pdfs`, under its unit when its name says which)."""
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
            _not_a(table, expected)
            unit = recognise(table, units)
            if not any(any(str(v or "").strip() for v in r.values.values()) for r in table.rows):
                raise ReadError(f"{unit.name}: bảng trong tệp chưa có dòng nào được điền")
            yield table, unit
        except PdfReturned:
            unit = units.in_file_name(path.stem)
            if unit is not None and pdfs is not None:
                pdfs.setdefault(unit.code, path)
            who = unit.name if unit else "không rõ đơn vị (tên tệp không có tên đơn vị)"
            failures.append(Problem(path, f"{who}: {PDF_MESSAGE}"))
        except ReadError as exc:
            failures.append(Problem(path, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a file nobody foresaw must not stop the others
            failures.append(Problem(path, f"không đọc được tệp ({type(exc).__name__}: {exc})"))


def submission_day(
    table: RawTable, receipts: dict[str, dt.date], distributed: dt.date
) -> tuple[dt.date, str]:
    """When the file came in, and how we know: the receipt log; else a date the file states
    (YAML `submitted:`); else the file's own "last saved", only if after the forms went out (a
    form sent back untouched says the day it was made); else its modification time here."""
    if table.source.name in receipts:
        return receipts[table.source.name], BY_LOG
    if table.received is not None:
        return table.received, BY_FILE_DATE
    if table.saved is not None and table.saved.date() > distributed:
        return table.saved.date(), BY_SAVED
    return table.mtime or dt.date.today(), BY_MTIME


def collect(folder: Path, cycle: QualityCycle) -> Collected:
    from mtcl_docs.plans.distribute import distributed_on  # noqa: PLC0415 - distribute renders

    units = UnitIndex(cycle.org.units)
    out = Collected()
    if folder.is_dir() and not inside(folder, folder / RECEIPTS):  # a link out is not read
        receipts, errors = {}, [f"là lối tắt (symlink) trỏ ra ngoài thư mục {folder}: không đọc"]
    else:
        receipts, errors = read_receipts(folder) if folder.is_dir() else ({}, [])
    out.failures += [Problem(folder / RECEIPTS, e) for e in errors]  # the other lines still count
    for table, unit in returned_tables(
        folder, units, PLAN_COLUMNS, PLAN_REQUIRED, out.failures, out.pdfs
    ):
        path = table.source
        received, how = submission_day(table, receipts, distributed_on(cycle))
        lines, notes = lines_of(table.rows), []
        issues = check(cycle.year, units, unit, lines, notes)
        plan = UnitPlan(unit, path, received, lines, issues, how, notes)
        earlier = out.plans.get(unit.code)
        if earlier is not None:
            newer, older = sorted(
                (earlier, plan), key=lambda p: (p.received, str(p.source)), reverse=True
            )
            out.superseded.append(older)  # not an error: kept in the history (plans/history.py)
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
    how: str = ""  # where the day received comes from (BY_LOG, BY_SAVED, …)


def submission_status(cycle: QualityCycle, collected: Collected) -> list[UnitStatus]:
    """Each unit against the notice's deadline: on time, late (by how many days), or not at all."""
    out = []
    for unit in cycle.org.units:
        plan = collected.plans.get(unit.code)
        if plan is None:
            pdf = collected.pdfs.get(unit.code)
            out.append(UnitStatus(unit, PDF_STATE if pdf else "chưa nộp", None, 0, 0, 0, pdf))
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
                plan.received_how,
            )
        )
    return out
