"""Render a job into a python-docx Document: template → appendices → profile's page and styles."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document
from docx.table import Table
from docxtpl import DocxTemplate
from jinja2 import TemplateError, UndefinedError

from mtcl_docs.archive.metadata import LANGUAGE, PdfMeta
from mtcl_docs.blocks import Block
from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.load.loader import Job
from mtcl_docs.load.safepath import inside, name_problem
from mtcl_docs.oxml.body import paragraphs, style_id, tables_holding
from mtcl_docs.oxml.compose import append_as_section
from mtcl_docs.oxml.coreprops import core_text
from mtcl_docs.oxml.flow import replace_marker
from mtcl_docs.oxml.hyphens import bind_hyphens
from mtcl_docs.oxml.keep import keep_block_with_text
from mtcl_docs.oxml.rules import cell_text_width, insert_rule_after
from mtcl_docs.oxml.sections import content_width, number_pages, set_page
from mtcl_docs.oxml.styles import apply_role, role_styles, set_document_defaults, style_name
from mtcl_docs.oxml.tables import set_column_widths
from mtcl_docs.profiles import Profile
from mtcl_docs.render.columns import fit_header_columns
from mtcl_docs.render.context import (
    APPENDIX_TEMPLATE,
    FLOW_MARK,
    RegisterBookContext,
    appendix_context,
    attached_context,
    document_context,
    variables,
)
from mtcl_docs.render.flow import appendix_flow, attached_flow, document_flow
from mtcl_docs.render.jinja import template_env
from mtcl_docs.render.lint import unclosed_tags
from mtcl_docs.render.register_table import register_table
from mtcl_docs.render.tables import TablePage
from mtcl_docs.render.textwidth import text_width_pt

MAIN_TEMPLATE = "van-ban"
ATTACHED_TEMPLATE = "van-ban-kem-theo"
REGISTER_TEMPLATE = "so-dang-ky-van-ban-di"


def template_path(templates: Path, name: str) -> Path:
    """`templates/<name>.docx`; a name that would reach outside the folder is an error."""
    why = name_problem(name)
    if why:
        raise DocumentError.single(templates, f"tên mẫu '{name[:80]}' không dùng được: {why}")
    return templates / f"{name}.docx"


def appendix_templates(templates: Path) -> set[str]:
    """Names of the appendix templates in `templates` (`phu-luc.docx`: a document's appendix)."""
    return {p.stem for p in templates.glob("phu-luc*.docx")}


class _Template(DocxTemplate):
    """docxtpl's template; its clean-up of the template XML is the same for every document, so it
    is done once per distinct XML."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)


@lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    return DocxTemplate.patch_xml(None, src_xml)


@lru_cache(maxsize=64)
def _styled(path: Path, version: tuple[int, int], profile_json: str) -> bytes:
    """The template with the profile's fonts and role styles applied: once per template and
    profile, not once per document (`version` is the file's mtime and size)."""
    document = open_docx(str(path))
    profile = Profile.model_validate_json(profile_json)
    set_document_defaults(document, profile.font, profile.roles["body"].size, LANGUAGE)
    for role, look in profile.roles.items():
        apply_role(document, role, look, profile.font)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=64)
def _broken_tags(path: Path, version: tuple[int, int]) -> tuple[str, ...]:
    """Tags opened and not closed in their paragraph (`{{ subject }`): Jinja would read on to the
    next closing mark and the document would silently lose that text (once per template file)."""
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    return tuple(f"{f.message} ({f.where})" for f in unclosed_tags(path, tpl))


def _render(path: Path, context, profile: Profile) -> Document:
    if not path.is_file():
        raise DocumentError.single(path, "không có mẫu này trong templates/")
    if not inside(path.parent, path):
        raise DocumentError.single(
            path, f"mẫu là lối tắt (symlink) ra ngoài {path.parent}: không đọc"
        )
    stat = path.stat()
    broken = _broken_tags(path, (stat.st_mtime_ns, stat.st_size))
    if broken:
        raise DocumentError([Problem(path, f"mẫu bị lỗi: {text}") for text in broken])
    styled = _styled(path, (stat.st_mtime_ns, stat.st_size), profile.model_dump_json())
    tpl = _Template(io.BytesIO(styled))
    try:
        tpl.render(variables(context), jinja_env=template_env(), autoescape=True)
    except UndefinedError as exc:
        raise DocumentError.single(path, f"mẫu dùng biến không có dữ liệu: {exc.message}") from exc
    except TemplateError as exc:
        raise DocumentError.single(path, f"mẫu bị lỗi: {exc}") from exc
    return tpl.docx


def render_job(job: Job, templates: Path, warn: Callable[[str], None] | None = None) -> Document:
    """The finished DOCX of one document: main text, the text it issues (portrait), then one
    section per appendix, each in its own orientation."""
    main = template_path(templates, job.kind.template)
    context = document_context(job)
    document = _render(main, context, job.profile)
    say = warn or (lambda _: None)
    page = TablePage(job.profile.room_mm(), job.profile, job.source, say)
    _flow_into(document, main, document_flow(job, page))
    landscape = [False]
    if job.doc.attached is not None:
        path = template_path(templates, ATTACHED_TEMPLATE)
        part = _render(path, attached_context(job, context), job.profile)
        _flow_into(part, path, attached_flow(job, page))
        append_as_section(document, part)
        landscape.append(False)
    for i, appendix in enumerate(job.doc.appendices):
        path = template_path(templates, APPENDIX_TEMPLATE)
        part = _render(path, appendix_context(job, i, appendix), job.profile)
        room = TablePage(job.profile.room_mm(appendix.landscape), job.profile, job.source, say)
        _flow_into(part, path, appendix_flow(job, i, room))
        append_as_section(document, part)
        landscape.append(appendix.landscape)
    for header in _tables_with(document, "issuer"):  # the attached text has its own header
        fit_header_columns(document, header, job.profile)
    signature = _table_with(document, "authority")
    set_column_widths(signature, job.profile.signature_columns_mm)
    keep_block_with_text(signature)
    bind_hyphens(document.element.body)
    lay_out(document, job.profile, landscape=landscape)
    describe(document, PdfMeta.of(job))
    return document


def _flow_into(document: Document, template: Path, paras) -> None:
    """The body's paragraphs where the template's `{{ flow }}` stands."""
    if not replace_marker(document, FLOW_MARK, paras):
        raise DocumentError.single(template, "mẫu thiếu đoạn {{ flow }} (chỗ đặt nội dung)")


def describe(document: Document, meta: PdfMeta) -> None:
    """Core properties (File → Properties in Word); LibreOffice carries them into the PDF."""
    props = document.core_properties
    props.title, props.author = core_text(meta.title), core_text(meta.author)
    props.subject, props.keywords = core_text(meta.subject), core_text(meta.keywords)
    props.language = LANGUAGE
    props.created = props.modified = dt.datetime.combine(meta.created, dt.time())
    props.last_modified_by = props.author
    props.comments = ""  # not "generated by python-docx"
    props.revision = 1


def render_register_book(
    context: RegisterBookContext,
    rows: Sequence[Sequence[str]],
    profile: Profile,
    templates: Path,
    warn: Callable[[str], None] | None = None,
) -> Document:
    """The printed book of one series: a portrait cover, then the landscape table of the ten
    columns (`rows`: the cells of each line) where the template's `{{ flow }}` stands."""
    path = template_path(templates, REGISTER_TEMPLATE)
    document = _render(path, context, profile)
    page = TablePage(profile.room_mm(landscape=True), profile, path, warn or (lambda _: None))
    _flow_into(document, path, [register_table(rows, page)])
    lay_out(document, profile)
    return document


def render_form(template: str, context, profile: Profile, templates: Path,
                flow: list[Block] | None = None) -> Document:  # fmt: skip
    """A stand-alone landscape form (a unit's plan, a consolidated table, a results report): the
    template's text, the tables (and their headings) where its `{{ flow }}` stands, its header
    block (if it has one) sized to its text, its approval block (if any) kept whole."""
    path = template_path(templates, template)
    document = _render(path, context, profile)
    _flow_into(document, path, flow or [])
    for header in _form_tables(document, "issuer"):
        fit_header_columns(document, header, profile)
    for approval in _form_tables(document, "authority"):
        keep_block_with_text(approval)
    bind_hyphens(document.element.body)
    lay_out(document, profile, landscape_from=0)
    return document


def _form_tables(document: Document, role: str) -> list[Table]:
    """The tables holding the role's paragraph, if the form has any."""
    try:
        return tables_holding(document, document.styles[style_name(role)].style_id)
    except KeyError:
        return []


def lay_out(document: Document, profile: Profile, landscape_from: int = 1,
            landscape: Sequence[bool] | None = None) -> None:  # fmt: skip
    """Page size, margins, rules and page numbers from the profile table (its styles are already
    in the template, see `_styled`). Each section is landscape as `landscape` says (one flag per
    section), or, without it, from section `landscape_from` on."""
    for i, section in enumerate(document.sections):
        wide = landscape[i] if landscape is not None else i >= landscape_from
        set_page(section, profile.page, landscape=wide)
    _add_rules(document, profile)
    number_pages(document, style_name("page_number"))


def _table_with(document: Document, role: str) -> Table:
    """The table holding the role's paragraph: the header block (issuer) or signature (authority)."""
    return _tables_with(document, role)[0]


def _tables_with(document: Document, role: str) -> list[Table]:
    """Every table holding the role's paragraph; a template without one is an error."""
    wanted = style_name(role)
    try:
        tables = tables_holding(document, document.styles[wanted].style_id)
    except KeyError:  # the template lost the style itself
        tables = []
    if not tables:
        raise DocumentError.single(
            MAIN_TEMPLATE + ".docx", f"mẫu thiếu đoạn kiểu '{wanted}' trong bảng"
        )
    return tables


def _add_rules(document: Document, profile: Profile) -> None:
    """A rule under each paragraph whose role asks for one (its width measured from its text)."""
    room = content_width(document.sections[0])
    looks = {
        sid: look
        for sid, role in role_styles(document).items()
        if (look := profile.roles.get(role)) is not None and look.rule_below
    }
    for paragraph in list(paragraphs(document, looks)):
        look = looks[style_id(paragraph)]
        if not paragraph.text.strip():
            continue
        width_pt = max(
            text_width_pt(line, profile.font, look.size, look.bold, look.italic)
            for line in paragraph.text.splitlines()
        )
        space = cell_text_width(paragraph) or room
        insert_rule_after(paragraph, round(min(width_pt * 20, space) * look.rule_below), space)
