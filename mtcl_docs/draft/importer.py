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
from mtcl_docs.draft.header import Header, blank_day, parse_date, read_header
from mtcl_docs.draft.orgs import known_orgs, match_org, new_org_data, org_id_for
from mtcl_docs.draft.signature import AUTHORITY, Foot, read_foot
from mtcl_docs.draft.tables import read_table
from mtcl_docs.draft.text import clean, fold, is_caps, is_rule, markup, sentence_case, strip_runs
from mtcl_docs.kinds import Kind, KindError, find_kind, kinds_in
from mtcl_docs.kinds.kind import FIELD, Line
from mtcl_docs.load.model import Authority, Organisation
from mtcl_docs.oxml.draft_read import DraftFile, DraftPara, DraftRun, DraftTable
from mtcl_docs.profiles import Profile
from mtcl_docs.profiles.profile import ProfileError, pick_profile

BASIS = re.compile(r"^(?:[-–]\s*)?(Căn cứ|Xét|Theo đề nghị|Thực hiện)\b")
PROPOSAL = re.compile(r"^(?:[-–]\s*)?Theo đề nghị\b")
SALUTATION = re.compile(r"^(Xin )?(Trân trọng|Kính chào|Trân trọng cảm ơn)\b.{0,20}$")
APPENDIX_LABEL = re.compile(r"^(Phụ lục|PHỤ LỤC)(\s+[0-9IVXLC]+)?$")
REFERENCE = re.compile(r"^\((Ban hành )?[Kk]èm theo .+\)$")
AUTHORITIES = {
    "K/T": Authority.KT, "KT.": Authority.KT, "KT": Authority.KT, "T/M": Authority.TM,
    "TM.": Authority.TM, "TM": Authority.TM, "T/L": Authority.TL, "TL.": Authority.TL,
    "TL": Authority.TL, "TUQ.": Authority.TUQ, "TUQ": Authority.TUQ, "Q.": Authority.Q,
}  # fmt: skip


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


def _sections(draft: DraftFile) -> list[list[DraftPara | DraftTable]]:
    """The draft's items split at section breaks (appendices, attached texts start one)."""
    out: list[list[DraftPara | DraftTable]] = [[]]
    for item in draft.items:
        out[-1].append(item)
        if isinstance(item, DraftPara) and item.section_end:
            out.append([])
    return [s for s in out if any(_text(i) for i in s)] or [[]]


def _text(item: DraftPara | DraftTable) -> str:
    if isinstance(item, DraftTable):
        return " ".join(c.text for r in item.rows for c in r.cells)
    return clean(item.text)


def _titles() -> set[str]:
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


def _find_kind(title: str | None, regime: str, addressed: bool) -> tuple[Kind, str | None]:
    """The kind from the title line (a longer title such as CHƯƠNG TRÌNH HÀNH ĐỘNG kept as the
    document's `title:`), a công văn without one."""
    kinds = kinds_in(regime)
    if title:
        t = clean(title).upper()
        titled = [k for k in kinds if k.title and (t == k.title or t.startswith(k.title + " "))]
        if titled:
            best = max(titled, key=lambda k: len(k.title or ""))
            return best, (None if t == best.title else t)
    return next(k for k in kinds if k.id == "cong-van"), None


def _parse_number(text: str | None, org: Organisation | None, regime: str,
                  kind_codes: set[str]) -> dict[str, Any]:  # fmt: skip
    """`Số 215-CV/HVBCTT-TTKT&ĐBCLĐT`, `Số: 216/QĐ-ĐHM`, `Số:    /QĐ-ĐHM` (a draft) → number,
    code, symbol, drafting unit."""
    out: dict[str, Any] = {"number": None, "code": None, "symbol": None, "unit": None}
    if not text:
        return out
    found = re.match(r"^Số\s*:?\s*(\d*)\s*(.*)$", clean(text))
    if not found:
        return out
    out["number"] = int(found.group(1)) if found.group(1) else None
    rest = found.group(2).replace(" ", "").strip(".…")
    rest = rest.lstrip(".…")
    if regime == "party" or (rest.startswith("-") and "/" in rest):
        code, _, symbols = (
            rest.lstrip("-").partition("/") if rest.startswith("-") else ("", "", rest.lstrip("/"))
        )
        tokens = [t for t in symbols.split("-") if t]
        out["code"] = code or None
    else:
        tokens = [t for t in rest.lstrip("/").split("-") if t]
        if len(tokens) >= 2 and (tokens[0] in kind_codes or (org and tokens[1] == org.symbol)):
            out["code"] = tokens.pop(0)
    if org is not None and org.symbol in "-".join(tokens):
        joined = "-".join(tokens)
        at = joined.index(org.symbol)
        out["symbol"] = org.symbol
        out["unit"] = joined[at + len(org.symbol) :].lstrip("-") or None
    elif tokens:
        out["symbol"] = tokens[0]
        out["unit"] = "-".join(tokens[1:]) or None
    return out


def _line_pattern(line: Line, issuer: str) -> re.Pattern:
    """A kind's fixed line as a pattern whose groups are its fields."""
    out = ""
    for part in re.split(r"(\{\w+\})", line.text):
        name = FIELD.fullmatch(part)
        if name is None:
            words = part.split()
            core = r"\s+".join(re.escape(w) for w in words)
            lead = r"\s*" if part[:1].isspace() else ""
            trail = r"\s*" if part[-1:].isspace() else ""
            out += lead + core + trail if words else r"\s*"
        elif name.group(1) in ("issuer", "issuer_caps"):
            out += r"(?:.+?)"
        else:
            out += rf"(?P<{name.group(1)}>.+?)"
    return re.compile("^" + out + "$")


def _match_lines(lines: tuple[Line, ...], paras: list[DraftPara], issuer: str,
                 last: DraftPara | None, end_mark: str) -> tuple[dict[str, str], int]:  # fmt: skip
    """Fields read from the paragraphs that print the kind's lines, in order (a line whose
    optional field is left out is not printed); returns the fields and paragraphs used."""
    fields: dict[str, str] = {}
    used = 0
    for line in lines:
        if used >= len(paras):
            break
        p = paras[used]
        text = markup(strip_runs(p.runs))
        if p is last and end_mark and text.endswith(end_mark) and end_mark != ".":
            text = text[: -len(end_mark)]
        found = _line_pattern(line, issuer).match(clean(text))
        if found:
            fields.update({k: v.strip() for k, v in found.groupdict().items()})
            used += 1
    return fields, used


def _signer(lines: list[str], kind: Kind, org: Organisation | None) -> tuple[Any, list[str]]:
    """The signer (a key of the organisation's signers, or written out) and lines not used."""
    lines = [t for t in lines if t]
    label = kind.signature.right_label
    if label and lines and clean(lines[0]).upper() == label:
        lines = lines[1:]
    name = next((t for t in reversed(lines) if not is_caps(t)), None)
    caps = [t for t in lines if is_caps(t)]
    rest = [t for t in lines if t != name and t not in caps]
    spec: dict[str, Any] = {"name": name or "", "title": "", "authority": "direct"}
    auth = [AUTHORITY.match(t) for t in caps]
    if auth and auth[0]:
        prefix = auth[0].group(1)
        authority = AUTHORITIES.get(prefix, AUTHORITIES.get(prefix.rstrip(".") + "."))
        spec["authority"] = authority.value if authority else "direct"
        if authority is Authority.Q:
            spec["title"] = sentence_case(auth[0].group(2))
        else:
            spec["on_behalf"] = sentence_case(auth[0].group(2))
        if len(auth) > 1 and auth[1]:
            second = AUTHORITIES.get(auth[1].group(1), Authority.KT)
            spec["stacked"] = {
                "authority": second.value,
                "on_behalf": sentence_case(auth[1].group(2)),
            }
        titles = [t for t, a in zip(caps, auth, strict=True) if not a]
        if titles and authority is not Authority.Q:
            spec["title"] = sentence_case(titles[0])
            rest += titles[1:]
    elif caps:
        spec["title"] = sentence_case(caps[0])
        rest += caps[1:]
    if label and not spec["title"]:
        spec["title"] = sentence_case(label)
    if org is not None:
        for key, s in org.signers.items():
            if fold(s.name) != fold(spec["name"]):
                continue
            if label or (
                fold(s.title) == fold(spec["title"]) and s.authority.value == spec["authority"]
                and fold(s.on_behalf or "") == fold(spec.get("on_behalf", ""))
            ):  # fmt: skip
                return key, rest
    if spec["authority"] == "direct":
        del spec["authority"]
    return spec, rest


def _archive(
    text: str | None, org: Organisation | None
) -> tuple[list[str], int | None, str | None, list[str]]:
    """`VT, VP, TTKT&ĐBCLĐT (3)NVA` → units (VT left to the profile), copies kept, drafter, and
    codes the organisation does not have."""
    if not text:
        return ["VT"], None, None, []
    copies = drafter = None
    found = re.match(r"^(.*?)\s*\((\d{1,3})\)\s*([A-ZĐa-zđ.]*)$", text)
    if found:
        text, copies, drafter = found.group(1), int(found.group(2)), found.group(3) or None
    codes = [clean(c) for c in text.split(",") if clean(c)]
    known = {u.code for u in org.units} if org is not None else None
    if (
        drafter is None
        and codes
        and known is not None
        and codes[-1] not in known
        and codes[-1] != "VT"
        and re.fullmatch(r"[A-ZĐ][A-ZĐa-zđ.]{0,7}", codes[-1])
    ):
        drafter = codes.pop()  # initials, not a unit: the drafter
    units = [c for c in codes if c != "VT"]
    strange = [c for c in units if known is not None and c not in known]
    units = [c for c in units if c not in strange] or ["VT"]
    return units, copies, drafter, strange


def _first_recipient_lines(kind: Kind, addressed: bool, fields: dict[str, str]) -> set[str]:
    """The lines the kind puts first in Nơi nhận by itself (Như trên, Như Điều N, the person)."""
    lines = set()
    for line in (*kind.recipients_first, *(kind.addressed_first if addressed else ())):
        if "{last_article}" in line:
            lines.add("như điều")
        else:
            try:
                lines.add(fold(line.format_map(fields)))
            except KeyError:
                continue
    return lines


def import_draft(path: Path, data_dir: Path, wanted_profile: str | None = None,
                 draft: DraftFile | None = None) -> Imported:  # fmt: skip
    """Read the DOCX at `path` (already read as `draft` if given) against the organisations of
    `data_dir`; nothing is written here (see `datafile.write_imported`)."""
    from mtcl_docs.oxml.draft_read import read_draft

    draft = draft or read_draft(path)
    sections = _sections(draft)
    main = sections[0]
    titles = _titles()
    header, at = read_header(main, titles)
    orgs = known_orgs(data_dir)
    typed = header.number or ""
    party_number = typed.startswith("Số ") and "-" in typed.split("/")[0]
    symbol = _parse_number(typed, None, "party" if party_number else "nd30", set())["symbol"]
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
    foot = read_foot(main[at:])
    end = foot.start + at if foot.start is not None else len(main)
    flow = main[at:end]
    # -- title block -------------------------------------------------------------------------
    paras = [p for p in flow if isinstance(p, DraftPara)]
    k = 0
    while k < len(flow) and isinstance(flow[k], DraftPara) and not clean(flow[k].text):
        k += 1
    title = None
    if k < len(flow) and isinstance(flow[k], DraftPara):
        first = clean(flow[k].text)
        if is_caps(first) and (
            first.upper() in titles or any(first.upper().startswith(t + " ") for t in titles)
        ):
            title = first
            k += 1
    addressed = any(
        isinstance(p, DraftPara) and clean(p.text).startswith(("Kính gửi", "Kính trình"))
        for p in paras[:12]
    )
    kind, own_title = _find_kind(title, seen.family, addressed)  # its parts, as typed
    try:
        out_kind = find_kind(kind.id, profile.family, own_title, None)
    except KindError as exc:
        raise ImportError_(f"{path}: {exc}") from exc
    subject = header.subject
    if kind.subject.place == "title" and title:
        lines = []
        while k < len(flow) and isinstance(flow[k], DraftPara):
            p = flow[k]
            t = clean(p.text)
            if not t:
                if lines:
                    k += 1
                    break
                k += 1
                continue
            if is_rule(t) or p.align != "center" or (lines and is_caps(t)) or BASIS.match(t):
                break
            lines.append(t)
            k += 1
            if p.rule:
                break
        subject = " ".join(lines) or None
    while (
        k < len(flow)
        and isinstance(flow[k], DraftPara)
        and (not clean(flow[k].text) or is_rule(clean(flow[k].text)))
    ):
        if flow[k].page_break_before:
            break
        k += 1
    rest = flow[k:]
    org_name = org.name if org else clean(match.issuer_caps)
    data: dict[str, Any] = {}
    # -- the parts between title block and signature ---------------------------------------------
    signer, signer_rest = _signer(foot.signer, kind, org)
    for line in signer_rest:
        unplaced.append((line, "dòng ở chỗ chữ ký không nhận ra: đặt vào cuối nội dung"))
    kinh_gui: list[str] = []
    basis: list[str] = []
    basis_items: list[DraftPara | DraftTable] = []
    salutation_items: list[DraftPara | DraftTable] = []
    proposal = None
    authority_line = None
    fields: dict[str, str] = {}
    last_para = next(
        (p for p in reversed(rest) if isinstance(p, DraftPara) and clean(p.text)), None
    )
    pos = 0

    def skip_blank() -> None:
        nonlocal pos
        while (
            pos < len(rest)
            and isinstance(rest[pos], DraftPara)
            and not clean(rest[pos].text)
            and not rest[pos].page_break_before
        ):
            pos += 1

    for part in kind.parts:
        skip_blank()
        if part == "addressees" and pos < len(rest) and isinstance(rest[pos], DraftPara):
            label = kind.addressees.label.split("{")[0].strip().rstrip(":") or "Kính gửi"
            p = rest[pos]
            t = clean(p.text)
            opener = re.match(r"^(Kính gửi|Kính trình|.+ điện)\s*:\s*(.*)$", t)
            if opener and (
                t.startswith(label)
                or t.startswith(("Kính gửi", "Kính trình"))
                or opener.group(1).endswith("điện")
            ):
                pos += 1
                first = opener.group(2).strip()
                names = [first] if first else []
                while pos < len(rest) and isinstance(rest[pos], DraftPara):
                    t2 = clean(rest[pos].text)
                    if not t2:
                        pos += 1
                        continue
                    if not t2.startswith(("-", "–")) or BASIS.match(t2):
                        break
                    names.append(t2)
                    pos += 1
                    if t2.endswith("."):
                        break
                kinh_gui = [_plain(n) for n in names if _plain(n)]
        elif part == "authority" and pos < len(rest) and isinstance(rest[pos], DraftPara):
            t = clean(rest[pos].text)
            if (
                is_caps(t)
                and not BASIS.match(t)
                and not (kind.enacting and t.rstrip(":") == kind.enacting.rstrip(":"))
            ):
                authority_line = t
                pos += 1
        elif part == "basis":
            while pos < len(rest) and isinstance(rest[pos], DraftPara):
                t = markup(strip_runs(rest[pos].runs), drop_italic=rest[pos].italic)
                if not clean(t):
                    pos += 1
                    continue
                if not BASIS.match(clean(t)) or clean(t).endswith(":"):
                    break
                if (
                    clean(t).startswith("Thực hiện")
                    and not clean(t).endswith((";", ","))
                    and not basis
                ):
                    break
                basis.append(_basis_line(t))
                basis_items.append(rest[pos])
                pos += 1
            if basis and PROPOSAL.match(basis[-1]):
                proposal = basis.pop()
        elif (
            part == "enacting"
            and kind.enacting
            and pos < len(rest)
            and isinstance(rest[pos], DraftPara)
        ):
            t = clean(rest[pos].text)
            words = clean(kind.enacting.replace("{authority}", "").rstrip(":"))
            if t.rstrip(":").endswith(words):
                before = t.rstrip(":")[: -len(words)].strip()
                if "{authority}" in kind.enacting and before:
                    authority_line = authority_line or before
                pos += 1
        elif part == "fields":
            ps = [p for p in rest[pos:] if isinstance(p, DraftPara)]
            ps = [p for p in ps if clean(p.text)]
            got, used = _match_lines(kind.lines, ps, org_name, last_para, seen.end_mark)
            fields.update(got)
            if used:
                last_used = ps[used - 1]
                pos = rest.index(last_used) + 1
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
            got, used = _match_lines(
                kind.end_lines, trailing[-n:], org_name, last_para, seen.end_mark
            )
            if used == n:
                fields.update(got)
                tail = tail[: tail.index(trailing[-n])]
                break
    body_items = list(tail)
    body = build_body(body_items, out_kind.numbering, _table_reader(profile))
    for text in header.unplaced + [
        t for t in foot.after if t not in kind.after_signature and not _placeholder(t)
    ]:
        unplaced.append((text, "không nhận ra ở phần đầu/cuối văn bản: đặt vào cuối nội dung"))
    left = kind.signature.left
    expected = {clean(left.label), clean(left.name.format_map({**fields}))} if left else set()
    for line in foot.left_signer:
        if clean(line) not in expected:
            unplaced.append((line, "chữ ở ô bên trái chữ ký không nhận ra: đặt vào cuối nội dung"))
    extra = [t for t, why in unplaced if why.endswith("đặt vào cuối nội dung")]
    body.extend(extra)
    # -- number, Nơi nhận --------------------------------------------------------------------
    codes = {k.code for k in kinds_in(seen.family) if k.code}
    number = _parse_number(header.number, org, seen.family, codes)
    units, copies, drafter, strange = _archive(foot.archive, org)
    for code in strange:
        unplaced.append(
            (code, f"mã đơn vị «{code}» ở dòng Lưu không có trong tệp cơ quan: bỏ khỏi filing_unit")
        )
    auto = _first_recipient_lines(kind, bool(kinh_gui), fields)
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
    if kinh_gui:
        data["kinh_gui"] = kinh_gui
    if authority_line and clean(authority_line) != _default_authority(signer, org, org_name):
        data["authority_line"] = authority_line
    if basis:
        data["basis"] = basis
    if proposal:
        data["proposal"] = proposal
    if fields:
        data["fields"] = fields
    if body:
        data["body"] = body
    if closing:
        data["closing"] = closing
    if salutation:
        data["salutation"] = salutation
    if recipients:
        data["recipients"] = recipients
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
    marks = [m for m in header.marks if m.upper() == "DỰ THẢO"]
    if marks and number["number"] is None:
        data["draft_mark"] = marks[0]
    for m in header.marks:
        if m.upper() != "DỰ THẢO":
            unplaced.append((m, "dấu độ khẩn/mật chưa có trường dữ liệu: không in lại"))
    _later_sections(sections[1:], draft, out_kind, profile, data, unplaced)
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
    for what, value in (("cơ quan ban hành", org.name if org else match.issuer_caps), ("loại văn bản", kind.name),
                        ("số", header.number or "(chưa có số: dự thảo)"), ("ngày", header.date_text or ""),
                        ("trích yếu", subject or ""), ("Kính gửi", "; ".join(kinh_gui)),
                        ("căn cứ", f"{len(basis) + bool(proposal)} dòng" if basis or proposal else ""),
                        ("các trường của mẫu", ", ".join(fields)),
                        ("nội dung", f"{_count(body)} khối"),
                        ("Nơi nhận", f"{len(recipients)} nơi, dòng Lưu: {foot.archive or '(không có)'}"),
                        ("người ký", signer if isinstance(signer, str) else signer.get("name", "")),
                        ("phụ lục", f"{len(data.get('appendices', []))}" if data.get("appendices") else ""),
                        ("văn bản ban hành kèm theo", data.get("attached", {}).get("subject", ""))):  # fmt: skip
        if value:
            placed.append((what, str(value)))
    moved = [DraftPara(text, [DraftRun(text)]) for text in extra]  # put at the end of the body
    kept = [*basis_items, *body_items, *moved, *salutation_items]
    return Imported(data, org, org_id, new_org, out_kind, profile, header, draft, placed, unplaced,
                    kept, list(rest), foot, subject)  # fmt: skip


def _default_authority(signer: Any, org: Organisation | None, org_name: str) -> str:
    """The authority line the build prints by itself for this signer (render/flow.py
    authority_text): a line typed the same need not be written in the data."""
    s = org.signers.get(signer) if isinstance(signer, str) and org is not None else None
    spec = (
        s.model_dump(mode="json") if s is not None else signer if isinstance(signer, dict) else {}
    )
    authority = str(spec.get("authority") or "direct")
    if authority == "TM":
        return clean(spec.get("on_behalf") or "").upper()
    head = spec.get("title") if authority in ("direct", "Q") else spec.get("on_behalf")
    return clean(f"{head or ''} {org_name}").upper()


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


def _table_reader(profile: Profile, landscape: bool = False):
    """Tables read for a page of this profile: its cell size, the room across the page."""
    size = profile.roles["table_cell"].size
    room = profile.room_mm(landscape)
    return lambda table: read_table(table, size, room)


def _same_family(name: str, family: str) -> bool:
    return name == family or name.startswith(family)


def _placeholder(text: str) -> bool:
    return bool(re.match(r"^\(.*\)$", text))


def _count(blocks: list[Any]) -> int:
    total = 0
    for b in blocks:
        total += 1
        if isinstance(b, dict):
            total += _count(b.get("body", []))
    return total


def _plain(text: str) -> str:
    text = clean(text)
    while text[:1] in "-–" and text[1:2] == " ":
        text = text[2:].strip()
    return text.rstrip(";,.").strip()


def _basis_line(text: str) -> str:
    text = clean(text)
    if text.startswith(("- ", "– ")):
        text = text[2:]
    return text.rstrip(";,.").strip()


def _later_sections(sections: list[list[DraftPara | DraftTable]], draft: DraftFile, kind: Kind,
                    profile: Profile, data: dict[str, Any], unplaced: list) -> None:  # fmt: skip
    """Sections after the first: a text issued with the decision (its own header and a QUY CHẾ /
    QUY ĐỊNH title), or appendices."""
    appendices = []
    numbering = kind.numbering
    attachable = {k.title: k for k in kinds_in(profile.family) if k.attachable and k.title}
    for index, items in enumerate(sections, start=1):
        landscape = draft.sections[index].landscape if index < len(draft.sections) else True
        i = 0
        while i < len(items) and isinstance(items[i], DraftPara) and not clean(items[i].text):
            i += 1
        own_header = i < len(items) and isinstance(items[i], DraftTable) and any(
            clean(p.text).upper() in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM")
            for r in items[i].rows for c in r.cells for p in c.paras
        )  # fmt: skip
        if own_header:
            i += 1
        texts = [p for p in items[i:] if isinstance(p, DraftPara) and clean(p.text)]
        first = clean(texts[0].text) if texts else ""
        if own_header and first in attachable and "attached" not in data:
            attached_kind = attachable[first]
            j = items.index(texts[0]) + 1
            subject_lines = []
            while j < len(items) and isinstance(items[j], DraftPara):
                t = clean(items[j].text)
                if REFERENCE.match(t) or is_rule(t):
                    j += 1
                    if REFERENCE.match(t):
                        break
                    continue
                if t:
                    subject_lines.append(t)
                j += 1
            while (
                j < len(items)
                and isinstance(items[j], DraftPara)
                and (not clean(items[j].text) or is_rule(clean(items[j].text)))
            ):
                j += 1
            body = build_body(items[j:], attached_kind.numbering, _table_reader(profile))
            data["attached"] = {
                "type": attached_kind.id,
                "subject": " ".join(subject_lines),
                "body": body,
            }
            continue
        appendix: dict[str, Any] = {}
        j = items.index(texts[0]) if texts else len(items)
        label = None
        if texts and APPENDIX_LABEL.match(first):
            label = first
            j += 1
        titles = []
        reference = None
        while j < len(items) and isinstance(items[j], DraftPara):
            t = clean(items[j].text)
            if not t:
                j += 1
                continue
            if REFERENCE.match(t):
                reference = t
                j += 1
                break
            if is_caps(t) and items[j].align == "center" and not titles[3:]:
                titles.append(t)
                j += 1
                continue
            break
        auto = _appendix_label(profile, len(appendices), len(sections))
        if label is None:
            appendix["label"] = False
        elif label != auto:
            appendix["label"] = label
        if titles:
            appendix["title"] = titles
        if reference is None and profile.appendix.reference:
            appendix["reference"] = False
        elif reference is not None and not profile.appendix.reference:
            appendix["reference"] = reference
        if not landscape:
            appendix["orientation"] = "portrait"
        if own_header:
            appendix["header"] = True
        body = build_body(items[j:], numbering, _table_reader(profile, landscape))
        if not body:
            unplaced.append((first or "(phụ lục trống)", "phụ lục không có nội dung: bỏ"))
            continue
        appendix["body"] = body
        if "label" in appendix and appendix["label"] is False and not titles:
            appendix["title"] = [first or "PHỤ LỤC"]
        appendices.append(appendix)
    if appendices:
        data["appendices"] = appendices


def _appendix_label(profile: Profile, index: int, count: int) -> str:
    fmt = profile.appendix
    if count == 1:
        return fmt.single
    from mtcl_docs.render.numbering import roman

    n = index + 1
    return fmt.numbered.format(n=roman(n) if fmt.numerals == "roman" else str(n))
