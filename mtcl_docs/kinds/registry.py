"""Reading the kind tables and finding the kind a document names (id, name or code)."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mtcl_docs.kinds.kind import Kind
from mtcl_docs.load.messages import summary
from mtcl_docs.tables import deep_merge

TABLES = Path(__file__).parent / "tables"
REGIMES = ("nd30", "party")


class KindError(ValueError):
    """A type no table answers, or a kind the document's regime does not have."""


def _rows(path: Path) -> list[dict[str, Any]]:
    """A file holds one kind, or `kinds:` rows sharing the file's `defaults:`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "kinds" not in raw:
        return [raw]
    return [deep_merge(raw.get("defaults", {}), row) for row in raw["kinds"]]


@cache
def _tables() -> dict[str, dict[str, dict[str, Any]]]:
    """kind id → regime → the merged raw table (a regime absent when the kind does not exist there)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(TABLES.glob("*.yaml")):
        for row in _rows(path):
            regimes = row.pop("regimes", {}) or {}
            out[row["id"]] = {
                regime: deep_merge(row, regimes.get(regime) or {})
                for regime in REGIMES
                if regimes.get(regime, {}) is not False
            }
    return out


@cache
def _kind(kind_id: str, regime: str) -> Kind:
    try:
        return Kind.model_validate(_tables()[kind_id][regime])
    except ValidationError as exc:  # a broken table is the developers' error, said plainly
        raise KindError(f"bảng loại văn bản {kind_id} ({regime}) hỏng: {summary(exc)}") from exc


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split())).casefold()


def kind_ids() -> list[str]:
    return sorted(_tables())


def kinds_in(regime: str) -> list[Kind]:
    """Every kind the regime has."""
    return [_kind(k, regime) for k, regimes in sorted(_tables().items()) if regime in regimes]


def find_kind(type_: str, regime: str, title: str | None = None, code: str | None = None) -> Kind:
    """The kind a document's `type:` names — its id (`cong-van`), name (`Công văn`) or code (`CV`)
    — in the regime; `title` and `code` let a document print a qualified or free type name
    (`CHƯƠNG TRÌNH HÀNH ĐỘNG`, code CTr)."""
    wanted = _key(type_)
    by_name = [
        kind_id
        for kind_id, regimes in _tables().items()
        if wanted in {_key(kind_id), *(_key(r["name"]) for r in regimes.values())}
    ]
    by_code = [
        kind_id
        for kind_id, regimes in _tables().items()
        if regime in regimes
        and regimes[regime].get("code")
        and _key(regimes[regime]["code"]) == wanted
    ]
    if not by_name and len(by_code) > 1:
        raise KindError(
            f'"{type_}" là ký hiệu của nhiều loại ({", ".join(sorted(by_code))}): ghi type: bằng tên loại'
        )
    match = (by_name or by_code or [None])[0]
    if match is None:
        if not (title or code):
            raise KindError(
                f'"{type_}" không phải loại văn bản đã biết (có: {", ".join(kind_ids())}); '
                "loại khác thì ghi thêm title: (tên loại in hoa) và code: (chữ viết tắt)"
            )
        base = _kind("van-ban", regime)
        return base.model_copy(
            update={"id": _key(type_).replace(" ", "-"), "name": type_.strip(),
                    "title": title or type_.upper(), "code": code}
        )  # fmt: skip
    if regime not in _tables()[match]:
        have = ", ".join(sorted(_tables()[match]))
        raise KindError(f'loại "{type_}" không có trong thể thức {regime} (chỉ có ở: {have})')
    kind = _kind(match, regime)
    update = {k: v for k, v in (("title", title), ("code", code)) if v}
    return kind.model_copy(update=update) if update else kind
