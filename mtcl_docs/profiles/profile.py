"""The profile table's schema, loading and choice: data decides the format, code only applies it."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mtcl_docs.load.messages import summary
from mtcl_docs.load.model import Authority
from mtcl_docs.tables import deep_merge

HERE = Path(__file__).parent

# Every element a template may style; each profile table must say how each one looks.
ROLES = (
    "superior", "issuer", "issuer_mark", "number", "draft_mark", "national", "motto", "date",
    "doc_type", "doc_type_ruled", "subject", "subject_header", "subject_mark", "basis", "body",
    "addressee", "addressee_label", "authority_line", "enacting", "chapter", "body_center", "quote",
    "confirmation", "subject_attached", "attached_reference",
    "recipients_label", "recipients", "authority", "signer_title", "signer_name",
    "page_number", "appendix_heading", "appendix_title", "appendix_reference",
    "table_header", "table_cell", "cover_line",
)  # fmt: skip


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleStyle(_Table):
    """How one element of the document looks (cỡ chữ, kiểu chữ, căn lề, khoảng cách)."""

    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: Literal["left", "center", "right", "justify"] = "center"
    first_line_indent_mm: float = 0
    left_indent_mm: float = 0
    right_indent_mm: float = 0
    keep_with_next: bool = Field(False, description="giữ cùng trang với đoạn sau")
    space_before_pt: float = 0
    space_after_pt: float = 0
    line_exact_pt: float | None = Field(None, description="giãn dòng chính xác (Exactly)")
    line_multiple: float | None = Field(None, description="giãn dòng bội số (1.0 = đơn)")
    rule_below: float | None = Field(
        None, description="kẻ đường dưới, dài bằng tỉ lệ này của chiều rộng chữ"
    )


class Margins(_Table):
    top: float
    bottom: float
    left: float
    right: float


class Page(_Table):
    width_mm: float = 210
    height_mm: float = 297
    margins_mm: Margins
    header_mm: float = Field(description="khoảng cách từ mép trên tới số trang")


class Affixes(_Table):
    """How a list's lines start and end (căn cứ, nơi nhận)."""

    prefix: str = ""
    end: str = ";"
    last_end: str = "."


class Recipients(Affixes):
    archive: str = Field(description="dòng lưu, {unit} là đơn vị lưu")


class NumberingDefaults(_Table):
    """The profile's default counter (spec §5): per year for NĐ 30, per type and term for HD 36."""

    scope: Literal["year", "term"]
    per_type: bool


class AppendixFormat(_Table):
    single: str = Field(description="tiêu đề khi chỉ có một phụ lục")
    numbered: str = Field(description="tiêu đề khi có nhiều phụ lục, {n} là số")
    numerals: Literal["arabic", "roman"]
    reference: str | None = Field(None, description="dòng (Kèm theo …) dưới tiêu đề")


Range = tuple[float, float]


class CheckRule(_Table):
    """One rule of the format checker: FAIL or WARN when broken, its basis, and what it allows."""

    level: Literal["fail", "warn"]
    basis: str
    size: Range | None = None
    pattern: str | None = None
    indent_mm: Range | None = None
    space_after_pt: Range | None = None
    line: Range | None = Field(None, description="giãn dòng, bội số dòng")
    line_exact_pt: Range | None = None
    top: Range | None = None
    bottom: Range | None = None
    left: Range | None = None
    right: Range | None = None


class Profile(_Table):
    """One formatting rule set, e.g. HD 36 or NĐ 30, valid over a span of document dates."""

    name: str
    family: str
    source: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    font: str = "Times New Roman"
    page: Page
    header_columns_mm: tuple[float, float]
    signature_columns_mm: tuple[float, float]
    national: list[str] = Field(min_length=1, max_length=2)
    issuer_mark: str | None = None
    number_pattern: str
    number_pattern_uncoded: str = Field(
        description="số của loại không có chữ viết tắt tên loại (công văn theo NĐ 30)"
    )
    number_blank: str = Field("     ", description="chỗ trống thay số khi chưa cấp số")
    end_mark: str = Field(description="dấu kết thúc nội dung, thêm khi đoạn cuối chưa có dấu câu")
    date_beside_number: bool
    subject_mark: str | None = None
    basis: Affixes
    recipients: Recipients
    authority_prefix: dict[Authority, str]
    signature_space_lines: int = 4
    numbering: NumberingDefaults
    type_codes: dict[str, str] = Field(
        {}, description="ký hiệu loại riêng của bảng này, thay ký hiệu trong bảng loại văn bản"
    )
    appendix: AppendixFormat
    roles: dict[str, RoleStyle]
    checks: dict[str, CheckRule] = Field(description="quy tắc kiểm tra thể thức (mtcl-docs check)")

    @model_validator(mode="after")
    def _all_roles(self) -> Profile:
        missing = [r for r in ROLES if r not in self.roles]
        if missing:
            raise ValueError(f"bảng thể thức thiếu kiểu cho: {', '.join(missing)}")
        return self

    def room_mm(self, landscape: bool = False) -> float:
        """The room across a page between the margins: 165 mm portrait, 252 mm landscape (A4)."""
        m = self.page.margins_mm
        across = self.page.height_mm if landscape else self.page.width_mm
        return across - m.left - m.right

    def applies_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class ProfileError(ValueError):
    """A profile name that no table answers, or an override that breaks a table."""


@cache
def _tables() -> dict[str, dict[str, Any]]:
    tables = {}
    for path in sorted(HERE.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        tables[raw["name"]] = raw
    return tables


def profile_names() -> list[str]:
    """Every profile and family name a document or organisation may ask for."""
    names = set(_tables())
    names.update(t["family"] for t in _tables().values())
    return sorted(names)


def check_overrides(wanted: str, overrides: dict[str, Any]) -> None:
    """Raise ProfileError if `overrides` would break any table that `wanted` may pick."""
    for raw in _tables().values():
        if wanted in (raw["name"], raw["family"]):
            _validated(raw, overrides)


def _validated(raw: dict[str, Any], overrides: dict[str, Any]) -> Profile:
    try:
        return Profile.model_validate(deep_merge(raw, overrides))
    except ValidationError as exc:
        raise ProfileError(f"giá trị thể thức riêng không hợp lệ: {summary(exc)}") from exc


def pick_profile(wanted: str, day: dt.date, overrides: dict[str, Any] | None = None) -> Profile:
    """The table named `wanted`, or the one of family `wanted` in force on `day`."""
    tables = _tables()
    if wanted in tables:
        raw = tables[wanted]
    else:
        family = [t for t in tables.values() if t["family"] == wanted]
        if not family:
            raise ProfileError(f"không có thể thức '{wanted}' (có: {', '.join(profile_names())})")
        in_force = [t for t in family if Profile.model_validate(t).applies_on(day)]
        if not in_force:
            raise ProfileError(f"không có thể thức '{wanted}' nào áp dụng cho ngày {day:%d/%m/%Y}")
        raw = in_force[0]
    return _validated(raw, overrides or {})
