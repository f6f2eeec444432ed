"""Names from the data that become parts of paths (org id, document id, unit code, `based_on:`,
`rows_from:`, template names) stay inside their folder: `code: ../../tmp/x` or a file named
`...yaml` is an error, never a file written or read somewhere else."""

from __future__ import annotations

import re
from pathlib import Path

_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')  # no Windows file name holds these
MAX_NAME_BYTES = 150  # room for suffixes under the 255-byte limit of a file name


def name_problem(name: str) -> str | None:
    """Why `name` cannot be one file or folder name (None: it can)."""
    if not name.strip():
        return "không được để trống"
    if name.startswith("."):
        return "không được bắt đầu bằng dấu chấm ('.', '..' là thư mục trên, tên bắt đầu '.' bị ẩn)"
    bad = _FORBIDDEN.search(name)
    if bad:
        shown = repr(bad[0]) if bad[0].isprintable() else f"mã U+{ord(bad[0]):04X}"
        return f'có ký tự {shown}, không dùng được trong tên tệp hay thư mục (/ \\ : * ? " < > |)'
    if name != name.strip():
        return "có dấu cách ở đầu hoặc cuối"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"quá dài (tối đa {MAX_NAME_BYTES} byte)"
    return None


def inside(folder: Path, target: Path) -> bool:
    """`target`, links followed, lies within `folder` (also with links followed)."""
    try:
        return target.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def relative_problem(value: str) -> str | None:
    """Why `value` cannot name a file beside the data (None: it can): an absolute path or one that
    climbs out with `..`."""
    if not value.strip():
        return "không được để trống"
    if "\x00" in value:
        return "có ký tự mã U+0000"
    path = Path(value)
    if path.is_absolute() or value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value):
        return "phải là tên tệp nằm cùng thư mục dữ liệu, không phải đường dẫn tuyệt đối"
    if ".." in re.split(r"[\\/]", value):
        return "không được dùng '..' để ra khỏi thư mục dữ liệu"
    return None
