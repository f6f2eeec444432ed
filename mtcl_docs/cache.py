"""What the last build made from what: a rebuild skips every document whose inputs and outputs
are unchanged (the key covers data, organisation, profile, templates and the package version)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs import __version__
from mtcl_docs.archive.manifest import sha256
from mtcl_docs.fsutil import atomic_write

CACHE_FILE = ".cache/build.json"


def fingerprint(*parts: str | bytes) -> str:
    """SHA-256 over the package version and every part, each length-prefixed (no ambiguity)."""
    digest = hashlib.sha256(__version__.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


@dataclass
class Entry:
    key: str
    files: dict[str, str]  # relative path → sha256
    problems: list[str] = field(default_factory=list)  # format-check failures, re-reported


class BuildCache:
    """`output/.cache/build.json`: losing it only costs a full rebuild."""

    def __init__(self, output: Path, force: bool = False):
        self.output = output
        self.path = output / CACHE_FILE
        self.entries: dict[str, Entry] = {}
        self._file_hashes: dict[Path, str] = {}
        if not force and self.path.is_file():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self.entries = {k: Entry(**v) for k, v in raw.items()}
            except (ValueError, TypeError):
                self.entries = {}

    def sha(self, path: Path) -> str:
        """The file's SHA-256, hashed once per build (the checks of one build share it)."""
        if path not in self._file_hashes:
            self._file_hashes[path] = sha256(path)
        return self._file_hashes[path]

    def fresh(self, name: str, key: str, files: list[Path]) -> Entry | None:
        """The cached entry if the key matches and every output file is there, unaltered."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key:
            return None
        wanted = {f.relative_to(self.output).as_posix() for f in files}
        if not wanted <= set(entry.files):
            return None
        for relative in wanted:
            file = self.output / relative
            if not file.is_file() or self.sha(file) != entry.files[relative]:
                return None
        return entry

    def record(self, name: str, key: str, files: list[Path], problems: list[str] = ()) -> None:
        """Remember what `key` produced; hashes are taken now, from the files just written."""
        for f in files:
            self._file_hashes[f] = sha256(f)
        self.entries[name] = Entry(
            key,
            {f.relative_to(self.output).as_posix(): self._file_hashes[f] for f in files},
            list(problems),
        )

    def refresh(self, path: Path) -> None:
        """`path` was replaced by a file standing for the same inputs (its signed copy): every
        entry listing it keeps it as fresh."""
        relative = path.relative_to(self.output).as_posix()
        self._file_hashes[path] = digest = sha256(path)
        for entry in self.entries.values():
            if relative in entry.files:
                entry.files[relative] = digest

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        data = json.dumps(
            {k: vars(v) for k, v in self.entries.items()}, ensure_ascii=False, indent=1
        )
        atomic_write(self.path, lambda tmp: tmp.write_text(data, encoding="utf-8"))
