"""The flow between a document's title block and its signature, part by part as its kind's table
orders them: Kính gửi, authority line, căn cứ, enacting line, the form's fields, the body, closing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from mtcl_docs.blocks import Block, Para, Span, Table
from mtcl_docs.errors import DocumentError
from mtcl_docs.kinds import Kind
from mtcl_docs.kinds.kind import Line
from mtcl_docs.load.loader import Job
from mtcl_docs.load.model import Authority, Signer
from mtcl_docs.load.table_model import TableSpec
from mtcl_docs.profiles import Profile
from mtcl_docs.render.markup import spans
from mtcl_docs.render.numbering import count_top, number_body
from mtcl_docs.render.spreadsheet import read_rows
from mtcl_docs.render.tables import TableError, TablePage, table_block
from mtcl_docs.render.textwidth import PT_PER_MM, text_width_pt

DASHES = ("- ", "– ", "+ ")
HANGING_FROM_MM = 35.0  # NĐ 30 Mẫu 1.5: "Kính gửi:" at 1,982 twips (3.5 cm)
BELOW_INDENT_MM = 55.0  # NĐ 30 Mẫu 1.6: the receiving bodies start about 5.5 cm in


def ended(lines: Sequence[str], prefix: str, end: str, last_end: str) -> list[str]:
    """Lines with the list's prefix and endings, adding only what the clerk has not typed."""
    out = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        while line.startswith(DASHES):
            line = line[2:].lstrip()
        if not line.endswith((";", ",", ".", ":", "!", "?")):
            line += last_end if i == len(lines) - 1 else end
        out.append(prefix + line)
    return out


def authority_text(job: Job) -> str:
    """THẨM QUYỀN BAN HÀNH: the head's title and the body's name, or the collective (TM.)."""
    if job.doc.authority_line:
        return job.doc.authority_line.upper()
    signer = job.signer
    if signer.authority is Authority.TM:
        return (signer.on_behalf or "").upper()
    head = signer.title if signer.authority in (Authority.DIRECT, Authority.Q) else signer.on_behalf
    return f"{head} {job.org.name}".upper()


def fill(text: str, job: Job) -> str:
    """A table's line with the document's fields and the issuing body put in."""
    values = {"issuer": job.org.name, "issuer_caps": job.org.name.upper(), **job.doc.fields}
    return text.format_map(values)


def _lines(lines: Sequence[Line], job: Job) -> list[Para]:
    """The form's fixed lines; a line whose optional field is not given is left out."""
    out = []
    for line in lines:
        if not all(job.doc.fields.get(k, "").strip() for k in line.needs()):
            continue
        text = fill(line.text, job)
        role = "body_center" if line.align == "center" else "body"
        out.append(Para(role, tuple(spans(text))))
    return out


def _width_mm(text: str, profile: Profile, role: str) -> float:
    look = profile.roles[role]
    return text_width_pt(text, profile.font, look.size, look.bold, look.italic) / PT_PER_MM


def addressees(job: Job) -> list[Para]:
    """`Kính gửi:` and its recipients: one on the label's line; several as `- …;` lines under the
    first (hanging), as a block centred on the page (Party), or under a centred label (công điện)."""
    names = job.doc.kinh_gui
    if not names:
        return []
    spec, p = job.kind.addressees, job.profile
    label = fill(spec.label, job)
    label_look = p.roles["addressee_label"]
    head = Span(label, label_look.bold, label_look.italic)
    if spec.layout == "below":
        lines = ended(names, "- ", ";", ".")
        return [Para("addressee", (head,), align="center", keep_next=True)] + [
            Para("addressee", (Span(line),), left_mm=BELOW_INDENT_MM, keep_next=True)
            for line in lines
        ]
    if len(names) == 1:
        name = names[0].strip().lstrip("-– ").rstrip(";,")
        return [Para("addressee", (head, Span(" " + name)), align="center", keep_next=True)]
    lines = ended(names, "- ", ";", ".")
    gap = _width_mm(label + " ", p, "addressee_label")
    if spec.layout == "centered":
        widest = max(_width_mm(line, p, "addressee") for line in lines)
        room = p.room_mm()
        left = max((room - gap - widest) / 2, 0) + gap
    else:
        left = HANGING_FROM_MM + gap
    first = Para("addressee", (head, Span(" " + lines[0])), left_mm=left, first_line_mm=-gap,
                 keep_next=True)  # fmt: skip
    return [first] + [
        Para("addressee", (Span(line),), left_mm=left, keep_next=True) for line in lines[1:]
    ]


def authority(job: Job) -> list[Para]:
    return [Para("authority_line", (Span(authority_text(job)),))]


def basis(job: Job) -> list[Para]:
    b = job.profile.basis
    lines = [*job.doc.basis, *([job.doc.proposal] if job.doc.proposal else [])]
    return [Para("basis", tuple(spans(line))) for line in ended(lines, b.prefix, b.end, b.last_end)]


def enacting(job: Job) -> list[Para]:
    if not job.kind.enacting:
        return []
    return [Para("enacting", (Span(job.kind.enacting.format(authority=authority_text(job))),))]


def body(job: Job, page: TablePage) -> list[Block]:
    return number_body(job.doc.body, levels(job.kind, job.doc.numbering), _tables(page))


def _tables(page: TablePage, field: str = "body"):
    def make(spec: TableSpec, index: int) -> Table:
        try:
            rows = None
            if spec.rows_from:
                width = len(spec.columns) - sum(c.number for c in spec.columns)
                rows = read_rows(spec.rows_from, page.source.parent, width)
            return table_block(spec, page, index, rows)
        except TableError as exc:
            raise DocumentError.single(page.source, str(exc), field=field) from exc

    return make


def levels(kind: Kind, own: Sequence[str] | None) -> Sequence[str]:
    return own or kind.numbering


def closing(job: Job) -> list[Para]:
    return [Para("body", tuple(spans(t))) for t in (job.doc.closing, job.doc.salutation) if t]


PARTS: dict[str, Callable[[Job, TablePage], list[Block]]] = {
    "addressees": lambda job, _: addressees(job),
    "authority": lambda job, _: authority(job),
    "basis": lambda job, _: basis(job),
    "enacting": lambda job, _: enacting(job),
    "fields": lambda job, _: _lines(job.kind.lines, job),
    "body": body,
    "end_fields": lambda job, _: _lines(job.kind.end_lines, job),
    "closing": lambda job, _: closing(job),
}


def document_flow(job: Job, page: TablePage) -> list[Block]:
    """Every block of the flow, the last paragraph closed with the profile's end mark (`./.`)."""
    out = [block for part in job.kind.parts for block in PARTS[part](job, page)]
    return _end(_headed(out), job.profile)


def attached_flow(job: Job, page: TablePage) -> list[Block]:
    """The body of a text issued with the decision (quy chế…), numbered as its own kind says."""
    attached = job.doc.attached
    numbered = number_body(
        attached.body, levels(job.attached_kind, attached.numbering), _tables(page)
    )
    return _end(_headed(numbered), job.profile)


def appendix_flow(job: Job, index: int, page: TablePage) -> list[Block]:
    """An appendix's content, numbered as it says (`numbering:`), else as the document's body;
    its tables as wide as its own pages allow (`page`)."""
    appendix = job.doc.appendices[index]
    own = appendix.numbering or job.doc.numbering
    field = f"appendices[{index}].body"
    return _headed(number_body(appendix.body, levels(job.kind, own), _tables(page, field)))


def _headed(blocks: list[Block]) -> list[Block]:
    """A paragraph right before a table keeps with it (a heading is not left above a page break)."""
    return [
        replace(b, keep_next=True) if isinstance(b, Para) and isinstance(nxt, Table) else b
        for b, nxt in zip(blocks, [*blocks[1:], None], strict=True)
    ]


def _end(blocks: list[Block], profile: Profile) -> list[Block]:
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if isinstance(b, Para) and b.role in ("body", "body_center") and b.text.strip():
            blocks[i] = b.ended(profile.end_mark)
            break
    return blocks


def recipient_lines(job: Job) -> list[str]:
    """Nơi nhận: the kind's first lines (`Như trên`, `Như Điều 3`), the clerk's, then `Lưu`."""
    doc, kind, r = job.doc, job.kind, job.profile.recipients
    if doc.no_recipients or (kind.recipients_when_given and not doc.recipients):
        return []
    first = list(kind.recipients_first) + (list(kind.addressed_first) if doc.kinh_gui else [])
    last_article = count_top(doc.body, levels(kind, doc.numbering), "Điều")
    given = [_plain(x) for x in doc.recipients]
    lines = []
    for line in first:
        if "{last_article}" in line and not last_article:
            continue
        text = fill(line.replace("{last_article}", str(last_article)), job)
        if not any(g == _plain(text) or _same_opening(g, _plain(text)) for g in given):
            lines.append(text)
    return ended([*lines, *doc.recipients, archive_line(job)], r.prefix, r.end, r.last_end)


def _plain(text: str) -> str:
    text = text.strip()
    while text.startswith(DASHES):
        text = text[2:].lstrip()
    return text.rstrip(";,.").casefold()


def _same_opening(given: str, wanted: str) -> bool:
    """`Như Điều 5` typed by the clerk stands for the kind's `Như Điều …`."""
    return wanted.startswith("như ") and given.split()[:2] == wanted.split()[:2]


def archive_line(job: Job) -> str:
    """`Lưu: VT, VP, TTKT&ĐBCLĐT (3)NVA`: the units, copies kept, the drafter's initials (after
    the count, or after a comma when no count is given)."""
    doc = job.doc
    text = ", ".join(u for u in doc.filing_unit if u != "VT")
    if doc.filing_copies:
        text += f" ({doc.filing_copies})" + (doc.drafter or "")
    elif doc.drafter:
        text += f", {doc.drafter}"
    return job.profile.recipients.archive.format(unit=text)


def signer_lines(profile: Profile, signer: Signer) -> tuple[list[str], str]:
    """The authority lines (`KT. GIÁM ĐỐC`, or stacked `TL. …` over `KT. …`) and the title."""
    if signer.authority is Authority.DIRECT:
        return [signer.title.upper()], ""
    prefix = profile.authority_prefix[signer.authority]
    if signer.authority is Authority.Q:
        return [f"{prefix} {signer.title.upper()}"], ""
    lines = [f"{prefix} {signer.on_behalf.upper()}"]
    if signer.stacked is not None:
        second = profile.authority_prefix[signer.stacked.authority]
        lines.append(f"{second} {signer.stacked.on_behalf.upper()}")
    return lines, signer.title.upper()
