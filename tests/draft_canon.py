"""What a document prints, as comparable data: the canonical form two documents' data share when
they print the same (numbering styles, labels, `list:` or `item:`, `closing:` or a last body
paragraph, a signer's key or the signer written out all come to the same)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from mtcl_docs.blocks import Para, Table
from mtcl_docs.load.loader import Job
from mtcl_docs.names import fold
from mtcl_docs.render.context import (
    _subject,
    appendix_label,
    appendix_reference,
    attached_context,
    document_context,
)
from mtcl_docs.render.flow import (
    appendix_flow,
    attached_flow,
    authority_text,
    document_flow,
    recipient_lines,
    signer_lines,
)
from mtcl_docs.render.tables import TablePage


def _spans(para: Para) -> tuple:
    merged: list[list] = []
    for s in para.spans:
        look = (s.bold, s.italic, s.underline and not s.link, s.link)
        if merged and merged[-1][1] == look:
            merged[-1][0] += s.text
        else:
            merged.append([s.text, look])
    return tuple((" ".join(t.split()), look) for t, look in merged if t.strip() or look[3])


def _block(block: Para | Table) -> Any:
    if isinstance(block, Table):
        return (
            "table",
            tuple(round(c.width_mm * 2) / 2 for c in block.columns),
            tuple(c.align for c in block.columns),
            tuple(
                (r.header, round(r.min_height_mm or 0, 1),
                 tuple((c.col_span, c.row_span, tuple((_spans(p), p.align) for p in c.paras))
                       for c in r.cells))
                for r in block.rows
            ),
            block.size_pt, block.split_rows, block.v_align,
        )  # fmt: skip
    return ("p", block.role, _spans(block), block.align, block.page_break_before)


def _flow(blocks) -> list:
    return [
        _block(b)
        for b in blocks
        if not (isinstance(b, Para) and not b.text.strip() and not b.page_break_before)
    ]


def canon(job: Job) -> dict[str, Any]:
    """The printed facts of `job`, comparable between the shipped data and the imported."""
    page = TablePage(job.profile.room_mm(), job.profile, job.source, lambda _: None)
    ctx = document_context(job)
    lines, title = signer_lines(job.profile, job.signer)
    out: dict[str, Any] = {
        "org": job.org.id,
        "kind": job.kind.id,
        "title": job.kind.title,
        "profile": job.profile.name,
        "number_line": ctx.number_line,
        "date": job.doc.date,
        "subject": _subject(job),
        "kinh_gui": [n.strip().rstrip(";.") for n in job.doc.kinh_gui],
        "authority": authority_text(job) if "authority" in job.kind.parts else None,
        "flow": _flow(document_flow(job, page)),
        "recipients": recipient_lines(job),
        "signer": (fold(job.signer.name), [fold(x) for x in lines], fold(title))
        if not job.kind.signature.right_label
        else fold(job.signer.name),
        "cosigner": asdict(ctx.cosigner) if ctx.cosigner else None,
        # the units filed are printed only in Nơi nhận's Lưu line
        "filing_unit": list(job.doc.filing_unit) if recipient_lines(job) else None,
        "filing_copies": job.doc.filing_copies,
        "drafter": job.doc.drafter,
        "drafting_unit": job.doc.drafting_unit,
        "draft_mark": ctx.draft_mark,
    }
    if job.doc.attached is not None:
        a = attached_context(job, ctx)
        out["attached"] = (a.doc_type, a.subject, _flow(attached_flow(job, page)))
    appendices = []
    for i, appendix in enumerate(job.doc.appendices):
        room = TablePage(
            job.profile.room_mm(appendix.landscape), job.profile, job.source, lambda _: None
        )
        appendices.append({
            "label": appendix_label(job, i), "title": list(appendix.title),
            "reference": appendix_reference(job, appendix), "landscape": appendix.landscape,
            "header": appendix.header, "flow": _flow(appendix_flow(job, i, room)),
        })  # fmt: skip
    out["appendices"] = appendices
    return out


def _plain(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split()).rstrip(";,./").strip()


def data_facts(job: Job) -> dict[str, Any]:
    """The document's own fields, each normalised only for what printing cannot tell apart: the
    end punctuation the build adds, `proposal:` as the last căn cứ, a signer's key or the signer
    written out, capitals of a title printed in capitals."""
    doc, signer = job.doc, job.signer
    lines = [*doc.basis, *([doc.proposal] if doc.proposal else [])]
    printed = bool(recipient_lines(job))
    return {
        "org": doc.org,
        "type": job.kind.id,
        "number": doc.number,
        "date": doc.date,
        "drafting_unit": doc.drafting_unit,
        "kinh_gui": [_plain(n) for n in doc.kinh_gui],
        "basis": [_plain(b) for b in lines],
        "fields": {k: _plain(v) for k, v in doc.fields.items() if v.strip()},
        "recipients": [_plain(r) for r in doc.recipients],
        "filing_unit": [u for u in doc.filing_unit if u != "VT"] if printed else None,
        "filing_copies": doc.filing_copies if printed else None,
        "drafter": doc.drafter if printed else None,
        "signer": (
            fold(signer.name),
            None if job.kind.signature.right_label else fold(signer.title),
            None if job.kind.signature.right_label else signer.authority,
            fold(signer.on_behalf or ""),
        ),
        "appendices": [
            (a.orientation, a.header, [fold(t) for t in a.title]) for a in doc.appendices
        ],
        "attached": (doc.attached.type, _plain(doc.attached.subject)) if doc.attached else None,
    }
