"""One PDF for the archive: every document of the build, a bookmark each and one per appendix.

Each document's pages enter the bundle as a verbatim copy of their objects in its own PDF (only
the object numbers change), so a document read once can be placed again in later bundles without
being read again (`Part`, cached by `archive/assemble.py`): changing one document of a thousand
costs one document's reading, not a thousand's (issue 14, item 5)."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    TextStringObject,
)

from mtcl_docs.archive.metadata import LANGUAGE, PdfMeta, info_dict, xmp_stream

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # the binary comment PDF/A asks for (ISO 19005-2 §6.1.2)
GROUP = 100  # bookmarks per level: the validator follows /Next chains only 256 deep
PARENT = -1  # in a part's object: "/Parent <the bundle's page tree>" goes here


class BundleError(ValueError):
    """A document's PDF cannot be copied into the bundle (names the file and why)."""


@dataclass(frozen=True)
class AppendixMark:
    """An appendix as the bundle finds it: the line its first page shows (its label, or its
    first title line), which is also its bookmark, and its orientation."""

    title: str
    landscape: bool = True


# A part's object: raw slices of the document's file ([start, end]), references to other objects
# of the part (their index in the part) and PARENT; literal bytes (latin-1 text) where an object
# had to be re-serialised (one stored in an object stream). JSON as it is, so it can be cached.
Piece = list[int] | int | str


@dataclass
class Part:
    """What the bundle needs of one document's PDF, read once: its page tree's objects (closure
    of the tree's root, first), its pages and where its appendices start, its output intents'
    objects, and its file identifier."""

    objects: list[list[Piece]]
    pages: list[int]  # index in `objects` of each page, in order
    appendices: list[int]  # page number (from 0) where each appendix starts
    intents: list[list[Piece]]  # the objects the catalog's /OutputIntents reach
    intent_roots: list[int]  # index in `intents` of each output intent
    intent_digest: str  # the same output intents have the same digest
    ident: list[str]  # the trailer's /ID, hex; empty if it has none

    def to_json(self) -> dict:
        return vars(self)


@dataclass(frozen=True)
class BundlePart:
    title: str  # the document's bookmark
    source: Path
    part: Part
    appendices: list[str]  # their bookmarks, in order
    stub: bool = False  # stand-in pages (the validation copy of a bundle, see assemble.py)


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


# --- reading a document's objects -------------------------------------------------------------

_WS = rb"\x00\t\n\x0c\r "
_DELIM = rb"()<>\[\]{}/%"
_END = rb"(?![^" + _WS + _DELIM + rb"])"  # the token ends here
# Tokens that matter for finding references; everything else is skipped by the search itself.
# A number preceded by anything but white space or a delimiter other than / is part of a longer
# token (-12, 1.5, /F12), never the start of a reference.
_TOKEN = re.compile(
    rb"(?P<string>\((?:[^()\\]|\\.)*\))|(?P<nested>\()|%[^\r\n]*|<<|>>|<[^<>]*>"
    rb"|(?P<name>/[^" + _WS + _DELIM + rb"]*)"
    rb"|(?<![^" + _WS + rb"()<>\[\]{}%])(?P<ref>\d+)[" + _WS + rb"]+\d+[" + _WS + rb"]+R" + _END
    + rb"|(?<![^" + _WS + _DELIM + rb"])(?P<keyword>stream|endobj)" + _END,
    re.S,
)  # fmt: skip
_HEAD = re.compile(rb"[" + _WS + rb"]*(\d+)[" + _WS + rb"]+(\d+)[" + _WS + rb"]+obj" + _END)
_INT = re.compile(rb"[" + _WS + rb"]*(\d+)")
_REF_AT = re.compile(rb"[" + _WS + rb"]*\d+[" + _WS + rb"]+\d+[" + _WS + rb"]+R" + _END)
_STREAM_END = re.compile(rb"[" + _WS + rb"]*endstream[" + _WS + rb"]*endobj")


def _string_end(data: bytes, start: int) -> int:
    """Where a literal string with nested parentheses, opening at `start`, ends."""
    depth, i = 0, start
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        depth += (c == 0x28) - (c == 0x29)
        i += 1
        if depth == 0:
            return i
    raise ValueError("chuỗi không đóng")


@dataclass
class _Object:
    body: tuple[int, int]  # between "obj" and "endobj"
    refs: list[tuple[int, int, int]]  # (start, end, number) of each reference in it


class _Source:
    """A document's PDF as bytes and its cross-reference table, read by pypdf."""

    def __init__(self, pdf: Path):
        self.path = pdf
        self.data = pdf.read_bytes()
        self.reader = PdfReader(io.BytesIO(self.data), strict=True)
        self.offsets = self.reader.xref.get(0, {})
        self.literals: dict[int, bytes] = {}  # objects inside object streams, serialised

    def object(self, number: int) -> _Object:
        if number in self.reader.xref_objStm:
            return self._compressed(number)
        if number not in self.offsets:
            raise BundleError(f"{self.path}: không có đối tượng {number} (bảng xref)")
        head = _HEAD.match(self.data, self.offsets[number])
        if head is None or int(head.group(1)) != number or head.group(2) != b"0":
            raise BundleError(f"{self.path}: đối tượng {number} không đúng chỗ bảng xref ghi")
        return self._scan(self.data, head.end(), number)

    def _scan(self, data: bytes, start: int, number: int) -> _Object:
        refs, length, pos = [], None, start
        while match := _TOKEN.search(data, pos):
            pos = match.end()
            if match.group("nested"):
                pos = _string_end(data, match.start())
            elif match.group("ref"):
                refs.append((match.start(), pos, int(match.group("ref"))))
                if length is None and _is_length(data, match.start()):
                    length = self._number(int(match.group("ref")))
            elif match.group("name") == b"/Length" and length is None:
                value = None if _REF_AT.match(data, pos) else _INT.match(data, pos)
                length = int(value.group(1)) if value else None
            elif match.group("keyword") == b"endobj":
                return _Object((start, match.start()), refs)
            elif match.group("keyword") == b"stream":
                return _Object((start, self._stream_end(data, pos, length, number)), refs)
        raise BundleError(f"{self.path}: đối tượng {number} không có endobj")

    def _stream_end(self, data: bytes, pos: int, length: int | None, number: int) -> int:
        """Where the stream's `endobj` starts: after exactly /Length bytes of data."""
        start = pos + (2 if data[pos : pos + 2] == b"\r\n" else 1)
        end = _STREAM_END.match(data, start + length) if length is not None else None
        if end is None:
            raise BundleError(f"{self.path}: luồng của đối tượng {number} sai độ dài /Length")
        return end.end() - len(b"endobj")

    def _number(self, number: int) -> int | None:
        """The value of an indirect integer (a stream's /Length)."""
        if number not in self.offsets:
            return None
        head = _HEAD.match(self.data, self.offsets[number])
        value = _INT.match(self.data, head.end()) if head else None
        return int(value.group(1)) if value else None

    def _compressed(self, number: int) -> _Object:
        """An object stored in an object stream (never a stream itself): written out by pypdf,
        then read like the others."""
        if number not in self.literals:
            out = io.BytesIO()
            out.write(b" ")
            self.reader.get_object(number).write_to_stream(out)
            out.write(b"\n")
            self.literals[number] = out.getvalue()
        data = self.literals[number] + b"endobj"
        scanned = self._scan(data, 0, number)
        return _Object(scanned.body, scanned.refs)


def _is_length(data: bytes, start: int) -> bool:
    """Whether the reference at `start` is the value of /Length."""
    return data[max(0, start - 12) : start].rstrip().endswith(b"/Length")


def _closure(
    source: _Source, roots: list[int], refuse: set[int]
) -> tuple[list[list[Piece]], dict[int, int]]:
    """The objects reachable from `roots` (breadth first, roots first) as pieces, and each one's
    index; reaching an object of `refuse` (the catalog, Info) is an error: the pages would drag
    the whole document in. A signature's value is left out (see `_signature_value`)."""
    index = {number: i for i, number in enumerate(roots)}
    order, objects, dropped = list(roots), [], set()
    for number in order:
        if number in refuse:
            raise BundleError(
                f"{source.path}: các trang trỏ tới mục lục gốc của tệp (đối tượng {number})"
            )
        obj = source.object(number)
        data = source.literals.get(number, source.data)
        for start, _, target in obj.refs:
            if target in index or target in dropped:
                continue
            if _signature_value(source, data, start, target):
                dropped.add(target)
                continue
            index[target] = len(order)
            order.append(target)
        objects.append(_pieces(source, number, obj, index))
    return objects, index


def _signature_value(source: _Source, data: bytes, start: int, target: int) -> bool:
    """Whether the reference at `start` is a signature field's value (/V, a signature or a
    document time stamp). In the bundle it becomes null, an unsigned field whose appearance
    (seal, signature image, stamp) still shows: the signature covers its own file's bytes, which
    the bundle cannot keep (the validator fails its /ByteRange: PDFA2B-SIGNATURE-BYTERANGE-001)."""
    if not data[max(0, start - 8) : start].rstrip().endswith(b"/V"):
        return False
    value = source.reader.get_object(target)
    return isinstance(value, DictionaryObject) and value.get("/Type") in ("/Sig", "/DocTimeStamp")


def _pieces(source: _Source, number: int, obj: _Object, index: dict[int, int]) -> list[Piece]:
    """The object's body as raw slices with its references replaced by indices (null for one
    left out)."""
    literal = source.literals.get(number)
    pieces: list[Piece] = []
    pos, end = obj.body

    def raw(a: int, b: int) -> None:
        if b > a:
            pieces.append(literal[a:b].decode("latin-1") if literal is not None else [a, b])

    for start, stop, target in obj.refs:
        raw(pos, start)
        pieces.append(index.get(target, "null"))
        pos = stop
    raw(pos, end)
    return pieces


def read_part(pdf: Path, marks: list[AppendixMark]) -> Part:
    """Read one document's PDF for the bundle (a few ms; the bundle's cache keeps the result)."""
    source = _Source(pdf)
    reader = source.reader
    catalog_ref = reader.trailer.raw_get("/Root")
    catalog = catalog_ref.get_object()
    tree = catalog.raw_get("/Pages")
    refuse = {catalog_ref.idnum}
    if isinstance(reader.trailer.raw_get("/Info"), IndirectObject):
        refuse.add(reader.trailer.raw_get("/Info").idnum)
    objects, index = _closure(source, [tree.idnum], refuse)
    objects[0] = _with_parent(objects[0], source)
    pages = [index[page.indirect_reference.idnum] for page in reader.pages]
    intents, roots = _intents(source, catalog)
    ident = reader.trailer.get("/ID") or []
    return Part(objects, pages, appendix_pages(reader, marks), intents, roots, _condition(catalog),
                [_hex(x) for x in ident])  # fmt: skip


def _with_parent(pieces: list[Piece], source: _Source) -> list[Piece]:
    """The document's page tree root, hung under the bundle's: /Parent after its opening <<."""
    first = pieces[0]
    if isinstance(first, list):
        at = source.data.find(b"<<", first[0], first[1])
        if at >= 0:
            at += 2
            return [
                [first[0], at],
                PARENT,
                *([[at, first[1]]] if first[1] > at else []),
                *pieces[1:],
            ]
    elif "<<" in first:
        at = first.index("<<") + 2
        return [first[:at], PARENT, first[at:], *pieces[1:]]
    raise BundleError(f"{source.path}: gốc cây trang không phải từ điển")


def _intents(source: _Source, catalog: DictionaryObject) -> tuple[list[list[Piece]], list[int]]:
    """The objects of the document's output intents (each must be an indirect object, as
    LibreOffice writes them) and their indices."""
    intents = catalog.get("/OutputIntents") or []
    refs = [x.idnum for x in intents if isinstance(x, IndirectObject)]
    if len(refs) != len(intents):
        raise BundleError(f"{source.path}: /OutputIntents không phải đối tượng gián tiếp")
    if not refs:
        return [], []
    objects, index = _closure(source, refs, set())
    return objects, [index[r] for r in refs]


def _condition(catalog: DictionaryObject) -> str:
    """A digest of the output conditions the document's intents state: their entries and colour
    profiles, less the profile's creation time (ICC header bytes 24-35), which LibreOffice sets
    at each export."""
    digest = hashlib.sha256()
    for intent in catalog.get("/OutputIntents") or []:
        intent = intent.get_object()
        for key in sorted(k for k in intent if k != "/DestOutputProfile"):
            digest.update(f"{key}={intent[key]!r};".encode())
        if "/DestOutputProfile" in intent:
            icc = intent["/DestOutputProfile"].get_object().get_data()
            digest.update(icc[:24] + bytes(12) + icc[36:])
    return digest.hexdigest()


def _hex(value: PdfObject) -> str:
    raw = value.original_bytes if isinstance(value, TextStringObject) else bytes(value)
    return raw.hex()


# --- writing the bundle -----------------------------------------------------------------------


def _render(objects: list[list[Piece]], base: int, data: bytes, parent: int) -> list[bytes]:
    """The objects' bodies, numbered from `base`."""
    out = []
    for pieces in objects:
        chunks = []
        for piece in pieces:
            if isinstance(piece, int):
                chunks.append(
                    b"%d 0 R" % (base + piece) if piece >= 0 else b"/Parent %d 0 R " % parent
                )
            elif isinstance(piece, str):
                chunks.append(piece.encode("latin-1"))
            else:
                chunks.append(data[piece[0] : piece[1]])
        out.append(b"".join(chunks))
    return out


def _stub(part: Part, parent: int) -> list[list[Piece]]:
    """Blank pages in place of a document's (as many, in a page tree of their own): the frame of
    the bundle can be validated without the documents already proven."""
    count = len(part.pages)
    tree: list[Piece] = ["<<", PARENT, f"/Type/Pages/Count {count}/Kids["]
    for i in range(count):
        tree += [i + 1, " "]
    tree.append("]>>")
    page: list[Piece] = ["<</Type/Page/Parent ", 0, "/MediaBox[0 0 595 842]/Resources<<>>>>"]
    return [tree] + [page for _ in range(count)]


class _Writer:
    """Numbers the objects in order of writing and keeps each one's offset."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.out.write(HEADER)
        self.offsets: list[int] = []

    @property
    def next(self) -> int:
        return len(self.offsets) + 1

    def raw(self, body: bytes) -> int:
        number = self.next
        self.offsets.append(self.out.tell())
        self.out.write(b"%d 0 obj\n" % number)
        self.out.write(body)
        self.out.write(b"\nendobj\n")
        return number

    def obj(self, value: PdfObject) -> int:
        buffer = io.BytesIO()
        value.write_to_stream(buffer)
        return self.raw(buffer.getvalue())

    def finish(self, trailer: DictionaryObject) -> bytes:
        xref = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.offsets) + 1))
        self.out.write(b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets))
        trailer[NameObject("/Size")] = NumberObject(len(self.offsets) + 1)
        self.out.write(b"trailer\n")
        trailer.write_to_stream(self.out)
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return self.out.getvalue()


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)  # type: ignore[arg-type]


def bundle_bytes(parts: list[BundlePart], meta: PdfMeta) -> bytes:
    """The bundle: each part's page tree under one root, the first part's output intents, a
    bookmark per document (and per appendix), the bundle's Info and XMP, and a trailer /ID made
    from the parts, so the same parts give the same bytes whatever was cached."""
    writer = _Writer()
    total = sum(len(p.part.objects) if not p.stub else 1 + len(p.part.pages) for p in parts)
    root = 1 + total  # the bundle's page tree, written right after the parts
    kids, firsts = [], []
    for bp in parts:
        base = writer.next
        objects = _stub(bp.part, root) if bp.stub else bp.part.objects
        pages = list(range(1, len(bp.part.pages) + 1)) if bp.stub else bp.part.pages
        data = b"" if bp.stub else bp.source.read_bytes()
        for body in _render(objects, base, data, root):
            writer.raw(body)
        kids.append(base)
        firsts.append([base + i for i in pages])
    count = sum(len(p.part.pages) for p in parts)
    assert writer.raw(_tree(kids, count)) == root
    intents = _write_intents(writer, parts)
    outline = _write_outline(writer, parts, firsts)
    catalog = DictionaryObject({
        NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): _ref(root),
        NameObject("/Outlines"): _ref(outline), NameObject("/PageMode"): NameObject("/UseOutlines"),
        NameObject("/Metadata"): _ref(writer.obj(xmp_stream(meta))),
        NameObject("/Lang"): TextStringObject(LANGUAGE),
    })  # fmt: skip
    if intents:
        catalog[NameObject("/OutputIntents")] = ArrayObject(_ref(n) for n in intents)
    trailer = DictionaryObject({NameObject("/Root"): _ref(writer.obj(catalog)),
                                NameObject("/Info"): _ref(writer.obj(info_dict(meta)))})  # fmt: skip
    ident = file_identifier(parts, meta)
    if ident is not None:
        trailer[NameObject("/ID")] = ident
    return writer.finish(trailer)


def _tree(kids: list[int], count: int) -> bytes:
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    return b"<</Type/Pages/Count %d/Kids[%s]>>" % (count, refs)


def _write_intents(writer: _Writer, parts: list[BundlePart]) -> list[int]:
    """The first part's output intents (the documents all come from LibreOffice with the same)."""
    for bp in parts:
        if bp.part.intents:
            base = writer.next
            for body in _render(bp.part.intents, base, bp.source.read_bytes(), 0):
                writer.raw(body)
            return [base + i for i in bp.part.intent_roots]
    return []


@dataclass
class _Mark:
    title: str
    page: int  # object number
    children: list[_Mark]
    closed: bool = False


def _marks(parts: list[BundlePart], firsts: list[list[int]]) -> list[_Mark]:
    """One bookmark per document, its appendices under it; more than GROUP documents are grouped
    GROUP at a time (and groups likewise), closed, so no chain of bookmarks outgrows the limit."""
    level = []
    for bp, pages in zip(parts, firsts, strict=True):
        marks = list(zip(bp.appendices, bp.part.appendices, strict=False))
        children = [_Mark(title, pages[i], []) for title, i in marks if i < len(pages)]
        level.append(_Mark(bp.title, pages[0], children))
    first, last = list(range(1, len(level) + 1)), list(range(1, len(level) + 1))
    while len(level) > GROUP:
        groups, spans = [], []
        for k in range(0, len(level), GROUP):
            a, b = first[k], last[min(k + GROUP, len(level)) - 1]
            groups.append(_Mark(f"Văn bản {a}–{b}", level[k].page, level[k : k + GROUP], True))
            spans.append((a, b))
        level, first, last = groups, [a for a, _ in spans], [b for _, b in spans]
    return level


def _visible(mark: _Mark) -> int:
    return 0 if mark.closed else sum(1 + _visible(c) for c in mark.children)


def _write_outline(writer: _Writer, parts: list[BundlePart], firsts: list[list[int]]) -> int:
    """The outline: numbered in depth-first order after its root, each item knowing its
    neighbours and children (written by hand: pypdf takes ~0.2 ms an item)."""
    top = _marks(parts, firsts)
    numbers: dict[int, int] = {}
    root = writer.next

    def assign(marks: list[_Mark]) -> None:
        for mark in marks:
            numbers[id(mark)] = root + 1 + len(numbers)
            assign(mark.children)

    assign(top)
    shown = sum(1 + _visible(m) for m in top)
    assert writer.raw(b"<</Type/Outlines%s/Count %d>>" % (_links(top, numbers), shown)) == root

    def write(marks: list[_Mark], parent: int) -> None:
        for i, mark in enumerate(marks):
            body = [
                b"<</Title",
                _text(mark.title),
                b"/Parent %d 0 R/Dest[%d 0 R/Fit]" % (parent, mark.page),
            ]
            if i:
                body.append(b"/Prev %d 0 R" % numbers[id(marks[i - 1])])
            if i + 1 < len(marks):
                body.append(b"/Next %d 0 R" % numbers[id(marks[i + 1])])
            if mark.children:
                count = -len(mark.children) if mark.closed else _visible(mark)
                body.append(_links(mark.children, numbers) + b"/Count %d" % count)
            body.append(b">>")
            assert writer.raw(b"".join(body)) == numbers[id(mark)]
            write(mark.children, numbers[id(mark)])

    write(top, root)
    return root


def _links(children: list[_Mark], numbers: dict[int, int]) -> bytes:
    if not children:
        return b""
    return b"/First %d 0 R/Last %d 0 R" % (numbers[id(children[0])], numbers[id(children[-1])])


def _text(title: str) -> bytes:
    """A text string: UTF-16BE with its byte order mark, in hex (PDF 32000-1 §7.9.2.2)."""
    return b"<FEFF" + title.encode("utf-16-be").hex().upper().encode() + b">"


def file_identifier(parts: Iterable[BundlePart], meta: PdfMeta) -> ArrayObject | None:
    """The trailer's /ID, which PDF/A requires (ISO 19005-2 §6.1.3): made from the parts' own
    identifiers and titles and the bundle's metadata, so the same documents give the same bundle
    byte for byte."""
    digest = hashlib.md5(repr(meta).encode(), usedforsecurity=False)
    for bp in parts:
        digest.update(bp.title.encode())
        if not bp.part.ident:
            digest.update(str(len(bp.part.pages)).encode())
        for x in bp.part.ident:
            digest.update(bytes.fromhex(x))
    value = ByteStringObject(digest.digest())
    return ArrayObject([value, value])
