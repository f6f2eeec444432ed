"""Writes that never leave half a file: write beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path


def temp_name(path: Path) -> Path:
    """A hidden name in the same folder (so the rename is atomic on one file system)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(tmp)` then move tmp onto `path`; on any error, remove tmp and re-raise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_name(path)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return path
