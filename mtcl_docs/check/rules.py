"""The format rules of spec §7, driven by the profile's `checks` and `roles` tables."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from docx.shared import Length

from mtcl_docs.check.locate import LocatedDocument, clean
from mtcl_docs.oxml.body import has_title_page
from mtcl_docs.oxml.resolve import ParaFacts
from mtcl_docs.profiles.profile import CheckRule, Profile

A4 = (210.0, 297.0)
FONT = "Times New Roman"
PREFIX = re.compile(r"^(K/T|T/M|T/L|T/U|KT\.|TM\.|TL\.|TUQ\.|Q\.)\s")


@dataclass(frozen=True)
class Outcome:
    """What one rule saw: ok (True/False, None when it does not apply), found and expected."""

    ok: bool | None
    found: str
    expected: str


@dataclass(frozen=True)
class Result:
    rule: str
    status: str  # PASS, FAIL, WARN, SKIP
    found: str
    expected: str
    basis: str


def _mm(length: Length | None) -> float:
    return round(length.mm, 1) if length is not None else 0.0


def _in(value: float | None, bounds) -> bool:
    return value is not None and bounds[0] - 0.05 <= value <= bounds[1] + 0.05


def _sizes(p: ParaFacts) -> str:
    return "/".join(f"{s:g}" for s in sorted(p.sizes())) or "?"


def _size_ok(p: ParaFacts, rule: CheckRule) -> bool:
    return rule.size is None or (bool(p.sizes()) and all(_in(s, rule.size) for s in p.sizes()))


def _range(bounds) -> str:
    return f"{bounds[0]:g}" if bounds[0] == bounds[1] else f"{bounds[0]:g}–{bounds[1]:g}"


def _looks(p: ParaFacts) -> str:
    flags = [
        name
        for name, attr in (("đậm", "bold"), ("nghiêng", "italic"), ("gạch chân", "underline"))
        if p.all(attr)
    ]
    return f"«{clean(p.text)[:60]}» cỡ {_sizes(p)}" + (f", {', '.join(flags)}" if flags else "")


def _styled(p: ParaFacts | None, rule: CheckRule, *, what: str, bold=None, italic=None, underline=None,
            caps=False, center=False) -> Outcome:  # fmt: skip
    """The common check: present, the right size, bold/italic/underline as asked, caps, centred."""
    expected = [what]
    if rule.size:
        expected.append(f"cỡ {_range(rule.size)}")
    for name, want in (("đậm", bold), ("nghiêng", italic), ("gạch chân", underline)):
        if want is not None:
            expected.append(name if want else f"không {name}")
    if caps:
        expected.append("in hoa")
    if center:
        expected.append("căn giữa")
    expect = ", ".join(expected)
    if p is None:
        return Outcome(False, "không thấy", expect)
    ok = _size_ok(p, rule)
    for attr, want in (("bold", bold), ("italic", italic), ("underline", underline)):
        if want is not None:
            ok = ok and (p.all(attr) if want else not p.any(attr))
    if caps:
        ok = ok and clean(p.text) == clean(p.text).upper()
    if center:
        ok = ok and p.align == "center"
    return Outcome(ok, _looks(p), expect)


def _pattern(p: ParaFacts | None, pattern: str) -> bool:
    return p is not None and re.match(pattern, clean(p.text)) is not None


# -- the rules ---------------------------------------------------------------------------------


def page(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    sizes = [(_mm(s.page_width), _mm(s.page_height)) for s in d.document.sections]
    bad = [s for s in sizes if not _a4(s)]
    return Outcome(
        not bad, ", ".join(f"{w:g} × {h:g} mm" for w, h in sizes), "A4 210 × 297 mm (±1)"
    )


def _a4(size: tuple[float, float]) -> bool:
    short, long_ = sorted(size)
    return abs(short - A4[0]) <= 1 and abs(long_ - A4[1]) <= 1


def orientation(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    first = d.document.sections[0]
    portrait = first.page_height > first.page_width
    return Outcome(portrait, "khổ dọc" if portrait else "khổ ngang", "trang đầu khổ dọc")


def margins(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    found, ok = [], True
    for i, s in enumerate(d.document.sections, 1):
        values = {
            "top": _mm(s.top_margin),
            "bottom": _mm(s.bottom_margin),
            "left": _mm(s.left_margin),
            "right": _mm(s.right_margin),
        }
        ok = ok and all(_in(values[k], getattr(r, k)) for k in values)
        found.append(
            f"phần {i}: trên {values['top']:g}, dưới {values['bottom']:g}, trái {values['left']:g}, phải {values['right']:g}"
        )
    expected = ", ".join(
        f"{name} {_range(getattr(r, k))}"
        for k, name in (("top", "trên"), ("bottom", "dưới"), ("left", "trái"), ("right", "phải"))
    )
    return Outcome(ok, "; ".join(found), expected + " mm")


def font(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    wrong = []
    for para, _ in d.items:
        for run in para.text_runs():
            name_ok = (run.font or "").lower() == FONT.lower()
            color_ok = (run.color or "auto").lower() in {"auto", "000000"}
            if not (name_ok and color_ok):
                wrong.append(
                    f"«{clean(run.text)[:30]}» {run.font or 'không rõ'}{'' if color_ok else ', màu ' + run.color}"
                )
    found = (
        f"{len(wrong)} đoạn sai, ví dụ {wrong[0]}" if wrong else "mọi chữ Times New Roman, màu đen"
    )
    return Outcome(not wrong, found, "Times New Roman, màu đen")


def national(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    out = _styled(d.national, r, what=p.national[0], bold=True, italic=False, caps=True)
    return Outcome(out.ok and _pattern(d.national, r.pattern), out.found, out.expected)


def motto(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    if len(p.national) < 2:
        return Outcome(
            d.motto is None, _looks(d.motto) if d.motto else "không có", "không có Tiêu ngữ"
        )
    out = _styled(d.motto, r, what=p.national[1], bold=True, italic=False)
    return Outcome(out.ok and _pattern(d.motto, r.pattern), out.found, out.expected)


def national_rule(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    last = d.motto if len(p.national) > 1 else d.national
    if last is None:
        return Outcome(None, "không thấy dòng trên", "đường kẻ dưới")
    found = d.rule_after(last)
    return Outcome(
        found,
        "có đường kẻ" if found else "không có đường kẻ",
        f"đường kẻ dưới «{clean(last.text)}»",
    )


def superior(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    if not d.superiors:
        return Outcome(None, "không có cơ quan chủ quản", "")
    outs = [_styled(x, r, what="cơ quan chủ quản", bold=False, caps=True) for x in d.superiors]
    return Outcome(all(o.ok for o in outs), "; ".join(o.found for o in outs), outs[0].expected)


def issuer(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    return _styled(d.issuer, r, what="tên cơ quan ban hành", bold=True, caps=True)


def issuer_mark(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    if d.issuer is None:
        return Outcome(None, "không thấy cơ quan ban hành", "")
    if p.issuer_mark:
        return Outcome(
            d.mark is not None,
            "có" if d.mark else "không có",
            f"dòng «{p.issuer_mark}» dưới tên cơ quan",
        )
    found = d.rule_after(d.issuer)
    return Outcome(
        found, "có đường kẻ" if found else "không có đường kẻ", "đường kẻ dưới tên cơ quan"
    )


def number(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    out = _styled(d.number, r, what="dòng số, ký hiệu", bold=False)
    stamp = p.checks.get("number_stamp")
    ok = _pattern(d.number, r.pattern) or (stamp is not None and _pattern(d.number, stamp.pattern))
    return Outcome(
        out.ok and ok,
        out.found,
        out.expected + f", dạng {p.number_pattern.format(number='NN', code='LOẠI', symbol='CQ')}",
    )


def number_stamp(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    strict = p.checks["number"].pattern
    if _pattern(d.number, strict):
        return Outcome(True, clean(d.number.text), "số viết liền ký hiệu")
    if _pattern(d.number, r.pattern):
        return Outcome(
            False,
            clean(d.number.text),
            "số viết liền ký hiệu (chừa chỗ đóng số là sai lệch thường gặp)",
        )
    return Outcome(None, "dòng số sai dạng (xem quy tắc số)", "")


def date(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    out = _styled(d.date, r, what="địa danh, ngày tháng năm", italic=True)
    return Outcome(
        out.ok and _pattern(d.date, r.pattern),
        out.found,
        out.expected + ", dạng «Hà Nội, ngày 05 tháng 3 năm 2022»",
    )


def doc_type(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    return _styled(d.doc_type, r, what="tên loại văn bản", bold=True, caps=True, center=True)


def subject(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    return _styled(d.subject, r, what="trích yếu", bold=True, center=True)


def subject_mark(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    want = p.subject_mark or "đường kẻ"
    mark = d.subject_mark
    ok = mark is not None and (clean(mark.text) == p.subject_mark if p.subject_mark else True)
    return Outcome(
        ok, clean(mark.text) or "đường kẻ" if mark else "không có", f"«{want}» dưới trích yếu"
    )


def basis(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    lines = d.basis
    if not lines:
        return Outcome(None, "không có căn cứ", "")
    italic = p.roles["basis"].italic
    problems = []
    for i, line in enumerate(lines):
        text = clean(line.text)
        if (line.all("italic") if italic else not line.any("italic")) is False:
            problems.append(f"«{text[:30]}» {'không ' if italic else ''}nghiêng")
        if i < len(lines) - 1 and not text.endswith(p.basis.end):
            problems.append(f"«{text[-20:]}» không kết thúc «{p.basis.end}»")
    expected = f"{'nghiêng' if italic else 'đứng'}, mỗi dòng kết thúc «{p.basis.end}»"
    return Outcome(not problems, "; ".join(problems) or f"{len(lines)} dòng đúng", expected)


def body(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    paras = [x for x in d.body if len(x.text) >= 20]
    if not paras:
        return Outcome(None, "không có nội dung", "")
    bad = [x for x in paras if not _size_ok(x, r)]
    found = (
        f"{len(bad)}/{len(paras)} đoạn sai cỡ, ví dụ {_looks(bad[0])}"
        if bad
        else f"{len(paras)} đoạn cỡ {_sizes(paras[0])}"
    )
    return Outcome(not bad, found, f"cỡ {_range(r.size)}")


def body_layout(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    paras = [x for x in d.body if len(x.text) >= 80]
    if not paras:
        return Outcome(None, "không có đoạn dài", "")
    problems = []
    for x in paras:
        if x.align not in ("both", "distribute"):
            problems.append("không căn đều hai bên")
        if r.indent_mm and not _in(x.first_line_mm, r.indent_mm):
            problems.append(f"thụt đầu dòng {x.first_line_mm:.1f} mm")
        if r.space_after_pt and not _in(x.space_after_pt or 0, r.space_after_pt):
            problems.append(f"cách đoạn {x.space_after_pt or 0:g} pt")
        if x.line_rule == "exact" and r.line_exact_pt and not _in(x.line_value, r.line_exact_pt):
            problems.append(f"giãn dòng chính xác {x.line_value:g} pt")
        if x.line_rule == "auto" and r.line and not _in(x.line_value, r.line):
            problems.append(f"giãn dòng {x.line_value:g} dòng")
    expected = (f"căn đều, thụt {_range(r.indent_mm)} mm, cách đoạn ≥ {r.space_after_pt[0]:g} pt, "
                f"giãn dòng {_range(r.line)} dòng hoặc chính xác {_range(r.line_exact_pt)} pt")  # fmt: skip
    found = (
        f"{len(problems)} chỗ: " + ", ".join(sorted(set(problems)))
        if problems
        else f"{len(paras)} đoạn đúng"
    )
    return Outcome(not problems, found, expected)


def signature(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    lines = d.signature_lines
    if not lines:
        return Outcome(None, "không thấy khối chữ ký (bảng có Nơi nhận)", "")
    authority, name = lines[0], lines[-1]
    out = _styled(authority, r, what="thẩm quyền, chức vụ", bold=True, caps=True)
    allowed = set(p.authority_prefix.values())
    prefix = PREFIX.match(clean(authority.text))
    prefix_ok = prefix is None or prefix.group(1) in allowed
    name_ok = name is not authority and name.all("bold") and _size_ok(name, r)
    found = out.found + (
        f"; tiền tố «{prefix.group(1)}» không dùng trong thể thức này" if not prefix_ok else ""
    )
    found += "" if name_ok else f"; họ tên {_looks(name)}"
    return Outcome(
        out.ok and prefix_ok and name_ok,
        found,
        out.expected + f"; tiền tố thuộc {sorted(allowed)} hoặc không có; họ tên đậm",
    )


def recipients_label(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    look = p.roles["recipients_label"]
    return _styled(
        d.recipients_label,
        r,
        what="«Nơi nhận:»",
        bold=look.bold,
        italic=look.italic,
        underline=look.underline,
    )


def recipients(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    entries = d.recipients
    if not entries:
        return Outcome(
            None if d.recipients_label is None else False, "không có dòng nào", "các dòng nơi nhận"
        )
    problems = [f"«{clean(x.text)[:25]}» cỡ {_sizes(x)}" for x in entries if not _size_ok(x, r)]
    problems += [
        f"«{clean(x.text)[:25]}» không bắt đầu «- »"
        for x in entries
        if not clean(x.text).startswith("-")
    ]
    problems += [f"«{clean(x.text)[-20:]}» không kết thúc «{p.recipients.end}»" for x in entries[:-1]
                 if not clean(x.text).endswith(p.recipients.end)]  # fmt: skip
    if not _pattern(entries[-1], r.pattern):
        problems.append(f"dòng cuối «{clean(entries[-1].text)}»")
    expected = f"cỡ {_range(r.size)}, mỗi dòng «- …{p.recipients.end}», dòng cuối dạng «- {p.recipients.archive.format(unit='…')}.»"
    return Outcome(not problems, "; ".join(problems) or f"{len(entries)} dòng đúng", expected)


def _has_page_field(part) -> bool:
    xml = part._element.xml if part is not None else ""
    return re.search(r"instrText[^>]*>\s*PAGE\b|fldSimple[^>]*PAGE", xml) is not None


def page_number(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    first = d.document.sections[0]
    ok = not first.header.is_linked_to_previous and _has_page_field(first.header)
    return Outcome(
        ok,
        "có số trang ở đầu trang" if ok else "không có số trang",
        "số trang ở giữa lề trên, từ trang 2",
    )


def page_one(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    first = d.document.sections[0]
    title_pg = has_title_page(first)
    numbered = _has_page_field(first.header) and not first.header.is_linked_to_previous
    on_first = numbered and (not title_pg or _has_page_field(first.first_page_header))
    return Outcome(
        not on_first,
        "trang 1 có số trang" if on_first else "trang 1 không có số trang",
        "trang 1 không đánh số",
    )


def appendix(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    heads = d.appendix_headings
    if not heads:
        return Outcome(None, "không có phụ lục", "")
    bad = [
        h for h in heads if not (_pattern(h, r.pattern) and h.all("bold") and h.align == "center")
    ]
    found = "; ".join(_looks(h) for h in heads)
    return Outcome(not bad, found, f"tiêu đề dạng {r.pattern}, đậm, căn giữa")


RULES: dict[str, Callable[[LocatedDocument, Profile, CheckRule], Outcome]] = {
    "page": page, "orientation": orientation, "margins": margins, "font": font,
    "national": national, "motto": motto, "national_rule": national_rule,
    "superior": superior, "issuer": issuer, "issuer_mark": issuer_mark,
    "number": number, "number_stamp": number_stamp, "date": date,
    "doc_type": doc_type, "subject": subject, "subject_mark": subject_mark,
    "basis": basis, "body": body, "body_layout": body_layout, "signature": signature,
    "recipients_label": recipients_label, "recipients": recipients,
    "page_number": page_number, "page_one": page_one, "appendix": appendix,
}  # fmt: skip


def run_checks(doc: LocatedDocument, profile: Profile) -> list[Result]:
    """Every rule the profile lists, in the table's order."""
    prefix = profile.name.upper()
    results = []
    for name, rule in profile.checks.items():
        outcome = RULES[name](doc, profile, rule)
        status = "SKIP" if outcome.ok is None else "PASS" if outcome.ok else rule.level.upper()
        results.append(
            Result(f"{prefix}.{name.upper()}", status, outcome.found, outcome.expected, rule.basis)
        )
    return results
