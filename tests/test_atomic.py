"""No half-written file is ever left in output/."""

from __future__ import annotations

import pytest

from mtcl_docs.fsutil import atomic_write


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
