"""One PDF for the archive: every document of the build, a bookmark each and one per appendix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from mtcl_docs.archive.metadata import PdfMeta, set_metadata
from mtcl_docs.fsutil import atomic_write


@dataclass(frozen=True)
class BundlePart:
    title: str  # the document's bookmark
    reader: PdfReader
    appendix_titles: list[str]  # headings that start each appendix, in order


def appendix_pages(reader: PdfReader, headings: list[str]) -> list[int]:
    """Where each appendix starts. Appendices are landscape sections after the portrait text, so
    the first is the first landscape page; a later one is found by its heading's text (slow)."""
    found, start = [], 0
    for n, heading in enumerate(headings):
        for index in range(start, len(reader.pages)):
            page = reader.pages[index]
            if float(page.mediabox.width) <= float(page.mediabox.height):
                continue
            if n == 0 or heading in _first_lines(page):
                found.append(index)
                start = index + 1
                break
    return found


def _first_lines(page, count: int = 3) -> list[str]:
    return [x.strip() for x in (page.extract_text() or "").splitlines() if x.strip()][:count]


def write_bundle(parts: list[BundlePart], target: Path, meta: PdfMeta) -> Path:
    """Merge with pypdf; the first part's output intent is kept so the bundle stays PDF/A-2b."""
    writer = PdfWriter()
    for part in parts:
        reader = part.reader
        first = len(writer.pages)
        writer.append(reader, import_outline=False)
        parent = writer.add_outline_item(title=part.title, page_number=first)
        for heading, index in zip(
            part.appendix_titles, appendix_pages(reader, part.appendix_titles), strict=False
        ):
            writer.add_outline_item(title=heading, page_number=first + index, parent=parent)
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
    return atomic_write(target, lambda tmp: writer.write(tmp))
