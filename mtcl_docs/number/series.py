"""Which counter a document's number comes from: its organisation, period and (maybe) type."""

from __future__ import annotations

import datetime as dt

from mtcl_docs.load.loader import Job
from mtcl_docs.number.register import RegisterError, SeriesKey


def series_key(job: Job, day: dt.date) -> SeriesKey:
    """NĐ 30: one series per body per calendar year; HD 36: per type per committee term."""
    org, defaults = job.org, job.profile.numbering
    scope = org.numbering.scope or defaults.scope
    per_type = defaults.per_type if org.numbering.per_type is None else org.numbering.per_type
    if scope == "year":
        period = f"year:{day.year}"
    else:
        started = [t for t in org.numbering.terms if t <= day]
        if not started:
            raise RegisterError(
                f"chưa khai báo nhiệm kỳ cấp ủy bắt đầu trước ngày {day:%d/%m/%Y} "
                f"(numbering: terms: trong tệp cơ quan {org.id})"
            )
        period = f"term:{max(started).isoformat()}"
    return SeriesKey(org.id, period, (job.kind.code or job.kind.id) if per_type else "")
