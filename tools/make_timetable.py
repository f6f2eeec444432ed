"""Write the example exam timetable (data/notices/lich-thi-hk1.xlsx) that the công văn
`cong-van-232-lich-thi.yaml` prints as its appendix: example data, made up, always the same.

    .venv/bin/python tools/make_timetable.py                  # 400 rows, into data/notices/
    .venv/bin/python tools/make_timetable.py 200 /tmp/t.xlsx  # another size, elsewhere

A sheet as a training office keeps it: two header rows (HỌC PHẦN over its code, name and credits;
THỜI GIAN, ĐỊA ĐIỂM over date, time and room), then one row per class of a course; a course's
code, name, credits, date, time, form and length are merged down over its classes. Dates are real
Excel dates shown `dd/mm/yyyy`, times `hh:mm`. The same rows come out on every run, and the file's
bytes too (fixed timestamps), so running it again leaves git with nothing to commit.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "data" / "notices" / "lich-thi-hk1.xlsx"
ROWS = 400
SEED = 20251201
FIRST_DAY = dt.date(2025, 12, 15)  # a Monday
SLOTS = (dt.time(7, 30), dt.time(9, 45), dt.time(13, 30), dt.time(15, 45))
COURSES_PER_SLOT = 2
FIXED = dt.datetime(2025, 12, 1, 8, 0)  # the file's own dates (core properties, zip entries)

SUBJECTS = (
    ("BC", "Báo chí"), ("PT", "Phát thanh"), ("TH", "Truyền hình"), ("QC", "Quảng cáo"),
    ("QH", "Quan hệ công chúng"), ("XB", "Xuất bản"), ("NN", "Ngoại ngữ"), ("LL", "Lý luận"),
)  # fmt: skip
COURSES = (
    "Cơ sở lý luận báo chí", "Lịch sử báo chí Việt Nam", "Pháp luật về báo chí",
    "Đạo đức nghề báo", "Tác phẩm báo chí", "Kỹ năng phỏng vấn", "Biên tập báo in",
    "Báo chí điều tra", "Báo chí dữ liệu", "Nhiếp ảnh báo chí", "Thiết kế ấn phẩm",
    "Kỹ năng viết tin", "Phóng sự truyền hình", "Dẫn chương trình", "Sản xuất tin phát thanh",
    "Âm thanh phát thanh", "Kỹ thuật quay phim", "Dựng hình cơ bản", "Kịch bản truyền hình",
    "Truyền thông đa phương tiện", "Quản trị truyền thông", "Truyền thông chính sách",
    "Tổ chức sự kiện", "Quản lý khủng hoảng", "Nghiên cứu công chúng", "Quảng cáo số",
    "Sáng tạo quảng cáo", "Marketing căn bản", "Kinh tế xuất bản", "Biên tập sách",
    "Phát hành xuất bản phẩm", "Tiếng Anh 1", "Tiếng Anh 2", "Tiếng Anh chuyên ngành",
    "Triết học Mác - Lênin", "Kinh tế chính trị", "Chủ nghĩa xã hội khoa học",
    "Tư tưởng Hồ Chí Minh", "Lịch sử Đảng", "Xã hội học đại cương", "Tâm lý học đại cương",
    "Logic học", "Thống kê xã hội", "Phương pháp nghiên cứu", "Ngôn ngữ báo chí",
)  # fmt: skip
FORMS = (("Tự luận", 90), ("Trắc nghiệm", 60), ("Vấn đáp", 30), ("Thực hành", 120))
BUILDINGS = ("A1", "A2", "B1", "B2", "C")
ROOMS = tuple(f"{b}-{f}{r:02d}" for b in BUILDINGS for f in (1, 2, 3, 4) for r in (1, 2, 3, 4, 5))
NOTES = ("", "", "", "", "", "Thi trên máy tính", "Mang thẻ sinh viên", "Không dùng tài liệu")

HEADER = [
    ["STT", "HỌC PHẦN", "", "", "LỚP HỌC PHẦN", "SỐ SV", "THỜI GIAN, ĐỊA ĐIỂM", "", "",
     "HÌNH THỨC THI", "THỜI LƯỢNG (phút)", "GHI CHÚ"],
    ["", "Mã học phần", "Tên học phần", "Số TC", "", "", "Ngày thi", "Giờ thi", "Phòng thi",
     "", "", ""],
]  # fmt: skip
HEADER_MERGES = ("A1:A2", "B1:D1", "E1:E2", "F1:F2", "G1:I1", "J1:J2", "K1:K2", "L1:L2")
COURSE_COLUMNS = (2, 3, 4, 7, 8, 10, 11)  # merged down over a course's classes


def exam_days():
    day = FIRST_DAY
    while True:
        if day.weekday() != 6:  # no exams on Sunday
            yield day
        day += dt.timedelta(days=1)


def courses(rows: int, rng: random.Random):
    """(code, name, credits, classes, day, time, form, minutes) until `rows` classes in all."""
    days, left, n = exam_days(), rows, 0
    day = next(days)
    while left > 0:
        slot = n // COURSES_PER_SLOT % len(SLOTS)
        if n and slot == 0 and n % COURSES_PER_SLOT == 0:
            day = next(days)
        prefix, _ = SUBJECTS[n % len(SUBJECTS)]
        name = COURSES[n % len(COURSES)] + (
            f" {n // len(COURSES) + 1}" if n >= len(COURSES) else ""
        )
        classes = min(left, rng.randint(3, 7))
        form, minutes = FORMS[rng.randrange(len(FORMS))]
        code = f"{prefix}{rng.randint(10, 49):02d}{n % 100:02d}{rng.randint(1, 3)}"
        yield code, name, rng.choice((2, 2, 3, 3, 4)), classes, day, SLOTS[slot], form, minutes
        left -= classes
        n += 1


def workbook(rows: int = ROWS) -> Workbook:
    rng = random.Random(SEED)
    book = Workbook()
    sheet = book.active
    sheet.title = "Lịch thi"
    for line in HEADER:
        sheet.append(line)
    for area in HEADER_MERGES:
        sheet.merge_cells(area)
    for row in sheet.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    at, number = 3, 0
    taken: dict[tuple[dt.date, dt.time], set[str]] = {}  # rooms in use at a date and time
    for code, name, credits, classes, day, time, form, minutes in courses(rows, rng):
        used = taken.setdefault((day, time), set())
        rooms = rng.sample(sorted(set(ROOMS) - used), classes)
        used.update(rooms)
        for k in range(classes):
            number += 1
            sheet.append([number, code, name, credits, f"{code}-{k + 1:02d}", rng.randint(35, 80),
                          dt.datetime.combine(day, dt.time()), time, rooms[k], form, minutes,
                          rng.choice(NOTES)])  # fmt: skip
            sheet.cell(at + k, 7).number_format = "dd/mm/yyyy"
            sheet.cell(at + k, 8).number_format = "hh:mm"
        if classes > 1:
            for column in COURSE_COLUMNS:
                sheet.merge_cells(start_row=at, end_row=at + classes - 1,
                                  start_column=column, end_column=column)  # fmt: skip
        at += classes
    for letter, width in zip(
        "ABCDEFGHIJKL", (5, 11, 30, 6, 14, 6, 11, 8, 9, 12, 10, 20), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    book.properties.creator = "tools/make_timetable.py"
    return book


def reproducible(book: Workbook) -> bytes:
    """The workbook's bytes with fixed dates inside (openpyxl stamps the time of saving)."""
    raw = io.BytesIO()
    book.save(raw)
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp.encode(), data)
            entry = zipfile.ZipInfo(item.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def main(argv: list[str]) -> int:
    rows = int(argv[1]) if len(argv) > 1 else ROWS
    target = Path(argv[2]) if len(argv) > 2 else OUT
    target.write_bytes(reproducible(workbook(rows)))
    print(f"{target}: {rows} hàng")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
