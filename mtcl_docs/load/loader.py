"""Read `data/`: organisations, then documents, each checked against the other; collect problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.kinds import Kind, KindError, find_kind
from mtcl_docs.load.messages import explain, locate
from mtcl_docs.load.model import Authority, Document, Organisation, Signer
from mtcl_docs.load.safepath import inside, name_problem, relative_problem
from mtcl_docs.load.table_model import TableBlock
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
    """A validated document together with its organisation, kind and formatting profile."""

    doc: Document
    org: Organisation
    kind: Kind
    profile: Profile
    source: Path
    attached_kind: Kind | None = None

    @property
    def signer(self) -> Signer:
        """The signer named by id in the organisation, or written out in the document."""
        s = self.doc.signer
        return s if isinstance(s, Signer) else self.org.signers[s]

    @property
    def summary(self) -> str:
        """The trích yếu, or the kind's name for kinds without one (giấy giới thiệu)."""
        return self.doc.subject or self.kind.name


@dataclass
class Loaded:
    orgs: dict[str, Organisation]
    jobs: list[Job]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)  # built all the same (a strange date)


EARLIEST = dt.date(1945, 9, 2)  # no organisation issuing under these rules is older
LATEST_AHEAD = dt.timedelta(days=366)  # a document dated ahead is signed within the year


def date_warning(date: dt.date, today: dt.date | None = None) -> str | None:
    """A date far outside any organisation's life (a typo in the year): warned, still built."""
    today = today or dt.date.today()
    shown = f"{date.day:02d}/{date.month:02d}/{date.year:04d}"
    if date < EARLIEST:
        return (
            f"ngày {shown} trước năm 1945, trước khi cơ quan có thể ban hành văn bản: "
            "kiểm tra lại năm (cần dạng NĂM-THÁNG-NGÀY)"
        )
    if date > today + LATEST_AHEAD:
        return f"ngày {shown} sau hôm nay hơn một năm: kiểm tra lại năm (cần dạng NĂM-THÁNG-NGÀY)"
    return None


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
    warnings: list[Problem] = []
    for path in sorted((data_dir / DOC_DIR).glob("*.yaml")):
        try:
            jobs.append(load_document(path, orgs, appendix_templates, read_cache, warnings))
        except DocumentError as exc:
            problems.extend(exc.problems)
    return Loaded(orgs, jobs, problems, warnings)


def _validated(model, src: YamlSource, data: dict[str, Any], extra=()):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DocumentError(explain(src, exc, extra)) from exc


def _mapping(src: YamlSource) -> dict[str, Any]:
    if not isinstance(src.data, dict):
        raise DocumentError.single(src.path, "tệp phải là một nhóm trường dạng 'tên: giá trị'")
    return src.data


def _file_name_is_an_id(path: Path, what: str) -> None:
    """The file's name (without .yaml) names the folders its outputs go to: it must be one."""
    why = name_problem(path.stem)
    if why is None and not inside(path.parent, path):
        raise DocumentError.single(
            path,
            f"là lối tắt (symlink) trỏ ra ngoài thư mục {path.parent}: không đọc. Hãy chép chính "
            "tệp dữ liệu vào thư mục này",
        )
    if why:
        raise DocumentError.single(
            path,
            f"tên tệp '{path.name}' không dùng được làm mã {what} (mã này thành tên thư mục, tên "
            f"tệp kết quả): {why}. Hãy đổi tên tệp, dùng chữ thường không dấu, số và '-'",
        )


def load_org(path: Path) -> Organisation:
    _file_name_is_an_id(path, "cơ quan")
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
    warnings: list[Problem] | None = None,
) -> Job:
    _file_name_is_an_id(path, "văn bản")
    src = YamlSource.read(path)
    data = dict(_mapping(src))
    bases: list[YamlSource] = []
    if "based_on" in data:
        base_path = _based_on(path, src, data.pop("based_on"))
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

    for name in ("date", "deadline"):
        value = getattr(doc, name)
        strange = date_warning(value) if value is not None else None
        if strange and warnings is not None:
            file, line = locate(src, bases, (name,))
            warnings.append(Problem(file, strange, line=line, field=name))

    _rows_files_inside(path, doc, fail)

    org = orgs.get(doc.org)
    if org is None:
        known = ", ".join(sorted(orgs)) or "chưa có tệp nào trong data/orgs"
        raise fail(("org",), f'"{doc.org}" không phải cơ quan đã khai báo (có: {known})')
    try:
        profile = pick_profile(doc.profile or org.profile, doc.date, org.overrides)
    except ProfileError as exc:
        raise fail(("profile",) if doc.profile else ("date",), str(exc)) from exc
    try:
        kind = find_kind(doc.type, profile.family, doc.title, doc.code)
    except KindError as exc:
        raise fail(("type",), str(exc)) from exc
    if kind.id in profile.type_codes and not doc.code:  # a code of one rule set only (HD 36: QĐi)
        kind = kind.model_copy(update={"code": profile.type_codes[kind.id]})
    signer = doc.signer if isinstance(doc.signer, Signer) else org.signers.get(doc.signer)
    if signer is None:
        raise fail(
            ("signer",),
            f'"{doc.signer}" không có trong danh sách người ký của {org.id} ({", ".join(org.signers)})',
        )
    codes = ", ".join(u.code for u in org.units)
    for i, code in enumerate(doc.filing_unit):
        if code != "VT" and org.unit(code) is None:
            raise fail(
                ("filing_unit", i) if len(doc.filing_unit) > 1 else ("filing_unit",),
                f'"{code}" không phải mã đơn vị của {org.id} (có: {codes})',
            )
    if doc.drafting_unit and org.unit(doc.drafting_unit) is None:
        raise fail(
            ("drafting_unit",),
            f'"{doc.drafting_unit}" không phải mã đơn vị của {org.id} (có: {codes})',
        )
    for who in (signer, signer.stacked):
        if (
            who is not None
            and who.authority is not Authority.DIRECT
            and who.authority not in profile.authority_prefix
        ):
            raise fail(
                ("signer",),
                f"thể thức {profile.name} không có thẩm quyền ký {who.authority.value} "
                f"(có: {', '.join(profile.authority_prefix.values())})",
            )
    _check_parts(doc, kind, fail)
    attached_kind = None
    if doc.attached is not None:
        try:
            attached_kind = find_kind(doc.attached.type, profile.family, doc.attached.title)
        except KindError as exc:
            raise fail(("attached", "type"), str(exc)) from exc
        if not attached_kind.attachable:
            raise fail(
                ("attached", "type"),
                f"{attached_kind.name} không ban hành kèm theo quyết định được (chỉ quy chế, quy định)",
            )
    if doc.appendices and appendix_templates is not None and "phu-luc" not in appendix_templates:
        raise fail(("appendices",), 'không có mẫu phụ lục "phu-luc.docx" trong thư mục mẫu')
    return Job(doc, org, kind, profile, path, attached_kind)


def _based_on(path: Path, src: YamlSource, value: Any) -> Path:
    """The file a document is based on: a .yaml beside it, never anything outside its folder (whose
    content would otherwise be read and shown in the errors)."""
    text = str(value) if isinstance(value, str | int | float) else ""
    why = relative_problem(text) if text else "cần tên một tệp .yaml cùng thư mục"
    if why is None and not text.endswith(".yaml"):
        why = "phải là một tệp .yaml cùng thư mục"
    if why is None and not inside(path.parent, path.parent / text):
        why = f"trỏ ra ngoài thư mục {path.parent} (qua lối tắt/symlink)"
    if why:
        raise DocumentError.single(
            path, f"'{text[:80]}' {why}", line=src.line_of(("based_on",)), field="based_on"
        )
    return path.parent / text


def _tables(blocks, loc: tuple):
    """(place, table block) for every table in `blocks`, at any depth."""
    for i, block in enumerate(blocks):
        if isinstance(block, TableBlock):
            yield (*loc, i, "table"), block
        yield from _tables(getattr(block, "body", ()), (*loc, i, "body"))


def _rows_files_inside(path: Path, doc: Document, fail) -> None:
    """A `rows_from:` file lies beside the data, never outside its folder."""
    places = [(("body",), doc.body)]
    if doc.attached is not None:
        places.append((("attached", "body"), doc.attached.body))
    places += [(("appendices", i, "body"), a.body) for i, a in enumerate(doc.appendices)]
    for loc, blocks in places:
        for where, block in _tables(blocks, loc):
            source = block.table.rows_from
            if source is None:
                continue
            why = relative_problem(source.file)
            if why is None and not inside(path.parent, path.parent / source.file):
                why = f"trỏ ra ngoài thư mục {path.parent} (qua lối tắt/symlink)"
            if why:
                raise fail((*where, "rows_from", "file"), f"'{source.file[:80]}' {why}")


def _check_parts(doc: Document, kind: Kind, fail) -> None:
    """What the kind's table asks of the data: a trích yếu, a body, Kính gửi, its fields."""
    if kind.subject.place != "none" and not doc.subject:
        raise fail(("subject",), f"{kind.name} cần trích yếu (subject:)")
    if kind.body_required and not doc.body:
        raise fail(("body",), f"{kind.name} cần nội dung (body:)")
    if "addressees" in kind.parts and kind.addressees.required and not doc.kinh_gui:
        raise fail(("kinh_gui",), f"{kind.name} cần nơi được gửi (kinh_gui:)")
    if doc.kinh_gui and "addressees" not in kind.parts:
        raise fail(
            ("kinh_gui",),
            f"{kind.name} không có phần Kính gửi; ghi nơi nhận ở recipients: (Nơi nhận)",
        )
    for key, spec in kind.fields.items():
        if spec.required and not doc.fields.get(key, "").strip():
            raise fail(("fields",), f"{kind.name} cần trường {key}: ({spec.label})")
    unknown = sorted(set(doc.fields) - set(kind.fields))
    if unknown:
        known = ", ".join(kind.fields) or "không có trường nào"
        raise fail(("fields", unknown[0]), f"{kind.name} không có trường này (có: {known})")
