"""`mtcl-docs fix`: a Word draft imported, then built as a conforming DOCX and PDF, with a short
Vietnamese account of what changed (font, sizes, margins, date, Quốc hiệu, number line, Nơi nhận
punctuation…) and the proof that the words did not: the draft's text and the result's, compared.

A draft keeps the number typed in it (as data) or stays a draft: fix never asks the register for
a number (that is `register issue`, once the document is signed)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.build import BuildReport, Paths, build
from mtcl_docs.check.run import CheckError, CheckReport, check_file
from mtcl_docs.draft.header import read_header
from mtcl_docs.draft.importer import Imported, kind_titles
from mtcl_docs.draft.save import ImportResult, import_file
from mtcl_docs.draft.signature import read_foot
from mtcl_docs.draft.text import clean
from mtcl_docs.draft.words import WordCheck, compare, words
from mtcl_docs.number.register import Register, RegisterError
from mtcl_docs.oxml.draft_read import DraftFile, DraftPara, read_draft


@dataclass
class FixResult:
    """What fix did: the import, the build, the files made, what changed, and the word check."""

    imported: ImportResult
    build: BuildReport | None = None
    docx: Path | None = None
    pdf: Path | None = None
    changes: list[str] = field(default_factory=list)
    words: WordCheck | None = None
    check: CheckReport | None = None
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def fix_file(source: Path, paths: Paths, profile: str | None = None, pdf: bool = True,
             target: Path | None = None, jobs: int | None = None,
             unoservers: list[str] | None = None) -> FixResult:  # fmt: skip
    """Import `source` into `paths.data`, build it into `paths.output`, and say what changed."""
    started = time.perf_counter()
    imported = import_file(source, paths.data, profile, target, _register_knows(paths))
    result = FixResult(imported)
    result.seconds["import"] = time.perf_counter() - started
    name = imported.data_path.stem
    at = time.perf_counter()
    report = build(paths, pdf=pdf, jobs=jobs, only=[name], unoservers=unoservers)
    result.seconds["build"] = time.perf_counter() - at
    result.build = report
    mine = [p for p in report.problems if name in str(p)]
    result.problems = [str(p) for p in mine]
    docx = paths.output / "docx" / imported.imported.org_id / f"{name}.docx"
    pdf_path = paths.output / "pdf" / imported.imported.org_id / f"{name}.pdf"
    if not docx.is_file():
        return result
    result.docx = docx
    result.pdf = pdf_path if pdf and pdf_path.is_file() else None
    at = time.perf_counter()
    after = read_draft(docx)
    result.changes = changes(imported.imported, after)
    result.words = compare(words(imported.imported.kept_items), words(_kept_of(after, paths.data)))
    try:
        result.check = check_file(docx, imported.imported.profile.name)
    except CheckError as exc:
        result.problems.append(str(exc))
    result.seconds["compare"] = time.perf_counter() - at
    return result


def _kept_of(draft: DraftFile, data_dir: Path) -> list:
    """The căn cứ, body (lists and tables in it) and salutation of a built document, read exactly
    as the draft was, so that the two word lists line up."""
    from mtcl_docs.draft.importer import import_draft

    return import_draft(draft.path, data_dir, draft=draft).kept_items


def _register_knows(paths: Paths):
    """Whether the register already holds a document id (a number given to it): the draft then
    takes another name, never that document's number."""
    if not paths.register.is_file():
        return None

    def knows(doc_id: str) -> bool:
        try:
            with Register.open(paths.register) as register:
                return bool(register.history(doc_id))
        except RegisterError:
            return False

    return knows


def _main_font(draft: DraftFile) -> str | None:
    return draft.fonts.most_common(1)[0][0] if draft.fonts else None


def _body_size(draft: DraftFile, items: list) -> float | None:
    sizes: Counter = Counter()
    for p in items:
        if isinstance(p, DraftPara) and clean(p.text):
            for s in p.sizes:
                sizes[s] += len(p.text)
    return sizes.most_common(1)[0][0] if sizes else None


def _mm(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def changes(imp: Imported, after: DraftFile) -> list[str]:
    """What the conforming document does differently from the draft, in the clerk's words."""
    before = imp.draft
    out: list[str] = []
    font_before, font_after = _main_font(before), _main_font(after)
    if font_before and font_after and font_before != font_after:
        out.append(f"Phông chữ: {font_before} → {font_after}")
    size_before = _body_size(before, imp.flow_items)
    size_after = _body_size(after, [p for p in after.items if isinstance(p, DraftPara)])
    if size_before and size_after and size_before != size_after:
        out.append(f"Cỡ chữ nội dung: {_mm(size_before)} → {_mm(size_after)}")
    if before.sections and after.sections:
        m0, m1 = before.sections[0].margins_mm, after.sections[0].margins_mm
        sides = ("top", "bottom", "left", "right")
        if any(abs(m0[s] - m1[s]) > 0.5 for s in sides):
            old = "/".join(_mm(round(m0[s], 1)) for s in sides)
            new = "/".join(_mm(round(m1[s], 1)) for s in sides)
            out.append(f"Lề trang (trên/dưới/trái/phải, mm): {old} → {new}")
        s0, s1 = before.sections[0], after.sections[0]
        if abs(s0.width_mm - s1.width_mm) > 1 or abs(s0.height_mm - s1.height_mm) > 1:
            out.append(
                f"Khổ giấy: {_mm(s0.width_mm)} × {_mm(s0.height_mm)} mm → A4 "
                f"({_mm(s1.width_mm)} × {_mm(s1.height_mm)} mm)"
            )
    h0 = imp.header
    h1, _ = read_header(after.items, kind_titles())
    if h0.national is None and h1.national and h1.motto:
        out.append(f"Thêm Quốc hiệu và Tiêu ngữ: {h1.national} / {h1.motto}")
    elif h0.national is None and h1.national:
        out.append(f"Thêm dòng {h1.national}")
    elif h0.national and h1.national and h0.national != h1.national:
        out.append(f"Quốc hiệu: «{h0.national}» → «{h1.national}»")
    if h0.national and h1.motto and h0.motto != h1.motto:
        out.append(f"Tiêu ngữ: «{h0.motto or '(không có)'}» → «{h1.motto}»")
    for what, old, new in (
        ("Số, ký hiệu", h0.number, h1.number),
        ("Địa danh, ngày tháng", h0.date_text, h1.date_text),
        ("Trích yếu", h0.subject or imp.subject_text, h1.subject),
    ):
        if old and new and clean(old) != clean(new):
            out.append(f"{what}: «{clean(old)}» → «{clean(new)}»")
    if any(isinstance(i, DraftPara) and i.box is not None for i in before.items[:40]):
        out.append("Phần đầu gõ trong hộp văn bản (text box) → bảng hai cột không viền")
    elif not any(not isinstance(i, DraftPara) for i in before.items[:3]) and h0.left:
        out.append("Phần đầu gõ bằng tab/dấu cách → bảng hai cột không viền")
    if any(isinstance(i, DraftPara) and i.list_label for i in before.items):
        out.append(
            "Số thứ tự tự động của Word (danh sách) → số gõ sẵn theo cách đánh số của loại văn bản"
        )
    f0 = imp.foot
    f1 = read_foot(after.items)
    if f0 is not None:
        old_lines = [clean(x) for x in _raw_recipient_lines(imp)]
        new_lines = [clean(x) for x in _raw_recipients_after(after)]
        if old_lines and new_lines and old_lines != new_lines:
            out.append(
                "Nơi nhận: " + "; ".join(f"«{a}» → «{b}»" for a, b in zip(old_lines, new_lines, strict=False) if a != b)
                + ("" if len(old_lines) == len(new_lines) else f" (thêm {len(new_lines) - len(old_lines)} dòng)")
            )  # fmt: skip
        if (
            f0.signer
            and f1.signer
            and [clean(x) for x in f0.signer] != [clean(x) for x in f1.signer]
        ):
            out.append(f"Chữ ký: «{' / '.join(f0.signer)}» → «{' / '.join(f1.signer)}»")
    spaced = sum(1 for i in imp.flow_items if isinstance(i, DraftPara) and "  " in i.text.strip())
    if spaced:
        out.append(f"Bỏ khoảng trắng thừa trong {spaced} đoạn")
    return out


def _raw_recipient_lines(imp: Imported) -> list[str]:
    return _recipients_in(imp.draft.items)


def _raw_recipients_after(after: DraftFile) -> list[str]:
    return _recipients_in(after.items)


def _recipients_in(items: list) -> list[str]:
    """The lines under `Nơi nhận:` as typed (table cell or paragraphs, tabs cut off)."""
    from mtcl_docs.draft.signature import RECIPIENTS, SPLIT
    from mtcl_docs.oxml.draft_read import DraftTable

    lines: list[str] = []
    for item in items:
        paras = (
            [p for r in item.rows for c in r.cells for p in c.paras]
            if isinstance(item, DraftTable)
            else [item]
        )
        for p in paras:
            for line in p.text.split("\n"):
                left = SPLIT.split(line)[0] if SPLIT.search(line) else line
                lines.append(left)
    start = next((i for i, t in enumerate(lines) if RECIPIENTS.match(clean(t))), None)
    if start is None:
        return []
    out = []
    for t in lines[start + 1 :]:
        t = clean(t)
        if not t:
            continue
        if not t.startswith(("-", "–", "+")):
            break
        out.append(t)
    return out
