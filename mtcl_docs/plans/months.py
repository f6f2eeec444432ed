"""Months as units type them: `9/2022`, `09/2022`, `T9/2022`, `tháng 9/2022`, `9-2022`, `09.2022`."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple


class Month(NamedTuple):
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @classmethod
    def of(cls, day: dt.date | dt.datetime) -> Month:
        return cls(day.year, day.month)


_MONTH = re.compile(
    r"^(?:tháng|th\.?|t)?\s*(\d{1,2})\s*(?:[/\-.]|\s+năm\s+|\s+)\s*(\d{4})$", re.IGNORECASE
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-\d{1,2})?$")
_RANGE = re.compile(
    r"^(.+?)\s*(?:-|–|—|đến)\s*((?:tháng|th\.?|t)?\s*\d{1,2}\s*[/.]\s*\d{4})$", re.IGNORECASE
)


def parse_month(value: object) -> Month | None:
    """The month a cell means, or None. Excel dates (a typed `9/2022` often becomes one) count."""
    if isinstance(value, dt.datetime | dt.date):
        return Month.of(value)
    if not isinstance(value, str):
        return None
    text = " ".join(unicodedata.normalize("NFC", value).split())
    match = _MONTH.match(text) or None
    if match:
        month, year = int(match.group(1)), int(match.group(2))
    elif iso := _ISO.match(text):
        year, month = int(iso.group(1)), int(iso.group(2))
    else:
        return None
    return Month(year, month) if 1 <= month <= 12 else None


def parse_range(text: str) -> tuple[Month, Month] | None:
    """`9/2022 - 12/2022` typed into one merged cell: both months, or None."""
    match = _RANGE.match(" ".join(text.split()))
    if not match:
        return None
    start, end = parse_month(match.group(1)), parse_month(match.group(2))
    return (start, end) if start and end else None
