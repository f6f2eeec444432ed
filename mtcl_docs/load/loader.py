"""Read `data/`: organisations, then documents, each checked against the other; collect problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.load.doctypes import DOC_TYPES, DocType
from mtcl_docs.load.messages import explain, locate
from mtcl_docs.load.model import Authority, Document, Organisation
from mtcl_docs.load.yamlsource import YamlSource, field_path
from mtcl_docs.profiles import Profile
from mtcl_docs.profiles.profile import (
    ProfileError,
    check_overrides,
    pick_profile,
    profile_names,
)

ORG_DIR = "orgs"
DOC_DIR = "notices"


@dataclass(frozen=True)
class Job:
    """A validated document together with its organisation, type and formatting profile."""

    doc: Document
    org: Organisation
    doc_type: DocType
    profile: Profile
    source: Path


@dataclass
class Loaded:
    orgs: dict[str, Organisation]
    jobs: list[Job]
    problems: list[Problem]


def load_data(data_dir: Path, appendix_templates: set[str] | None = None) -> Loaded:
    """Every document under `data_dir` that validates, and a problem for each that does not."""
    problems: list[Problem] = []
    for folder in (data_dir / ORG_DIR, data_dir / DOC_DIR):
        if not folder.is_dir():
            problems.append(
                Problem(folder, "không có thư mục này (dữ liệu cần data/orgs/ và data/notices/)")
            )
    orgs: dict[str, Organisation] = {}
    for path in sorted((data_dir / ORG_DIR).glob("*.yaml")):
        try:
            org = load_org(path)
        except DocumentError as exc:
            problems.extend(exc.problems)
            continue
        orgs[org.id] = org
    jobs = []
    read_cache: dict[Path, YamlSource] = {}  # a file many documents are based on is read once
    for path in sorted((data_dir / DOC_DIR).glob("*.yaml")):
        try:
            jobs.append(load_document(path, orgs, appendix_templates, read_cache))
        except DocumentError as exc:
            problems.extend(exc.problems)
    return Loaded(orgs, jobs, problems)


def _validated(model, src: YamlSource, data: dict[str, Any], extra=()):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DocumentError(explain(src, exc, extra)) from exc


def _mapping(src: YamlSource) -> dict[str, Any]:
    if not isinstance(src.data, dict):
        raise DocumentError.single(src.path, "tệp phải là một nhóm trường dạng 'tên: giá trị'")
    return src.data


def load_org(path: Path) -> Organisation:
    src = YamlSource.read(path)
    org = _validated(Organisation, src, {"id": path.stem, **_mapping(src)})
    if org.profile not in profile_names():
        raise DocumentError.single(
            path,
            f'"{org.profile}" không phải thể thức đã biết (có: {", ".join(profile_names())})',
            line=src.line_of(("profile",)),
            field="profile",
        )
    try:
        check_overrides(org.profile, org.overrides)
    except ProfileError as exc:
        raise DocumentError.single(
            path, str(exc), line=src.line_of(("overrides",)), field="overrides"
        ) from exc
    return org


def load_document(
    path: Path,
    orgs: dict[str, Organisation],
    appendix_templates: set[str] | None = None,
    read_cache: dict[Path, YamlSource] | None = None,
) -> Job:
    src = YamlSource.read(path)
    data = dict(_mapping(src))
    bases: list[YamlSource] = []
    if "based_on" in data:
        base_path = path.parent / str(data.pop("based_on"))
        if not base_path.is_file():
            raise DocumentError.single(
                path,
                f"không thấy tệp gốc '{base_path.name}'",
                line=src.line_of(("based_on",)),
                field="based_on",
            )
        read_cache = {} if read_cache is None else read_cache
        if base_path not in read_cache:
            read_cache[base_path] = YamlSource.read(base_path)
        base = read_cache[base_path]
        data = {**_mapping(base), **data}
        bases.append(base)
    doc = _validated(Document, src, {"id": path.stem, **data}, bases)

    def fail(field: tuple, message: str) -> DocumentError:
        file, line = locate(src, bases, field)
        return DocumentError.single(file, message, line=line, field=field_path(field))

    org = orgs.get(doc.org)
    if org is None:
        known = ", ".join(sorted(orgs)) or "chưa có tệp nào trong data/orgs"
        raise fail(("org",), f'"{doc.org}" không phải cơ quan đã khai báo (có: {known})')
    if doc.type not in DOC_TYPES:
        raise fail(
            ("type",), f'"{doc.type}" không phải loại văn bản đã biết (có: {", ".join(DOC_TYPES)})'
        )
    signer = org.signers.get(doc.signer)
    if signer is None:
        raise fail(
            ("signer",),
            f'"{doc.signer}" không có trong danh sách người ký của {org.id} ({", ".join(org.signers)})',
        )
    if org.unit(doc.filing_unit) is None:
        codes = ", ".join(u.code for u in org.units)
        raise fail(
            ("filing_unit",), f'"{doc.filing_unit}" không phải mã đơn vị của {org.id} (có: {codes})'
        )
    try:
        profile = pick_profile(doc.profile or org.profile, doc.date, org.overrides)
    except ProfileError as exc:
        raise fail(("profile",) if doc.profile else ("date",), str(exc)) from exc
    if (
        signer.authority is not Authority.DIRECT
        and signer.authority not in profile.authority_prefix
    ):
        raise fail(
            ("signer",),
            f"thể thức {profile.name} không có thẩm quyền ký {signer.authority.value} "
            f"(có: {', '.join(profile.authority_prefix.values())})",
        )
    for i, appendix in enumerate(doc.appendices):
        if appendix_templates is not None and appendix.template not in appendix_templates:
            raise fail(
                ("appendices", i, "template"),
                f'không có mẫu phụ lục "{appendix.template}.docx" trong thư mục mẫu',
            )
    code = profile.type_codes.get(doc.type, DOC_TYPES[doc.type].code)
    return Job(doc, org, DOC_TYPES[doc.type]._replace(code=code), profile, path)
