"""`mtcl-docs verify output/`: every file the manifest lists is there and unchanged, and no other."""

from __future__ import annotations

from pathlib import Path

from mtcl_docs.archive.manifest import MANIFEST, MANIFEST_DIR, Manifest, sha256

CHECKED_DIRS = ("docx", "pdf", "don-vi", MANIFEST_DIR)
MANIFEST_FILES = {"manifest.json", "manifest.csv", "manifest.xml"}


def verify(output: Path) -> list[str]:
    """One line per missing, changed or extra file; an empty list means the archive is intact."""
    path = output / MANIFEST_DIR / MANIFEST
    if not path.is_file():
        return [f"thiếu {path}: chưa dựng lần nào, hoặc đã bị xóa"]
    try:
        manifest = Manifest.read(path)
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{path} hỏng, không đọc được ({exc})"]
    problems = []
    listed = set()
    for record in manifest.files():
        listed.add(record.path)
        file = output / record.path
        if not file.is_file():
            problems.append(f"thiếu: {record.path}")
        elif sha256(file) != record.sha256:
            problems.append(f"đã bị thay đổi: {record.path}")
    for folder in CHECKED_DIRS:
        for file in sorted((output / folder).rglob("*")):
            relative = file.relative_to(output).as_posix()
            if (
                file.is_file()
                and relative not in listed
                and not (folder == MANIFEST_DIR and file.name in MANIFEST_FILES)
            ):
                problems.append(f"thừa (không có trong manifest): {relative}")
    return problems
