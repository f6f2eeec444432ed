"""The sections after a draft's first: a text issued with the decision (its own header and a QUY
CHẾ / QUY ĐỊNH title) or appendices (label, title lines, `(Kèm theo …)`, orientation, body)."""

from __future__ import annotations

import re
from typing import Any

from mtcl_docs.draft.body import build_body
from mtcl_docs.draft.tables import table_reader
from mtcl_docs.draft.text import clean, is_caps, is_rule
from mtcl_docs.kinds import Kind, kinds_in
from mtcl_docs.numerals import roman
from mtcl_docs.oxml.draft_read import DraftPara, DraftTable
from mtcl_docs.profiles import Profile

APPENDIX_LABEL = re.compile(r"^(Phụ lục|PHỤ LỤC)(\s+[0-9IVXLC]+)?$")
REFERENCE = re.compile(r"^\((Ban hành )?[Kk]èm theo .+\)$")


def later_sections(sections: list[tuple[list[DraftPara | DraftTable], bool]], kind: Kind,
                   profile: Profile, data: dict[str, Any], unplaced: list) -> None:  # fmt: skip
    """Sections after the first (each with whether its pages are landscape): a text issued
    with the decision (its own header and a QUY CHẾ / QUY ĐỊNH title), or appendices."""
    appendices = []
    numbering = kind.numbering
    attachable = {k.title: k for k in kinds_in(profile.family) if k.attachable and k.title}
    for items, landscape in sections:
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
            body = build_body(items[j:], attached_kind.numbering, table_reader(profile))
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
        auto = appendix_label(profile, len(appendices), len(sections))
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
        body = build_body(items[j:], numbering, table_reader(profile, landscape))
        if not body:
            unplaced.append((first or "(phụ lục trống)", "phụ lục không có nội dung: bỏ"))
            continue
        appendix["body"] = body
        if "label" in appendix and appendix["label"] is False and not titles:
            appendix["title"] = [first or "PHỤ LỤC"]
        appendices.append(appendix)
    if appendices:
        data["appendices"] = appendices


def appendix_label(profile: Profile, index: int, count: int) -> str:
    fmt = profile.appendix
    if count == 1:
        return fmt.single
    n = index + 1
    return fmt.numbered.format(n=roman(n) if fmt.numerals == "roman" else str(n))
