"""The numbering stage: each document gets its number from the register, or stays a draft."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from mtcl_docs.errors import DocumentError
from mtcl_docs.load.loader import Job
from mtcl_docs.number.register import EntryFields, Register, RegisterError
from mtcl_docs.number.series import series_key
from mtcl_docs.number.symbol import number_symbol


def with_number(job: Job, number: int, day: dt.date) -> Job:
    return dataclasses.replace(job, doc=job.doc.model_copy(update={"number": number, "date": day}))


def content_hash(job: Job) -> str:
    """SHA-256 of what is issued: the document's data and the profile it is formatted by."""
    payload = job.doc.model_dump_json(exclude_defaults=True) + "\n" + job.profile.name
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
            register.record_given(series_key(job, doc.date), doc.number, entry_fields(job))
            return job
        issued = register.current(job.org.id, doc.id)
    except RegisterError as exc:
        raise _failed(job, exc) from exc
    if issued is None:
        return job
    return with_number(job, issued.number, dt.date.fromisoformat(issued.doc_date))


def issue_job(job: Job, register: Register, day: dt.date) -> Job:
    """Give a draft the next number of its series, dated `day` (NĐ 30 Điều 15.2: after signing)."""
    if job.doc.number is not None:
        raise DocumentError.single(
            job.source, "văn bản đã có số ghi trong dữ liệu; không cấp số mới", field="number"
        )
    try:
        key = series_key(job, day)
        entry = register.allocate(key, job.doc.id, lambda n: entry_fields(with_number(job, n, day)))
    except RegisterError as exc:
        raise _failed(job, exc) from exc
    return with_number(job, entry.number, day)
