"""One PDF for the archive: every document of the build, a bookmark each and one per appendix."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

from mtcl_docs.archive.metadata import PdfMeta, set_metadata
from mtcl_docs.fsutil import atomic_write


@dataclass(frozen=True)
class AppendixMark:
    """An appendix as the bundle finds it: the line its first page shows (its label, or its
    first title line), which is also its bookmark, and its orientation."""

    title: str
    landscape: bool = True


@dataclass(frozen=True)
class BundlePart:
    title: str  # the document's bookmark
    reader: PdfReader
    appendices: list[AppendixMark]  # in order


HEAD_LINES = 12  # an appendix's label stands within its page's first lines (after a header block)


def appendix_pages(reader: PdfReader, marks: list[AppendixMark]) -> list[int]:
    """Where each appendix starts. The main text (and a text it issues) is portrait, so a first
    appendix in landscape starts on the first landscape page; any other is found by its label's
    line on a page of its orientation (slower: the page's text is read)."""
    found, start = [], 1  # page 1 is the document's own
    for n, mark in enumerate(marks):
        for index in range(start, len(reader.pages)):
            page = reader.pages[index]
            if _landscape(page) != mark.landscape:
                continue
            if (n == 0 and mark.landscape) or _norm(mark.title) in _first_lines(page):
                found.append(index)
                start = index + 1
                break
    return found


def _landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _first_lines(page, count: int = HEAD_LINES) -> list[str]:
    return [_norm(x) for x in (page.extract_text() or "").splitlines() if x.strip()][:count]


def write_bundle(parts: list[BundlePart], target: Path, meta: PdfMeta) -> Path:
    """Merge with pypdf; the first part's output intent is kept so the bundle stays PDF/A-2b."""
    writer = PdfWriter()
    for part in parts:
        reader = part.reader
        first = len(writer.pages)
        writer.append(reader, import_outline=False)
        parent = writer.add_outline_item(title=part.title, page_number=first)
        for mark, index in zip(
            part.appendices, appendix_pages(reader, part.appendices), strict=False
        ):
            writer.add_outline_item(title=mark.title, page_number=first + index, parent=parent)
        if (
            "/OutputIntents" not in writer._root_object
            and "/OutputIntents" in reader.trailer["/Root"]
        ):
            intents = reader.trailer["/Root"]["/OutputIntents"]
            writer._root_object[NameObject("/OutputIntents")] = ArrayObject(
                [
                    writer._add_object(i.get_object().clone(writer))
                    if hasattr(i, "get_object")
                    else i
                    for i in intents
                ]
            )
    set_metadata(writer, meta)
    writer._ID = file_identifier(parts, meta)
    return atomic_write(target, lambda tmp: writer.write(tmp))


def file_identifier(parts: list[BundlePart], meta: PdfMeta) -> ArrayObject:
    """The trailer's /ID, which PDF/A requires (ISO 19005-2 §6.1.3) and pypdf does not write
    unasked: made from the parts' own identifiers and titles and the bundle's metadata, so the
    same documents give the same bundle byte for byte."""
    digest = hashlib.md5(repr(meta).encode(), usedforsecurity=False)
    for part in parts:
        digest.update(part.title.encode())
        own = part.reader.trailer.get("/ID")
        if not own:
            digest.update(str(len(part.reader.pages)).encode())
            continue
        for x in own:  # hex strings, which pypdf may read as text
            digest.update(x.original_bytes if isinstance(x, TextStringObject) else bytes(x))
    value = ByteStringObject(digest.digest())
    return ArrayObject([value, value])
