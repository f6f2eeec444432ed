"""The kind table's schema: which parts a kind of document has, in what order, and how each is set.

A kind (công văn, quyết định, giấy mời…) is data, like a profile: one YAML table per kind with
its state (nd30) and Party (party) variants. The renderer only follows the table.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The parts a kind may put between its title block and its signature, in the table's order.
Part = Literal[
    "addressees", "authority", "basis", "enacting", "fields", "body", "end_fields", "closing"
]

FIELD = re.compile(r"\{(\w+)\}")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubjectSpec(_Table):
    """Where the trích yếu goes and what it starts with (`V/v …` under a công văn's number)."""

    place: Literal["title", "header", "none"] = "title"
    prefix: str = Field("", description="thêm vào đầu trích yếu nếu người soạn chưa viết")
    drop_openings: bool = Field(
        False, description="bỏ V/v, Về việc người soạn đã viết (trích yếu văn bản Đảng)"
    )


class AddresseesSpec(_Table):
    """`Kính gửi:` / `Kính trình:` / `… điện:` and how its recipients are laid out."""

    label: str = "Kính gửi:"
    layout: Literal["hanging", "centered", "below"] = "hanging"
    required: bool = False


class FieldSpec(_Table):
    """A field the kind asks for (time, place, person…), as the clerk writes it under `fields:`."""

    label: str = Field(description="tên trường bằng tiếng Việt, cho thông báo lỗi")
    required: bool = True


class Line(_Table):
    """A fixed line of the kind's form; `{field}` takes a field, `{issuer}` the issuing body."""

    text: str
    align: Literal["body", "center"] = "body"

    def needs(self) -> set[str]:
        return set(FIELD.findall(self.text)) - {"issuer", "issuer_caps"}


class SignerSpec(_Table):
    """One signing side of a two-signer form (biên bản): its label and where its name comes from."""

    label: str
    name: str = Field(description="{field} hoặc chữ cố định")


class SignatureSpec(_Table):
    """One signer on the right (default), or two side by side with labels (biên bản)."""

    right_label: str | None = Field(None, description="nhãn thay cho thẩm quyền ký (CHỦ TỌA)")
    left: SignerSpec | None = None


class Kind(_Table):
    """One kind of document in one regime, after the regime's variant is merged in."""

    id: str
    name: str = Field(description="tên loại như viết trong câu: Quyết định")
    title: str | None = Field(description="tên loại in đầu văn bản; null: không in (công văn)")
    code: str | None = Field(description="chữ viết tắt tên loại trong số, ký hiệu")
    form: str = Field("", description="căn cứ: mẫu nào của quy định")
    template: str = "van-ban"
    subject: SubjectSpec = SubjectSpec()
    parts: tuple[Part, ...] = ("addressees", "basis", "body", "closing")
    addressees: AddresseesSpec = AddresseesSpec()
    enacting: str | None = Field(None, description="dòng ban hành: QUYẾT ĐỊNH:, QUYẾT NGHỊ:")
    numbering: tuple[str, ...] = ("1.", "a)", "-", "+")
    fields: dict[str, FieldSpec] = {}
    lines: tuple[Line, ...] = ()
    end_lines: tuple[Line, ...] = ()
    body_required: bool = True
    recipients_first: tuple[str, ...] = Field(
        (), description="dòng đầu Nơi nhận: Như Điều {last_article}, …"
    )
    recipients_when_given: bool = Field(
        False, description="chỉ in Nơi nhận khi văn bản ghi recipients: (biên bản)"
    )
    addressed_first: tuple[str, ...] = Field(
        ("Như trên",), description="dòng đầu Nơi nhận khi văn bản có Kính gửi"
    )
    date_line: bool = True
    signature: SignatureSpec = SignatureSpec()
    after_signature: tuple[str, ...] = ()
    attachable: bool = Field(False, description="ban hành kèm theo một quyết định được")
