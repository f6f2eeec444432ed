"""`register cancel`: the cancelled document's files leave the archive at once.

Its DOCX and PDF still read the cancelled number, so they move to `output/da-huy/<cơ quan>/`
under a name that carries that number, recorded in `da-huy/da-huy.json` (for `verify`); the
manifest drops the document and the bundle, which held its pages, is removed until the next build
makes it again from the issued documents."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from mtcl_docs.archive.manifest import (
    BUNDLE,
    MANIFEST,
    MANIFEST_DIR,
    Manifest,
    sha256,
    write_manifest,
)
from mtcl_docs.cache import BuildCache
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.number.register import Entry

CANCELLED_DIR = "da-huy"
RECORD = "da-huy.json"


@dataclass
class Moved:
    before: Path
    after: Path


def read_record(output: Path) -> list[dict]:
    path = output / CANCELLED_DIR / RECORD
    if not path.is_file():
        return []
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError("cần một danh sách")
    return raw


def _target(folder: Path, entry: Entry, suffix: str) -> Path:
    stem = f"{entry.doc_id}-so-{entry.number:02d}-{entry.doc_date[:4]}"
    target, n = folder / f"{stem}{suffix}", 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{n}{suffix}"
    return target


def cancel_files(output: Path, entry: Entry) -> tuple[list[Moved], bool]:
    """Move the document's files to `da-huy/`, record them, and take it out of the archive;
    returns what moved and whether the manifest dropped it (and the bundle was removed)."""
    folder = output / CANCELLED_DIR / entry.org
    sources = [output / "docx" / entry.org / f"{entry.doc_id}.docx",
               output / "pdf" / entry.org / f"{entry.doc_id}.pdf"]  # fmt: skip
    record = read_record(output) if (output / CANCELLED_DIR / RECORD).is_file() else []
    moved = []
    for source in sources:
        if not source.is_file():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = _target(folder, entry, source.suffix)
        os.replace(source, target)
        moved.append(Moved(source, target))
        record.append({
            "path": target.relative_to(output).as_posix(),
            "sha256": sha256(target),
            "DocId": entry.doc_id,
            "org": entry.org,
            "symbol": entry.symbol,
            "IssuedDate": entry.doc_date,
            "reason": entry.cancel_reason or "",
            "moved_at": dt.datetime.now().isoformat(timespec="seconds"),
        })  # fmt: skip
    if moved:
        data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write(output / CANCELLED_DIR / RECORD, lambda tmp: tmp.write_bytes(data))
    dropped = _drop_from_archive(
        output, {m.before.relative_to(output).as_posix() for m in moved}, entry
    )
    return moved, dropped


def _drop_from_archive(output: Path, paths: set[str], entry: Entry) -> bool:
    manifest_path = output / MANIFEST_DIR / MANIFEST
    cache = BuildCache(output)
    cache.forget(entry.doc_id)
    cache.forget("__archive__")  # the next build makes the bundle and manifest again
    if cache.path.is_file():
        cache.save()
    if not manifest_path.is_file():
        return False
    manifest = Manifest.read(manifest_path)
    own = {f"docx/{entry.org}/{entry.doc_id}.docx", f"pdf/{entry.org}/{entry.doc_id}.pdf"}
    kept = [
        d for d in manifest.documents if not ({f.path for f in d.Files.values()} & (own | paths))
    ]
    if len(kept) == len(manifest.documents):
        return False
    manifest.documents = kept
    manifest.bundle = None
    (output / MANIFEST_DIR / BUNDLE).unlink(missing_ok=True)
    write_manifest(manifest, output / MANIFEST_DIR)
    return True
