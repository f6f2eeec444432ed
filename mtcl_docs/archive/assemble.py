"""After a build: the archive bundle and the manifest of every file the build wrote."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from mtcl_docs.archive.bundle import AppendixMark, BundlePart, write_bundle
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
from mtcl_docs.load.loader import Job
from mtcl_docs.number.symbol import number_symbol
from mtcl_docs.render.context import appendix_label


def _record(path: Path, output: Path) -> FileRecord:
    return FileRecord(path.relative_to(output).as_posix(), sha256(path))


def assemble(
    documents: list[tuple[Job, Path, Path]], forms: list[Path], output: Path
) -> list[Path]:
    """`documents` are (job, docx, pdf) of the issued documents (the caller leaves drafts out);
    returns the files written under luu-tru/."""
    folder = output / MANIFEST_DIR
    manifest = Manifest(forms=[_record(f, output) for f in forms])
    parts = []
    for job, docx, pdf in documents:
        # opened once: page count here, pages for the bundle below; strict, as the files are
        # ours (LibreOffice's plus our stamp), which spares pypdf re-checking every object
        reader = PdfReader(pdf, strict=True)
        pages = len(reader.pages)
        files = {"docx": _record(docx, output), "pdf": _record(pdf, output)}
        manifest.documents.append(DocumentRecord.of(job, pages, files))
        marks = [AppendixMark(appendix_label(job, i) or a.title[0], a.landscape)
                 for i, a in enumerate(job.doc.appendices)]  # fmt: skip
        title = f"{number_symbol(job)} — {job.kind.name} {job.summary}"
        parts.append(BundlePart(title, reader, marks))
    written = []
    if parts:
        latest = max(job.doc.date for job, _, _ in documents)
        meta = PdfMeta(
            title=f"Hồ sơ lưu trữ: {len(parts)} văn bản",
            author=", ".join(sorted({job.org.name for job, _, _ in documents})),
            subject="Bản PDF gộp các văn bản của một lần dựng, có mục lục",
            keywords="hồ sơ lưu trữ",
            created=latest if isinstance(latest, dt.date) else dt.date.today(),
        )
        bundle = write_bundle(parts, folder / BUNDLE, meta)
        manifest.bundle = _record(bundle, output)
        written.append(bundle)
    else:  # no issued document: a bundle from an earlier build must not outlive its manifest
        (folder / BUNDLE).unlink(missing_ok=True)
    return written + write_manifest(manifest, folder)
