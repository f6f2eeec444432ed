"""Render a job into a python-docx Document: template → appendices → profile's page and styles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx.document import Document
from docx.table import Table
from docxtpl import DocxTemplate
from jinja2 import TemplateError, UndefinedError

from mtcl_docs.archive.metadata import LANGUAGE, PdfMeta
from mtcl_docs.errors import DocumentError
from mtcl_docs.load.loader import Job
from mtcl_docs.oxml.body import style_id
from mtcl_docs.oxml.compose import append_as_section
from mtcl_docs.oxml.rules import cell_text_width, insert_rule_after
from mtcl_docs.oxml.sections import content_width, number_pages, set_page
from mtcl_docs.oxml.styles import apply_role, role_of, set_document_defaults, style_name
from mtcl_docs.oxml.tables import set_column_widths
from mtcl_docs.profiles import Profile
from mtcl_docs.render.context import (
    RegisterBookContext,
    appendix_context,
    document_context,
    variables,
)
from mtcl_docs.render.jinja import template_env
from mtcl_docs.render.textwidth import text_width_pt

MAIN_TEMPLATE = "van-ban"
REGISTER_TEMPLATE = "so-dang-ky-van-ban-di"


def template_path(templates: Path, name: str) -> Path:
    return templates / f"{name}.docx"


def appendix_templates(templates: Path) -> set[str]:
    """Names of the appendix templates a document may ask for (`phu-luc-*.docx`)."""
    return {p.stem for p in templates.glob("phu-luc-*.docx")}


def _render(path: Path, context) -> Document:
    if not path.is_file():
        raise DocumentError.single(path, "không có mẫu này trong templates/")
    tpl = DocxTemplate(str(path))
    try:
        tpl.render(variables(context), jinja_env=template_env(), autoescape=True)
    except UndefinedError as exc:
        raise DocumentError.single(path, f"mẫu dùng biến không có dữ liệu: {exc.message}") from exc
    except TemplateError as exc:
        raise DocumentError.single(path, f"mẫu bị lỗi: {exc}") from exc
    return tpl.docx


def render_job(job: Job, templates: Path) -> Document:
    """The finished DOCX of one document, main text then one landscape section per appendix."""
    document = _render(template_path(templates, MAIN_TEMPLATE), document_context(job))
    for i, appendix in enumerate(job.doc.appendices):
        part = _render(
            template_path(templates, appendix.template), appendix_context(job, i, appendix)
        )
        append_as_section(document, part)
    set_column_widths(_table_with(document, "issuer"), job.profile.header_columns_mm)
    set_column_widths(_table_with(document, "authority"), job.profile.signature_columns_mm)
    apply_profile(document, job.profile)
    describe(document, PdfMeta.of(job))
    return document


def describe(document: Document, meta: PdfMeta) -> None:
    """Core properties (File → Properties in Word); LibreOffice carries them into the PDF."""
    props = document.core_properties
    props.title, props.author, props.subject = meta.title, meta.author, meta.subject
    props.keywords, props.language = meta.keywords, LANGUAGE
    props.created = props.modified = dt.datetime.combine(meta.created, dt.time())
    props.last_modified_by = meta.author
    props.revision = 1


def render_register_book(
    context: RegisterBookContext, profile: Profile, templates: Path
) -> Document:
    """The printed register: a portrait cover, then the landscape table of the ten columns."""
    document = _render(template_path(templates, REGISTER_TEMPLATE), context)
    apply_profile(document, profile)
    return document


def render_form(template: str, context, profile: Profile, templates: Path) -> Document:
    """A stand-alone landscape form (a unit's plan, a consolidated table, a results report)."""
    document = _render(template_path(templates, template), context)
    apply_profile(document, profile, landscape_from=0)
    return document


def apply_profile(document: Document, profile: Profile, landscape_from: int = 1) -> None:
    """Page size, margins, styles, rules and page numbers, all from the profile table.

    Sections from `landscape_from` on are landscape (appendices, wide tables).
    """
    for i, section in enumerate(document.sections):
        set_page(section, profile.page, landscape=i >= landscape_from)
    set_document_defaults(document, profile.font, profile.roles["body"].size, LANGUAGE)
    for role, look in profile.roles.items():
        apply_role(document, role, look, profile.font)
    _add_rules(document, profile)
    number_pages(document, style_name("page_number"))


def _paragraphs(document: Document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _table_with(document: Document, role: str) -> Table:
    """The table holding the role's paragraph: the header block (issuer) or signature (authority)."""
    wanted = style_name(role)
    for table in document.tables:
        for cell in table._cells:
            if any(p.style is not None and p.style.name == wanted for p in cell.paragraphs):
                return table
    raise DocumentError.single(
        MAIN_TEMPLATE + ".docx", f"mẫu thiếu đoạn kiểu '{wanted}' trong bảng"
    )


def _add_rules(document: Document, profile: Profile) -> None:
    """A rule under each paragraph whose role asks for one (its width measured from its text)."""
    room = content_width(document.sections[0])
    roles = {s.style_id: role_of(s.name) for s in document.styles if role_of(s.name)}
    for paragraph in list(_paragraphs(document)):
        look = profile.roles.get(roles.get(style_id(paragraph), ""))
        if not look or not look.rule_below or not paragraph.text.strip():
            continue
        width_pt = max(
            text_width_pt(line, profile.font, look.size, look.bold, look.italic)
            for line in paragraph.text.splitlines()
        )
        space = cell_text_width(paragraph) or room
        insert_rule_after(paragraph, round(min(width_pt * 20, space) * look.rule_below), space)
