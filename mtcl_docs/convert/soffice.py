"""LibreOffice headless: many files per process, one process per core, none left behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "cài bằng: apt-get install libreoffice-writer-nogui fonts-liberation2"
# PDF/A-2b for the archive (spec: regulations.md §1); fonts are always embedded in PDF/A.
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
SECONDS_PER_FILE = 30
SECONDS_AT_START = 60


class ConversionError(Exception):
    """LibreOffice is missing or could not convert at all."""


@dataclass(frozen=True)
class Converted:
    source: Path
    pdf: Path | None
    error: str | None = None


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"không tìm thấy LibreOffice (soffice) để làm PDF; {INSTALL_HINT}")


def _chunks(items: list[Path], count: int) -> list[list[Path]]:
    count = max(1, min(count, len(items)))
    return [items[i::count] for i in range(count)]


def _start(soffice: str, files: list[Path], outdir: Path, profile: Path) -> subprocess.Popen:
    """One soffice for a whole batch, with its own profile so batches can run side by side."""
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--convert-to",
        PDF_FILTER,
        "--outdir",
        str(outdir),
        *(str(f.resolve()) for f in files),
    ]
    return subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a timeout kills all of it
    )


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def to_pdf(sources: list[Path], targets: list[Path], jobs: int | None = None) -> list[Converted]:
    """Convert each source DOCX to the PDF at the same index in `targets`, atomically."""
    if not sources:
        return []
    soffice = find_soffice()
    jobs = jobs or os.cpu_count() or 1
    target_of = dict(zip(sources, targets, strict=True))
    results: list[Converted] = []
    staging_root = targets[0].parent.parent
    staging_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pdf-", dir=staging_root.resolve()) as staging:
        running = []
        try:
            for i, batch in enumerate(_chunks(sources, jobs)):
                outdir = Path(staging, f"out{i}")
                profile = Path(staging, f"profile{i}")
                running.append((batch, outdir, _start(soffice, batch, outdir, profile)))
            for batch, outdir, proc in running:
                log = _wait(proc, SECONDS_AT_START + SECONDS_PER_FILE * len(batch))
                for source in batch:
                    results.append(_collect(source, outdir, target_of[source], log))
        finally:
            for _, _, proc in running:
                _kill(proc)
    return results


def _wait(proc: subprocess.Popen, timeout: float) -> str:
    try:
        out, _ = proc.communicate(timeout=timeout)
        return out.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        _kill(proc)
        return f"LibreOffice không trả lời sau {timeout:.0f} giây"


def _collect(source: Path, outdir: Path, target: Path, log: str) -> Converted:
    made = outdir / (source.stem + ".pdf")
    if not made.is_file() or made.stat().st_size == 0:
        why = "quá thời gian chờ" if "không trả lời" in log else "tệp không mở được hoặc bị hỏng"
        return Converted(source, None, f"LibreOffice không tạo được PDF ({why})")
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(made, target)
    return Converted(source, target)
