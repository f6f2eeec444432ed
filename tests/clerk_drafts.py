"""Word drafts typed the way Vietnamese clerks type them, for testing `mtcl-docs import` and `fix`.

Each draft function writes a .docx and returns a `Truth`: the data an importer should find in it.
A `Variant` says how the clerk typed it (font, margins, header as a table, tabs or text boxes,
date style, typed or Word-list numbering, Nơi nhận punctuation, signer block, NFD text, messy
spacing, Party or state format, a known or unknown issuing body). Variants combine freely;
`Variant.parse("arial+tabs+word-lists")` builds one from preset names (`PRESETS`).

Truth texts are always NFC (the `nfd` variant decomposes only what is written to the file) and
otherwise exactly as typed: double spaces of the `messy` variant are kept (`squash` removes them).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from mtcl_docs.render.textwidth import text_width_pt

Kind = Literal["cong-van", "quyet-dinh", "ke-hoach"]

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
}


def nsdecls(*prefixes: str) -> str:
    """xmlns declarations for `prefixes` (python-docx's own map lacks wps, mc and VML)."""
    return " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)


def qn(tag: str) -> str:
    """Clark name of a prefixed tag, e.g. "wps:txbx"."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


# ---------------------------------------------------------------------------------------------
# Variants


@dataclass(frozen=True)
class Variant:
    """How the clerk typed the draft; the defaults give a draft that is already right."""

    font: Literal["times", "arial"] = "times"  # Times New Roman 14, or Arial 13
    margins: Literal["proper", "wrong"] = "proper"  # 20/20/30/15 mm, or 2.54 cm all round
    header: Literal["table", "tabs", "textbox", "vml"] = "table"
    quoc_hieu: bool = True  # False: no Quốc hiệu/Tiêu ngữ (Party: no ĐẢNG CỘNG SẢN VIỆT NAM)
    date: Literal["full", "slash"] = "full"  # "ngày 05 tháng 3 năm 2026", or "05/3/2026"
    numbering: Literal["typed", "word"] = "typed"  # labels typed, or Word lists (w:numPr)
    noi_nhan: Literal["proper", "sloppy"] = "proper"  # sloppy: no ";" and no final "."
    signer: Literal["table", "indent"] = "table"  # signer block as a table or indented paragraphs
    nfc: bool = True  # False: every text written decomposed (NFD)
    messy: bool = False  # extra empty paragraphs, double and trailing spaces
    regime: Literal["nd30", "party"] = "nd30"
    issuer: Literal["hvbctt", "unknown"] = "hvbctt"  # unknown: a body not in data/orgs/

    @classmethod
    def parse(cls, spec: str) -> Variant:
        """A variant from preset names joined by '+', e.g. "arial+tabs+slash-date"."""
        changes: dict[str, object] = {}
        for name in filter(None, (s.strip() for s in spec.split("+"))):
            if name not in PRESETS:
                raise ValueError(f"unknown variant {name!r}; known: {', '.join(PRESETS)}")
            changes.update(PRESETS[name])
        return cls(**changes)

    @property
    def name(self) -> str:
        """A short name listing what differs from the default, for test ids and file names."""
        default = Variant()
        parts = [
            f"{f.name}={getattr(self, f.name)}"
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        ]
        return ",".join(parts) or "clean"


PRESETS: dict[str, dict[str, object]] = {
    "clean": {},
    "times": {"font": "times"},
    "arial": {"font": "arial"},
    "proper-margins": {"margins": "proper"},
    "wrong-margins": {"margins": "wrong"},
    "table": {"header": "table"},
    "tabs": {"header": "tabs"},
    "textbox": {"header": "textbox"},
    "vml": {"header": "vml"},
    "no-quoc-hieu": {"quoc_hieu": False},
    "full-date": {"date": "full"},
    "slash-date": {"date": "slash"},
    "typed-numbers": {"numbering": "typed"},
    "word-lists": {"numbering": "word"},
    "sloppy-noi-nhan": {"noi_nhan": "sloppy"},
    "signer-table": {"signer": "table"},
    "signer-indent": {"signer": "indent"},
    "nfd": {"nfc": False},
    "messy": {"messy": True},
    "party": {"regime": "party"},
    "unknown-org": {"issuer": "unknown"},
    # everything a clerk gets wrong at once
    "clerk": {
        "font": "arial",
        "margins": "wrong",
        "header": "tabs",
        "quoc_hieu": False,
        "date": "slash",
        "numbering": "word",
        "noi_nhan": "sloppy",
        "signer": "indent",
        "messy": True,
    },
}

# ---------------------------------------------------------------------------------------------
# Truth


@dataclass(frozen=True)
class Para:
    """A body paragraph: its label ("1.", "a)", "-", "I.", "Điều 1.") and its text after the label."""

    text: str
    label: str | None = None
    level: int = 0  # list level, 0 = top
    role: Literal["text", "heading", "item", "bullet", "article"] = "text"
    bold: bool = False  # the whole paragraph bold (headings, articles with a title)

    @property
    def typed(self) -> str:
        """The paragraph as typed with its label."""
        return f"{self.label} {self.text}" if self.label else self.text


@dataclass(frozen=True)
class Cell:
    """A table cell as in HTML: text (paragraphs joined by newlines) and spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class TableTruth:
    """A table: rows of the cells that start there (covered cells are left out); `after` is the
    number of body paragraphs before it."""

    rows: list[list[Cell]]
    after: int
    header_rows: int = 0

    def grid(self) -> list[list[str]]:
        """The table as a full grid, a merged cell's text repeated in every slot it covers."""
        width = sum(c.colspan for c in self.rows[0])
        grid: list[list[str | None]] = [[None] * width for _ in self.rows]
        for r, row in enumerate(self.rows):
            col = 0
            for cell in row:
                while grid[r][col] is not None:
                    col += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        grid[r + dr][col + dc] = cell.text
                col += cell.colspan
        return [[c or "" for c in row] for row in grid]


@dataclass
class Truth:
    """What the draft says, as an importer should read it."""

    kind: Kind
    regime: Literal["nd30", "party"]
    variant: Variant
    org: str | None  # data/orgs/<org>.yaml the issuer matches by name, None if none
    superior: str | None  # names in ordinary case, as in an organisation file
    issuer: str
    superior_lines: list[str]  # as typed in the header (capitals, split over lines)
    issuer_lines: list[str]
    number: int
    type_code: str | None  # "QĐ", "KH", "CV" (Party công văn); None for a state công văn
    issuer_symbol: str  # "HVBCTT", "ĐU", …
    symbol: str  # the ký hiệu after the number: "QĐ-HVBCTT", "HVBCTT-TTKT&ĐBCLĐT", "CV/ĐU"
    number_line: str  # as typed: "Số: 512/QĐ-HVBCTT", "Số 12-CV/ĐU"
    date: dt.date
    place: str
    date_line: str  # as typed
    quoc_hieu: bool
    title: str | None  # "QUYẾT ĐỊNH", "KẾ HOẠCH"; None for a công văn
    subject: str  # trích yếu as typed ("V/v …" for a state công văn)
    authority_line: str | None = None  # "GIÁM ĐỐC HỌC VIỆN …" above the căn cứ (state QĐ)
    kinh_gui: list[str] = field(default_factory=list)  # names, without "- " and ";"/"."
    basis: list[str] = field(default_factory=list)  # căn cứ lines as typed (with "Theo đề nghị")
    enacting: str | None = None  # "QUYẾT ĐỊNH:" / "BAN THƯỜNG VỤ ĐẢNG ỦY QUYẾT ĐỊNH"
    body: list[Para] = field(default_factory=list)
    tables: list[TableTruth] = field(default_factory=list)
    salutation: str | None = None  # "Trân trọng./." after the body of a công văn
    noi_nhan: list[str] = field(default_factory=list)  # the lines under "Nơi nhận:" as typed
    recipients: list[str] = field(default_factory=list)  # their names (without Lưu), clean
    luu: str = ""  # what the Lưu line keeps: "VT, TTKT&ĐBCLĐT" / "Văn phòng Đảng ủy"
    signer_authority: str | None = None  # "KT. GIÁM ĐỐC", "T/M BAN THƯỜNG VỤ"; None: signs directly
    signer_title: str = ""  # "PHÓ GIÁM ĐỐC"
    signer_name: str = ""

    def body_texts(self) -> list[str]:
        """Each body paragraph's text as it stands in the file (labels only when typed)."""
        word = self.variant.numbering == "word"
        return [p.text if word else p.typed for p in self.body]

    def cell_texts(self) -> list[str]:
        """Every cell's paragraphs, in order."""
        return [
            line for t in self.tables for row in t.rows for c in row for line in c.text.split("\n")
        ]


def squash(text: str) -> str:
    """Text with runs of spaces made one and the ends trimmed, as `fix` compares words."""
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# Issuers


@dataclass(frozen=True)
class _Org:
    key: str | None
    superior: str | None
    name: str
    superior_lines: tuple[str, ...]
    name_lines: tuple[str, ...]
    symbol: str
    place: str
    short: str  # how the body calls itself in the text
    head: str  # head's title in text ("Giám đốc Học viện")
    head_caps: str  # "GIÁM ĐỐC"
    deputy_caps: str
    head_name: str
    deputy_name: str
    unit_code: str
    unit: str  # drafting unit
    unit_short: str
    office: str  # the office's head ("Chánh Văn phòng")
    email: str
    phone: str
    units: tuple[str, ...]  # three units a công văn goes to
    above: str  # the superior body, in Nơi nhận
    basis_doc: str  # the rule the documents rest on
    authority_line: str  # state quyết định: who enacts


_HVBCTT = _Org(
    key="hvbctt",
    superior="Học viện Chính trị quốc gia Hồ Chí Minh",
    name="Học viện Báo chí và Tuyên truyền",
    superior_lines=("HỌC VIỆN CHÍNH TRỊ QUỐC GIA", "HỒ CHÍ MINH"),
    name_lines=("HỌC VIỆN BÁO CHÍ", "VÀ TUYÊN TRUYỀN"),
    symbol="HVBCTT",
    place="Hà Nội",
    short="Học viện",
    head="Giám đốc Học viện",
    head_caps="GIÁM ĐỐC",
    deputy_caps="PHÓ GIÁM ĐỐC",
    head_name="Phạm Minh Sơn",
    deputy_name="Nguyễn Văn Mẫu",
    unit_code="TTKT&ĐBCLĐT",
    unit="Trung tâm Khảo thí và Đảm bảo chất lượng đào tạo",
    unit_short="Trung tâm KT&ĐBCLĐT",
    office="Chánh Văn phòng",
    email="ktdbcl@ajc.edu.vn",
    phone="024.3754.6963",
    units=("Khoa Báo chí", "Khoa Phát thanh - Truyền hình", "Khoa Quan hệ công chúng và Quảng cáo"),
    above="Ban Giám đốc Học viện",
    basis_doc=(
        "Quyết định số 2617-QĐ/HVBCTT ngày 02 tháng 6 năm 2022 của Giám đốc Học viện Báo chí và "
        "Tuyên truyền ban hành Quy định về xây dựng chính sách chất lượng và mục tiêu chất lượng"
    ),
    authority_line="GIÁM ĐỐC HỌC VIỆN BÁO CHÍ VÀ TUYÊN TRUYỀN",
)

# What a Party committee's documents share, whoever the committee (its office, its secretary).
_PARTY_COMMITTEE = {
    "symbol": "ĐU",
    "head": "Ban Thường vụ Đảng ủy",
    "head_caps": "BÍ THƯ",
    "deputy_caps": "PHÓ BÍ THƯ",
    "unit_code": "VPĐU",
    "unit": "Văn phòng Đảng ủy",
    "unit_short": "Văn phòng Đảng ủy",
    "office": "Văn phòng Đảng ủy",
    "units": ("Các chi bộ trực thuộc", "Các đồng chí đảng ủy viên"),
    "authority_line": "",
}

_HVBCTT_PARTY = replace(
    _HVBCTT,
    key=None,  # the Đảng ủy is not an organisation file of data/orgs/
    superior="Đảng bộ Học viện Chính trị quốc gia Hồ Chí Minh",
    name="Đảng ủy Học viện Báo chí và Tuyên truyền",
    superior_lines=("ĐẢNG BỘ HỌC VIỆN", "CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH"),
    name_lines=("ĐẢNG ỦY HỌC VIỆN BÁO CHÍ", "VÀ TUYÊN TRUYỀN"),
    short="Đảng ủy Học viện",
    email="vanphongdanguy@ajc.edu.vn",
    above="Đảng ủy Học viện Chính trị quốc gia Hồ Chí Minh",
    basis_doc="Quy chế làm việc của Đảng ủy Học viện Báo chí và Tuyên truyền nhiệm kỳ 2025 - 2030",
    **_PARTY_COMMITTEE,
)

_UNKNOWN = _Org(
    key=None,
    superior="Ủy ban nhân dân tỉnh Ninh Bình",
    name="Sở Văn hóa và Thể thao",
    superior_lines=("ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH"),
    name_lines=("SỞ VĂN HÓA VÀ THỂ THAO",),
    symbol="SVHTT",
    place="Ninh Bình",
    short="Sở",
    head="Giám đốc Sở",
    head_caps="GIÁM ĐỐC",
    deputy_caps="PHÓ GIÁM ĐỐC",
    head_name="Đinh Văn Hưng",
    deputy_name="Trần Thị Thu Hà",
    unit_code="VP",
    unit="Văn phòng Sở",
    unit_short="Văn phòng Sở",
    office="Chánh Văn phòng Sở",
    email="vanphong.svhtt@ninhbinh.gov.vn",
    phone="0229.3871.246",
    units=("Phòng Quản lý văn hóa", "Phòng Quản lý thể dục thể thao", "Phòng Kế hoạch - Tài chính"),
    above="Ủy ban nhân dân tỉnh",
    basis_doc=(
        "Quyết định số 25/2025/QĐ-UBND ngày 10 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh Ninh Bình "
        "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Văn hóa và Thể thao"
    ),
    authority_line="GIÁM ĐỐC SỞ VĂN HÓA VÀ THỂ THAO TỈNH NINH BÌNH",
)

_UNKNOWN_PARTY = replace(
    _UNKNOWN,
    superior="Đảng bộ Ủy ban nhân dân tỉnh Ninh Bình",
    name="Đảng ủy Sở Văn hóa và Thể thao",
    superior_lines=("ĐẢNG BỘ ỦY BAN NHÂN DÂN", "TỈNH NINH BÌNH"),
    name_lines=("ĐẢNG ỦY SỞ VĂN HÓA", "VÀ THỂ THAO"),
    short="Đảng ủy Sở",
    above="Đảng ủy Ủy ban nhân dân tỉnh Ninh Bình",
    basis_doc="Quy chế làm việc của Đảng ủy Sở Văn hóa và Thể thao nhiệm kỳ 2025 - 2030",
    **_PARTY_COMMITTEE,
)


def _org(v: Variant) -> _Org:
    table = {
        ("hvbctt", "nd30"): _HVBCTT,
        ("hvbctt", "party"): _HVBCTT_PARTY,
        ("unknown", "nd30"): _UNKNOWN,
        ("unknown", "party"): _UNKNOWN_PARTY,
    }
    return table[v.issuer, v.regime]


# ---------------------------------------------------------------------------------------------
# Content of the three drafts (before the variant's way of typing it)


@dataclass(frozen=True)
class _Table:
    rows: list[list[Cell]]
    widths_cm: list[float]
    header_rows: int


@dataclass
class _Content:
    kind: Kind
    number: int
    type_code: str | None
    date: dt.date
    title: str | None
    subject: str
    authority_line: str | None
    kinh_gui: list[str]
    basis: list[str]
    enacting: str | None
    body: list[Para | _Table]
    salutation: str | None
    recipients: list[str]  # names, without Lưu
    signer_authority: str | None
    signer_title: str
    signer_name: str


def _end(v: Variant) -> str:
    """How the body ends: "./." (state) or "." (Party, HD 05 6.2.2)."""
    return "." if v.regime == "party" else "./."


def _cong_van(v: Variant, o: _Org) -> _Content:
    party = v.regime == "party"
    topic = "báo cáo sơ kết thực hiện mục tiêu chất lượng học kỳ I năm học 2025 - 2026"
    body: list[Para | _Table] = [
        Para(
            "Thực hiện Kế hoạch đánh giá kết quả thực hiện mục tiêu chất lượng năm học "
            f"2025 - 2026, {o.short} đề nghị các đơn vị thực hiện một số nội dung sau:"
        ),
        Para(
            "Tổng kết kết quả thực hiện từng mục tiêu chất lượng trong học kỳ I, ghi rõ mức độ "
            "hoàn thành:",
            "1.",
            0,
            "item",
        ),
        Para("Mục tiêu đã hoàn thành, kèm theo minh chứng;", "a)", 1, "item"),
        Para(
            "Mục tiêu chưa hoàn thành, nêu rõ nguyên nhân và giải pháp khắc phục.", "b)", 1, "item"
        ),
        Para(f"Gửi báo cáo về {o.unit} trước ngày 20/3/2026, gồm:", "2.", 0, "item"),
        Para("Bản giấy có chữ ký của trưởng đơn vị;", "-", 2, "bullet"),
        Para(f"Bản điện tử gửi qua thư điện tử {o.email}.", "-", 2, "bullet"),
        Para(
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị liên hệ "
            f"{o.unit} (số điện thoại {o.phone}) để được hướng dẫn."
        ),
    ]
    return _Content(
        kind="cong-van",
        number=12 if party else 315,
        type_code="CV" if party else None,
        date=dt.date(2026, 3, 5),
        title=None,
        subject=f"về việc {topic}" if party else f"V/v {topic}",
        authority_line=None,
        kinh_gui=list(o.units),
        basis=[],
        enacting=None,
        body=body,
        salutation="Trân trọng." if party else "Trân trọng./.",
        recipients=["Như trên", f"{o.above} (để b/c)"],
        signer_authority="T/M BAN THƯỜNG VỤ" if party else f"KT. {o.head_caps}",
        signer_title=o.deputy_caps,
        signer_name=o.deputy_name,
    )


def _quyet_dinh(v: Variant, o: _Org) -> _Content:
    party = v.regime == "party"
    team = "Tổ công tác rà soát mục tiêu chất lượng năm học 2025 - 2026"
    if party:
        basis = [
            "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
            f"- Căn cứ {o.basis_doc};",
            f"- Xét đề nghị của {o.unit},",
        ]
    else:
        basis = [
            f"Căn cứ {o.basis_doc};",
            "Căn cứ Kế hoạch đánh giá kết quả thực hiện mục tiêu chất lượng năm học 2025 - 2026;",
            f"Theo đề nghị của {o.office}.",
        ]
    members = [
        f"Đồng chí {o.deputy_name}, {o.deputy_caps.capitalize()}, Tổ trưởng;",
        f"Đồng chí Trần Thị Hồng, phụ trách {o.unit}, Tổ phó;",
        "Đồng chí Lê Văn Thành, chuyên viên, thành viên;",
        "Đồng chí Phạm Thu Trang, chuyên viên, thư ký.",
    ]
    body: list[Para | _Table] = [
        Para(
            f"Thành lập {team} của {o.short} (sau đây gọi là Tổ công tác) gồm các đồng chí "
            "có tên sau:",
            "Điều 1.",
            0,
            "article",
        ),
        *(Para(m, "-", 3, "bullet") for m in members),
        Para("Nhiệm vụ của Tổ công tác", "Điều 2.", 0, "article", bold=True),
        Para(
            "Rà soát báo cáo thực hiện mục tiêu chất lượng của các đơn vị, đối chiếu với "
            "minh chứng:",
            "1.",
            1,
            "item",
        ),
        Para("Kiểm tra tính đầy đủ của hồ sơ minh chứng;", "a)", 2, "item"),
        Para("Đề xuất điều chỉnh các mục tiêu chưa phù hợp.", "b)", 2, "item"),
        Para(f"Tổng hợp kết quả, báo cáo {o.head} trước ngày 15/4/2026.", "2.", 1, "item"),
        Para("Tổ công tác tự giải thể sau khi hoàn thành nhiệm vụ.", "Điều 3.", 0, "article"),
        Para(
            f"{o.office}, các đơn vị có liên quan và các đồng chí có tên tại Điều 1 chịu trách "
            f"nhiệm thi hành Quyết định này{_end(v)}",
            "Điều 4.",
            0,
            "article",
        ),
    ]
    return _Content(
        kind="quyet-dinh",
        number=34 if party else 512,
        type_code="QĐ",
        date=dt.date(2026, 3, 12),
        title="QUYẾT ĐỊNH",
        subject=f"về việc thành lập {team}" if party else f"Về việc thành lập {team}",
        authority_line=None if party else o.authority_line,
        kinh_gui=[],
        basis=basis,
        enacting="BAN THƯỜNG VỤ ĐẢNG ỦY QUYẾT ĐỊNH" if party else "QUYẾT ĐỊNH:",
        body=body,
        salutation=None,
        recipients=["Như Điều 4", f"{o.above} (để b/c)"],
        signer_authority="T/M BAN THƯỜNG VỤ" if party else None,
        signer_title=o.head_caps,
        signer_name=o.head_name,
    )


def _ke_hoach_table(o: _Org) -> _Table:
    rows = [
        [
            Cell("TT", rowspan=2),
            Cell("Nội dung công việc", rowspan=2),
            Cell("Đơn vị chủ trì", rowspan=2),
            Cell("Đơn vị phối hợp", rowspan=2),
            Cell("Thời gian thực hiện", colspan=2),
        ],
        [Cell("Bắt đầu"), Cell("Hoàn thành")],
        [Cell("I. CÔNG TÁC TỰ ĐÁNH GIÁ", colspan=6)],
        [
            Cell("1"),
            Cell("Tổng hợp minh chứng thực hiện từng mục tiêu chất lượng"),
            Cell("Các đơn vị", rowspan=2),
            Cell(o.unit_short),
            Cell("02/02/2026"),
            Cell("28/02/2026"),
        ],
        [
            Cell("2"),
            Cell("Viết báo cáo tự đánh giá\n(theo mẫu gửi kèm)"),
            Cell(o.unit_short),
            Cell("01/3/2026"),
            Cell("20/3/2026"),
        ],
        [Cell(f"II. ĐÁNH GIÁ CẤP {o.short.upper()}", colspan=6)],
        [
            Cell("3"),
            Cell("Thẩm định báo cáo của các đơn vị"),
            Cell(o.unit_short, rowspan=2),
            Cell("Các đơn vị"),
            Cell("23/3/2026"),
            Cell("10/4/2026"),
        ],
        [
            Cell("4"),
            Cell("Họp đánh giá, công bố kết quả"),
            Cell("Các đơn vị"),
            Cell("Tháng 4/2026", colspan=2),
        ],
    ]
    return _Table(rows, [1.0, 4.2, 3.0, 3.0, 2.3, 2.3], header_rows=2)


def _ke_hoach(v: Variant, o: _Org) -> _Content:
    party = v.regime == "party"
    topic = "đánh giá kết quả thực hiện mục tiêu chất lượng năm học 2025 - 2026"
    body: list[Para | _Table] = [
        Para(
            f"Thực hiện {o.basis_doc}, {o.short} xây dựng Kế hoạch {topic} như sau:",
        ),
        Para("MỤC ĐÍCH, YÊU CẦU", "I.", 0, "heading", bold=True),
        Para("Mục đích", "1.", 1, "heading", bold=True),
        Para(
            f"Đánh giá thực chất mức độ hoàn thành mục tiêu chất lượng của {o.short} và của "
            "từng đơn vị.",
            "-",
            3,
            "bullet",
        ),
        Para("Làm căn cứ xây dựng mục tiêu chất lượng năm học 2026 - 2027.", "-", 3, "bullet"),
        Para("Yêu cầu", "2.", 1, "heading", bold=True),
        Para("Việc đánh giá bảo đảm khách quan, có minh chứng, đúng tiến độ;", "a)", 2, "item"),
        Para(f"Kết quả đánh giá được công khai trong toàn {o.short}.", "b)", 2, "item"),
        Para("NỘI DUNG VÀ TIẾN ĐỘ THỰC HIỆN", "II.", 0, "heading", bold=True),
        Para("Các việc cụ thể và tiến độ thực hiện như sau:"),
        _ke_hoach_table(o),
        Para("TỔ CHỨC THỰC HIỆN", "III.", 0, "heading", bold=True),
        Para(
            f"{o.unit} là đầu mối, theo dõi, đôn đốc và tổng hợp kết quả, báo cáo {o.head}.",
            "1.",
            1,
            "item",
        ),
        Para(
            "Các đơn vị chủ động triển khai; trong quá trình thực hiện, nếu có vướng mắc, phản "
            f"ánh về {o.unit} để kịp thời giải quyết{_end(v)}",
            "2.",
            1,
            "item",
        ),
    ]
    return _Content(
        kind="ke-hoach",
        number=7 if party else 8,
        type_code="KH",
        date=dt.date(2026, 1, 20),
        title="KẾ HOẠCH",
        subject=topic if party else topic[0].upper() + topic[1:],
        authority_line=None,
        kinh_gui=[],
        basis=[],
        enacting=None,
        body=body,
        salutation=None,
        recipients=[o.above, "Các đơn vị trực thuộc"],
        signer_authority="T/M BAN THƯỜNG VỤ" if party else f"KT. {o.head_caps}",
        signer_title=o.deputy_caps,
        signer_name=o.deputy_name,
    )


# ---------------------------------------------------------------------------------------------
# Writing WordprocessingML


@dataclass(frozen=True)
class _Line:
    """A header or signature line: its text and how it is set."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False
    rule: bool = False  # a short rule under the text (line shape, border or typed dashes)
    rule_cm: float = 0.0


class _Writer:
    """Writes paragraphs and runs the way the variant's clerk types them."""

    def __init__(self, v: Variant) -> None:
        self.v = v
        self.doc: DocxDocument = Document()
        self.font = "Arial" if v.font == "arial" else "Times New Roman"
        self.body_size = 13.0 if v.font == "arial" else 14.0
        self._shape_id = 100
        self._messy_count = 0
        self._shapetype_written = False
        self._left = 6.8  # the left header column, cm (see size_columns)

    # -- text and runs

    def t(self, text: str) -> str:
        """Text as written to the file (NFD for the non-NFC variant)."""
        return text if self.v.nfc else unicodedata.normalize("NFD", text)

    def size(self, pt: float) -> float:
        """A size as this clerk sets it: in the Arial variant nothing is above 13 pt."""
        return min(pt, 13.0) if self.v.font == "arial" else pt

    def run(
        self,
        p: Paragraph,
        text: str,
        size: float,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
    ) -> None:
        r = p.add_run(self.t(text))
        r.font.name = self.font  # ascii, hAnsi (python-docx)
        rfonts = r._r.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:cs"), self.font)
        rfonts.set(qn("w:eastAsia"), self.font)
        r.font.size = Pt(self.size(size))
        rpr = r._r.get_or_add_rPr()
        szcs = OxmlElement("w:szCs")
        szcs.set(qn("w:val"), str(int(self.size(size) * 2)))
        rpr.append(szcs)
        if bold:
            r.font.bold = True
        if italic:
            r.font.italic = True
        if underline:
            r.font.underline = True

    def fmt(
        self,
        p: Paragraph,
        align: WD_ALIGN_PARAGRAPH | None = None,
        first: float | None = None,
        left: float | None = None,
        before: float = 0,
        after: float = 0,
        line: float | None = None,
    ) -> None:
        pf = p.paragraph_format
        if align is not None:
            p.alignment = align
        if first is not None:
            pf.first_line_indent = Cm(first)
        if left is not None:
            pf.left_indent = Cm(left)
        pf.space_before = Pt(before)
        pf.space_after = Pt(after)
        pf.line_spacing = line if line is not None else 1.0

    def line(
        self, p: Paragraph, ln: _Line, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER
    ) -> None:
        self.fmt(p, align)
        if ln.text:
            self.run(p, ln.text, ln.size, ln.bold, ln.italic, ln.underline)

    def body_para(self, text: str, *, first: float = 1.27, bold: bool = False, **kw) -> Paragraph:
        p = self.doc.add_paragraph()
        self.fmt(p, WD_ALIGN_PARAGRAPH.JUSTIFY, first=first, after=6, line=1.15, **kw)
        if text:
            self.run(p, text, self.body_size, bold=bold)
        return p

    def empty(self, n: int = 1) -> None:
        for _ in range(n):
            self.doc.add_paragraph()

    def messy_text(self, text: str) -> str:
        """Every second text typed with a double space after its first word, every third with a
        trailing space (messy variant only)."""
        if not self.v.messy:
            return text
        self._messy_count += 1
        if self._messy_count % 2 == 0 and " " in text:
            text = text.replace(" ", "  ", 1)
        if self._messy_count % 3 == 0:
            text += " "
        return text

    # -- page

    def page(self) -> None:
        s = self.doc.sections[0]
        s.page_width, s.page_height = Cm(21), Cm(29.7)
        if self.v.margins == "wrong":
            s.top_margin = s.bottom_margin = s.left_margin = s.right_margin = Cm(2.54)
        else:
            s.top_margin, s.bottom_margin = Cm(2), Cm(2)
            s.left_margin, s.right_margin = Cm(3), Cm(1.5)

    @property
    def text_width_cm(self) -> float:
        s = self.doc.sections[0]
        return (s.page_width - s.left_margin - s.right_margin) / 360000

    # -- drawings

    def _next_id(self) -> int:
        self._shape_id += 1
        return self._shape_id

    def line_shape(self, p: Paragraph, width_cm: float, down_pt: float) -> None:
        """A horizontal line shape centred in the column (a cell), `down_pt` below the paragraph's
        top, as Word draws the short rules of a header."""
        emu = int(width_cm * 360000)
        sid = self._next_id()
        xml = (
            f"<w:r {nsdecls('w', 'wp', 'a', 'wps')}><w:drawing>"
            f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
            f'relativeHeight="{251658240 + sid}" behindDoc="0" locked="0" layoutInCell="1" '
            f'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="column"><wp:align>center</wp:align></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(down_pt * 12700)}'
            f"</wp:posOffset></wp:positionV>"
            f'<wp:extent cx="{emu}" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:wrapNone/><wp:docPr id="{sid}" name="Straight Connector {sid}"/>'
            f"<wp:cNvGraphicFramePr/>"
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:wsp><wps:cNvCnPr/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{emu}" cy="0"/></a:xfrm>'
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f'<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'
            f"</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
            f"</wp:anchor></w:drawing></w:r>"
        )
        p._p.append(parse_xml(xml))

    def border_rule(self, p: Paragraph, width_cm: float, box_cm: float, after: float = 2) -> None:
        """A short rule as the bottom border of an empty, indented paragraph."""
        side = max((box_cm - width_cm) / 2, 0)
        self.fmt(p, WD_ALIGN_PARAGRAPH.CENTER, left=side, after=after)
        p.paragraph_format.right_indent = Cm(side)
        p.paragraph_format.line_spacing = Pt(4)
        p._p.get_or_add_pPr().insert_element_before(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
                f'w:color="000000"/></w:pBdr>'
            ),
            *_PPR_AFTER_PBDR,
        )

    # -- header

    def header_lines(self, c: _Content, o: _Org) -> tuple[list[_Line], list[_Line], int, int]:
        """The left and right header lines, and how many of each stand above the number/date row."""
        party = self.v.regime == "party"
        left: list[_Line] = []
        name_size = 14 if party else 12.5
        left += [_Line(s, name_size) for s in o.superior_lines]
        left += [_Line(s, name_size, bold=True) for s in o.name_lines]
        if party:
            left.append(_Line("*", name_size))
        else:
            # NĐ 30: a rule 1/3 to 1/2 as wide as the issuer's name
            widest = max(self._width(ln) for ln in left[len(o.superior_lines) :]) / 28.35
            left[-1] = replace(left[-1], rule=True, rule_cm=round(widest * 0.45, 2))
        top_left = len(left)
        left.append(_Line(self.number_line(c, o), 14 if party else 13))
        if c.kind == "cong-van":
            left.append(_Line(c.subject, 12, italic=party))
        right: list[_Line] = []
        if self.v.quoc_hieu:
            if party:
                title = _Line("ĐẢNG CỘNG SẢN VIỆT NAM", 15, bold=True, rule=True)
                right.append(replace(title, rule_cm=round(self._width(title) / 28.35, 2)))
            else:
                right.append(_Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True))
                motto = _Line("Độc lập - Tự do - Hạnh phúc", 13, bold=True, rule=True)
                right.append(replace(motto, rule_cm=round(self._width(motto) / 28.35, 2)))
        top_right = len(right)
        right.append(_Line(self.date_line(c, o), 14, italic=True))
        return left, right, top_left, top_right

    def number_line(self, c: _Content, o: _Org) -> str:
        if self.v.regime == "party":
            return f"Số {c.number:02d}-{c.type_code}/{o.symbol}"
        symbol = f"{c.type_code}-{o.symbol}" if c.type_code else f"{o.symbol}-{o.unit_code}"
        return f"Số: {c.number:02d}/{symbol}"

    def date_line(self, c: _Content, o: _Org) -> str:
        d = c.date
        if self.v.date == "slash":
            return f"{o.place}, {d.day:02d}/{d.month}/{d.year}"
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"{o.place}, ngày {d.day:02d} tháng {month} năm {d.year}"

    def header(self, c: _Content, o: _Org) -> None:
        left, right, top_left, top_right = self.header_lines(c, o)
        names = left[:top_left] + left[top_left : top_left + 1]  # the names and the number
        self.size_columns(names, right)
        if self.v.header == "table":
            self.header_table(left, right, top_left, top_right)
        elif self.v.header == "tabs":
            self.header_tabs(left, right, top_left, top_right)
        else:
            self.header_boxes(left, right, top_left, top_right)

    def _left_cm(self) -> float:
        """The left header column: as wide as the longest name line, as clerks drag it."""
        return self._left

    def size_columns(self, left: list[_Line], right: list[_Line]) -> None:
        need_left = max(self._width(ln) for ln in left) / 28.35 + 0.6
        need_right = max((self._width(ln) for ln in right), default=0) / 28.35 + 0.4
        self._left = max(min(need_left, self.text_width_cm - need_right), 6.0)

    def header_table(
        self, left: list[_Line], right: list[_Line], top_left: int, top_right: int
    ) -> None:
        """The header as a borderless 2 × 2 table: names | Quốc hiệu, then number | date."""
        lw = self._left_cm()
        rw = self.text_width_cm - lw
        table = self.doc.add_table(rows=2, cols=2)
        _borderless(table)
        _widths(table, [lw, rw])
        parts = [
            (table.cell(0, 0), left[:top_left], lw),
            (table.cell(0, 1), right[:top_right], rw),
            (table.cell(1, 0), left[top_left:], lw),
            (table.cell(1, 1), right[top_right:], rw),
        ]
        for cell, lines, _ in parts:
            for i, ln in enumerate(lines):
                p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                self.line(p, ln)
                if ln.rule:
                    self.line_shape(p, ln.rule_cm, ln.size * 1.25)
        # a little air between the rules and the number/date row
        for cell in (table.cell(1, 0), table.cell(1, 1)):
            cell.paragraphs[0].paragraph_format.space_before = Pt(6)

    def header_boxes(
        self, left: list[_Line], right: list[_Line], top_left: int, top_right: int
    ) -> None:
        """The header in two text boxes anchored to the first paragraph (wps with a VML fallback
        as Word saves it, or VML alone as older Word and LibreOffice do)."""
        lw = self._left_cm()
        rw = self.text_width_cm - lw
        pad = max(top_left - top_right, 0)
        right = right[:top_right] + [_Line("", 14)] * pad + right[top_right:]
        anchor = self.doc.add_paragraph()
        self.fmt(anchor)
        height = max(len(left), len(right)) * 0.62 + 0.5
        for lines, x_cm, w_cm in ((left, 0.0, lw), (right, lw, rw)):
            content = OxmlElement("w:txbxContent")
            for ln in lines:
                p = Paragraph(OxmlElement("w:p"), None)
                content.append(p._p)
                self.line(p, ln)
                if ln.rule:
                    rule = Paragraph(OxmlElement("w:p"), None)
                    content.append(rule._p)
                    self.border_rule(rule, ln.rule_cm, w_cm - 0.5)
            anchor._p.append(self.text_box(content, x_cm, w_cm, height))

    def text_box(
        self, content: BaseOxmlElement, x_cm: float, w_cm: float, h_cm: float
    ) -> BaseOxmlElement:
        """A run holding a borderless text box with `content` (a w:txbxContent)."""
        sid = self._next_id()
        cx, cy, x = int(w_cm * 360000), int(h_cm * 360000), int(x_cm * 360000)
        shapetype = (
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
            'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
            '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        )
        first = not self._shapetype_written
        self._shapetype_written = True
        vml = (
            f"<w:pict {nsdecls('w', 'v', 'o', 'w10')}>"
            + (shapetype if first else "")
            + f'<v:shape id="Text Box {sid}" o:spid="_x0000_s{1025 + sid}" type="#_x0000_t202" '
            f'style="position:absolute;margin-left:{x_cm * 28.35:.1f}pt;margin-top:0;'
            f"width:{w_cm * 28.35:.1f}pt;height:{h_cm * 28.35:.1f}pt;z-index:{sid};"
            f'mso-position-horizontal-relative:margin;mso-position-vertical-relative:text" '
            f'stroked="f"><v:textbox inset="0,0,0,0"/><w10:wrap type="topAndBottom"/>'
            f"</v:shape></w:pict>"
        )
        pict = parse_xml(vml)
        pict.find(".//" + qn("v:textbox")).append(content)
        run = OxmlElement("w:r")
        if self.v.header == "vml":
            run.append(pict)
            return run
        wps = (
            f"<mc:AlternateContent {nsdecls('mc', 'w', 'wp', 'a', 'wps')}>"
            f'<mc:Choice Requires="wps"><w:drawing>'
            f'<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
            f'relativeHeight="{251658240 + sid}" behindDoc="0" locked="0" layoutInCell="1" '
            f'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:wrapTopAndBottom/><wp:docPr id="{sid}" name="Text Box {sid}"/>'
            f"<wp:cNvGraphicFramePr/>"
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
            f'wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
            f"</wps:spPr><wps:txbx/>"
            f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
            f'anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>'
            f"</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
            f"<mc:Fallback/></mc:AlternateContent>"
        )
        alt = parse_xml(wps)
        alt.find(".//" + qn("wps:txbx")).append(copy.deepcopy(content))
        alt.find(qn("mc:Fallback")).append(pict)
        run.append(alt)
        return run

    def header_tabs(
        self, left: list[_Line], right: list[_Line], top_left: int, top_right: int
    ) -> None:
        """The header as paragraphs: each line's left and right parts placed by eye with spaces
        and default tab stops, rules typed as dashes."""
        lw = self._left_cm() * 28.35
        tw = self.text_width_cm * 28.35

        def expand(lines: list[_Line]) -> list[_Line]:
            out: list[_Line] = []
            for ln in lines:
                out.append(replace(ln, rule=False))
                if ln.rule:
                    out.append(_Line("-" * int(ln.rule_cm * 4), ln.size))
            return out

        rows_l, rows_r = expand(left[:top_left]), expand(right[:top_right])
        top = max(len(rows_l), len(rows_r))
        rows_l += [_Line("", 13)] * (top - len(rows_l))
        rows_r += [_Line("", 13)] * (top - len(rows_r))
        low_l, low_r = left[top_left:], right[top_right:]
        low = max(len(low_l), len(low_r))
        rows_l += low_l + [_Line("", 13)] * (low - len(low_l))
        rows_r += low_r + [_Line("", 13)] * (low - len(low_r))
        for ln_l, ln_r in zip(rows_l, rows_r, strict=True):
            p = self.doc.add_paragraph()
            self.fmt(p, WD_ALIGN_PARAGRAPH.LEFT)
            x = 0.0
            if ln_l.text:
                w = self._width(ln_l)
                sp = self._width(replace(ln_l, text=" "))
                n = max(int(round((lw - w) / 2 / sp)), 0)
                self.run(p, " " * n + ln_l.text, ln_l.size, ln_l.bold, ln_l.italic)
                x = n * sp + w
            if ln_r.text:
                w = self._width(ln_r)
                sp = self._width(replace(ln_r, text=" "))
                target = min(lw + (tw - lw - w) / 2, tw - w - 2)
                tabs = ""
                while True:
                    nxt = (int(x // 36) + 1) * 36
                    if nxt > target:
                        break
                    tabs += "\t"
                    x = nxt
                n = max(int((target - x) / sp), 0)
                if not tabs and x > 0:  # the columns touch: a space or two, as a clerk would
                    n = max(n, 2 if x + 2 * sp + w <= tw - 1 else 1)
                self.run(p, tabs + " " * n + ln_r.text, ln_r.size, ln_r.bold, ln_r.italic)

    def _width(self, ln: _Line) -> float:
        return text_width_pt(ln.text, self.font, self.size(ln.size), ln.bold, ln.italic)

    # -- title, body, signature

    def centred(
        self, text: str, size: float, bold: bool = False, italic: bool = False, after: float = 0
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        self.fmt(p, WD_ALIGN_PARAGRAPH.CENTER, after=after)
        self.run(p, text, size, bold, italic)
        return p

    def signer_lines(self, c: _Content) -> list[_Line]:
        party = self.v.regime == "party"
        lines = []
        if c.signer_authority:
            lines.append(_Line(c.signer_authority, 14, bold=True))
        lines.append(_Line(c.signer_title, 14, bold=not party or not c.signer_authority))
        lines += [_Line("", 14)] * 3
        lines.append(_Line(c.signer_name, 14, bold=True))
        return lines

    def noi_nhan_lines(self, lines: list[str]) -> list[_Line]:
        party = self.v.regime == "party"
        label = (
            _Line("Nơi nhận:", 14, underline=True) if party else _Line("Nơi nhận:", 12, True, True)
        )
        return [label] + [_Line(s, 12 if party else 11) for s in lines]


# what follows w:pBdr in a w:pPr (ECMA-376 order), for inserting a border in its place
_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:jc",
    "w:rPr",
    "w:sectPr",
)


def _borderless(table: Table) -> None:
    table._tbl.tblPr.insert_element_before(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="nil"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        ),
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
    )


def _widths(table: Table, widths_cm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, w in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


# ---------------------------------------------------------------------------------------------
# Word lists (numbering.xml)

# (numFmt, lvlText, bold) per level of each scheme; the bullet level is "-"
_SCHEMES: dict[Kind, list[tuple[str, str, bool]]] = {
    "cong-van": [("decimal", "%1.", False), ("lowerLetter", "%2)", False), ("bullet", "-", False)],
    "quyet-dinh": [
        ("decimal", "Điều %1.", True),
        ("decimal", "%2.", False),
        ("lowerLetter", "%3)", False),
        ("bullet", "-", False),
    ],
    "ke-hoach": [
        ("upperRoman", "%1.", True),
        ("decimal", "%2.", True),
        ("lowerLetter", "%3)", False),
        ("bullet", "-", False),
    ],
}


def _add_numbering(w: _Writer, kind: Kind) -> int:
    """Add a multi-level list for `kind` to numbering.xml; its w:numId."""
    numbering = w.doc.part.numbering_part.element
    abstract_ids = [
        int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
    ]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    levels = ""
    for i, (fmt, text, bold) in enumerate(_SCHEMES[kind]):
        size = int(w.body_size * 2)
        rpr = (
            f'<w:rPr><w:rFonts w:ascii="{w.font}" w:hAnsi="{w.font}" w:cs="{w.font}"/>'
            + ("<w:b/>" if bold else "")
            + f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        )
        levels += (
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{w.t(text)}"/><w:lvlJc w:val="left"/><w:suff w:val="space"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr>{rpr}</w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            f"</w:num>"
        )
    )
    return num_id


def _num_pr(p: Paragraph, num_id: int, level: int) -> None:
    p._p.get_or_add_pPr()._insert_numPr(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            f"</w:numPr>"
        )
    )


def _list_level(kind: Kind, para: Para) -> int:
    """The Word list level of a labelled paragraph in the kind's scheme."""
    if para.role == "bullet":
        return len(_SCHEMES[kind]) - 1
    return para.level


# ---------------------------------------------------------------------------------------------
# The draft


def _write(path: Path, c: _Content, v: Variant) -> Truth:
    o = _org(v)
    w = _Writer(v)
    party = v.regime == "party"
    w.page()
    w.header(c, o)
    if v.messy:
        w.empty(2)

    # title, trích yếu, Kính gửi
    if c.title:
        w.centred(
            c.title, 16 if party else 14, bold=True, after=0
        ).paragraph_format.space_before = Pt(12)
        w.centred(c.subject, 15 if party else 14, bold=True)
        if party:
            w.centred("-----", 14)
        else:
            w.border_rule(w.doc.add_paragraph(), 3.0, w.text_width_cm, after=10)
    if c.kinh_gui:
        p = w.doc.add_paragraph()
        w.fmt(p, WD_ALIGN_PARAGRAPH.CENTER if party else None, first=None, before=12)
        if not party:
            p.paragraph_format.first_line_indent = Cm(3.5)
        w.run(p, "Kính gửi:", 14, italic=party)
        for i, name in enumerate(c.kinh_gui):
            end = "." if i == len(c.kinh_gui) - 1 else ";"
            q = w.doc.add_paragraph()
            w.fmt(q, WD_ALIGN_PARAGRAPH.CENTER if party else None, left=None if party else 4.5)
            w.run(q, f"- {name}{end}", 14)
        w.empty(1)
    if c.authority_line:
        w.centred(c.authority_line, 14, bold=True, after=6)
    for line in c.basis:
        p = w.body_para(line)
        if not party:
            for r in p.runs:
                r.font.italic = True
    if c.enacting:
        p = w.centred(c.enacting, 14, bold=True, after=6)
        p.paragraph_format.space_before = Pt(6)

    # body
    num_id = _add_numbering(w, c.kind) if v.numbering == "word" else 0
    body: list[Para] = []
    tables: list[TableTruth] = []
    for item in c.body:
        if isinstance(item, _Table):
            tables.append(
                TableTruth(
                    [list(row) for row in item.rows],
                    len(body),
                    item.header_rows,
                )
            )
            _table(w, item)
            continue
        para = replace(item, text=w.messy_text(item.text))
        body.append(para)
        if para.label and v.numbering == "word":
            p = w.body_para("", first=None)
            w.run(p, para.text, w.body_size, bold=para.bold)
            _num_pr(p, num_id, _list_level(c.kind, para))
        elif para.label:
            p = w.body_para("")
            label_bold = para.role in ("article", "heading")
            w.run(p, para.label + " ", w.body_size, bold=label_bold or para.bold)
            w.run(p, para.text, w.body_size, bold=para.bold)
        else:
            w.body_para(para.text)
        if v.messy and len(body) % 3 == 0:
            w.empty(1)
    if c.salutation:
        w.body_para(c.salutation)

    # Nơi nhận and signature
    noi_nhan = _noi_nhan_lines(c, o, v)
    if v.messy:
        w.empty(2)
    if v.signer == "table":
        table = w.doc.add_table(rows=1, cols=2)
        _borderless(table)
        half = w.text_width_cm / 2 - 0.8
        _widths(table, [half, w.text_width_cm - half])
        left = table.cell(0, 0)
        for i, ln in enumerate(w.noi_nhan_lines(noi_nhan)):
            p = left.paragraphs[0] if i == 0 else left.add_paragraph()
            w.line(p, ln, WD_ALIGN_PARAGRAPH.LEFT)
        right = table.cell(0, 1)
        for i, ln in enumerate(w.signer_lines(c)):
            p = right.paragraphs[0] if i == 0 else right.add_paragraph()
            w.line(p, ln)
    else:
        w.empty(1)
        for ln in w.signer_lines(c):
            p = w.doc.add_paragraph()
            w.line(p, ln)
            p.paragraph_format.left_indent = Cm(w.text_width_cm / 2)
        w.empty(1)
        for ln in w.noi_nhan_lines(noi_nhan):
            w.line(w.doc.add_paragraph(), ln, WD_ALIGN_PARAGRAPH.LEFT)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    w.doc.core_properties.author = "Văn thư"
    w.doc.save(str(path))
    return Truth(
        kind=c.kind,
        regime=v.regime,
        variant=v,
        org=o.key,
        superior=o.superior,
        issuer=o.name,
        superior_lines=list(o.superior_lines),
        issuer_lines=list(o.name_lines),
        number=c.number,
        type_code=c.type_code,
        issuer_symbol=o.symbol,
        symbol=w.number_line(c, o).split("/", 1)[1]
        if not party
        else w.number_line(c, o).split("-", 1)[1],
        number_line=w.number_line(c, o),
        date=c.date,
        place=o.place,
        date_line=w.date_line(c, o),
        quoc_hieu=v.quoc_hieu,
        title=c.title,
        subject=c.subject,
        authority_line=c.authority_line,
        kinh_gui=list(c.kinh_gui),
        basis=list(c.basis),
        enacting=c.enacting,
        body=body,
        tables=tables,
        salutation=c.salutation,
        noi_nhan=noi_nhan,
        recipients=list(c.recipients),
        luu=_luu(o, v),
        signer_authority=c.signer_authority,
        signer_title=c.signer_title,
        signer_name=c.signer_name,
    )


def _luu(o: _Org, v: Variant) -> str:
    return o.unit if v.regime == "party" else f"VT, {o.unit_code}"


def _noi_nhan_lines(c: _Content, o: _Org, v: Variant) -> list[str]:
    """The Nơi nhận lines as this clerk types them."""
    party = v.regime == "party"
    luu = f"- Lưu {_luu(o, v)}" if party else f"- Lưu: {_luu(o, v)}"
    if v.noi_nhan == "sloppy":
        return [f"- {r}" for r in c.recipients] + [luu]
    return [f"- {r};" for r in c.recipients] + [luu + "."]


def _table(w: _Writer, spec: _Table) -> None:
    """A bordered table with the spec's merges (gridSpan for colspan, vMerge for rowspan)."""
    n_rows, n_cols = len(spec.rows), len(spec.widths_cm)
    table = w.doc.add_table(rows=n_rows, cols=n_cols)
    table.style = w.doc.styles["Table Grid"]
    _widths(table, spec.widths_cm)
    taken = [[False] * n_cols for _ in range(n_rows)]
    for r, row in enumerate(spec.rows):
        col = 0
        for cell in row:
            while taken[r][col]:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[r + dr][col + dc] = True
            target: _Cell = table.cell(r, col)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, col + cell.colspan - 1))
            for extra in target.paragraphs[1:]:
                extra._p.getparent().remove(extra._p)
            header = r < spec.header_rows
            group = cell.colspan == n_cols
            for i, text in enumerate(cell.text.split("\n")):
                p = target.paragraphs[0] if i == 0 else target.add_paragraph()
                centre = header or col in (0, 4, 5) and not group
                w.fmt(p, WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT)
                w.run(p, text, w.body_size - 2, bold=header or group)
            col += cell.colspan


# ---------------------------------------------------------------------------------------------
# Public drafts


def _variant(variant: Variant | str | None) -> Variant:
    if variant is None:
        return Variant()
    if isinstance(variant, str):
        return Variant.parse(variant)
    return variant


def cong_van_draft(path: Path | str, variant: Variant | str | None = None) -> Truth:
    """A công văn (state: "V/v …" under the number; Party: "về việc …", Số …-CV/…)."""
    v = _variant(variant)
    return _write(Path(path), _cong_van(v, _org(v)), v)


def quyet_dinh_draft(path: Path | str, variant: Variant | str | None = None) -> Truth:
    """A quyết định: căn cứ lines, the enacting line, Điều 1 … Điều 4 with khoản and điểm."""
    v = _variant(variant)
    return _write(Path(path), _quyet_dinh(v, _org(v)), v)


def ke_hoach_draft(path: Path | str, variant: Variant | str | None = None) -> Truth:
    """A kế hoạch with sections I./1./a)/- and a table with horizontal and vertical merges."""
    v = _variant(variant)
    return _write(Path(path), _ke_hoach(v, _org(v)), v)


DRAFTS = {"cong-van": cong_van_draft, "quyet-dinh": quyet_dinh_draft, "ke-hoach": ke_hoach_draft}


# ---------------------------------------------------------------------------------------------
# .doc and .odt through LibreOffice


def convert_draft(
    docx: Path | str,
    fmt: Literal["doc", "odt", "pdf"],
    outdir: Path | str | None = None,
    timeout: float = 120,
) -> Path:
    """Save `docx` as .doc, .odt (or .pdf) with LibreOffice headless, in a private profile; the
    whole process group is killed on timeout, so no soffice is left running."""
    docx = Path(docx)
    outdir = Path(outdir) if outdir is not None else docx.parent
    outdir.mkdir(parents=True, exist_ok=True)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice (LibreOffice) is not installed")
    profile = Path(tempfile.mkdtemp(prefix="clerk-drafts-lo-", dir="/tmp"))
    target = outdir / f"{docx.stem}.{fmt}"
    target.unlink(missing_ok=True)
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        str(docx),
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise TimeoutError(f"LibreOffice took more than {timeout} s to convert {docx}") from None
    finally:
        _kill_group(proc)  # children (soffice.bin) of a finished launcher, if any linger
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0 or not target.exists():
        raise RuntimeError(f"LibreOffice could not convert {docx} to {fmt}: {err.decode()[-500:]}")
    return target


def doc_and_odt(docx: Path | str, outdir: Path | str | None = None) -> tuple[Path, Path]:
    """The draft saved as Word 97 .doc and as .odt, beside it or in `outdir`."""
    return convert_draft(docx, "doc", outdir), convert_draft(docx, "odt", outdir)


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill the process group this module started (its own session), then reap the launcher."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def paragraph_text(p: BaseOxmlElement) -> str:
    """A w:p element's own text (tabs as "\t"), without the text of text boxes anchored in it."""
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab")):
        if next(el.iterancestors(qn("w:p"))) is not p:
            continue
        parts.append(el.text or "" if el.tag == qn("w:t") else "\t")
    return "".join(parts)


def all_texts(docx: Path | str) -> Iterable[str]:
    """Every paragraph text of a .docx's body, tables and text boxes, in document order (NFC);
    a text box Word saved twice (wps and its VML fallback) is read once."""
    document = Document(str(docx))
    for p in document.element.body.iter(qn("w:p")):
        if any(a.tag == qn("mc:Fallback") for a in p.iterancestors()):
            continue
        yield unicodedata.normalize("NFC", paragraph_text(p))
