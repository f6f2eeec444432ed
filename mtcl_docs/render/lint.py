"""`check-templates`: what a clerk broke when editing a template in Word, said before a build fails."""

from __future__ import annotations

import dataclasses
import re
import typing
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes

from mtcl_docs.kinds import kinds_in
from mtcl_docs.kinds.registry import REGIMES
from mtcl_docs.load.safepath import inside
from mtcl_docs.oxml.body import breaks_before_tables
from mtcl_docs.render.context import (
    TEMPLATE_CONTEXTS,
    DocumentContext,
)
from mtcl_docs.render.jinja import MAX_TEXT, template_env

TAG = re.compile(r"\{[{%#].*?[}%#]\}")
XML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Finding:
    template: Path
    message: str
    where: str = ""
    error: bool = True

    def __str__(self) -> str:
        level = "lỗi" if self.error else "cảnh báo"
        where = f" ({self.where})" if self.where else ""
        return f"{self.template}{where}: {level}: {self.message}"


def context_for(template: Path) -> type | None:
    """Which variables a template may use, from its name (a kind's own template is a main one)."""
    if template.stem in {k.template for regime in REGIMES for k in kinds_in(regime)}:
        return DocumentContext
    return TEMPLATE_CONTEXTS.get(template.stem)


def lint_templates(folder: Path) -> list[Finding]:
    """Findings for every `*.docx` in `folder`; an empty list means every template is usable."""
    templates = sorted(p for p in folder.glob("*.docx") if not p.name.startswith("~$"))
    if not templates:
        return [Finding(folder, "không có mẫu .docx nào")]
    return [f for path in templates for f in lint_template(path)]


def lint_template(path: Path) -> list[Finding]:
    context = context_for(path)
    if context is None:
        known = ", ".join(f"{name}.docx" for name in TEMPLATE_CONTEXTS)
        return [Finding(path, f"tên mẫu phải là một trong {known}")]
    if not inside(path.parent, path):
        return [Finding(path, f"mẫu là lối tắt (symlink) ra ngoài {path.parent}: không đọc")]
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        return [Finding(path, f"không mở được tệp DOCX ({exc})")]
    findings = (
        unclosed_tags(path, tpl) + _split_tags(path, tpl) + _table_after_section_break(path, tpl)
    )
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(tpl.get_xml()))
    try:
        ast = template_env().parse(xml)
    except TemplateSyntaxError as exc:
        lines = xml.splitlines()
        near = XML_TAG.sub("", lines[exc.lineno - 1]) if 0 < exc.lineno <= len(lines) else ""
        return [*findings, Finding(path, f"sai cú pháp thẻ: {exc.message}", f"gần «{near}»")]
    lines = xml.splitlines()
    return (
        findings
        + _huge_numbers(path, ast, lines)
        + _private_names(path, ast, lines)
        + _unknown_names(path, ast, context)
    )


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for cell in table._cells:
            yield from cell.paragraphs
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer):
            yield from part.paragraphs


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_MARK = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")


def unclosed_tags(path: Path, tpl: DocxTemplate) -> list[Finding]:
    """A tag opened and not closed in its paragraph (`{{ subject }`), or closed and never opened:
    Jinja may still read it, joined to the text up to the next closing mark, and the build then
    swallows that text without a word."""
    findings = []
    for paragraph in _paragraphs(tpl.docx):
        text = "".join(r.text for r in paragraph.runs)
        opened: tuple[str, int] | None = None
        for mark in _MARK.finditer(text):
            sign = mark.group()
            if sign in _OPENERS:
                if opened is not None:
                    break  # reported below: the first one is not closed
                opened = (sign, mark.start())
            elif opened is not None and sign == _OPENERS[opened[0]]:
                opened = None
            elif opened is None:
                findings.append(Finding(
                    path,
                    f"dấu đóng '{sign}' không có dấu mở tương ứng trong cùng đoạn; hãy sửa thẻ "
                    "cho đủ hai đầu, ví dụ {{ subject }}",
                    f"đoạn «{_near(text, mark.start())}»",
                ))  # fmt: skip
        if opened is not None:
            sign, start = opened
            findings.append(Finding(
                path,
                f"thẻ mở '{sign}' không được đóng bằng '{_OPENERS[sign]}' trong cùng đoạn (thiếu "
                "dấu ngoặc?); bản dựng sẽ nuốt mất chữ phía sau. Hãy sửa cho đủ hai đầu, ví dụ "
                "{{ subject }}",
                f"đoạn «{_near(text, start)}»",
            ))  # fmt: skip
    return findings


def _near(text: str, at: int, width: int = 60) -> str:
    start = max(0, at - 10)
    part = text[start : start + width]
    return ("…" if start else "") + part + ("…" if start + width < len(text) else "")


def _split_tags(path: Path, tpl: DocxTemplate) -> list[Finding]:
    """Tags whose characters Word spread over several runs (often after an edit in mid-tag)."""
    findings = []
    for paragraph in _paragraphs(tpl.docx):
        runs = [r.text for r in paragraph.runs]
        text = "".join(runs)
        ends, pos = [], 0
        for run in runs:
            pos += len(run)
            ends.append(pos)
        for match in TAG.finditer(text):
            first = next(i for i, end in enumerate(ends) if end > match.start())
            last = next(i for i, end in enumerate(ends) if end >= match.end())
            if first != last:
                findings.append(
                    Finding(
                        path,
                        "thẻ bị Word tách thành nhiều đoạn định dạng; hãy xóa và gõ lại cả thẻ "
                        "một lần, cùng một kiểu chữ",
                        f"thẻ «{match.group()}»",
                        error=False,
                    )
                )
    return findings


def _table_after_section_break(path: Path, tpl: DocxTemplate) -> list[Finding]:
    """A section break followed at once by a table: LibreOffice ignores the break (one page)."""
    message = (
        "ngắt phần (section break) nằm ngay trước bảng: LibreOffice sẽ bỏ qua ngắt trang; "
        "hãy thêm một dòng trống giữa chúng"
    )
    return [Finding(path, message, error=False)] * breaks_before_tables(tpl.docx)


def _huge_numbers(path: Path, ast: nodes.Template, lines: list[str]) -> list[Finding]:
    """A number no document needs (`'A' * 3000000000`): the build would refuse it for every
    document; said here first."""
    return [
        Finding(
            path,
            f"số {const.value} quá lớn cho một mẫu (tối đa {MAX_TEXT:,}): bản dựng sẽ từ chối".replace(
                ",", "."
            ),
            f"gần «{XML_TAG.sub('', lines[const.lineno - 1]) if const.lineno <= len(lines) else ''}»",
        )
        for const in ast.find_all(nodes.Const)
        if isinstance(const.value, int | float)
        and not isinstance(const.value, bool)
        and abs(const.value) > MAX_TEXT
    ]


def _private_names(path: Path, ast: nodes.Template, lines: list[str]) -> list[Finding]:
    """`x.__class__`, `x['_y']`: the sandbox refuses names starting with '_' when it renders."""
    found = []
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if isinstance(name, str) and name.startswith("_"):
            near = XML_TAG.sub("", lines[node.lineno - 1]) if node.lineno <= len(lines) else ""
            found.append(
                Finding(
                    path,
                    f"«{name}» bắt đầu bằng '_': mẫu không được dùng (bản dựng sẽ từ chối)",
                    f"gần «{near}»",
                )
            )
    return found


def _fields(cls) -> dict[str, typing.Any]:
    return typing.get_type_hints(cls) if dataclasses.is_dataclass(cls) else {}


def _unknown_names(path: Path, ast: nodes.Template, context: type) -> list[Finding]:
    """Variables and `x.attr` lookups the context does not provide (typos, removed fields)."""
    known = _fields(context)
    scopes: dict[str, type] = {  # fields that are records themselves (`signer.name`)
        name: owner
        for name, hint in known.items()
        if (
            owner := next(
                (t for t in (hint, *typing.get_args(hint)) if dataclasses.is_dataclass(t)), None
            )
        )
    }
    for loop in ast.find_all(nodes.For):
        if isinstance(loop.iter, nodes.Name) and isinstance(loop.target, nodes.Name):
            args = typing.get_args(known.get(loop.iter.name))
            if args and dataclasses.is_dataclass(args[0]):
                scopes[loop.target.name] = args[0]
    loop_names = {"loop"}
    for loop in ast.find_all(nodes.For):
        targets = [loop.target, *loop.target.find_all(nodes.Name)]
        loop_names.update(t.name for t in targets if isinstance(t, nodes.Name))
    findings = []
    for name in sorted({n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"}):
        if name not in known and name not in loop_names:
            findings.append(Finding(path, f"biến «{name}» không có trong dữ liệu của mẫu này"))
    for get in ast.find_all(nodes.Getattr):
        if isinstance(get.node, nodes.Name) and get.node.name in scopes:
            owner = scopes[get.node.name]
            if get.attr not in _fields(owner):
                findings.append(
                    Finding(
                        path,
                        f"«{get.node.name}.{get.attr}» không có; có: {', '.join(_fields(owner))}",
                    )
                )
    return findings
