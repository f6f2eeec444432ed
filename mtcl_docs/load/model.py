"""What the clerks' YAML may hold: organisations, their signers and units, and documents."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)


class Strict(BaseModel):
    """Base for data models: a misspelt field is an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Authority(StrEnum):
    """How a signer signs (thẩm quyền ký); each profile prints its own prefix for it."""

    DIRECT = "direct"  # ký trực tiếp, no prefix
    KT = "KT"  # ký thay
    TM = "TM"  # thay mặt (a collective)
    TL = "TL"  # thừa lệnh
    TUQ = "TUQ"  # thừa ủy quyền (state documents only)
    Q = "Q"  # quyền (acting)


_AUTHORITY_SPELLINGS = {
    "": Authority.DIRECT,
    "DIRECT": Authority.DIRECT,
    "TRỰC TIẾP": Authority.DIRECT,
    "K/T": Authority.KT,
    "KT.": Authority.KT,
    "KT": Authority.KT,
    "T/M": Authority.TM,
    "TM.": Authority.TM,
    "TM": Authority.TM,
    "T/L": Authority.TL,
    "TL.": Authority.TL,
    "TL": Authority.TL,
    "TUQ.": Authority.TUQ,
    "TUQ": Authority.TUQ,
    "Q.": Authority.Q,
    "Q": Authority.Q,
}


def _authority(value: Any) -> Any:
    if isinstance(value, str) and value.strip().upper() in _AUTHORITY_SPELLINGS:
        return _AUTHORITY_SPELLINGS[value.strip().upper()]
    return value


class Signer(Strict):
    """A person who signs: name, own title, and the authority they sign under."""

    name: str
    title: str = Field(description="chức vụ của người ký, ví dụ Phó Giám đốc")
    authority: Annotated[Authority, BeforeValidator(_authority)] = Authority.DIRECT
    on_behalf: str | None = Field(
        None, description="chức vụ người đứng đầu (K/T, T/L, TUQ) hoặc tập thể (T/M)"
    )

    @model_validator(mode="after")
    def _needs_on_behalf(self) -> Signer:
        if self.authority not in (Authority.DIRECT, Authority.Q) and not self.on_behalf:
            raise ValueError(
                f"người ký theo thẩm quyền {self.authority.value} cần trường on_behalf "
                "(ký thay/thay mặt cho ai, ví dụ: Giám đốc)"
            )
        return self


class Unit(Strict):
    """A unit of the organisation (khoa, phòng, trung tâm)."""

    code: str
    name: str


class Numbering(Strict):
    """How the organisation's numbers run; a blank field takes the profile's default."""

    scope: Literal["year", "term"] | None = Field(
        None, description="year: từ 01 mỗi năm (NĐ 30); term: từ 01 mỗi nhiệm kỳ cấp ủy (HD 36)"
    )
    per_type: bool | None = Field(None, description="mỗi loại văn bản một dãy số riêng")
    terms: list[dt.date] = Field(
        default_factory=list, description="ngày bắt đầu từng nhiệm kỳ cấp ủy"
    )


class Organisation(Strict):
    """An issuing body: its names, symbol, place, format profile, units and signers."""

    id: str
    superior: str | None = Field(None, description="cơ quan chủ quản trực tiếp")
    superior_caps: str | None = Field(None, description="tên chủ quản in hoa, có thể xuống dòng")
    name: str
    name_caps: str | None = Field(None, description="tên in hoa, có thể xuống dòng")
    symbol: str = Field(pattern=r"^[A-ZĐ0-9&]+(-[A-ZĐ0-9&]+)*$")
    place: str
    profile: str = Field(description="party, nd30, hoặc tên một bảng thể thức cụ thể")
    units: list[Unit] = []
    signers: dict[str, Signer]
    numbering: Numbering = Field(default_factory=Numbering)
    overrides: dict[str, Any] = Field(
        default_factory=dict, description="giá trị thể thức riêng của cơ quan, ghi đè bảng"
    )

    @property
    def caps_name(self) -> str:
        return self.name_caps or self.name.upper()

    @property
    def caps_superior(self) -> str:
        return self.superior_caps or (self.superior or "").upper()

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)


class Heading(Strict):
    """A numbered heading with a bold lead, e.g. `1. Yêu cầu:`, and optional text after it."""

    heading: str
    text: str = ""


class Steps(Strict):
    """Steps written `B1. …`, `B2. …` (the prefix is a setting)."""

    steps: list[str] = Field(min_length=1)
    prefix: str = "B"


class Bullets(Strict):
    """Lines that start with `- `."""

    bullets: list[str] = Field(min_length=1)


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<text>"
    if isinstance(value, dict):
        for key in ("heading", "steps", "bullets"):
            if key in value:
                return f"<{key}>"
    if isinstance(value, BaseModel):
        return {Heading: "<heading>", Steps: "<steps>", Bullets: "<bullets>"}.get(type(value))
    return None


# A body paragraph: plain text, a numbered heading, steps or bullets (see README, "Nội dung").
BodyBlock = Annotated[
    Annotated[str, Tag("<text>")]
    | Annotated[Heading, Tag("<heading>")]
    | Annotated[Steps, Tag("<steps>")]
    | Annotated[Bullets, Tag("<bullets>")],
    Discriminator(
        _block_kind,
        custom_error_type="body_block",
        custom_error_message="mỗi đoạn là một dòng chữ, hoặc có heading:, steps: hay bullets:",
    ),
]


class PlanRow(Strict):
    """One row of the MTCL plan table (seed appendix)."""

    tt: str | None = None
    objective: str = ""
    plan: str = ""
    start: str = ""
    end: str = ""
    lead: str = ""
    partners: str = ""
    note: str = ""


class Appendix(Strict):
    """A PHỤ LỤC: its template, title lines and table rows."""

    template: str = "phu-luc-ke-hoach-mtcl"
    title: list[str] = Field(min_length=1)
    rows: list[PlanRow] = []


class Document(Strict):
    """One document to issue: the fields of NĐ 30 / HD 36 thể thức, as data."""

    id: str
    org: str
    type: str = Field(description="loại văn bản, ví dụ thong-bao")
    number: int | None = Field(None, ge=1)
    date: dt.date
    profile: str | None = None
    subject: str = Field(min_length=1, description="trích yếu")
    basis: list[str] = []
    body: list[BodyBlock] = Field(min_length=1)
    closing: str | None = None
    salutation: str | None = None
    recipients: list[str] = []
    filing_unit: str = Field(description="đơn vị lưu bản (dòng Lưu)")
    signer: str
    copies: int | None = Field(None, ge=1, description="số lượng bản phát hành")
    deadline: dt.date | None = Field(
        None, description="hạn các đơn vị phải hoàn thành việc được yêu cầu"
    )
    draft_mark: str | None = Field(
        None, description="dấu dự thảo in khi văn bản chưa có số, ví dụ: DỰ THẢO"
    )
    appendices: list[Appendix] = []
