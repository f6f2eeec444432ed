"""After a build: the archive bundle and the manifest of every file the build wrote.

Both are remade whole each time, from what earlier builds already read: each document's part of
the bundle and each file's SHA-256 are kept in `output/.cache/luu-tru.json` under the file's size
and modification time, so one changed document costs reading that document only, and the result
is byte for byte what a build from nothing gives (issue 14, item 5)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from mtcl_docs import __version__
from mtcl_docs.archive.bundle import (
    AppendixMark,
    BundleError,
    BundlePart,
    Part,
    bundle_bytes,
    read_part,
)
from mtcl_docs.archive.manifest import (
    BUNDLE,
    MANIFEST_DIR,
    DocumentRecord,
    FileRecord,
    Manifest,
    sha256,
    write_manifest,
)
from mtcl_docs.archive.metadata import PdfMeta
from mtcl_docs.archive.pdfa import pdfa_failures, pdfa_failures_of
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.load.loader import Job
from mtcl_docs.number.symbol import number_symbol
from mtcl_docs.render.context import appendix_label

CACHE = ".cache/luu-tru.json"
FORMAT = 1  # of the cached parts: a change of bundle.py's reading makes it 2


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


@dataclass
class ArchiveCache:
    """What earlier builds read of the archived files. `proven`: the part has been in a bundle
    that validated as PDF/A-2b."""

    path: Path
    parts: dict[str, dict] = field(default_factory=dict)
    hashes: dict[str, list[str]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, output: Path) -> ArchiveCache:
        cache = cls(output / CACHE)
        try:
            raw = json.loads(cache.path.read_text(encoding="utf-8"))
            if raw.get("version") == [FORMAT, __version__]:
                cache.parts, cache.hashes = dict(raw["parts"]), dict(raw["hashes"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # no cache, or a broken one: everything is read again
        return cache

    def sha256(self, path: Path, relative: str) -> str:
        stamp, self.used = _stamp(path), self.used | {relative}
        known = self.hashes.get(relative)
        if not known or known[0] != stamp:
            self.hashes[relative] = known = [stamp, sha256(path)]
        return known[1]

    def part(self, pdf: Path, relative: str, marks: list[AppendixMark]
             ) -> tuple[Part, bool, Path]:  # fmt: skip
        """The document's part, read again only if its file or its appendices changed; whether
        it is proven; and the file its pieces are cut from (the PDF, or its rewritten copy)."""
        stamp, titles = _stamp(pdf), [[m.title, m.landscape] for m in marks]
        known = self.parts.get(relative)
        copy = self.path.with_suffix("") / relative
        if known and known["stamp"] == stamp and known["marks"] == titles:
            if not known.get("copy"):
                return Part(**known["part"]), known["proven"], pdf
            if copy.is_file():
                return Part(**known["part"]), known["proven"], copy
        try:
            part, source = read_part(pdf, marks), pdf
        except BundleError:  # not as LibreOffice writes: pypdf rewrites it first
            source = rewritten(pdf, copy)
            part = read_part(source, marks)
        self.parts[relative] = {"stamp": stamp, "marks": titles, "part": part.to_json(),
                                "proven": False, "copy": source != pdf}  # fmt: skip
        return part, False, source

    def prove(self, relatives: list[str]) -> None:
        for relative in relatives:
            self.parts[relative]["proven"] = True

    def save(self, parts: list[str]) -> None:
        """Keep what the files of this build need, nothing of documents gone."""
        for relative, known in self.parts.items():
            if known.get("copy") and relative not in parts:
                (self.path.with_suffix("") / relative).unlink(missing_ok=True)
        data = {"version": [FORMAT, __version__],
                "parts": {k: self.parts[k] for k in parts},
                "hashes": {k: v for k, v in self.hashes.items() if k in self.used}}  # fmt: skip
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        atomic_write(self.path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def rewritten(pdf: Path, copy: Path) -> Path:
    """A PDF the bundle cannot copy as it is (an object of another generation, a wrong
    /Length…), written again by pypdf (which repairs what it can) into the archive's cache; the
    same file gives the same copy, so the bundle stays the same whatever was cached."""
    writer = PdfWriter(clone_from=PdfReader(pdf, strict=False))
    buffer = io.BytesIO()
    writer.write(buffer)
    return atomic_write(copy, lambda tmp: tmp.write_bytes(buffer.getvalue()))


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cached parts are a few hundred thousand small lists, alive all along and free of
    cycles: the cyclic collector, run again and again while they are, took longer than the work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Assembled:
    """The files written under luu-tru/, and what keeps the bundle from being PDF/A-2b (as its
    writer established it, see `_validate`; empty when it validates)."""

    written: list[Path]
    failures: list[str]


def assemble(documents: list[tuple[Job, Path, Path]], forms: list[Path], output: Path) -> Assembled:
    """`documents` are (job, docx, pdf) of the issued documents (the caller leaves drafts out)."""
    with _no_cycle_collection():
        return _assemble(documents, forms, output)


def _assemble(
    documents: list[tuple[Job, Path, Path]], forms: list[Path], output: Path
) -> Assembled:
    folder = output / MANIFEST_DIR
    cache = ArchiveCache.load(output)

    def record(path: Path) -> FileRecord:
        relative = path.relative_to(output).as_posix()
        return FileRecord(relative, cache.sha256(path, relative))

    manifest = Manifest(forms=[record(f) for f in forms])
    parts, names, proven = [], [], []
    for job, docx, pdf in documents:
        marks = [AppendixMark(appendix_label(job, i) or a.title[0], a.landscape)
                 for i, a in enumerate(job.doc.appendices)]  # fmt: skip
        names.append(pdf.relative_to(output).as_posix())
        part, known, source = cache.part(pdf, names[-1], marks)
        files = {"docx": record(docx), "pdf": record(pdf)}
        manifest.documents.append(DocumentRecord.of(job, len(part.pages), files))
        title = f"{number_symbol(job)} — {job.kind.name} {job.summary}"
        parts.append(BundlePart(title, source, part, [m.title for m in marks]))
        proven.append(known)
    written, failures = [], []
    if parts:
        meta = _meta(documents, len(parts))
        data = bundle_bytes(parts, meta)
        bundle = atomic_write(folder / BUNDLE, lambda tmp: tmp.write_bytes(data))
        manifest.bundle = FileRecord(f"{MANIFEST_DIR}/{BUNDLE}", hashlib.sha256(data).hexdigest())
        failures = _validate(parts, proven, meta, bundle)
        if not failures:
            cache.prove(names)
        written.append(bundle)
    else:  # no issued document: a bundle from an earlier build must not outlive its manifest
        (folder / BUNDLE).unlink(missing_ok=True)
    cache.save(names)
    return Assembled(written + write_manifest(manifest, folder), failures)


def _meta(documents: list[tuple[Job, Path, Path]], count: int) -> PdfMeta:
    latest = max(job.doc.date for job, _, _ in documents)
    return PdfMeta(
        title=f"Hồ sơ lưu trữ: {count} văn bản",
        author=", ".join(sorted({job.org.name for job, _, _ in documents})),
        subject="Bản PDF gộp các văn bản của một lần dựng, có mục lục",
        keywords="hồ sơ lưu trữ",
        created=latest if isinstance(latest, dt.date) else dt.date.today(),
    )


def _validate(
    parts: list[BundlePart], proven: list[bool], meta: PdfMeta, bundle: Path
) -> list[str]:
    """The bundle's PDF/A-2b failures. With no part proven, the bundle itself is validated.
    Otherwise a copy of it with blank pages in place of the proven parts: the rest of the bundle
    (its structure, catalog, metadata, output intent, page tree, outline, trailer, every new
    part) is validated as it is, and a proven part is the same objects, byte for byte, as in a
    bundle that validated, under the same output intent (~1.5 ms a page saved)."""
    intent = next((p.part.intent_digest for p in parts if p.part.intents), None)
    stubs = [
        known and p.part.intent_digest == intent for p, known in zip(parts, proven, strict=True)
    ]
    if not any(stubs):
        return pdfa_failures(bundle)
    proof = [BundlePart(p.title, p.source, p.part, p.appendices, stub)
             for p, stub in zip(parts, stubs, strict=True)]  # fmt: skip
    if not pdfa_failures_of(bundle_bytes(proof, meta)):
        return []
    return pdfa_failures(bundle)  # the objects named as the bundle numbers them
