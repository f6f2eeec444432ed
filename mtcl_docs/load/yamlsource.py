"""YAML files read as plain data, NFC-normalised, with the line of every field kept for errors.

A clerk's mistakes in writing YAML (a `:` inside a sentence, a line indented one space off, a tab,
a file saved in the wrong encoding) are told in Vietnamese, with the line (counted from 1) and
the fix, instead of PyYAML's English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mtcl_docs.errors import DocumentError, Problem


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic (not PyYAML) judges them."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def nfc(value: Any) -> Any:
    """Normalise every string in a tree to NFC (precomposed), as TCVN 6909 expects."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


@dataclass
class YamlSource:
    """One YAML file: its data, the node tree that tells where each field sits, and its lines."""

    path: Path
    data: Any
    root: yaml.Node | None
    lines: list[str] = field(default_factory=list, repr=False)

    @classmethod
    def read(cls, path: Path) -> YamlSource:
        text = read_text(path)
        try:
            _within_limits(path, text)
            loader = _PlainLoader(text)
            try:
                root = loader.get_single_node()
                data = loader.construct_document(root) if root is not None else None
            finally:
                loader.dispose()
        except DocumentError:
            raise
        except yaml.MarkedYAMLError as exc:
            line, message = explain_syntax(text, exc)
            raise DocumentError.single(path, message, line=line) from exc
        except yaml.reader.ReaderError as exc:
            line, message = _hidden_character(text, exc)
            raise DocumentError.single(path, message, line=line) from exc
        except yaml.YAMLError as exc:
            raise DocumentError.single(path, f"sai cú pháp YAML: {exc}") from exc
        except ValueError as exc:  # int() of thousands of digits
            raise DocumentError.single(path, (
                "có một số quá dài để đọc (hàng nghìn chữ số); số văn bản, số bản chỉ cần vài chữ "
                "số — nếu đó là chữ, hãy đặt trong ngoặc kép"
            )) from exc  # fmt: skip
        lines = text.splitlines()
        problems = _control_characters(path, root) + [
            Problem(path, message, line=line) for line, message in _silent(lines, root)
        ]
        if problems:
            raise DocumentError(problems)
        return cls(path, nfc(data), root, lines)

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """The 1-based line of the field at `loc`, else of its nearest parent below the top."""
        node, line = self.root, None
        for key in loc:
            found = _child(node, key) if node is not None else None
            if found is None:
                break
            key_node, node = found
            line = key_node.start_mark.line + 1
        return line

    def text_of(self, line: int | None) -> str:
        """The text of a 1-based line ('' if there is none)."""
        return self.lines[line - 1] if line and 0 < line <= len(self.lines) else ""


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(where the field is written, its value): a mapping's key line, a list item's own line."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return k, v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key], node.value[key]
    return None


FIELD_SEP = re.compile(r"\.(?=\[)")


def field_path(loc: tuple[str | int, ...]) -> str:
    """`('body', 3, 'heading')` → `body[3].heading`: how a clerk reads a field's place."""
    text = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc)
    return FIELD_SEP.sub("", text)


# --- Encodings -----------------------------------------------------------------------------------

_SAVE_AS_UTF8 = (
    "Cách sửa: mở tệp bằng Notepad, chọn File → Save As…, ở ô Encoding chọn UTF-8 rồi bấm Save "
    "(ghi đè tệp cũ); trong Notepad++: Encoding → Convert to UTF-8 rồi lưu; nếu soạn trong Word: "
    "File → Save As → Plain Text (*.txt), chọn Unicode (UTF-8), rồi đổi đuôi tệp lại thành .yaml"
)
_CONVERT_LEGACY = (
    "Cách sửa: chuyển mã sang Unicode bằng UniKey: chép hết nội dung tệp, mở Công cụ chuyển mã "
    "(Ctrl+Shift+F6), chọn Nguồn: {source}, Đích: Unicode, bấm Chuyển mã (clipboard), dán lại vào "
    "tệp; rồi lưu tệp dạng UTF-8 (Notepad: File → Save As…, Encoding: UTF-8)"
)
_TONE_MARKS = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_VOWELS = "aăâeêioôơuưy"
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in _VOWELS + _VOWELS.upper()
    for tone in ("", *_TONE_MARKS)
) | {"đ", "Đ"}
_TONED = frozenset(
    c for c in VIETNAMESE_LETTERS if set(unicodedata.normalize("NFD", c)) & set(_TONE_MARKS)
)
_PUNCTUATION = set("“”‘’–—…•·°§«»\u00a0")

# TCVN3 (ABC, the .VnTime fonts): one byte per lower-case letter, tones in the order
# huyền, hỏi, ngã, sắc, nặng; capitals only for the seven letters with a mark of their own.
_TCVN3_ROWS = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB), "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE), "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}  # fmt: skip
TCVN3 = {
    byte: unicodedata.normalize("NFC", vowel + tone)
    for vowel, row in _TCVN3_ROWS.items()
    for byte, tone in zip(row, "\u0300\u0309\u0303\u0301\u0323", strict=True)
} | dict(zip(range(0xA1, 0xAF), "ĂÂÊÔƠƯĐăâêôơưđ", strict=True))

# VNI-Windows: a base letter followed by a byte for its marks (read here through cp1252).
_VNI_MARKS = dict(zip("ùøûõïâáàåãäêéèúüë", [
    "\u0301", "\u0300", "\u0309", "\u0303", "\u0323", "\u0302", "\u0302\u0301", "\u0302\u0300",
    "\u0302\u0309", "\u0302\u0303", "\u0302\u0323", "\u0306", "\u0306\u0301", "\u0306\u0300",
    "\u0306\u0309", "\u0306\u0303", "\u0306\u0323"], strict=True))  # fmt: skip
_VNI_MARKS |= {k.upper(): v for k, v in _VNI_MARKS.items()}
_VNI_SINGLE = dict(zip("ôÔöÖñÑæÆóÓòÒ", "ơƠưƯđĐỉỈĩĨịỊ", strict=True))
_VNI_PAIR = re.compile(f"([aeiouyAEIOUYôöÔÖ])([{''.join(_VNI_MARKS)}])")


def _vni(raw: bytes) -> str:
    text = raw.decode("cp1252", errors="replace")
    text = _VNI_PAIR.sub(lambda m: _VNI_SINGLE.get(m[1], m[1]) + _VNI_MARKS[m[2]], text)
    return "".join(_VNI_SINGLE.get(c, c) for c in text)


_ENCODINGS = {  # name shown → how to read the bytes; ties go to the earlier
    "Windows-1258 (bảng mã tiếng Việt của Windows)": lambda raw: raw.decode("cp1258", "replace"),
    "TCVN3 (ABC, phông .VnTime)": lambda raw: "".join(
        TCVN3.get(b) or bytes([b]).decode("cp1252", "replace") for b in raw
    ),
    "VNI (phông VNI-Times)": _vni,
    "UTF-8 nhưng có chỗ hỏng": lambda raw: raw.decode("utf-8", "replace"),
}
_LEGACY = {"TCVN3 (ABC, phông .VnTime)": "TCVN3 (ABC)", "VNI (phông VNI-Times)": "VNI Windows"}


_VOWEL_LETTERS = "".join(sorted(c for c in VIETNAMESE_LETTERS if c not in "đĐ"))
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?[{_VOWEL_LETTERS}]{{1,3}}"
    r"(?:ng|nh|ch|[cmnpt])?",
    re.IGNORECASE,
)


def _plausibility(text: str) -> int:
    """How much `text` reads as Vietnamese: words with marks that are syllables count for, other
    words with marks and stray signs against."""
    text = unicodedata.normalize("NFC", text)
    good = bad = 0
    for word in re.findall(r"[^\W\d_]+", text):
        if word.isascii():
            continue
        if _SYLLABLE.fullmatch(word) and sum(c in _TONED for c in word) <= 1:
            good += 1
        else:
            bad += 1
    bad += sum(not (c.isascii() or c.isalpha() or c.isspace() or c in _PUNCTUATION) for c in text)
    return good - 2 * bad


def guess_encoding(raw: bytes) -> str | None:
    """A name for the encoding of bytes that are not UTF-8, for the message (None: no idea)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:200].count(b"\x00") > 10:
        return "UTF-16 (Unicode)"
    scores = {name: _plausibility(decode(raw)) for name, decode in _ENCODINGS.items()}
    best = max(scores, key=scores.__getitem__)
    # no byte that Windows-1258 reads as a letter or mark only Vietnamese has
    western = all(c < "\u0100" for c in raw.decode("cp1258", "replace"))
    if scores[best] <= 0:
        return "Windows-1252 / Latin-1 (bảng mã Tây Âu)" if western else None
    if best.startswith("Windows-1258") and western:
        return "Windows-1252 / Latin-1 (bảng mã Tây Âu)"
    return best


# --- Limits: a data file is a page or two of text, never a bomb --------------------------------

MAX_BYTES = 2_000_000  # the largest shipped data file is ~20 KB
MAX_DEPTH = 40  # a body nests headings a few levels deep; 40 is far past any real document
MAX_NODES = 200_000  # values once every alias (*tên) is expanded
MAX_ALIASES = 1_000


def _within_limits(path: Path, text: str) -> None:
    """Refuse, before building anything, a file nested too deep or whose aliases (`&a` … `*a`)
    expand to more values than any document holds (an alias bomb): read event by event, without
    recursion and without expanding anything."""
    sizes: dict[str, int] = {}  # anchor → values it stands for
    stack: list[list] = [[0, None]]  # [values so far, anchor] per open list/group
    aliases = 0

    def fail(event, message: str) -> DocumentError:
        line = event.start_mark.line + 1 if event.start_mark else None
        return DocumentError.single(path, message, line=line)

    for event in yaml.parse(text, Loader=_PlainLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([1, event.anchor])
            if len(stack) - 1 > MAX_DEPTH:
                raise fail(event, (
                    f"dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} cấp thụt lề hoặc ngoặc [ {{ lồng "
                    "nhau); hãy kiểm tra thụt lề và các dấu ngoặc, văn bản thật chỉ cần vài cấp"
                ))  # fmt: skip
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            count, anchor = stack.pop()
            if anchor is not None:
                sizes[anchor] = count
            stack[-1][0] += count
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            stack[-1][0] += 1
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for _, anchor in stack):
                raise fail(event, (
                    f"tham chiếu *{event.anchor} nằm ngay trong khối &{event.anchor} mà nó trỏ tới "
                    "(một vòng lặp không bao giờ hết); hãy chép thẳng giá trị thay cho tham chiếu"
                ))  # fmt: skip
            aliases += 1
            stack[-1][0] += sizes.get(event.anchor, 1)
            if aliases > MAX_ALIASES:
                raise fail(event, (
                    f"tệp dùng quá nhiều tham chiếu *tên (quá {MAX_ALIASES}); hãy chép thẳng "
                    "giá trị thay cho tham chiếu"
                ))  # fmt: skip
        else:
            continue
        if stack[-1][0] > MAX_NODES or sum(s[0] for s in stack) > MAX_NODES:
            raise fail(event, (
                f"tệp chứa quá nhiều giá trị (quá {MAX_NODES:,} khi mở hết các tham chiếu *tên)"
                .replace(",", ".") + "; tệp dữ liệu văn bản không cần nhiều như vậy — hãy bỏ "
                "các tham chiếu &tên/*tên lồng nhau"
            ))  # fmt: skip


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _control_characters(path: Path, root: yaml.Node | None) -> list[Problem]:
    """A text holding a character no document can print (`"\\x01"`, `"\\uFFFE"` written as an
    escape): named by field, line and its place in the text, counted from 1."""
    found, seen = [], set()
    todo: list[tuple[yaml.Node, tuple]] = [(root, ())] if root is not None else []
    while todo:
        node, loc = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            bad = _CONTROL.search(node.value)
            if bad:
                found.append(Problem(path, (
                    f"có ký tự điều khiển không in được (mã U+{ord(bad[0]):04X}) ở vị trí thứ "
                    f"{bad.start() + 1} của đoạn chữ (đếm từ đầu đoạn, tính cả dấu cách); thường do "
                    "viết \\x.. hay \\u.. trong ngoặc kép hoặc dán từ nơi khác. Hãy xóa ký tự đó"
                ), line=node.start_mark.line + 1, field=field_path(loc) or None))  # fmt: skip
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo.append((key, loc))
                todo.append((value, (*loc, key.value if isinstance(key, yaml.ScalarNode) else "?")))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, (*loc, i)) for i, item in enumerate(node.value))
    return sorted(found, key=lambda p: p.line or 0)


def read_text(path: Path) -> str:
    """The file's text; UTF-8 with or without BOM, anything else refused with how to fix it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError.single(path, f"không đọc được tệp ({exc.strerror or exc})") from exc
    if size > MAX_BYTES:
        raise DocumentError.single(path, (
            f"tệp quá lớn ({size / 1e6:.1f} MB, tối đa {MAX_BYTES // 1_000_000} MB): tệp dữ liệu "
            "văn bản chỉ cần vài chục KB; bảng lớn hãy để trong tệp XLSX/CSV (rows_from:)"
        ).replace(".", ",", 1))  # fmt: skip
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError.single(path, f"không đọc được tệp ({exc.strerror or exc})") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, message = _not_utf8(raw, raw.count(b"\n", 0, exc.start) + 1)
        raise DocumentError.single(path, message, line=line) from exc


def _not_utf8(raw: bytes, line: int) -> tuple[int, str]:
    """(line, message) for a file that is not UTF-8: what it looks like, how to save it right."""
    encoding = guess_encoding(raw)
    if encoding is None:
        return line, (
            f"tệp không lưu ở dạng UTF-8 (từ dòng {line} có chữ không đọc được). {_SAVE_AS_UTF8}."
        )
    if encoding.startswith("UTF-16"):
        return 1, f"tệp lưu dạng UTF-16 (Notepad gọi là Unicode), cần UTF-8. {_SAVE_AS_UTF8}."
    if encoding.startswith("UTF-8"):
        return line, (
            "tệp là UTF-8 nhưng dòng này có chữ hỏng (thường do dán từ nơi khác): "
            "gõ lại các chữ có dấu ở dòng này"
        )
    fix = _CONVERT_LEGACY.format(source=_LEGACY[encoding]) if encoding in _LEGACY else _SAVE_AS_UTF8
    return line, (
        f"tệp không lưu ở dạng UTF-8 (từ dòng {line} có chữ không đọc được); có vẻ tệp lưu theo "
        f"bảng mã {encoding}. {fix}."
    )


# --- Syntax errors -------------------------------------------------------------------------------

_LINE = re.compile(r"^(?P<indent> *)(?P<dashes>(?:-(?: +|$))*)(?P<rest>.*)$")
_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*) *:(?: |$)")  # field names are ASCII
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_SYNTAX = "sai cú pháp YAML"
_SPECIAL_START = (
    "while scanning an alias",  # *
    "while scanning an anchor",  # &
    "while scanning a block scalar",  # | >
    "while scanning a directive",  # % at the start of a line
)


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#") and stripped not in ("---", "...")


def _anchors(line: str) -> list[tuple[int, str]]:
    """Where things start on a line: (column from 0, '-' | 'key' | 'text'), left to right."""
    m = _LINE.match(line)
    column, found = len(m["indent"]), []
    for dash in re.finditer(r"-(?: +|$)", m["dashes"]):
        found.append((column + dash.start(), "-"))
    if m["rest"]:
        found.append((column + len(m["dashes"]), "key" if _KEY.match(m["rest"]) else "text"))
    return found


def quoted(line: str) -> str:
    """`  - Yêu cầu sau: cụ thể  # x` → `  - "Yêu cầu sau: cụ thể"  # x`: the text in quotes."""
    m = _LINE.match(line)
    prefix, rest = m["indent"] + m["dashes"], m["rest"]
    key = _KEY.match(rest)
    if key and _FIELD_NAME.match(key["key"]):
        prefix, rest = prefix + key[0].rstrip() + " ", rest[key.end() :]
    comment = ""
    if " #" in rest:
        rest, comment = rest.split(" #", 1)
        comment = "  #" + comment
    rest = rest.strip()
    if '"' in rest:
        text = "'" + rest.replace("'", "''") + "'"
    else:
        text = '"' + rest.replace("\\", "\\\\") + '"'
    return prefix + text + comment


def short(line: str, *, end: bool = False, width: int = 72) -> str:
    """A long line cut at spaces for a message: its start (where indentation shows) and, with
    `end`, its end (where a closing quote goes)."""
    if len(line) <= width:
        return line
    head = line[: width - (24 if end else 0)]
    head = head[: head.rstrip().rfind(" ")] if " " in head.strip() else head
    if not end:
        return head.rstrip() + " …"
    tail = line[-20:]
    tail = tail[tail.find(" ") + 1 :] if " " in tail else tail
    return f"{head.rstrip()} … {tail}"


def fixed_quoted(line: str) -> str:
    """The line with its text in quotes, without its indentation, cut to fit in a message."""
    return short(quoted(line).strip(), end=True)


def _spaces(n: int) -> str:
    return "không thụt" if n == 0 else f"thụt {n} dấu cách"


def _reindented(line: str, column: int, kind: str) -> str:
    """The line moved so that its first `kind` thing starts at `column`."""
    anchors = _anchors(line)
    start = next((c for c, k in anchors if k == kind), len(line) - len(line.lstrip(" ")))
    shift = column - start
    return " " * (len(line) - len(line.lstrip(" ")) + shift) + line.lstrip(" ")


def _indent_message(lines: list[str], at: int, sibling: int, column: int, kind: str) -> str:
    own = next((c for c, k in _anchors(lines[at]) if k == kind), None)
    own = len(lines[at]) - len(lines[at].lstrip(" ")) if own is None else own
    fixed = short(_reindented(lines[at], column, kind).rstrip())
    after_dash = (
        " (tính cả '- ')" if _LINE.match(lines[sibling])["dashes"] and kind == "key" else ""
    )
    return (
        f"{_SYNTAX}: dòng {at + 1} thụt lề không khớp với các dòng cùng cấp ở trên "
        f"(dòng {sibling + 1} {_spaces(column)}{after_dash}, dòng {at + 1} {_spaces(own)}). "
        f"Hãy thụt bằng dấu cách, đúng bằng dòng cùng cấp: sửa dòng {at + 1} thành '{fixed}'"
    )


def _sibling(lines: list[str], at: int, kind: str, deeper: bool) -> tuple[int, int] | None:
    """(line, column) of the thing above `at` of the same kind whose column is nearest its own,
    looking among those indented more (`deeper`) or less, then among all."""
    own = next((c for c, k in _anchors(lines[at]) if k == kind), None)
    if own is None:
        return None
    for wanted in ((lambda c: c > own) if deeper else (lambda c: c < own), lambda c: c != own):
        found = _nearest(lines, at, kind, own, wanted)
        if found:
            return found
    return None


def _nearest(lines, at, kind, own, wanted) -> tuple[int, int] | None:
    best = None
    for i in range(at - 1, -1, -1):
        if not _content(lines[i]):
            continue
        for column, k in _anchors(lines[i]):
            if k != kind or not wanted(column):
                continue
            score = (abs(column - own), at - i)
            if best is None or score < best[0]:
                best = (score, i, column)
    return (best[1], best[2]) if best else None


def _start_of(lines: list[str], at: int) -> int:
    """The line where the text continued on line `at` begins (the nearest one indented less)."""
    indent = len(lines[at]) - len(lines[at].lstrip(" "))
    for i in range(at - 1, -1, -1):
        if _content(lines[i]) and len(lines[i]) - len(lines[i].lstrip(" ")) < indent:
            return i
    return at


def _tab_line(lines: list[str], *candidates: int | None) -> int | None:
    for i in candidates:
        if (
            i is not None
            and i < len(lines)
            and "\t" in lines[i][: len(lines[i]) - len(lines[i].lstrip(" \t"))]
        ):
            return i
    return None


def _untabbed(lines: list[str], at: int) -> str:
    """Line `at` indented with spaces like the line above it that starts the same way."""
    line = lines[at].replace("\t", "  ")
    kind = "-" if _LINE.match(line)["dashes"] else "key"
    above = next((i for i in range(at - 1, -1, -1) if _content(lines[i])), None)
    columns = [c for c, k in _anchors(lines[above]) if k == kind] if above is not None else []
    return short((_reindented(line, columns[-1], kind) if columns else line).rstrip())


def explain_syntax(text: str, exc: yaml.MarkedYAMLError) -> tuple[int | None, str]:
    """(line from 1, message) for a YAML syntax error: what is wrong and how to write it."""
    lines = text.splitlines() or [""]
    problem, context = exc.problem_mark, exc.context_mark
    at = min(problem.line, len(lines) - 1) if problem else None
    col = problem.column if problem else 0
    ctx = min(context.line, len(lines) - 1) if context else None
    reason = exc.problem or ""

    tab = _tab_line(lines, at, ctx) if "\t" in text else None
    if tab is not None or "'\\t'" in reason:
        tab = at if tab is None else tab
        fixed = _untabbed(lines, tab)
        return tab + 1, (
            f"{_SYNTAX}: dòng {tab + 1} thụt lề bằng phím Tab; YAML chỉ nhận dấu cách. "
            f"Hãy xóa Tab và thụt bằng dấu cách, thẳng với các dòng cùng cấp (mỗi cấp thường 2 "
            f"dấu cách), ví dụ: '{fixed}'. Notepad++ đổi hết: Edit → Blank Operations → TAB to Space"
        )
    if at is None:
        return None, f"{_SYNTAX}: {reason or exc}"
    line = lines[at]

    if reason == "mapping values are not allowed here":
        return at + 1, _colon_or_indent(lines, at, col)
    if reason.startswith("expected <block end>, but found"):
        before = line[:col].rstrip()
        if "'<scalar>'" in reason and before.endswith(("'", '"')):
            return at + 1, (
                f"{_SYNTAX}: dòng {at + 1} còn chữ sau dấu ngoặc đóng (cột {len(before)}); "
                f"ngoặc phải bao cả đoạn chữ. Hãy đặt cả đoạn trong ngoặc (đoạn có dấu ngoặc kép "
                f"thì bao bằng ngoặc đơn), ví dụ: {fixed_quoted(line)}"
            )
        kind = "-" if "sequence" in reason or _LINE.match(line)["dashes"] else "key"
        # Past the column of the block being read: meant to line up with a deeper block above;
        # at its column (a field among list items): meant to line up with a shallower one.
        deeper = context is None or problem.column > context.column
        sibling = _sibling(lines, at, kind, deeper)
        if sibling:
            return at + 1, _indent_message(lines, at, *sibling, kind)
        if [k for _, k in _anchors(line)] == ["text"]:  # a text line out of place
            return at + 1, _missing_colon(lines, at)
    if reason == "could not find expected ':'" and ctx is not None:
        return ctx + 1, _missing_colon(lines, ctx)
    if exc.context in _SPECIAL_START and ctx is not None:  # text starting with & * | > %
        at, col, line = ctx, context.column, lines[ctx]
    if (
        "that cannot start any token" in reason
        or reason.startswith("found undefined alias")
        or exc.context in _SPECIAL_START
    ):
        sign = line[col] if col < len(line) else "?"
        return at + 1, (
            f"{_SYNTAX}: dòng {at + 1} có đoạn chữ bắt đầu bằng ký tự đặc biệt '{sign}' "
            f"(cột {col + 1}). Hãy đặt cả đoạn chữ trong ngoặc kép, ví dụ: {fixed_quoted(line)}"
        )
    if exc.context and "quoted scalar" in exc.context and ctx is not None:
        return ctx + 1, (
            f"{_SYNTAX}: dấu ngoặc mở ở dòng {ctx + 1} (cột {context.column + 1}) chưa được đóng. "
            "Hãy thêm dấu ngoặc đóng cùng loại ở cuối đoạn chữ; dấu ngoặc kép bên trong đoạn chữ "
            'thì viết \\" (hoặc bao đoạn chữ bằng ngoặc đơn)'
        )
    opened = (
        lines[ctx][context.column] if ctx is not None and context.column < len(lines[ctx]) else ""
    )
    if exc.context and exc.context.startswith("while parsing a flow") and opened in ("[", "{"):
        closing = {"[": "]", "{": "}"}[opened]
        return ctx + 1, (
            f"{_SYNTAX}: dấu '{opened}' ở dòng {ctx + 1} (cột {context.column + 1}) mở một danh "
            f"sách viết trên một dòng nhưng không được đóng bằng '{closing}'. Nếu đây là chữ bắt "
            f"đầu bằng '{opened}', hãy đặt cả đoạn trong ngoặc kép, ví dụ: {fixed_quoted(lines[ctx])}"
        )
    where = f"dòng {at + 1}, cột {col + 1}"
    return at + 1, (
        f"{_SYNTAX} ở {where} ({reason or exc}). Kiểm tra dòng này và dòng trên: thụt lề bằng "
        "dấu cách cho thẳng với dòng cùng cấp, có dấu cách sau ':' và sau '-', đoạn chữ có ':' "
        "hay bắt đầu bằng ký tự đặc biệt thì đặt trong ngoặc kép"
    )


def _colon_or_indent(lines: list[str], at: int, col: int) -> str:
    """YAML found `:` where no field may start: a colon in a sentence, or a field indented off."""
    line = lines[at]
    m = _LINE.match(line[:col])
    head = m["rest"]
    if not m["dashes"] and _FIELD_NAME.match(head.strip()):
        start = _start_of(lines, at)  # the line whose value this line was read as continuing
        anchors = [a for a in _anchors(lines[start]) if a[1] == "key"] or _anchors(lines[start])
        if start != at and anchors:
            column, kind = anchors[-1]
            return _indent_message(lines, at, start, column, "key" if kind == "key" else kind)
    if m["dashes"] or ": " in head or _KEY.match(head):  # the colon is in this line's text
        return (
            f"{_SYNTAX}: dấu ':' ở cột {col + 1} nằm giữa câu nên YAML tưởng đó là 'tên: giá trị'. "
            f"Hãy đặt cả dòng trong ngoặc kép, ví dụ: {fixed_quoted(line)}"
        )
    start = _start_of(lines, at)
    return (
        f"{_SYNTAX}: dấu ':' ở cột {col + 1} nằm giữa đoạn chữ bắt đầu từ dòng {start + 1} nên YAML "
        f"tưởng đó là 'tên: giá trị'. Hãy đặt cả đoạn trong ngoặc kép: mở ngoặc ở đầu đoạn "
        f"({short(quoted(lines[start]).strip()[:-1])} …) và đóng ngoặc ở cuối đoạn "
        f'(… {short(line.strip(), end=True)}")'
    )


def _missing_colon(lines: list[str], at: int) -> str:
    """A line that is neither `name: value` nor `- item`."""
    above = next((i for i in range(at - 1, -1, -1) if _content(lines[i])), None)
    hint = ""
    if above is not None:
        dashes = [c for c, k in _anchors(lines[above]) if k == "-"]
        if dashes:
            hint = (
                f" Nếu là một mục mới của danh sách, viết '- ' ở đầu, thẳng với dòng {above + 1} "
                f"({_spaces(dashes[-1])}); nếu là phần tiếp của đoạn chữ ở dòng trên, thụt sâu hơn "
                f"dấu '-' của dòng {above + 1}."
            )
    return (
        f"{_SYNTAX}: dòng {at + 1} không có dạng 'tên: giá trị' (thiếu dấu ':' sau tên trường, "
        f"hoặc thiếu dấu cách sau ':') cũng không phải mục danh sách '- …'.{hint}"
    ).rstrip(".") + "."


def _hidden_character(text: str, exc: yaml.reader.ReaderError) -> tuple[int, str]:
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    return line, (
        f"có ký tự ẩn không dùng được (mã U+{exc.character:04X}) ở cột {column}, thường do dán từ "
        "Word hay PDF. Hãy xóa ký tự đó (hoặc gõ lại dòng này)"
    )


# --- What parses but is not what was meant --------------------------------------------------------


def _walk(node: yaml.Node | None):
    if node is None:
        return
    yield node
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(node, yaml.SequenceNode):
        for v in node.value:
            yield from _walk(v)


def _silent(lines: list[str], root: yaml.Node | None) -> list[tuple[int, str]]:
    """Mistakes YAML reads without complaint: a list item glued to the text above, a field twice."""
    found = []
    for node in _walk(root):
        if isinstance(node, yaml.ScalarNode) and node.style is None:
            found.extend(_glued_items(lines, node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for k, _ in node.value:
                if not isinstance(k, yaml.ScalarNode):
                    continue
                if k.value in seen:
                    found.append((k.start_mark.line + 1, (
                        f"trường '{k.value}' ghi hai lần (dòng {seen[k.value]} và dòng "
                        f"{k.start_mark.line + 1}); YAML chỉ giữ lần sau. Hãy xóa một trong hai"
                    )))  # fmt: skip
                seen.setdefault(k.value, k.start_mark.line + 1)
    return found


def _glued_items(lines: list[str], node: yaml.ScalarNode) -> list[tuple[int, str]]:
    """A plain text running over lines, one of which starts with '- ': an item indented off."""
    first, last = node.start_mark.line, node.end_mark.line
    if node.value.startswith("-") and not node.value.startswith(("- ", "--")) and first < last:
        return [(first + 1, (
            f"{_SYNTAX}: thiếu dấu cách sau '-' ở dòng {first + 1}, nên YAML đọc các dòng dưới "
            f"thành chữ nối tiếp thay vì danh sách. Hãy viết: '{lines[first].replace('-', '- ', 1).rstrip()}'"
        ))]  # fmt: skip
    for at in range(first + 1, min(last, len(lines) - 1) + 1):
        if lines[at].lstrip().startswith("- ") or lines[at].strip() == "-":
            column = next((c for c, k in _anchors(lines[first]) if k == "-"), None)
            if column is None:
                return [(at + 1, (
                    f"{_SYNTAX}: dòng {at + 1} bắt đầu bằng '- ' nhưng dòng {first + 1} đã có giá "
                    f"trị, nên YAML nối dòng {at + 1} vào chữ của dòng {first + 1}. Nếu muốn một danh "
                    f"sách, để trống sau dấu ':' ở dòng {first + 1} và viết mỗi mục một dòng '- …'"
                ))]  # fmt: skip
            return [(at + 1, _indent_message(lines, at, first, column, "-").replace(
                "thụt lề không khớp",
                f"bị YAML nối vào chữ của dòng {first + 1} vì thụt lề không khớp",
            ))]  # fmt: skip
    return []
