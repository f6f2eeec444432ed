"""A table as the clerk writes it: columns, optional header rows with merges, rows of cells (or
read from a spreadsheet), group rows, and a few settings. The same shape serves every table."""

from __future__ import annotations

import re
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

from mtcl_docs.load.bounds import ROW_IN_FILE, SPAN

Align = Literal["left", "center", "right", "justify"]
SHARE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%\s*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TableColumn(_Strict):
    """A column: its heading, width (mm, or a share of the page such as `20%`), alignment, and
    whether it numbers the rows by itself (TT, STT)."""

    header: str = ""
    width: float | str | None = Field(None, description="mm, hoặc phần trăm chiều rộng trang")
    align: Align = "left"
    number: bool = Field(False, description="cột số thứ tự tự đánh (TT, STT)")

    @model_validator(mode="after")
    def _width_is_mm_or_share(self) -> TableColumn:
        if isinstance(self.width, str) and not SHARE.match(self.width):
            raise ValueError(
                f'độ rộng "{self.width}" phải là số mm (ví dụ 25) hoặc phần trăm (25%)'
            )
        return self


class TableCell(_Strict):
    """A cell that says more than its text: columns (`span`) or rows (`rows`) it covers, its
    alignment, bold."""

    text: str = ""
    span: SPAN = Field(1, description="số cột ô này chiếm")
    rows: SPAN = Field(1, description="số hàng ô này chiếm (gộp dọc)")
    align: Align | None = None
    bold: bool = False


def _cell_kind(value: Any) -> str:
    return "<cell>" if isinstance(value, dict | TableCell) else "<text>"


def _as_text(value: Any) -> Any:
    """Numbers and dates typed bare in YAML are printed as typed."""
    return "" if value is None else value if isinstance(value, str) else str(value)


CellValue = Annotated[
    Annotated[str, BeforeValidator(_as_text), Tag("<text>")] | Annotated[TableCell, Tag("<cell>")],
    Discriminator(_cell_kind),
]


class GroupRow(_Strict):
    """A row that names a group (`I. Công tác chuẩn bị`), bold, spanning the columns from
    `from_column` (counted from 1) to the last, or `span` of them."""

    group: str
    from_column: SPAN = 1
    span: SPAN | None = None


def _row_kind(value: Any) -> str:
    return "<group>" if isinstance(value, dict | GroupRow) else "<cells>"


RowValue = Annotated[
    Annotated[list[CellValue], Tag("<cells>")] | Annotated[GroupRow, Tag("<group>")],
    Discriminator(_row_kind),
]


class RowsFrom(_Strict):
    """Rows read from a spreadsheet (XLSX) or a CSV file beside the data file."""

    file: str
    sheet: str | None = Field(None, description="tên trang tính (XLSX); mặc định: trang đầu")
    header_row: ROW_IN_FILE = Field(1, description="dòng tiêu đề trong tệp (tính từ 1)")


class TableSpec(_Strict):
    """One table anywhere in a document."""

    name: str | None = Field(None, description="tên bảng, dùng trong thông báo lỗi")
    columns: list[TableColumn] = Field(min_length=1)
    header: list[list[CellValue]] | None = Field(
        None, description="các hàng tiêu đề có gộp ô; mặc định: một hàng từ header của cột"
    )
    rows: list[RowValue] = []
    rows_from: RowsFrom | None = None
    size: float | None = Field(None, ge=8, le=14, description="cỡ chữ trong bảng")
    split_rows: bool = Field(False, description="cho phép một hàng sang trang (ô rất dài)")
    row_height: float | None = Field(
        None,
        ge=4,
        le=60,
        description="chiều cao tối thiểu mỗi hàng (mm), cho mẫu để trống điền tay",
    )
    valign: Literal["top", "center"] = Field(
        "center", description="chữ trong ô căn dọc: center (giữa) hoặc top (trên)"
    )


class TableBlock(_Strict):
    """`- table:` in a body or an appendix."""

    table: TableSpec
