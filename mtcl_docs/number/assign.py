"""The numbering stage: each document gets its number from the register, or stays a draft."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.load.loader import Job
from mtcl_docs.number.register import Entry, EntryFields, Register, RegisterError
from mtcl_docs.number.series import series_key
from mtcl_docs.number.symbol import number_symbol


def with_number(job: Job, number: int, day: dt.date) -> Job:
    return dataclasses.replace(job, doc=job.doc.model_copy(update={"number": number, "date": day}))


def issued_data(job: Job) -> str:
    """The document's data as the register keeps it with each issued version (JSON)."""
    return job.doc.model_dump_json(exclude_defaults=True)


def content_hash(job: Job) -> str:
    """SHA-256 of what is issued: the document's data and the profile it is formatted by."""
    payload = issued_data(job) + "\n" + job.profile.name
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# The register's columns a rebuild must not change, as the register book names them.
_COLUMNS = {
    "symbol": "số, ký hiệu",
    "doc_date": "ngày",
    "type_subject": "tên loại và trích yếu",
    "signer": "người ký",
    "recipients": "nơi nhận",
    "filing": "đơn vị lưu",
    "copies": "số lượng bản",
}


def changes(job: Job, entry: Entry, register: Register) -> list[str]:
    """What differs between the document as now written and as issued: the data's fields
    (top-level YAML keys) and the register's columns; empty when nothing does."""
    now = entry_fields(job)
    found = [
        f"{label}" for name, label in _COLUMNS.items() if getattr(now, name) != getattr(entry, name)
    ]
    if now.content_hash != entry.content_hash:
        before = register.issued_data(entry.id)
        if before is None:
            found.append("nội dung")
        else:
            after = json.loads(issued_data(job))
            keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
            found.extend(keys or ["thể thức (profile)"])
    return list(dict.fromkeys(found))


def frozen_message(job: Job, entry: Entry, changed: list[str]) -> str:
    return (
        f"văn bản '{job.doc.id}' đã ban hành với số {entry.symbol} ngày "
        f"{dt.date.fromisoformat(entry.doc_date):%d/%m/%Y}; dữ liệu đã khác bản đã ban hành ở: "
        f"{', '.join(changed)}. Văn bản đã ban hành không được sửa lặng lẽ: theo Nghị định "
        "30/2020/NĐ-CP, sai sót về thể thức, kỹ thuật trình bày thì đính chính bằng văn bản (Điều "
        "10), thay đổi nội dung thì ban hành văn bản mới sửa đổi hoặc thay thế. Chưa dựng lại văn "
        "bản theo dữ liệu mới (bản đã ban hành giữ nguyên). Nếu vẫn cần dựng lại bản này, ghi lý "
        f'do: mtcl-docs register amend {job.doc.id} --ly-do "…"; hoặc hủy số: mtcl-docs register cancel '
        f'{job.doc.id} --reason "…" rồi cấp số mới'
    )


class FrozenError(DocumentError):
    """An issued document whose data changed; `issued` is the document as issued, when the
    register's copy of its data can stand for it (so its files and archive entry stay)."""

    def __init__(self, problems: list[Problem], issued: Job | None):
        super().__init__(problems)
        self.issued = issued


def _issued_version(job: Job, entry: Entry, register: Register) -> Job | None:
    before = register.issued_data(entry.id)
    if before is None:
        return None
    try:
        doc = type(job.doc).model_validate_json(json.dumps(before, ensure_ascii=False))
    except ValueError:
        return None
    if doc == job.doc:  # only what comes from the organisation changed: no issued version to use
        return None
    return dataclasses.replace(job, doc=doc)


def _check_frozen(job: Job, entry: Entry, register: Register) -> None:
    if not entry.built:  # the build that took the number has not finished: it follows its data
        return
    changed = changes(job, entry, register)
    if changed:
        raise FrozenError(
            [Problem(job.source, frozen_message(job, entry, changed), field="number")],
            _issued_version(job, entry, register),
        )


def entry_fields(job: Job) -> EntryFields:
    doc, org = job.doc, job.org
    signer = job.signer
    unit = org.unit(doc.filing_unit[0])
    return EntryFields(
        org=org.id,
        doc_id=doc.id,
        source=str(job.source),
        doc_type=job.kind.code or "",
        symbol=number_symbol(job),
        doc_date=doc.date.isoformat(),
        type_subject=f"{job.kind.name} {job.summary}",
        signer=f"{signer.name} ({signer.title})",
        recipients="; ".join(doc.recipients),
        filing=unit.name if unit else ", ".join(doc.filing_unit),
        copies=doc.copies,
        content_hash=content_hash(job),
    )


def _failed(job: Job, exc: RegisterError) -> DocumentError:
    return DocumentError.single(job.source, str(exc), field="number")


def number_job(job: Job, register: Register) -> Job:
    """A number given in the data is recorded; one issued before is reused; else a draft."""
    doc = job.doc
    try:
        if doc.number is not None:
            entry = register.record_given(series_key(job, doc.date), doc.number, entry_fields(job))
            _check_frozen(job, entry, register)
            return job
        issued = register.current(job.org.id, doc.id)
    except RegisterError as exc:
        raise _failed(job, exc) from exc
    if issued is None:
        return job
    job = with_number(job, issued.number, dt.date.fromisoformat(issued.doc_date))
    _check_frozen(job, issued, register)
    return job


def issued_job(job: Job, entry: Entry) -> Job:
    """The document as it stands under its register entry (number and date)."""
    if job.doc.number is not None:
        return job
    return with_number(job, entry.number, dt.date.fromisoformat(entry.doc_date))


def amend_job(job: Job, register: Register, reason: str) -> tuple[Entry, list[str]]:
    """Record the document as now written as a new version of the issued one, with why."""
    entry = register.current(job.org.id, job.doc.id)
    if entry is None or not entry.built:
        raise RegisterError(
            f"văn bản '{job.doc.id}' chưa được cấp số (còn là dự thảo): cứ sửa và dựng lại"
        )
    job = issued_job(job, entry)
    changed = changes(job, entry, register)
    if not changed:
        raise RegisterError(
            f"văn bản '{job.doc.id}' không khác bản đã ban hành ({entry.symbol}); không ghi gì"
        )
    return register.amend(entry.id, entry_fields(job), issued_data(job), changed, reason), changed


def issue_job(job: Job, register: Register, day: dt.date, force_reason: str | None = None) -> Job:
    """Give a draft the next number of its series, dated `day` (NĐ 30 Điều 15.2: after signing);
    a day before the previous number's or after today only with `force_reason`."""
    if job.doc.number is not None:
        raise DocumentError.single(
            job.source, "văn bản đã có số ghi trong dữ liệu; không cấp số mới", field="number"
        )
    try:
        key = series_key(job, day)
        entry = register.allocate(
            key, job.doc.id, lambda n: entry_fields(with_number(job, n, day)),
            day=day, force_reason=force_reason,
        )  # fmt: skip
    except RegisterError as exc:
        raise _failed(job, exc) from exc
    return with_number(job, entry.number, day)
