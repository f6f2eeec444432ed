"""The format rules of spec §7, driven by the profile's `checks` and `roles` tables and by the
document's kind (its table says which parts it has: a title, a trích yếu under the number, an
enacting line, articles, two signers…)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from docx.shared import Length

from mtcl_docs.check.locate import ARTICLE, LocatedDocument, clean, enacting_pattern, is_caps
from mtcl_docs.oxml.body import has_title_page
from mtcl_docs.oxml.resolve import ParaFacts
from mtcl_docs.oxml.sections import has_page_field
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
    uncoded = d.kind is not None and not d.kind.code
    form = p.number_pattern_uncoded if uncoded else p.number_pattern
    return Outcome(
        out.ok and ok,
        out.found,
        out.expected + f", dạng {form.format(number='NN', code='LOẠI', symbol='CQ')}",
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
    if d.date is None and d.kind is not None and not d.kind.date_line:
        return Outcome(None, f"{d.kind.name.lower()} không có dòng địa danh, ngày tháng", "")
    out = _styled(d.date, r, what="địa danh, ngày tháng năm", italic=True)
    return Outcome(
        out.ok and _pattern(d.date, r.pattern),
        out.found,
        out.expected + ", dạng «Hà Nội, ngày 05 tháng 3 năm 2022»",
    )


def doc_type(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    if d.kind is not None and d.kind.title is None:
        return Outcome(None, f"{d.kind.name.lower()} không có tên loại", "")
    return _styled(d.doc_type, r, what="tên loại văn bản", bold=True, caps=True, center=True)


def _subject_place(d: LocatedDocument) -> str:
    return d.kind.subject.place if d.kind is not None else "title"


def subject(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    place = _subject_place(d)
    if place == "none":
        return Outcome(None, f"{d.kind.name.lower()} không có trích yếu", "")
    if place == "header":
        return Outcome(
            None, f"trích yếu của {d.kind.name.lower()} ở dưới số (xem SUBJECT_HEADER)", ""
        )
    return _styled(d.subject, r, what="trích yếu", bold=True, center=True)


def subject_mark(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    place = _subject_place(d)
    if place == "header":
        return Outcome(None, f"{d.kind.name.lower()} không có đường kẻ dưới trích yếu", "")
    want = p.subject_mark or "đường kẻ"
    under = "tên loại" if place == "none" else "trích yếu"
    mark = d.subject_mark
    ok = mark is not None and (clean(mark.text) == p.subject_mark if p.subject_mark else True)
    return Outcome(
        ok, clean(mark.text) or "đường kẻ" if mark else "không có", f"«{want}» dưới {under}"
    )


def subject_header(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    """A công văn's trích yếu: under the number, in the header's left cell (NĐ 30 `V/v …`)."""
    look = p.roles["subject_header"]
    what = "trích yếu dưới số" + (f" dạng {r.pattern.lstrip('^').strip()} …" if r.pattern else "")
    out = _styled(d.subject_header, r, what=what, bold=look.bold, italic=look.italic)
    ok = out.ok and (r.pattern is None or _pattern(d.subject_header, r.pattern))
    return Outcome(ok, out.found, out.expected)


def subject_vv(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    """`V/v` is a công văn's; a kind with a title writes its trích yếu without it."""
    if d.subject is None:
        return Outcome(None, "không thấy trích yếu", "")
    wrong = _pattern(d.subject, r.pattern)
    return Outcome(
        not wrong,
        _looks(d.subject),
        f"trích yếu của {d.kind.name.lower()} không mở đầu bằng «V/v» (chỉ công văn dùng)",
    )


def addressees(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    label = d.kind.addressees.label
    found = d.addressee_label
    expected = f"dòng «{label.replace('{issuer_caps}', '<CƠ QUAN>')} …» trước nội dung"
    if found is None:
        return Outcome(False, "không có", expected)
    lines = d.addressee_lines
    bad = [x for x in lines if not _size_ok(x, r)]
    found_text = f"«{clean(found.text)[:40]}»" + (
        f", {len(lines) - 1} dòng - …" if len(lines) > 1 else ""
    )
    if bad:
        found_text += f"; sai cỡ: {_looks(bad[0])}"
    return Outcome(not bad, found_text, expected + (f", cỡ {_range(r.size)}" if r.size else ""))


def enacting(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    """`QUYẾT ĐỊNH:` / `QUYẾT NGHỊ:` (Party: `<TẬP THỂ> QUYẾT ĐỊNH`), bold, centred, before the
    articles."""
    line = d.kind.enacting
    shown = line.replace("{authority}", "<THẨM QUYỀN>")
    out = _styled(d.enacting, r, what=f"dòng «{shown}»", bold=True, caps=True, center=True)
    if d.enacting is None:
        return out
    colon = enacting_pattern(line).match(clean(d.enacting.text)).group(1)
    colon_ok = colon == ":" if line.endswith(":") else True
    found = out.found + ("" if colon_ok else ", thiếu dấu hai chấm")
    return Outcome(out.ok and colon_ok, found, out.expected)


def articles(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    numbers = [int(ARTICLE.match(clean(x.text)).group(1)) for x in d.articles]
    expected = f"nội dung chia Điều: «Điều 1.» … («{d.kind.name}» đánh số Điều)"
    if 1 not in numbers:
        return Outcome(
            False, "không có «Điều 1.»" + (f" (có Điều {numbers[0]})" if numbers else ""), expected
        )
    return Outcome(True, f"Điều 1 … Điều {max(numbers)}", expected)


def _tones(text: str) -> str:
    """Old and new tone placement read alike: HOÀ = HÒA, TOẠ = TỌA, UỶ = ỦY."""
    pairs = {"OÀ": "ÒA", "OÁ": "ÓA", "OẢ": "ỎA", "OÃ": "ÕA", "OẠ": "ỌA", "OÈ": "ÒE", "OÉ": "ÓE",
             "OẺ": "ỎE", "OẼ": "ÕE", "OẸ": "ỌE", "UỲ": "ÙY", "UÝ": "ÚY", "UỶ": "ỦY", "UỸ": "ŨY",
             "UỴ": "ỤY"}  # fmt: skip
    text = clean(text).upper()
    for old, new in pairs.items():
        text = text.replace(old, new)
    return text


def signers(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    """Two signers side by side (biên bản): each a bold capital label and a bold name."""
    left, right = d.left_signer_lines, d.signature_lines
    expected = (f"hai người ký ngang hàng: «{d.kind.signature.left.label}» bên trái, "
                f"«{d.kind.signature.right_label}» bên phải, chức danh in hoa đậm, họ tên đậm")  # fmt: skip
    if not left or not right:
        return Outcome(
            False, "chỉ thấy một người ký" if left or right else "không thấy khối chữ ký", expected
        )
    problems = []
    for side, lines in (("trái", left), ("phải", right)):
        head, name = lines[0], lines[-1]
        if not (is_caps(clean(head.text)) and head.all("bold") and _size_ok(head, r)):
            problems.append(f"bên {side}: {_looks(head)}")
        if name is head or not (name.all("bold") and _size_ok(name, r)):
            problems.append(f"bên {side}, họ tên: {_looks(name)}")
    found = "; ".join(problems) or f"«{clean(left[0].text)}» | «{clean(right[0].text)}»"
    return Outcome(not problems, found, expected)


def signer_labels(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    left, right = d.left_signer_lines, d.signature_lines
    if not left or not right:
        return Outcome(None, "không thấy hai người ký (xem SIGNERS)", "")
    want = (d.kind.signature.left.label, d.kind.signature.right_label)
    have = (clean(left[0].text), clean(right[0].text))
    ok = all(_tones(h) == _tones(w) for h, w in zip(have, want, strict=True))
    return Outcome(ok, f"«{have[0]}» | «{have[1]}»", f"«{want[0]}» | «{want[1]}»")


def attached(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    """A text issued with the document: its own header without number or date, a title in
    capitals, and an italic `(Kèm theo … số …)` line."""
    problems, titles = [], []
    for texts in d.attached_texts:
        parts = d.attached_parts(texts)
        title, reference = parts["title"], parts["reference"]
        if title is None:
            problems.append("không thấy tên loại")
        else:
            titles.append(clean(title.text))
            if not (title.all("bold") and title.align == "center"):
                problems.append(f"tên loại {_looks(title)}")
        if reference is None:
            problems.append("không có dòng «(Kèm theo … số …)»")
        elif not reference.all("italic"):
            problems.append(f"dòng kèm theo không nghiêng: {_looks(reference)}")
        elif parts["rule"] is None:
            problems.append("không có đường kẻ dưới dòng kèm theo")
        for key, what in (("number", "số"), ("date", "ngày tháng")):
            if parts[key] is not None:
                problems.append(f"có {what} riêng: «{clean(parts[key].text)}»")
    found = "; ".join(problems) or ", ".join(f"«{t}»" for t in titles)
    return Outcome(not problems, found, "tên loại in hoa đậm căn giữa; «(Kèm theo … số …)» nghiêng, "
                                        "đường kẻ dưới; không số, ngày riêng")  # fmt: skip


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
    paras = [x for x in d.body_paragraphs if len(x.text) >= 80]
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
        return Outcome(
            None, "không thấy khối chữ ký (bảng có Nơi nhận hay chức danh in hoa đậm)", ""
        )
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
    if d.recipients_label is None:
        return Outcome(None, "văn bản không có Nơi nhận", "")
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
    if d.recipients_label is None:
        return Outcome(None, "văn bản không có Nơi nhận", "")
    if not entries:
        return Outcome(False, "không có dòng nào", "các dòng nơi nhận")
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


def page_number(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    first = d.document.sections[0]
    ok = not first.header.is_linked_to_previous and has_page_field(first.header)
    return Outcome(
        ok,
        "có số trang ở đầu trang" if ok else "không có số trang",
        "số trang ở giữa lề trên, từ trang 2",
    )


def page_one(d: LocatedDocument, p: Profile, r: CheckRule) -> Outcome:
    first = d.document.sections[0]
    title_pg = has_title_page(first)
    numbered = has_page_field(first.header) and not first.header.is_linked_to_previous
    on_first = numbered and (not title_pg or has_page_field(first.first_page_header))
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
    "subject_header": subject_header, "subject_vv": subject_vv, "addressees": addressees,
    "basis": basis, "enacting": enacting, "articles": articles,
    "body": body, "body_layout": body_layout, "signature": signature,
    "signers": signers, "signer_labels": signer_labels,
    "recipients_label": recipients_label, "recipients": recipients,
    "page_number": page_number, "page_one": page_one, "appendix": appendix, "attached": attached,
}  # fmt: skip


def _two_signers(d: LocatedDocument) -> bool:
    return d.kind is not None and d.kind.signature.left is not None


# Rules that belong to some kinds only, read from the kind's table; a rule the document's kind
# does not have is left out of the report (every other rule applies to every document).
APPLIES: dict[str, Callable[[LocatedDocument], bool]] = {
    "subject_header": lambda d: d.kind is not None and d.kind.subject.place == "header",
    "subject_vv": lambda d: d.kind is not None and d.kind.title is not None
    and d.kind.subject.place == "title",
    "addressees": lambda d: d.kind is not None and "addressees" in d.kind.parts
    and d.kind.addressees.required,
    "enacting": lambda d: d.kind is not None and bool(d.kind.enacting),
    "articles": lambda d: d.kind is not None and d.kind.numbering[:1] == ("Điều",),
    "signers": _two_signers,
    "signer_labels": _two_signers,
    "attached": lambda d: bool(d.attached_texts),
}  # fmt: skip


def run_checks(doc: LocatedDocument, profile: Profile) -> list[Result]:
    """Every rule the profile lists that applies to the document's kind, in the table's order."""
    prefix = profile.name.upper()
    results = []
    for name, rule in profile.checks.items():
        if not APPLIES.get(name, lambda _: True)(doc):
            continue
        outcome = RULES[name](doc, profile, rule)
        status = "SKIP" if outcome.ok is None else "PASS" if outcome.ok else rule.level.upper()
        results.append(
            Result(f"{prefix}.{name.upper()}", status, outcome.found, outcome.expected, rule.basis)
        )
    return results
