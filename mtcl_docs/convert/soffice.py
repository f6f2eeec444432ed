"""Finding LibreOffice and the Python that drives it (python3-uno), and what a conversion gives."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = "cài bằng: apt-get install libreoffice-writer-nogui fonts-liberation2 python3-uno"
PYTHONS = ("/usr/bin/python3", "python3")  # Debian's python3-uno installs `uno` for these


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


@lru_cache(maxsize=1)
def find_uno_python() -> str:
    """A python3 that can `import uno`: the pool's workers drive LibreOffice through it."""
    for name in PYTHONS:
        found = shutil.which(name)
        if (
            found
            and subprocess.run([found, "-c", "import uno"], capture_output=True).returncode == 0
        ):
            return found
    raise ConversionError(f"không tìm thấy python3-uno để điều khiển LibreOffice; {INSTALL_HINT}")
