"""What a template sees: the document's fields turned into the exact lines the profile asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from docxtpl import RichText

from mtcl_docs.load.loader import Job
from mtcl_docs.load.model import Appendix, Authority, Bullets, Heading, Organisation, Signer, Steps
from mtcl_docs.number.export import RegisterRow
from mtcl_docs.number.register import Entry
from mtcl_docs.number.symbol import number_line, number_symbol, number_text
from mtcl_docs.profiles import Profile
from mtcl_docs.render.markup import rich

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def date_words(day: dt.date) -> str:
    """`ngày 12 tháng 9 năm 2022`: zero before days 1–9 and months 1–2 (NĐ 30 PL I §II.4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _ended(lines: list[str], prefix: str, end: str, last_end: str) -> list[str]:
    clean = [line.rstrip(" ;,.") for line in lines]
    return [
        f"{prefix}{line}{last_end if i == len(clean) - 1 else end}" for i, line in enumerate(clean)
    ]


def basis_lines(profile: Profile, basis: list[str]) -> list[str]:
    b = profile.basis
    return _ended(basis, b.prefix, b.end, b.last_end)


def recipient_lines(profile: Profile, recipients: list[str], filing_unit: str) -> list[str]:
    """Nơi nhận entries, the last being the profile's archive line (`- Lưu: VT, …`)."""
    r = profile.recipients
    archive = r.archive.format(unit=filing_unit)
    return _ended([*recipients, archive], r.prefix, r.end, r.last_end)


@dataclass(frozen=True)
class SignatureBlock:
    authority: str
    title: str
    name: str


def signature(profile: Profile, signer: Signer) -> SignatureBlock:
    """`GIÁM ĐỐC` for a direct signer; `K/T GIÁM ĐỐC` over `PHÓ GIÁM ĐỐC` for a deputy."""
    if signer.authority is Authority.DIRECT:
        return SignatureBlock(signer.title.upper(), "", signer.name)
    prefix = profile.authority_prefix[signer.authority]
    if signer.authority is Authority.Q:
        return SignatureBlock(f"{prefix} {signer.title.upper()}", "", signer.name)
    return SignatureBlock(f"{prefix} {signer.on_behalf.upper()}", signer.title.upper(), signer.name)


def body_paragraphs(job: Job) -> list[RichText]:
    """Body blocks as paragraphs: headings numbered 1., 2., …; steps B1., B2., …"""
    out: list[RichText] = []
    heading_no = 0
    for block in job.doc.body:
        if isinstance(block, Heading):
            heading_no += 1
            para = rich(f"{heading_no}. {block.heading}", bold=True)
            if block.text:
                para.add(rich(" " + block.text))
            out.append(para)
        elif isinstance(block, Steps):
            out.extend(rich(f"{block.prefix}{i}. {s}") for i, s in enumerate(block.steps, 1))
        elif isinstance(block, Bullets):
            out.extend(rich(f"- {b}") for b in block.bullets)
        else:
            out.append(rich(block))
    out.extend(rich(t) for t in (job.doc.closing, job.doc.salutation) if t)
    return out


@dataclass(frozen=True)
class DocumentContext:
    """Variables of a main template (templates/van-ban.docx)."""

    superior: RichText | str
    issuer: RichText
    issuer_mark: str
    number_line: str
    draft_mark: str
    national: str
    motto: str
    date_top: str
    date_bottom: str
    doc_type: str
    subject: str
    subject_mark: str
    basis: list[str]
    body: list[RichText]
    recipients: list[str]
    authority: str
    signer_title: str
    signer_name: str
    sign_space: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRowContext:
    tt: str
    objective: str
    plan: str
    start: str
    end: str
    lead: str
    partners: str
    note: str


@dataclass(frozen=True)
class AppendixContext:
    """Variables of an appendix template (templates/phu-luc-*.docx)."""

    heading: str
    title: list[str]
    reference: str
    rows: list[PlanRowContext]


def variables(ctx) -> dict:
    """A context as the dict docxtpl wants (shallow: RichText values stay objects)."""
    return {f.name: getattr(ctx, f.name) for f in fields(ctx)}


def document_context(job: Job) -> DocumentContext:
    p, doc, org = job.profile, job.doc, job.org
    sig = signature(p, org.signers[doc.signer])
    date_line = f"{org.place}, {date_words(doc.date)}"
    return DocumentContext(
        superior=RichText(org.caps_superior) if org.caps_superior else "",
        issuer=RichText(org.caps_name),
        issuer_mark=p.issuer_mark or "",
        number_line=number_line(job),
        draft_mark=(doc.draft_mark or "") if doc.number is None else "",
        national=p.national[0],
        motto=p.national[1] if len(p.national) > 1 else "",
        date_top="" if p.date_beside_number else date_line,
        date_bottom=date_line if p.date_beside_number else "",
        doc_type=job.doc_type.name.upper(),
        subject=doc.subject,
        subject_mark=p.subject_mark or "",
        basis=basis_lines(p, doc.basis),
        body=body_paragraphs(job),
        recipients=recipient_lines(p, doc.recipients, doc.filing_unit),
        authority=sig.authority,
        signer_title=sig.title,
        signer_name=sig.name,
        sign_space=[""] * p.signature_space_lines,
    )


def appendix_context(job: Job, index: int, appendix: Appendix) -> AppendixContext:
    p, doc = job.profile, job.doc
    fmt = p.appendix
    if len(doc.appendices) == 1:
        heading = fmt.single
    else:
        n = ROMAN[index] if fmt.numerals == "roman" else str(index + 1)
        heading = fmt.numbered.format(n=n)
    reference = ""
    if fmt.reference:
        reference = fmt.reference.format(
            type_name=job.doc_type.name,
            number_symbol=number_symbol(job),
            date_words=date_words(doc.date),
            issuer=job.org.name,
        )
    rows = [
        PlanRowContext(
            tt=row.tt if row.tt is not None else str(i),
            **row.model_dump(exclude={"tt"}),
        )
        for i, row in enumerate(appendix.rows, 1)
    ]
    return AppendixContext(heading, appendix.title, reference, rows)


@dataclass(frozen=True)
class RegisterBookContext:
    """Variables of the printed register (templates/so-dang-ky-van-ban-di.docx)."""

    superior: RichText | str
    issuer: RichText
    year: str
    from_date: str
    to_date: str
    from_number: str
    to_number: str
    book: str
    rows: list[RegisterRow]


def register_book_context(
    org: Organisation, entries: list[Entry], year: str, book: str
) -> RegisterBookContext:
    """The cover's ranges come from the entries themselves (Từ ngày … đến ngày …, Từ số … đến số …)."""
    rows = [RegisterRow.of(e) for e in entries]
    dates = sorted(e.doc_date for e in entries)
    numbers = sorted(e.number for e in entries)
    return RegisterBookContext(
        superior=RichText(org.caps_superior) if org.caps_superior else "",
        issuer=RichText(org.caps_name),
        year=year,
        from_date=dt.date.fromisoformat(dates[0]).strftime("%d/%m/%Y") if dates else "…",
        to_date=dt.date.fromisoformat(dates[-1]).strftime("%d/%m/%Y") if dates else "…",
        from_number=number_text(numbers[0], "…") if numbers else "…",
        to_number=number_text(numbers[-1], "…") if numbers else "…",
        book=book,
        rows=rows,
    )


@dataclass(frozen=True)
class PlanGroupContext:
    unit: str
    rows: list[PlanRowContext]


@dataclass(frozen=True)
class ConsolidatedPlanContext:
    """Variables of the institution-wide plan (templates/tong-hop-ke-hoach-mtcl.docx)."""

    title: list[str]
    reference: str
    groups: list[PlanGroupContext]


@dataclass(frozen=True)
class ResultRowContext:
    tt: str
    objective: str
    result: str
    percent: str
    evidence: str


@dataclass(frozen=True)
class UnitResultsContext:
    """Variables of a unit's results report (templates/bao-cao-ket-qua-mtcl.docx)."""

    title: list[str]
    rows: list[ResultRowContext]
    summary: list[str]


@dataclass(frozen=True)
class TallyRowContext:
    tt: str
    name: str
    total: str
    met: str
    partly: str
    missed: str
    rate: str


@dataclass(frozen=True)
class InstitutionResultsContext:
    """Variables of the institution's results report (templates/tong-hop-ket-qua-mtcl.docx)."""

    title: list[str]
    objectives: list[TallyRowContext]
    units: list[TallyRowContext]
    summary: list[str]


# Which variables each template may use (check-templates reads this); `phu-luc-*` are appendices.
TEMPLATE_CONTEXTS: dict[str, type] = {
    "van-ban": DocumentContext,
    "so-dang-ky-van-ban-di": RegisterBookContext,
    "tong-hop-ke-hoach-mtcl": ConsolidatedPlanContext,
    "bao-cao-ket-qua-mtcl": UnitResultsContext,
    "tong-hop-ket-qua-mtcl": InstitutionResultsContext,
}
APPENDIX_PREFIX = "phu-luc-"
