"""No half-written file is ever left in output/; a full disk is said as such, naming the folder."""

from __future__ import annotations

import errno
import os
import sqlite3

import pytest

from mtcl_docs.fsutil import DiskFull, atomic_write, is_disk_full


def test_failed_write_leaves_neither_target_nor_temp(tmp_path):
    target = tmp_path / "a" / "x.docx"

    def broken(tmp):
        tmp.write_bytes(b"half")
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert list(tmp_path.rglob("*")) == [tmp_path / "a"]


def test_failed_rewrite_keeps_the_previous_file(tmp_path):
    target = tmp_path / "x.docx"
    target.write_bytes(b"old")

    def broken(tmp):
        tmp.write_bytes(b"new but half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.docx"]


def test_build_leaves_no_temporary_files(seed_build):
    out = next(iter(seed_build.values())).docx.parents[2]
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".pdf-")]
    assert leftovers == []
    assert [p.name for p in out.glob(".*")] == [".cache"]  # the build cache, on purpose


def test_a_full_disk_is_said_naming_the_folder_and_leaves_nothing(tmp_path):
    target = tmp_path / "out" / "x.pdf"

    def full(tmp):
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(DiskFull) as caught:
        atomic_write(target, full)
    assert caught.value.errno == errno.ENOSPC and caught.value.folder == target.parent
    assert str(caught.value).startswith(f"hết chỗ trống trên đĩa khi ghi vào {target.parent}/")
    assert list((tmp_path / "out").iterdir()) == []


def test_sqlite_full_is_told_apart_from_a_corrupt_file(tmp_path):
    """For the register: SQLite's SQLITE_FULL is a full disk; a damaged file is not."""
    db = sqlite3.connect(tmp_path / "r.sqlite")
    db.execute("PRAGMA max_page_count = 2")  # as if the disk had room for two pages only
    db.execute("CREATE TABLE t (x)")
    with pytest.raises(sqlite3.OperationalError) as caught:
        db.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    assert is_disk_full(caught.value)
    db.close()
    (tmp_path / "hong.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError) as corrupt:
        sqlite3.connect(tmp_path / "hong.sqlite").execute("SELECT * FROM sqlite_master")
    assert not is_disk_full(corrupt.value)
    assert not is_disk_full(OSError(errno.EACCES, "denied")) and is_disk_full(DiskFull(tmp_path))
