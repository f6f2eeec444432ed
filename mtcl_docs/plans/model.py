"""The school year's quality objectives (MTCL của Học viện) and who answers for each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from mtcl_docs.errors import DocumentError
from mtcl_docs.load.loader import Job
from mtcl_docs.load.messages import explain
from mtcl_docs.load.model import Organisation, Strict, Unit
from mtcl_docs.load.yamlsource import YamlSource, field_path
from mtcl_docs.plans.months import Month, parse_month

QUALITY_DIR = "mtcl"


def _month(value: Any) -> Any:
    parsed = parse_month(value)
    if parsed is None:
        raise ValueError(f'"{value}" không phải tháng (cần dạng 2022-09 hoặc 9/2022)')
    return parsed


MonthField = Annotated[Month, BeforeValidator(_month)]


class Objective(Strict):
    """One institution objective, with a measurable target and the units that carry it."""

    code: str = Field(pattern=r"^MT\d{2,}$")
    text: str = Field(min_length=1)
    units: list[str] = Field(min_length=1)


class QualityYear(Strict):
    """`data/mtcl/<năm học>.yaml`: the year's objectives (from the MTCL decision) and the notice."""

    id: str
    org: str
    school_year: str
    start: MonthField
    end: MonthField
    decision: str = Field(description="quyết định ban hành MTCL của Học viện")
    notice: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)] = Field(
        description="mã văn bản yêu cầu lập kế hoạch (hạn nộp lấy từ đó)"
    )
    collective: list[str] = Field(
        default_factory=list, description="cách ghi nhiều đơn vị được chấp nhận ở cột phối hợp"
    )
    objectives: list[Objective] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> QualityYear:
        if self.end < self.start:
            raise ValueError("tháng kết thúc năm học (end) trước tháng bắt đầu (start)")
        codes = [o.code for o in self.objectives]
        if len(codes) != len(set(codes)):
            raise ValueError("có mã mục tiêu bị trùng")
        return self

    def assigned_to(self, unit: Unit) -> list[Objective]:
        return [o for o in self.objectives if unit.code in o.units]


@dataclass(frozen=True)
class QualityCycle:
    """A validated year with its organisation and the notice that set the deadline."""

    year: QualityYear
    org: Organisation
    notice: Job
    source: Path

    @property
    def deadline(self) -> dt.date:
        return self.notice.doc.deadline


def load_quality_year(
    path: Path, orgs: dict[str, Organisation], notices: dict[str, Job]
) -> QualityCycle:
    src = YamlSource.read(path)
    if not isinstance(src.data, dict):
        raise DocumentError.single(path, "tệp phải là một nhóm trường dạng 'tên: giá trị'")
    try:
        year = QualityYear.model_validate({"id": path.stem, **src.data})
    except ValidationError as exc:
        raise DocumentError(explain(src, exc)) from exc

    def fail(field: tuple, message: str) -> DocumentError:
        return DocumentError.single(path, message, line=src.line_of(field), field=field_path(field))

    org = orgs.get(year.org)
    if org is None:
        raise fail(("org",), f'"{year.org}" không phải cơ quan đã khai báo')
    for i, objective in enumerate(year.objectives):
        for j, code in enumerate(objective.units):
            if org.unit(code) is None:
                raise fail(
                    ("objectives", i, "units", j), f'"{code}" không phải mã đơn vị của {org.id}'
                )
    notice = notices.get(year.notice)
    if notice is None:
        raise fail(("notice",), f'không có văn bản "{year.notice}" trong data/notices')
    if notice.doc.deadline is None:
        raise fail(("notice",), f'văn bản "{year.notice}" chưa ghi hạn nộp (deadline:)')
    return QualityCycle(year, org, notice, path)


def load_cycles(
    data_dir: Path, orgs: dict[str, Organisation], notices: dict[str, Job]
) -> tuple[list[QualityCycle], list[DocumentError]]:
    """Every `data/mtcl/*.yaml` that validates, and the errors of those that do not."""
    cycles, errors = [], []
    for path in sorted((data_dir / QUALITY_DIR).glob("*.yaml")):
        try:
            cycles.append(load_quality_year(path, orgs, notices))
        except DocumentError as exc:
            errors.append(exc)
    return cycles, errors
