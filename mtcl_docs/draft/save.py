"""Import as a command does it: an old .doc or .odt converted by LibreOffice first (the same
guarded conversion as returned plans), then the data file and, for a body not yet known, the
organisation file written — each whole or not at all, never over a file import did not make."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mtcl_docs.draft.datafile import to_yaml, write_yaml
from mtcl_docs.draft.importer import Imported, ImportError_, import_draft
from mtcl_docs.draft.orgs import slug
from mtcl_docs.load.loader import DOC_DIR, ORG_DIR
from mtcl_docs.oxml.draft_read import DraftReadError, read_draft
from mtcl_docs.plans.legacy import TARGET, LegacyError, converted

MARK = "Nhập từ bản thảo"  # the first line of every file import writes
READABLE = {".docx", ".docm", ".doc", ".odt", ".rtf"}


@dataclass
class ImportResult:
    """An import done: what was read, and the files written."""

    imported: Imported
    data_path: Path
    org_path: Path | None
    source: Path


def _ours(path: Path, source: Path) -> bool:
    """A file import wrote from this same draft (so writing it again is an update, not a loss)."""
    try:
        first = path.read_text(encoding="utf-8").splitlines()[:1]
    except OSError:
        return False
    return bool(first) and first[0] == f"# {MARK} {source.name}"


def data_target(source: Path, data_dir: Path, wanted: Path | None,
                in_register: Callable[[str], bool] | None = None) -> Path:  # fmt: skip
    """`-o` as given, else data/notices/<tên tệp>.yaml; a name taken by another document — its
    data file, or (`in_register`) a number the register gave that id — gets `-2`, `-3`… (a file
    import wrote from the same draft is updated: its register entries are its own)."""
    if wanted is not None:
        return wanted
    folder = data_dir / DOC_DIR
    base = slug(source.stem)
    name, n = base, 2
    while True:
        path = folder / f"{name}.yaml"
        if path.exists():
            if _ours(path, source):
                return path
        elif not (in_register and in_register(name)):
            return path
        name, n = f"{base}-{n}", n + 1


def import_file(source: Path, data_dir: Path, profile: str | None = None,
                target: Path | None = None,
                in_register: Callable[[str], bool] | None = None) -> ImportResult:  # fmt: skip
    """Read `source` and write its data file (and a new organisation's file) under `data_dir`;
    `in_register` says whether the register knows a document id (fix: a draft must not come
    to stand under another document's number)."""
    if not source.is_file():
        raise ImportError_(f"{source}: không có tệp này (cần một bản thảo .docx, .doc hoặc .odt)")
    suffix = source.suffix.lower()
    if suffix not in READABLE:
        raise ImportError_(
            f"{source}: không đọc được tệp {suffix or '(không có đuôi)'}; cần bản thảo Word .docx "
            "(hoặc .doc, .odt, .rtf để chuyển qua LibreOffice)"
        )
    with contextlib.ExitStack() as stack:
        docx = source
        if suffix in TARGET:  # .doc, .odt, .rtf, and .docm (its macros never run)
            try:
                docx = stack.enter_context(converted(source))
            except LegacyError as exc:
                raise ImportError_(f"{source}: {exc}") from exc
        try:
            draft = read_draft(docx)
        except DraftReadError as exc:
            raise ImportError_(
                f"{source}: không mở được như tệp Word ({exc.__cause__ or exc})"
            ) from exc
        draft.path = docx
        imported = import_draft(docx, data_dir, profile, draft)
    target = data_target(source, data_dir, target, in_register)
    if target.exists() and not _ours(target, source):
        raise ImportError_(
            f"{target}: đã có tệp dữ liệu này (không do import tạo từ {source.name}); "
            "chọn tên khác bằng -o data/notices/TÊN.yaml"
        )
    if target.suffix != ".yaml":
        raise ImportError_(f"{target}: tệp dữ liệu phải có đuôi .yaml")
    org_path = None
    heading = (
        f"{MARK} {source.name}\nKiểm tra lại các trường, rồi dựng: mtcl-docs build {target.stem}"
    )
    if imported.new_org is not None:
        org_path = data_dir / ORG_DIR / f"{imported.org_id}.yaml"
        write_yaml(org_path, imported.new_org,
                   f"{MARK} {source.name}\nCơ quan mới: kiểm tra tên, ký hiệu, mã đơn vị, người ký"
                   + ("; ghi numbering: terms: (ngày bắt đầu các nhiệm kỳ cấp ủy)"
                      if imported.profile.family == "party" else ""))  # fmt: skip
    write_yaml(target, imported.data, heading)
    return ImportResult(imported, target, org_path, source)


__all__ = ["ImportResult", "import_file", "to_yaml"]
