"""`mtcl-docs import`: a draft DOCX read into the data of its kind. Each part is looked for where
its kind's table puts it (header, title block, Kính gửi, căn cứ, enacting line, the form's lines,
body, closing, Nơi nhận, signature, appendices); what fits nowhere goes into the body and is named
in the report, never dropped."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtcl_docs.draft.body import build_body
from mtcl_docs.draft.forms import match_lines
from mtcl_docs.draft.header import Header, blank_day, parse_date, read_header
from mtcl_docs.draft.numberline import parse_number
from mtcl_docs.draft.orgs import known_orgs, match_org, new_org_data, org_id_for
from mtcl_docs.draft.parts import PartReader, read_title_block
from mtcl_docs.draft.recipients import archive_line, automatic_lines
from mtcl_docs.draft.sections import APPENDIX_LABEL, later_sections
from mtcl_docs.draft.signature import RECIPIENTS, Foot, read_foot
from mtcl_docs.draft.signer import default_authority, read_signer
from mtcl_docs.draft.tables import table_reader
from mtcl_docs.draft.text import clean
from mtcl_docs.kinds import Kind, KindError, find_kind, kinds_in
from mtcl_docs.load.model import Organisation
from mtcl_docs.names import fold
from mtcl_docs.oxml.draft_read import DraftFile, DraftPara, DraftRun, DraftTable
from mtcl_docs.profiles import Profile
from mtcl_docs.profiles.profile import ProfileError, pick_profile

SALUTATION = re.compile(r"^(Xin )?(Trân trọng|Kính chào|Trân trọng cảm ơn)\b.{0,20}$")


class ImportError_(ValueError):
    """A draft that cannot be read as a document: the message names the file and what is missing."""


@dataclass
class Imported:
    """A draft read: the document's data, its organisation (known, or new), and what went where."""

    data: dict[str, Any]
    org: Organisation | None
    org_id: str
    new_org: dict[str, Any] | None
    kind: Kind
    profile: Profile
    header: Header
    draft: DraftFile
    placed: list[tuple[str, str]] = field(default_factory=list)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (text, where it went)
    kept_items: list[DraftPara | DraftTable] = field(default_factory=list)  # căn cứ, body, chào
    flow_items: list[DraftPara | DraftTable] = field(default_factory=list)  # after the title block
    foot: Foot | None = None
    subject_text: str | None = None


def _sections(draft: DraftFile) -> list[tuple[list[DraftPara | DraftTable], bool]]:
    """The draft's items split at section breaks (appendices, attached texts start one), each
    with whether its pages are landscape."""
    out: list[list[DraftPara | DraftTable]] = [[]]
    for item in draft.items:
        out[-1].append(item)
        if isinstance(item, DraftPara) and item.section_end:
            out.append([])
    pages = [s.landscape for s in draft.sections]
    kept = [
        (items, pages[i] if i < len(pages) else False)
        for i, items in enumerate(out)
        if any(_text(x) for x in items)
    ]
    return kept or [([], False)]


def _text(item: DraftPara | DraftTable) -> str:
    if isinstance(item, DraftTable):
        return " ".join(c.text for r in item.rows for c in r.cells)
    return clean(item.text)


class _Blank(dict):
    """Fields for a line's `{field}`: one not read is blank."""

    def __missing__(self, key: str) -> str:
        return ""


def kind_titles() -> set[str]:
    """Every kind's printed title in both regimes (THÔNG BÁO, QUYẾT ĐỊNH…)."""
    return {k.title for r in ("nd30", "party") for k in kinds_in(r) if k.title}


def _regime(header: Header, wanted: str | None, org: Organisation | None) -> str:
    if wanted:
        return "party" if wanted.startswith("party") else "nd30"
    if header.regime:
        return header.regime
    if header.number:
        return "nd30" if header.number.startswith("Số:") else "party"
    if org is not None:
        return "party" if org.profile.startswith("party") else "nd30"
    return "nd30"


def import_draft(path: Path, data_dir: Path, wanted_profile: str | None = None,
                 draft: DraftFile | None = None) -> Imported:  # fmt: skip
    """Read the DOCX at `path` (already read as `draft` if given) against the organisations of
    `data_dir`; nothing is written here (see `datafile.write_imported`)."""
    from mtcl_docs.oxml.draft_read import read_draft

    draft = draft or read_draft(path)
    sections = _sections(draft)
    main, main_landscape = sections[0]
    titles = kind_titles()
    header, at = read_header(main, titles)
    orgs = known_orgs(data_dir)
    typed = header.number or ""
    party_number = typed.startswith("Số ") and "-" in typed.split("/")[0]
    symbol = parse_number(typed, None, "party" if party_number else "nd30", set())["symbol"]
    match = match_org(header.left, orgs, symbol, header.left_bold)
    org = match.org
    regime = _regime(header, wanted_profile, org)
    day = header.date
    unplaced: list[tuple[str, str]] = []
    placed: list[tuple[str, str]] = []
    if day is None:
        day = blank_day(header.date_text or "") or _date_in(main) or dt.date.today()
    try:
        profile = pick_profile(
            wanted_profile
            or (
                org.profile
                if org and (org.profile.startswith("party") == (regime == "party"))
                else regime
            ),
            day,
            org.overrides if org else None,
        )
        seen = pick_profile(_regime(header, None, org), day)  # how the draft itself is laid out
    except ProfileError as exc:
        raise ImportError_(f"{path}: {exc}") from exc
    cut = _appendix_start(main, at)
    if cut is not None:  # an appendix typed after the signature, without a section break
        sections = [(main[:cut], main_landscape), (main[cut:], main_landscape), *sections[1:]]
        main = main[:cut]
    foot = read_foot(main[at:])
    end = foot.start + at if foot.start is not None else len(main)
    flow = main[at:end]
    block = read_title_block(flow, titles, seen.family, header.subject)
    kind, own_title, subject, rest = block.kind, block.own_title, block.subject, block.rest
    try:
        out_kind = find_kind(kind.id, profile.family, own_title, None)
    except KindError as exc:
        raise ImportError_(f"{path}: {exc}") from exc
    org_name = org.name if org else clean(match.issuer_caps)
    data: dict[str, Any] = {}
    signer, signer_rest = read_signer(foot.signer, kind, org)
    for line in signer_rest:
        unplaced.append((line, "dòng ở chỗ chữ ký không nhận ra: đặt vào cuối nội dung"))
    parts = PartReader(rest, kind, org_name, seen.end_mark)
    parts.read()
    kinh_gui, basis, proposal = parts.kinh_gui, parts.basis, parts.proposal
    authority_line, fields, pos = parts.authority_line, parts.fields, parts.pos
    basis_items, last_para = parts.basis_items, parts.last_para
    salutation_items: list[DraftPara | DraftTable] = []
    # end fields and closing from the end of what is left
    tail = rest[pos:]
    salutation = closing = None
    trailing = [p for p in tail if isinstance(p, DraftPara) and clean(p.text)]
    if (
        trailing
        and not isinstance(tail[-1], DraftTable)
        and SALUTATION.match(clean(trailing[-1].text))
        and "closing" in kind.parts
    ):
        salutation = clean(trailing[-1].text)
        salutation_items.append(trailing[-1])
        tail = tail[: tail.index(trailing[-1])]
        trailing = trailing[:-1]
    if kind.end_lines and trailing:
        for n in range(min(len(kind.end_lines), len(trailing)), 0, -1):
            got, used = match_lines(
                kind.end_lines, trailing[-n:], org_name, last_para, seen.end_mark
            )
            if used == n:
                fields.update(got)
                tail = tail[: tail.index(trailing[-n])]
                break
    body_items = list(tail)
    body = build_body(body_items, out_kind.numbering, table_reader(profile))
    for text in header.unplaced + [
        t for t in foot.after if t not in kind.after_signature and not _placeholder(t)
    ]:
        unplaced.append((text, "không nhận ra ở phần đầu/cuối văn bản: đặt vào cuối nội dung"))
    left = kind.signature.left
    filled = left.name.format_map(_Blank(fields)) if left else ""
    expected = {clean(left.label), clean(filled)} if left else set()
    for line in foot.left_signer:
        if clean(line) not in expected:
            text = foot.marked.get(clean(line), line)
            unplaced.append((text, "chữ ở ô bên trái chữ ký không nhận ra: đặt vào cuối nội dung"))
    for text in draft.margin_texts:
        unplaced.append((text, "chữ ở đầu/chân trang (header/footer): không đưa vào văn bản"))
    extra = [t for t, why in unplaced if why.endswith("đặt vào cuối nội dung")]
    body.extend(extra)
    reader = table_reader(profile)
    for table in foot.stray:
        body.append({"table": reader(table)})
        first = " ".join(c.text for c in table.rows[0].cells)[:60] if table.rows else ""
        unplaced.append((f"bảng «{clean(first)}…»", "bảng ở dưới chữ ký: đặt vào cuối nội dung"))
    # -- number, Nơi nhận --------------------------------------------------------------------
    codes = {k.code for k in kinds_in(seen.family) if k.code}
    number = parse_number(header.number, org, seen.family, codes)
    units, copies, drafter, strange = archive_line(foot.archive, org)
    for code in strange:
        unplaced.append(
            (code, f"mã đơn vị «{code}» ở dòng Lưu không có trong tệp cơ quan: bỏ khỏi filing_unit")
        )
    auto = automatic_lines(kind, bool(kinh_gui), fields)
    recipients = [
        r
        for r in foot.recipients
        if not (fold(r) in auto or (fold(r).startswith("nhu dieu") and "như điều" in auto))
    ]
    # -- the data, in the order clerks write it -----------------------------------------------------
    org_id = org.id if org else org_id_for(match, number["symbol"], data_dir)
    data["org"] = org_id
    data["type"] = kind.id
    if own_title:
        data["title"] = own_title
    kind_code = seen.type_codes.get(kind.id, kind.code)
    if number["code"] and number["code"] != kind_code:
        data["code"] = number["code"]
    if number["number"] is not None:
        data["number"] = number["number"]
    data["date"] = day
    if header.date is None and kind.date_line:
        unplaced.append((header.date_text or "(không có dòng ngày tháng)",
                         f"không đọc được ngày văn bản: lấy {day:%d/%m/%Y}, hãy sửa date:"))  # fmt: skip
    if wanted_profile or (org is not None and not _same_family(org.profile, profile.family)):
        data["profile"] = wanted_profile or profile.family
    if subject and kind.subject.place != "none":
        data["subject"] = subject
    if authority_line and clean(authority_line) == default_authority(signer, org, org_name):
        authority_line = None  # the line the build prints anyway
    parts = {
        "kinh_gui": kinh_gui,
        "authority_line": authority_line,
        "basis": basis,
        "proposal": proposal,
        "fields": fields,
        "body": body,
        "closing": closing,
        "salutation": salutation,
        "recipients": recipients,
    }  # in the order a data file writes them
    data.update((key, value) for key, value in parts.items() if value)
    if not foot.recipients and foot.archive is None and not kind.recipients_when_given:
        data["no_recipients"] = True
    data["filing_unit"] = units if len(units) > 1 else units[0]
    if copies:
        data["filing_copies"] = copies
    if drafter:
        data["drafter"] = drafter
    if number["unit"]:
        if org is None or org.unit(number["unit"]):
            data["drafting_unit"] = number["unit"]
        else:
            unplaced.append(
                (number["unit"], "đơn vị soạn thảo trong số không có trong tệp cơ quan: bỏ")
            )
    data["signer"] = signer
    if isinstance(signer, dict) and not signer.get("name"):
        unplaced.append(("(người ký)", "không thấy khối chữ ký (chức vụ, họ tên): hãy ghi signer:"))
    marks = [m for m in header.marks if m.upper() == "DỰ THẢO"]
    if marks and number["number"] is None:
        data["draft_mark"] = marks[0]
    for m in header.marks:
        if m.upper() != "DỰ THẢO":
            unplaced.append((m, "dấu độ khẩn/mật chưa có trường dữ liệu: không in lại"))
    later_sections(sections[1:], out_kind, profile, data, unplaced)
    new_org = None
    if org is None:
        signer_data = signer if isinstance(signer, dict) else None
        new_org = new_org_data(match, number["symbol"], header.place, profile.family,
                               sorted(set(units + ([number["unit"]] if number["unit"] else [])) - {"VT"}),
                               signer_data, _texts(draft))  # fmt: skip
        if signer_data is not None:
            data["signer"] = "nguoi-ky"
        if not match.issuer_caps:
            raise ImportError_(
                f"{path}: không thấy tên cơ quan ban hành ở đầu văn bản (dòng chữ in hoa bên trái, trên dòng Số)"
            )
    placed.extend(_placements(data, header, kind, subject, foot, org, match.issuer_caps))
    moved = [DraftPara(text, [DraftRun(text)]) for text in extra]  # put at the end of the body
    kept = [*basis_items, *body_items, *moved, *foot.stray, *salutation_items]
    return Imported(data, org, org_id, new_org, out_kind, profile, header, draft, placed, unplaced,
                    kept, list(rest), foot, subject)  # fmt: skip


def _placements(data: dict[str, Any], header: Header, kind: Kind, subject: str | None,
                foot: Foot, org: Organisation | None, issuer: str) -> list[tuple[str, str]]:  # fmt: skip
    """What the draft said where, and the field of the data it went to, for the report."""
    body = data.get("body", [])
    headings = _count(body, "heading")
    tables = _count(body, "table")
    out = [
        ("cơ quan ban hành", f"{org.name if org else clean(issuer)} → org: {data['org']}"),
        ("loại văn bản", f"{kind.name} → type: {data['type']}"
         + (f", title: {data['title']}" if "title" in data else "")),
        ("số", f"«{header.number}» → number: {data['number']}" if "number" in data
         else f"«{header.number or ''}» → chưa có số (dự thảo), không ghi number:"),
        ("ngày", f"«{header.date_text or ''}» → date: {data['date']:%Y-%m-%d}"),
    ]  # fmt: skip
    if subject:
        out.append(("trích yếu", f"«{subject}» → subject:"))
    if data.get("kinh_gui"):
        out.append(("Kính gửi", f"{len(data['kinh_gui'])} nơi → kinh_gui:"))
    if data.get("authority_line"):
        out.append(("thẩm quyền ban hành", f"«{data['authority_line']}» → authority_line:"))
    count = len(data.get("basis", [])) + ("proposal" in data)
    if count:
        out.append(
            ("căn cứ", f"{count} dòng → basis:" + (", proposal:" if "proposal" in data else ""))
        )
    if data.get("fields"):
        out.append(("các dòng của mẫu", "fields: " + ", ".join(data["fields"])))
    out.append(("nội dung", f"{len(body)} khối, {headings} đề mục, {tables} bảng → body:"))
    if data.get("salutation"):
        out.append(("lời chào", f"«{data['salutation']}» → salutation:"))
    if data.get("recipients") or foot.archive:
        out.append(("Nơi nhận", f"{len(data.get('recipients', []))} nơi → recipients:; dòng Lưu "
                    f"«{foot.archive or ''}» → filing_unit:"
                    + (", filing_copies:" if "filing_copies" in data else "")
                    + (", drafter:" if "drafter" in data else "")))  # fmt: skip
    signer = data["signer"]
    out.append(("người ký", f"signer: {signer}" if isinstance(signer, str)
                else f"{signer.get('name', '')} → signer: (ghi đủ)"))  # fmt: skip
    if data.get("appendices"):
        out.append(("phụ lục", f"{len(data['appendices'])} → appendices:"))
    if data.get("attached"):
        out.append(("văn bản kèm theo", f"«{data['attached']['subject']}» → attached:"))
    return out


def _appendix_start(main: list[DraftPara | DraftTable], at: int) -> int | None:
    """Where a `PHỤ LỤC` typed after the signature starts (only after Nơi nhận or a signing
    table: a `Phụ lục` line in the body is the body's)."""
    foot_seen = False
    for k in range(at, len(main)):
        item = main[k]
        if isinstance(item, DraftTable):
            texts = [clean(p.text) for r in item.rows for c in r.cells for p in c.paras]
            foot_seen = foot_seen or any(RECIPIENTS.match(t) for t in texts)
            continue
        text = clean(item.text)
        if RECIPIENTS.match(text):
            foot_seen = True
        elif foot_seen and APPENDIX_LABEL.match(text):
            return k
    return None


def _texts(draft: DraftFile) -> list[str]:
    """Every paragraph's text, table cells included, for finding how a name is written."""
    out = []
    for item in draft.items:
        if isinstance(item, DraftPara):
            out.append(item.text)
        else:
            out.extend(p.text for r in item.rows for c in r.cells for p in c.paras)
    return out


def _date_in(items: list[DraftPara | DraftTable]) -> dt.date | None:
    """A kind printed without a date line (biên bản, NĐ 30): the first date its text gives."""
    for item in items:
        if isinstance(item, DraftPara):
            found = parse_date(item.text)
            if found:
                return found
    return None


def _same_family(name: str, family: str) -> bool:
    return name == family or name.startswith(family)


def _placeholder(text: str) -> bool:
    return bool(re.match(r"^\(.*\)$", text))


def _count(blocks: list[Any], key: str) -> int:
    """How many blocks of a kind (`heading`, `table`) the body holds, at any depth."""
    total = 0
    for b in blocks:
        if isinstance(b, dict):
            total += key in b
            total += _count(b.get("body", []), key)
    return total
