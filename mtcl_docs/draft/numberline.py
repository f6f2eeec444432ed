"""The number line of a draft — `Số 215-CV/HVBCTT-TTKT&ĐBCLĐT` (Party), `Số: 216/QĐ-ĐHM`,
`Số:    /QĐ-ĐHM` (a draft, no number yet) — read into its number, type code, the body's symbol
and the drafting unit written after it."""

from __future__ import annotations

import re
from typing import Any

from mtcl_docs.draft.text import clean
from mtcl_docs.load.model import Organisation


def parse_number(text: str | None, org: Organisation | None, regime: str,
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
