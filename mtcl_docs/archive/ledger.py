"""What commands other than `build` write under output/ (`register export` into so-dang-ky/,
`plans collect`/`results` into mtcl/): each file's SHA-256 in `output/.cache/ghi-nhan.json`, so that
`verify` sees one edited after it was written. A command calls `record_written(output, files)`
after writing; files it never recorded are left to that command (remade at will)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from mtcl_docs.archive.manifest import sha256
from mtcl_docs.fsutil import atomic_write

LEDGER = ".cache/ghi-nhan.json"


def read_ledger(output: Path) -> dict[str, str]:
    path = output / LEDGER
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}


def record_written(output: Path, files: Iterable[Path]) -> None:
    """Remember the files just written (those under `output/`; others are not ours to check)."""
    base = output.resolve()
    entries = read_ledger(output)
    for file in files:
        path = Path(file).resolve()
        if path.is_file() and path.is_relative_to(base):
            entries[path.relative_to(base).as_posix()] = sha256(path)
    data = json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    atomic_write(output / LEDGER, lambda tmp: tmp.write_bytes(data))
