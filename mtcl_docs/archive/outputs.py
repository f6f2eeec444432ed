"""What the archive stands on: which documents enter it (issued ones only) and a key that changes
whenever one of the files it lists changes or goes missing, so a partial or interrupted build is
always followed by a fresh bundle and manifest."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from mtcl_docs.load.loader import Job

ARCHIVED_DIRS = ("docx", "pdf", "don-vi", "luu-tru", "da-huy")
_TEMP = re.compile(r"^\..+\.(\d+)\.tmp$")  # fsutil.temp_name: .<name>.<pid>.tmp


def issued(job: Job) -> bool:
    """A document the archive holds: it has its number (a draft has none; a cancelled number is
    no longer the document's, so it is a draft again when it is next numbered)."""
    return job.doc.number is not None


def file_stamp(path: Path, output: Path) -> str:
    """A file as the archive key sees it: its place, size and modification time (a missing file
    has a stamp of its own, so losing it changes the key too)."""
    relative = path.relative_to(output).as_posix()
    try:
        st = path.stat()
    except OSError:
        return f"{relative}:thiếu"
    return f"{relative}:{st.st_size}:{st.st_mtime_ns}"


def archive_key_parts(documents: list[tuple[Job, Path, Path]], forms: list[Path],
                      output: Path) -> list[str]:  # fmt: skip
    """One line per archived document (its data as numbered, its files' stamps) and per form."""
    parts = [
        f"doc:{job.org.id}/{job.doc.id}:{job.doc.model_dump_json()}:"
        f"{file_stamp(docx, output)}:{file_stamp(pdf, output)}"
        for job, docx, pdf in documents
    ]
    return sorted(parts) + sorted(f"form:{file_stamp(f, output)}" for f in forms)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_temp_files(output: Path) -> list[Path]:
    """Half-written files a killed build left beside its outputs (`.name.PID.tmp` of a process
    that is gone): removed, so that after any interrupted build a plain build leaves `verify`
    clean. A temp file of a process still running is left alone."""
    removed = []
    for folder in ARCHIVED_DIRS:
        base = output / folder
        if not base.is_dir():
            continue
        for root, _dirs, names in os.walk(base):
            for name in names:
                match = _TEMP.match(name)
                if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
                    path = Path(root) / name
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                        removed.append(path)
    return removed
