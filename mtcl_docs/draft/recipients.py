"""Nơi nhận as data: the `Lưu` line split into units, copies kept and drafter's initials, and the
first lines the kind adds by itself (Như trên, Như Điều N), which the data need not repeat."""

from __future__ import annotations

import re

from mtcl_docs.draft.text import clean
from mtcl_docs.kinds import Kind
from mtcl_docs.load.model import Organisation
from mtcl_docs.names import fold


def archive_line(
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


def automatic_lines(kind: Kind, addressed: bool, fields: dict[str, str]) -> set[str]:
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
