"""`mtcl-docs new`: a new document's data file, copied as text from an example of its kind.

The example of a kind is the first file in data/notices/ whose own top-level `type:` is that kind
(a file not `based_on` another first). Its text is kept, comments and all; only `number:` goes (a
new document is a draft) and `date:` becomes today.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from mtcl_docs.errors import DocumentError
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.load.loader import DOC_DIR
from mtcl_docs.load.yamlsource import read_text

_TYPE = re.compile(r"""^type[ \t]*:[ \t]*(["']?)([^"'#\s]+)\1[ \t]*(?:#.*)?$""", re.M)
_BASED_ON = re.compile(r"^based_on[ \t]*:", re.M)
_NUMBER = re.compile(r"^number[ \t]*:")
_DATE = re.compile(r"^date[ \t]*:[^#\r\n]*?(?P<comment>[ \t]*#[^\r\n]*)?(?P<end>\r?\n)?$")
_FIELD = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:", re.M)
_SET_HERE = {"org", "type", "date", "number", "based_on"}


class NewDocumentError(Exception):
    """The file could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Example:
    path: Path
    kind: str
    based_on: bool


def examples(notices: Path) -> dict[str, Example]:
    """Each kind that has an example, and its example file."""
    found: dict[str, Example] = {}
    for path in sorted(notices.glob("*.yaml")):
        try:
            text = read_text(path)
        except DocumentError:
            continue  # a file that cannot be read is no example
        kind = _TYPE.search(text)
        if kind is None:
            continue
        example = Example(path, kind[2], bool(_BASED_ON.search(text)))
        current = found.get(example.kind)
        if current is None or (current.based_on and not example.based_on):
            found[example.kind] = example
    return found


def new_document(
    data: Path, kind: str, name: str | None = None, today: dt.date | None = None
) -> tuple[Path, Example]:
    """Write `data/notices/<name>.yaml` from the example of `kind`; never over an existing file."""
    today = today or dt.date.today()
    notices = data / DOC_DIR
    name = (name or f"{kind}-{today.isoformat()}").removesuffix(".yaml")
    if not name or name.startswith(".") or any(c in name for c in '/\\:*?"<>|'):
        raise NewDocumentError(
            f"'{name}' không dùng làm tên tệp được: chỉ dùng chữ, số, '-' và '_' "
            '(không có / \\ : * ? " < > |, không bắt đầu bằng dấu chấm)'
        )
    target = notices / f"{name}.yaml"
    if target.exists():
        raise NewDocumentError(
            f"{target} đã có; không ghi đè. Hãy đặt tên khác: mtcl-docs new {kind} TÊN-KHÁC"
        )
    found = examples(notices)
    example = found.get(kind)
    if example is None:
        known = ", ".join(f"{k} (mẫu {e.path.name})" for k, e in sorted(found.items()))
        raise NewDocumentError(
            f"chưa có tệp mẫu cho loại '{kind}' trong {notices}/ "
            + (f"(các loại có mẫu: {known})" if known else "(chưa có tệp nào ghi type:)")
            + "; muốn thêm loại mới, chép một tệp có sẵn rồi sửa type:"
        )
    text = from_example(read_text(example.path), example, name, today)
    atomic_write(target, lambda tmp: tmp.write_bytes(text.encode("utf-8")))
    return target, example


def from_example(text: str, example: Example, name: str, today: dt.date) -> str:
    """The example's text with a header saying where it came from, no number, today's date."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines, dated = [], False
    for line in text.splitlines(keepends=True):
        if _NUMBER.match(line):
            continue
        date = _DATE.match(line)
        if date:
            line = f"date: {today.isoformat()}{date['comment'] or ''}{date['end'] or newline}"
            dated = True
        lines.append(line)
    if not dated:  # the example takes its date from the file it is based on
        at = next((i for i, line in enumerate(lines) if _TYPE.match(line)), len(lines) - 1)
        lines.insert(at + 1, f"date: {today.isoformat()}{newline}")
    fields = [f for f in dict.fromkeys(_FIELD.findall(text)) if f not in _SET_HERE]
    change = textwrap.wrap(
        f"Cần sửa cho văn bản mới: {', '.join(fields) or 'nội dung'}; xóa những trường không "
        "dùng. date: đã đặt là hôm nay.",
        96,
        subsequent_indent="  ",
    )
    header = [
        f"Văn bản mới, loại {example.kind}, tạo ngày {today:%d/%m/%Y} bằng `mtcl-docs new`, "
        "chép từ tệp mẫu",
        f"{example.path.name} (mọi nội dung dưới đây, kể cả các ghi chú, là của tệp mẫu).",
        *change,
        "Văn bản là dự thảo, chưa có số; số được cấp khi ban hành:",
        f"  mtcl-docs register issue {name}",
        f"Dựng thử: mtcl-docs build {name}",
    ]
    return "".join(f"# {line}{newline}" for line in header) + "".join(lines)
