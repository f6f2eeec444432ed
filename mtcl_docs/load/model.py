"""What the clerks' YAML may hold: organisations, their signers and units, and documents."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from mtcl_docs.load.bounds import COPIES, DOC_NUMBER, FILING_COPIES
from mtcl_docs.load.safepath import name_problem
from mtcl_docs.load.table_model import TableBlock


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


class Stacked(Strict):
    """A second authority under the first (`TL. CHỦ TỊCH` over `KT. CHÁNH VĂN PHÒNG`)."""

    authority: Annotated[Authority, BeforeValidator(_authority)]
    on_behalf: str


def _data_file(value: str) -> str:
    """An image beside the organisation files: one PNG file name in data/orgs/, no path."""
    why = name_problem(value)
    if why:
        raise ValueError(f'"{value[:80]}" không dùng được làm tên tệp ảnh trong data/orgs/: {why}')
    if not value.lower().endswith(".png"):
        raise ValueError(f'"{value[:80]}": ảnh chữ ký, con dấu phải là tệp PNG nền trong (.png)')
    return value


class Signer(Strict):
    """A person who signs: name, own title, and the authority they sign under."""

    name: str
    title: str = Field(description="chức vụ của người ký, ví dụ Phó Giám đốc")
    authority: Annotated[Authority, BeforeValidator(_authority)] = Authority.DIRECT
    on_behalf: str | None = Field(
        None, description="chức vụ người đứng đầu (K/T, T/L, TUQ) hoặc tập thể (T/M)"
    )
    stacked: Stacked | None = Field(
        None, description="thẩm quyền thứ hai dưới thẩm quyền đầu (TL. … rồi KT. …)"
    )
    signature_image: Annotated[str, AfterValidator(_data_file)] | None = Field(
        None, description="ảnh chữ ký tay (PNG nền trong, màu xanh), tệp trong data/orgs/"
    )

    @model_validator(mode="after")
    def _needs_on_behalf(self) -> Signer:
        if self.authority not in (Authority.DIRECT, Authority.Q) and not self.on_behalf:
            raise ValueError(
                f"người ký theo thẩm quyền {self.authority.value} cần trường on_behalf "
                "(ký thay/thay mặt cho ai, ví dụ: Giám đốc)"
            )
        return self


def _folder_name(value: str) -> str:
    """A unit's code names its folder of plan forms (`output/don-vi/<code>/`)."""
    why = name_problem(value)
    if why:
        raise ValueError(f'"{value[:80]}" không dùng được làm mã đơn vị (mã là tên thư mục): {why}')
    return value


class Unit(Strict):
    """A unit of the organisation (khoa, phòng, trung tâm)."""

    code: Annotated[str, AfterValidator(_folder_name)]
    name: str
    head_title: str | None = Field(
        None,
        description="chức danh trưởng đơn vị (Trưởng khoa, Chánh Văn phòng…); mặc định: Trưởng đơn vị",
    )


class Numbering(Strict):
    """How the organisation's numbers run; a blank field takes the profile's default."""

    scope: Literal["year", "term"] | None = Field(
        None, description="year: từ 01 mỗi năm (NĐ 30); term: từ 01 mỗi nhiệm kỳ cấp ủy (HD 36)"
    )
    per_type: bool | None = Field(None, description="mỗi loại văn bản một dãy số riêng")
    terms: list[dt.date] = Field(
        default_factory=list, description="ngày bắt đầu từng nhiệm kỳ cấp ủy"
    )


class KeyPlace(Strict):
    """Where the organisation's signing key is: a PKCS#12 file or a PKCS#11 token."""

    pkcs12: str | None = Field(None, description="tệp .p12/.pfx (đường dẫn trên máy ký)")
    pkcs11: str | None = Field(None, description="thư viện PKCS#11 của token (tệp .so)")
    token: str | None = Field(None, description="nhãn token")
    key: str | None = Field(None, description="nhãn khóa và chứng thư trên token")

    @model_validator(mode="after")
    def _one_place(self) -> KeyPlace:
        if (self.pkcs12 is None) == (self.pkcs11 is None):
            raise ValueError("cần đúng một trong hai: pkcs12 (tệp) hoặc pkcs11 (token)")
        if self.pkcs11 is not None and not (self.token and self.key):
            raise ValueError("token PKCS#11 cần cả token (nhãn token) và key (nhãn khóa)")
        return self


class Signing(Strict):
    """The organisation's digital signature (NĐ 30 Phụ lục I): its seal image and its key."""

    seal: Annotated[str, AfterValidator(_data_file)] = Field(
        description="ảnh con dấu (PNG nền trong, màu đỏ), tệp trong data/orgs/"
    )
    seal_mm: float = Field(36.0, ge=20, le=60, description="đường kính thật của con dấu, mm")
    key: KeyPlace | None = Field(None, description="khóa ký số của cơ quan")
    timestamp_url: str | None = Field(
        None, pattern=r"^https?://", description="máy chủ cấp dấu thời gian (PAdES B-T)"
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
    signing: Signing | None = Field(None, description="ký số: ảnh con dấu, khóa của cơ quan")

    @property
    def caps_name(self) -> str:
        return self.name_caps or self.name.upper()

    @property
    def caps_superior(self) -> str:
        return self.superior_caps or (self.superior or "").upper()

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)


BLOCK_KEYS = (
    "heading",
    "item",
    "steps",
    "bullets",
    "list",
    "center",
    "quote",
    "page_break",
    "table",
)
_MISSPELT = re.compile(rf"^({'|'.join(BLOCK_KEYS)})(\s*[\"“'(]|\s+\S)")


def _not_misspelt_block(text: str) -> str:
    """`- heading "Yêu cầu:"` (the colon forgotten) must not print as text."""
    found = _MISSPELT.match(text)
    if found:
        key = found.group(1)
        raise ValueError(
            f'dòng này giống khối "{key}:" bị thiếu dấu hai chấm sau {key}; '
            f'hãy viết: - {key}: "…" (hoặc đặt cả dòng trong ngoặc kép nếu đó là chữ thường)'
        )
    return text


Text = Annotated[str, AfterValidator(_not_misspelt_block)]


class Heading(Strict):
    """A numbered section with a bold title (`I. MỤC ĐÍCH`, `Điều 2. Hiệu lực`, `1. Yêu cầu:`),
    optional text run in after it, and the blocks under it (numbered one level down)."""

    heading: str
    text: str = ""
    label: str | None = Field(None, description="số in sẵn, giữ nguyên (ví dụ 4.2.5.)")
    style: str | None = Field(None, description="cách đánh số riêng cho mục này")
    body: list[BodyBlock] = []


class Item(Strict):
    """A numbered paragraph without a title (`Điều 1. …`, khoản `1. …`, điểm `a) …`)."""

    item: str
    label: str | None = Field(None, description="số in sẵn, giữ nguyên")
    style: str | None = None
    body: list[BodyBlock] = []


class Steps(Strict):
    """Steps written `B1. …`, `B2. …` (the prefix is a setting)."""

    steps: list[str] = Field(min_length=1)
    prefix: str = "B"


class Bullets(Strict):
    """Lines that start with `- `."""

    bullets: list[str] = Field(min_length=1)


class NumberedList(Strict):
    """Paragraphs numbered one level down (`a)`, `b)`…), or in the `style` given."""

    entries: list[str] = Field(alias="list", min_length=1)
    style: str | None = None


class Center(Strict):
    """A centred line."""

    center: str


class Quote(Strict):
    """A quoted passage: indented, in italics."""

    quote: str


class PageBreak(Strict):
    """The next block starts a new page."""

    page_break: Literal[True]


_BLOCKS = {
    "heading": Heading, "item": Item, "steps": Steps, "bullets": Bullets, "list": NumberedList,
    "center": Center, "quote": Quote, "page_break": PageBreak, "table": TableBlock,
}  # fmt: skip


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "<text>"
    if isinstance(value, dict):
        for key in _BLOCKS:
            if key in value:
                return f"<{key}>"
        if len(value) == 1 and " " in str(next(iter(value))):
            return "<colon>"  # `- Yêu cầu sau: cụ thể` read by YAML as a field
    if isinstance(value, BaseModel):
        return next((f"<{k}>" for k, t in _BLOCKS.items() if type(value) is t), None)
    return None


def _colon_in_sentence(value: Any) -> Any:
    raise ValueError(
        "dòng có dấu hai chấm giữa câu nên YAML hiểu thành tên trường: "
        'đặt cả dòng trong ngoặc kép, ví dụ - "Yêu cầu sau: cụ thể, đo lường được."'
    )


# A body block: text, a numbered section or item, steps, bullets, a list, a centred line, a quote,
# a page break, or a table (see README, "Nội dung").
BodyBlock = Annotated[
    Annotated[Text, Tag("<text>")]
    | Annotated[Heading, Tag("<heading>")]
    | Annotated[Item, Tag("<item>")]
    | Annotated[Steps, Tag("<steps>")]
    | Annotated[Bullets, Tag("<bullets>")]
    | Annotated[NumberedList, Tag("<list>")]
    | Annotated[Center, Tag("<center>")]
    | Annotated[Quote, Tag("<quote>")]
    | Annotated[PageBreak, Tag("<page_break>")]
    | Annotated[TableBlock, Tag("<table>")]
    | Annotated[dict, AfterValidator(_colon_in_sentence), Tag("<colon>")],
    Discriminator(
        _block_kind,
        custom_error_type="body_block",
        custom_error_message="mỗi đoạn là một dòng chữ, hoặc có heading:, item:, steps:, "
        "bullets:, list:, center:, quote:, page_break: hay table:",
    ),
]
Heading.model_rebuild()
Item.model_rebuild()


def _listed(value: Any) -> Any:
    """One line written without `- ` is a list of one."""
    return [value] if isinstance(value, str) else value


Lines = Annotated[list[str], BeforeValidator(_listed)]


_ORIENTATIONS = {"dọc": "portrait", "doc": "portrait", "ngang": "landscape"}


def _orientation(value: Any) -> Any:
    """`dọc` / `ngang` as a clerk says it, or `portrait` / `landscape`."""
    return _ORIENTATIONS.get(value.strip().lower(), value) if isinstance(value, str) else value


def _switch(value: Any) -> Any:
    """`label:` / `reference:` left out (or `true`): the profile's; `false` or empty: none."""
    if value is True:
        return None
    if value is False or value == "":
        return ""
    return value


class Appendix(Strict):
    """A PHỤ LỤC in its own section: its label (the profile's, the clerk's, or none), title lines,
    `(Kèm theo …)` line, orientation, an optional header block of its own (issuer left, Quốc hiệu
    right), and content made of the same blocks as a body (paragraphs, headings, tables)."""

    label: Annotated[str | None, BeforeValidator(_switch)] = Field(
        None,
        description="nhãn in trên cùng; bỏ trống: theo thể thức (Phụ lục I, PHỤ LỤC 1); "
        'false hoặc "": không in nhãn',
    )
    title: Lines = Field(default_factory=list, description="các dòng tên phụ lục (in hoa, đậm)")
    reference: Annotated[str | None, BeforeValidator(_switch)] = Field(
        None,
        description="dòng (Kèm theo …); bỏ trống: theo thể thức; false: không in; hoặc chữ riêng",
    )
    orientation: Annotated[Literal["portrait", "landscape"], BeforeValidator(_orientation)] = Field(
        "landscape", description="hướng trang: landscape (ngang, mặc định) hoặc portrait (dọc)"
    )
    header: bool = Field(False, description="mở đầu bằng phần đầu riêng: cơ quan và Quốc hiệu")
    body: list[BodyBlock] = Field(min_length=1, description="nội dung: đoạn văn, đề mục, bảng")
    numbering: list[str] | None = Field(None, description="cách đánh số từng cấp đề mục")

    @model_validator(mode="before")
    @classmethod
    def _not_the_old_shape(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("rows" in data or "template" in data):
            raise ValueError(
                "phụ lục không còn dùng template:/rows: — ghi nội dung vào body:, bảng là một "
                "khối - table: (cột, hàng tiêu đề, các hàng); xem README, mục Phụ lục"
            )
        return data

    @model_validator(mode="after")
    def _named(self) -> Appendix:
        if self.label == "" and not self.title:
            raise ValueError("phụ lục không in nhãn thì cần ít nhất một dòng tên (title:)")
        return self

    @property
    def landscape(self) -> bool:
        return self.orientation == "landscape"


class Attached(Strict):
    """A text issued with a decision (quy chế, quy định…): its own title and body, no number,
    date, signature or Nơi nhận (NĐ 30 PL III, text attached to Mẫu 1.3)."""

    type: str
    title: str | None = None
    subject: str = Field(min_length=1)
    body: list[BodyBlock] = Field(min_length=1)
    numbering: list[str] | None = None


class Document(Strict):
    """One document to issue: the fields of NĐ 30 / HD 36 / HD 05 thể thức, as data."""

    id: str
    org: str
    type: str = Field(description="loại văn bản: cong-van, quyet-dinh… (hoặc tên, ký hiệu)")
    title: str | None = Field(None, description="tên loại in ra, nếu khác tên chuẩn")
    code: str | None = Field(None, description="ký hiệu loại, cho loại tự đặt tên")
    number: DOC_NUMBER | None = None
    date: dt.date
    profile: str | None = None
    subject: str | None = Field(None, min_length=1, description="trích yếu")
    kinh_gui: Lines = Field(default_factory=list, description="nơi được kính gửi")
    authority_line: str | None = Field(None, description="thẩm quyền ban hành (quyết định)")
    basis: list[str] = []
    proposal: str | None = Field(None, description="Theo đề nghị của …")
    fields: dict[str, str] = Field(default_factory=dict, description="các trường của loại")
    body: list[BodyBlock] = []
    numbering: list[str] | None = Field(None, description="cách đánh số từng cấp đề mục")
    closing: str | None = None
    salutation: str | None = None
    recipients: list[str] = []
    no_recipients: bool = Field(False, description="văn bản không có phần Nơi nhận")
    filing_unit: Lines = Field(min_length=1, description="đơn vị lưu bản (dòng Lưu)")
    filing_copies: FILING_COPIES | None = Field(None, description="số bản lưu")
    drafter: str | None = Field(None, description="chữ viết tắt tên người soạn thảo")
    drafting_unit: str | None = Field(None, description="đơn vị soạn thảo, in sau ký hiệu")
    signer: str | Signer
    copies: COPIES | None = Field(None, description="số lượng bản phát hành")
    deadline: dt.date | None = Field(
        None, description="hạn các đơn vị phải hoàn thành việc được yêu cầu"
    )
    draft_mark: str | None = Field(
        None, description="dấu dự thảo in khi văn bản chưa có số, ví dụ: DỰ THẢO"
    )
    attached: Attached | None = Field(None, description="văn bản ban hành kèm theo")
    appendices: list[Appendix] = []
