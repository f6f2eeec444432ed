"""LibreOffice headless: many files per process, one process per core, none left behind."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "cài bằng: apt-get install libreoffice-writer-nogui fonts-liberation2"
# PDF/A-2b for the archive (spec: regulations.md §1); fonts are always embedded in PDF/A.
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


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


def soffice_command(soffice: str, files: list[Path], outdir: Path, profile: Path) -> list[str]:
    """One soffice for a whole batch, with its own profile so batches can run side by side."""
    return [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
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
