"""Writes that never leave half a file: write beside the target, then rename over it. A full disk
is said in Vietnamese with the folder it hit, and is an error of the whole build, not of one file."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

FULL = (errno.ENOSPC, errno.EDQUOT)  # no space left; over the user's quota


class DiskFull(OSError):
    """The disk (or the user's quota) is full where the build writes: nothing more can be written
    there, so the build stops; what was written before stays whole (every write is atomic)."""

    def __init__(self, folder: Path | str, cause: BaseException | None = None):
        super().__init__(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
        self.folder = Path(folder)
        self.cause = cause

    def __str__(self) -> str:
        return disk_full_message(self.folder)


class OutputClosed(BrokenPipeError):
    """Standard output was closed (the command after `|` has quit): the build stops."""

    def __str__(self) -> str:
        return (
            "đầu ra của lệnh đã bị đóng (lệnh nhận sau dấu | đã thoát), không in tiếp được; "
            "chạy lại không có | hoặc chuyển vào tệp: mtcl-docs build > nhat-ky.txt"
        )


def disk_full_message(folder: Path | str) -> str:
    """What the clerk reads when `folder` cannot be written for lack of space."""
    return (
        f"hết chỗ trống trên đĩa khi ghi vào {folder}/: giải phóng chỗ trống (xóa bớt tệp, dọn "
        f"thùng rác) rồi chạy lại; các tệp đã ghi xong vẫn nguyên, không có tệp ghi dở"
    )


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` means "no space left": ENOSPC or EDQUOT from the OS, or SQLite's "database or
    disk is full" (SQLITE_FULL) — for the register, which must call that full, not corrupt."""
    if isinstance(exc, OSError):
        return exc.errno in FULL
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return False


def stops_the_build(exc: BaseException) -> bool:
    """Errors no single document causes (a full disk, a closed output, Ctrl-C, a stop): they end
    the whole build instead of being reported against the document at hand."""
    return is_disk_full(exc) or isinstance(exc, BrokenPipeError) or not isinstance(exc, Exception)


def temp_name(path: Path) -> Path:
    """A hidden name in the same folder (so the rename is atomic on one file system)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` then move tmp onto `path`; on any error, remove tmp and re-raise (a full
    disk as DiskFull, naming the folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(path.parent, exc) from exc
        raise
    tmp = temp_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if is_disk_full(exc) and not isinstance(exc, DiskFull):
            raise DiskFull(path.parent, exc) from exc
        raise
    return path
