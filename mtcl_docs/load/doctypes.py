"""Document types (tên loại) and their default codes (NĐ 30 Phụ lục III; HD 36/HD 05)."""

from __future__ import annotations

from typing import NamedTuple


class DocType(NamedTuple):
    name: str  # as written in running text: "Thông báo"
    code: str  # ký hiệu: "TB"


DOC_TYPES: dict[str, DocType] = {
    "thong-bao": DocType("Thông báo", "TB"),
    "ke-hoach": DocType("Kế hoạch", "KH"),
    "quyet-dinh": DocType("Quyết định", "QĐ"),
    "quy-dinh": DocType("Quy định", "QĐ"),
    "bao-cao": DocType("Báo cáo", "BC"),
    "huong-dan": DocType("Hướng dẫn", "HD"),
    "chuong-trinh": DocType("Chương trình", "CTr"),
    "to-trinh": DocType("Tờ trình", "TTr"),
    "chi-thi": DocType("Chỉ thị", "CT"),
}
