"""What a template sees: the document's fields turned into the exact lines the profile asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace

from docxtpl import RichText

from mtcl_docs.load.loader import Job
from mtcl_docs.load.model import Appendix, Organisation
from mtcl_docs.number.register import Entry
from mtcl_docs.number.symbol import number_line, number_symbol, number_text
from mtcl_docs.numerals import roman
from mtcl_docs.render.flow import fill, recipient_lines, signer_lines


def date_words(day: dt.date) -> str:
    """`ngày 12 tháng 9 năm 2022`: zero before days 1–9 and months 1–2 (NĐ 30 PL I §II.4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


FLOW_MARK = "⟦nội dung⟧"  # where the body's paragraphs go (see oxml/flow.py)


@dataclass(frozen=True)
class SignerContext:
    """One signing side: its authority lines (bold caps), title, and name."""

    authority: list[str]
    title: str
    name: str


@dataclass(frozen=True)
class DocumentContext:
    """Variables of a main template (templates/van-ban.docx, van-ban-kem-theo.docx)."""

    superior: RichText | str
    issuer: RichText
    issuer_mark: str
    number_line: str
    draft_mark: str
    subject_header: str
    national: str
    motto: str
    date_top: str
    date_bottom: str
    doc_type: str
    subject: str
    subject_mark: str
    reference: str
    flow: str
    recipients: list[str]
    signer: SignerContext | None
    cosigner: SignerContext | None
    after_signature: list[str]
    sign_space: list[str] = field(default_factory=list)


def variables(ctx) -> dict:
    """A context as the dict docxtpl wants (shallow: RichText values stay objects)."""
    return {f.name: getattr(ctx, f.name) for f in fields(ctx)}


def _subject(job: Job) -> str:
    """The trích yếu with the kind's opening (`V/v `, `về việc `) in place of the clerk's own."""
    text, prefix = job.doc.subject or "", job.kind.subject.prefix
    if not (prefix or job.kind.subject.drop_openings):
        return text
    for opening in ("V/v:", "V/v", "v/v", "Về việc", "về việc"):
        if text.startswith(opening):
            text = text[len(opening) :].lstrip(" :")
            break
    return prefix + text


def _signer(job: Job) -> SignerContext:
    lines, title = signer_lines(job.profile, job.signer)
    label = job.kind.signature.right_label
    return (
        SignerContext([label], "", job.signer.name)
        if label
        else SignerContext(lines, title, job.signer.name)
    )


def _cosigner(job: Job) -> SignerContext | None:
    left = job.kind.signature.left
    return SignerContext([left.label], "", fill(left.name, job)) if left else None


def document_context(job: Job) -> DocumentContext:
    p, doc, org, kind = job.profile, job.doc, job.org, job.kind
    date_line = f"{org.place}, {date_words(doc.date)}" if kind.date_line else ""
    subject = _subject(job)
    return DocumentContext(
        superior=RichText(org.caps_superior) if org.caps_superior else "",
        issuer=RichText(org.caps_name),
        issuer_mark=p.issuer_mark or "",
        number_line=number_line(job),
        draft_mark=(doc.draft_mark or "") if doc.number is None else "",
        subject_header=subject if kind.subject.place == "header" else "",
        national=p.national[0],
        motto=p.national[1] if len(p.national) > 1 else "",
        date_top="" if p.date_beside_number else date_line,
        date_bottom=date_line if p.date_beside_number else "",
        doc_type=kind.title or "",
        subject=subject if kind.subject.place == "title" else "",
        subject_mark=(p.subject_mark or "") if kind.title else "",
        reference="",
        flow=FLOW_MARK,
        recipients=recipient_lines(job),
        signer=_signer(job),
        cosigner=_cosigner(job),
        after_signature=list(kind.after_signature),
        sign_space=[""] * p.signature_space_lines,
    )


def attached_context(job: Job, main: DocumentContext) -> DocumentContext:
    """The text issued with a decision (`main` is the decision's own context): the header without
    number or date, its own title and trích yếu, the `(Kèm theo Quyết định …)` line; no
    signature, no Nơi nhận."""
    kind, attached = job.attached_kind, job.doc.attached
    reference = reference_line(job, job.profile.appendix.reference or "")
    return replace(
        main, number_line="", draft_mark="", subject_header="", date_top="", date_bottom="",
        doc_type=kind.title or "", subject=attached.subject,
        subject_mark=job.profile.subject_mark or "", reference=reference, recipients=[],
        signer=None, cosigner=None, after_signature=[],
    )  # fmt: skip


def _reference_values(job: Job) -> dict[str, str]:
    return {
        "type_name": _type_name(job), "number_symbol": number_symbol(job),
        "date_words": date_words(job.doc.date), "issuer": job.org.name,
    }  # fmt: skip


def _type_name(job: Job) -> str:
    """The kind's name as the printed title qualifies it: `Chương trình hành động` for a
    `CHƯƠNG TRÌNH HÀNH ĐỘNG`, else the name (`Quyết định`)."""
    name, title = job.kind.name, job.kind.title or ""
    if len(title) > len(name) and title.startswith(name.upper() + " "):
        return name + title[len(name) :].lower()
    return name


def reference_line(job: Job, pattern: str) -> str:
    """`(Kèm theo Quyết định số …/QĐ-… ngày … của …)` under an appendix or attached text."""
    return pattern.format(**_reference_values(job))


APPENDIX_TEMPLATE = "phu-luc"  # templates/phu-luc.docx: every document appendix


@dataclass(frozen=True)
class DocumentAppendixContext:
    """Variables of the appendix template (templates/phu-luc.docx): an optional header block of
    its own, the label, title lines, the (Kèm theo …) line, and where its content goes."""

    header: bool
    superior: RichText | str
    issuer: RichText
    issuer_mark: str
    national: str
    motto: str
    heading: str
    title: list[str]
    reference: str
    flow: str


def appendix_label(job: Job, index: int) -> str:
    """`Phụ lục II`, `PHỤ LỤC 2`: the profile's label, counted over the appendices that use it
    (`Phụ lục` alone when one does); the clerk's own label as written; "" for none."""
    appendix = job.doc.appendices[index]
    if appendix.label is not None:
        return appendix.label
    fmt = job.profile.appendix
    counted = [i for i, a in enumerate(job.doc.appendices) if a.label is None]
    if len(counted) == 1:
        return fmt.single
    n = counted.index(index) + 1
    return fmt.numbered.format(n=roman(n) if fmt.numerals == "roman" else str(n))


def appendix_reference(job: Job, appendix: Appendix) -> str:
    """The profile's (Kèm theo …) line, the clerk's own text (its `{number_symbol}`,
    `{date_words}`, `{type_name}`, `{issuer}` filled in), or "" for none."""
    if appendix.reference is None:
        return reference_line(job, job.profile.appendix.reference or "")
    text = appendix.reference
    for key, value in _reference_values(job).items():
        text = text.replace("{" + key + "}", value)
    return text


def appendix_context(job: Job, index: int, appendix: Appendix) -> DocumentAppendixContext:
    p, org = job.profile, job.org
    return DocumentAppendixContext(
        header=appendix.header,
        superior=RichText(org.caps_superior) if org.caps_superior else "",
        issuer=RichText(org.caps_name),
        issuer_mark=p.issuer_mark or "",
        national=p.national[0],
        motto=p.national[1] if len(p.national) > 1 else "",
        heading=appendix_label(job, index),
        title=list(appendix.title),
        reference=appendix_reference(job, appendix),
        flow=FLOW_MARK,
    )


@dataclass(frozen=True)
class RegisterBookContext:
    """Variables of the printed register's cover (templates/so-dang-ky-van-ban-di.docx): one book
    per series of numbers; its table goes where `{{ flow }}` stands."""

    superior: RichText | str
    issuer: RichText
    series: str  # `Loại văn bản: Thông báo (TB)` when the book holds one type's numbers
    period: list[str]  # `Năm: 2026`, or a committee's term (and the year chosen)
    from_date: str
    to_date: str
    from_number: str
    to_number: str
    tally: str  # how many numbers the book holds, and which of them were cancelled
    book: str
    flow: str


def register_book_context(
    org: Organisation, entries: list[Entry], book: str, kind: str = "", year: int | None = None
) -> RegisterBookContext:
    """The cover of one series' book (`entries` all of one series); its ranges and counts come
    from the entries themselves; `kind` names the type when the book holds one type's numbers."""
    dates = sorted(e.doc_date for e in entries)
    numbers = sorted(e.number for e in entries)
    cancelled = [number_text(e.number, "") for e in entries if e.status == "cancelled"]
    tally = f"Tổng số: {len(entries)} số đã cấp"
    if cancelled:
        tally += f", trong đó {len(cancelled)} số đã hủy (số {', '.join(cancelled)})"
    return RegisterBookContext(
        superior=RichText(org.caps_superior) if org.caps_superior else "",
        issuer=RichText(org.caps_name),
        series=f"Loại văn bản: {kind}" if kind else "",
        period=period_lines(entries[0].scope if entries else "", org.numbering.terms, year),
        from_date=dt.date.fromisoformat(dates[0]).strftime("%d/%m/%Y") if dates else "…",
        to_date=dt.date.fromisoformat(dates[-1]).strftime("%d/%m/%Y") if dates else "…",
        from_number=number_text(numbers[0], "…") if numbers else "…",
        to_number=number_text(numbers[-1], "…") if numbers else "…",
        tally=tally,
        book=book,
        flow=FLOW_MARK,
    )


def period_lines(scope: str, terms: list[dt.date], year: int | None = None) -> list[str]:
    """`Năm: 2026` for a series of a year (`year:2026`); for a committee's term (`term:2020-06-01`)
    `Nhiệm kỳ: từ ngày 01/06/2020 đến ngày 31/05/2025` (open while no later term is declared),
    then `Năm: …` when the book holds one year of it."""
    how, _, value = scope.partition(":")
    if how != "term":
        return [f"Năm: {value or year or '…'}"]
    start = dt.date.fromisoformat(value)
    later = sorted(t for t in terms if t > start)
    line = f"Nhiệm kỳ: từ ngày {start:%d/%m/%Y}"
    if later:
        line += f" đến ngày {later[0] - dt.timedelta(days=1):%d/%m/%Y}"
    return [line, f"Năm: {year}"] if year else [line]


@dataclass(frozen=True)
class PlanFormContext:
    """Variables of a unit's MTCL plan form (templates/ke-hoach-mtcl-don-vi.docx): the header
    (the academy over the unit), title lines, reference line, where the table goes, and the
    approval block (date line left to fill, the unit head's title, room to sign, a name line)."""

    superior: RichText | str
    issuer: RichText
    issuer_mark: str
    title: list[str]
    reference: str
    flow: str
    date_line: str
    head_title: str
    sign_note: str
    sign_space: list[str]
    name_line: str


@dataclass(frozen=True)
class ConsolidatedPlanContext:
    """Variables of the institution-wide plan (templates/tong-hop-ke-hoach-mtcl.docx); each unit's
    heading and table go where `flow` stands."""

    title: list[str]
    reference: str
    flow: str


@dataclass(frozen=True)
class UnitResultsContext:
    """Variables of a unit's results report (templates/bao-cao-ket-qua-mtcl.docx)."""

    title: list[str]
    flow: str
    summary: list[str]


@dataclass(frozen=True)
class InstitutionResultsContext:
    """Variables of the institution's results report (templates/tong-hop-ket-qua-mtcl.docx): its
    two tables, each under its heading, go where `flow` stands."""

    title: list[str]
    flow: str
    summary: list[str]


# Which variables each template may use (check-templates reads this).
TEMPLATE_CONTEXTS: dict[str, type] = {
    "van-ban": DocumentContext,
    "van-ban-kem-theo": DocumentContext,
    APPENDIX_TEMPLATE: DocumentAppendixContext,
    "so-dang-ky-van-ban-di": RegisterBookContext,
    "ke-hoach-mtcl-don-vi": PlanFormContext,
    "tong-hop-ke-hoach-mtcl": ConsolidatedPlanContext,
    "bao-cao-ket-qua-mtcl": UnitResultsContext,
    "tong-hop-ket-qua-mtcl": InstitutionResultsContext,
}
