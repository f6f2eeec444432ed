"""Who signs: the signing side's lines (`KT. GIÁM ĐỐC`, `PHÓ GIÁM ĐỐC`, the name) read as a
signer of the organisation (its key in data/orgs/) or written out, and the authority line the
build would print for that signer by itself."""

from __future__ import annotations

from typing import Any

from mtcl_docs.draft.signature import AUTHORITY
from mtcl_docs.draft.text import clean, is_caps, sentence_case
from mtcl_docs.kinds import Kind
from mtcl_docs.load.model import Authority, Organisation
from mtcl_docs.names import fold

AUTHORITIES = {
    "K/T": Authority.KT, "KT.": Authority.KT, "KT": Authority.KT, "T/M": Authority.TM,
    "TM.": Authority.TM, "TM": Authority.TM, "T/L": Authority.TL, "TL.": Authority.TL,
    "TL": Authority.TL, "TUQ.": Authority.TUQ, "TUQ": Authority.TUQ, "Q.": Authority.Q,
}  # fmt: skip


def read_signer(lines: list[str], kind: Kind, org: Organisation | None) -> tuple[Any, list[str]]:
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


def default_authority(signer: Any, org: Organisation | None, org_name: str) -> str:
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
