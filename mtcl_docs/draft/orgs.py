"""Which organisation issued the draft: one of data/orgs/ matched by name (accents, capitals and
line breaks ignored), or a new organisation file made from what the draft prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtcl_docs.draft.text import clean, is_caps, sentence_case
from mtcl_docs.errors import DocumentError
from mtcl_docs.load.loader import ORG_DIR, load_org
from mtcl_docs.load.model import Organisation
from mtcl_docs.names import fold
from mtcl_docs.names import slug as file_slug


@dataclass
class OrgMatch:
    """The issuing body found in the header: a known organisation, or the names to make one."""

    org: Organisation | None
    issuer_caps: str  # as printed, lines kept
    superior_caps: str | None


def known_orgs(data_dir: Path) -> dict[str, Organisation]:
    """data/orgs/*.yaml that load (a broken one cannot be matched, and is reported by build)."""
    out = {}
    for path in sorted((data_dir / ORG_DIR).glob("*.yaml")):
        try:
            org = load_org(path)
        except DocumentError:
            continue
        out[org.id] = org
    return out


def _names(org: Organisation) -> set[str]:
    return {fold(org.name), fold(org.caps_name.replace("\n", " "))}


def match_org(left: list[str], orgs: dict[str, Organisation], symbol: str | None,
              bold: list[bool] | None = None) -> OrgMatch:  # fmt: skip
    """Split the header's left lines into superior and issuer so that the issuer is a known
    organisation; otherwise the bold lines at the end are the issuer (the superior is not bold),
    or the last line when all look alike."""
    for k in range(len(left)):
        for issuer in (left[k:], left[k : k + 1]):
            key = fold(" ".join(issuer).replace("\n", " "))
            for org in orgs.values():
                if key in _names(org):
                    superior = "\n".join(left[:k]) or None
                    return OrgMatch(org, "\n".join(issuer), superior)
    if symbol:
        by_symbol = [o for o in orgs.values() if o.symbol == symbol]
        if len(by_symbol) == 1 and left:
            return OrgMatch(by_symbol[0], left[-1], "\n".join(left[:-1]) or None)
    if not left:
        return OrgMatch(None, "", None)
    bold = bold or [False] * len(left)
    k = len(left)
    while k > 0 and bold[k - 1]:
        k -= 1
    if k == len(left) or k == 0:
        k = len(left) - 1
    return OrgMatch(None, "\n".join(left[k:]), "\n".join(left[:k]) or None)


def proper_case(caps: str, texts: list[str]) -> str:
    """A name printed in capitals written as the draft's own text writes it (`SỞ VĂN HÓA VÀ THỂ
    THAO` → `Sở Văn hóa và Thể thao` when the text says so), else in sentence case."""
    wanted = fold(caps)
    if not wanted:
        return caps
    for text in texts:
        line = clean(text)
        if is_caps(line):
            continue
        at = _folded(line).find(wanted)
        if at >= 0:
            return line[at : at + len(wanted)]
    return sentence_case(caps)


def _folded(text: str) -> str:
    """`fold` without collapsing spaces: one character for each character of `text`."""
    return "".join(fold(c) or " " for c in text)


def slug(text: str) -> str:
    """A file name from a name: `Trường Đại học Mẫu` → `truong-dai-hoc-mau`, at most 60 letters."""
    return file_slug(text)[:60] or "co-quan"


def new_org_data(match: OrgMatch, symbol: str | None, place: str | None, profile: str,
                 units: list[str], signer: dict[str, Any] | None,
                 texts: list[str]) -> dict[str, Any]:  # fmt: skip
    """The data of an organisation file for a body not in data/orgs/; `texts` are the draft's
    paragraphs, where the names may be written in ordinary case."""
    name = proper_case(match.issuer_caps.replace("\n", " "), texts)
    data: dict[str, Any] = {}
    if match.superior_caps:
        data["superior"] = proper_case(match.superior_caps.replace("\n", " "), texts)
        if "\n" in match.superior_caps:
            data["superior_caps"] = match.superior_caps
    data["name"] = name
    if "\n" in match.issuer_caps:
        data["name_caps"] = match.issuer_caps
    data["symbol"] = symbol or _initials(name)
    data["place"] = place or "Hà Nội"
    data["profile"] = profile
    if profile.startswith("party"):
        # a Party body numbers per committee term (HD 36 §1.3.1), whose start the draft does not
        # say: numbered per year until the clerk writes numbering: terms: […]
        data["numbering"] = {"scope": "year"}
    data["units"] = [{"code": u, "name": u} for u in units]
    data["signers"] = {"nguoi-ky": signer} if signer else {}
    return data


def _initials(name: str) -> str:
    letters = "".join(w[0] for w in clean(name).split() if w[:1].isalpha()).upper()
    return letters or "CQ"


def org_id_for(match: OrgMatch, symbol: str | None, data_dir: Path) -> str:
    """An unused file name in data/orgs/ for the new organisation."""
    base = slug(symbol or match.issuer_caps or "co-quan")
    name, n = base, 2
    while (data_dir / ORG_DIR / f"{name}.yaml").exists():
        name, n = f"{base}-{n}", n + 1
    return name
