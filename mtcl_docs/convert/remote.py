"""Scale-out: convert through LibreOffice servers (unoserver) instead of local soffice processes.

Start one per machine or core with `unoserver --interface 0.0.0.0 --port 2003`, then build with
`mtcl-docs build --unoserver host:2003 --unoserver host2:2003`.
"""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

from mtcl_docs.convert.session import Backend, ConversionFailed, Session, guarded, kill
from mtcl_docs.convert.soffice import ConversionError

PDFA_OPTION = "SelectPdfVersion=2"  # PDF/A-2b, as the local converter writes


def find_unoconvert() -> str:
    """`unoconvert` on PATH, or in the project's `.venv-uno` (made by tools/bootstrap.sh)."""
    project = Path(__file__).resolve().parents[2]  # the checkout, for an editable install
    bases = (project, Path.cwd(), Path(sys.prefix).parent)
    candidates = [
        shutil.which("unoconvert"),
        *(b / ".venv-uno" / "bin" / "unoconvert" for b in bases),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise ConversionError("không tìm thấy unoconvert (gói unoserver); chạy tools/bootstrap.sh")


def parse_server(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ConversionError(
            f'"{text}" không phải địa chỉ máy chủ dạng máy:cổng (ví dụ 10.0.0.5:2003)'
        )
    return host, int(port)


class UnoServers(Backend):
    """Each worker converts through `unoconvert` on the next server, round robin."""

    def __init__(self, servers: list[str], unoconvert: str | None = None):
        if not servers:
            raise ConversionError("cần ít nhất một máy chủ unoserver")
        self.servers = [parse_server(s) for s in servers]
        for host, port in self.servers:  # fail at once, not after each file's timeout
            try:
                socket.create_connection((host, port), timeout=5).close()
            except OSError as exc:
                raise ConversionError(
                    f"không kết nối được máy chủ unoserver {host}:{port} ({exc.strerror or exc})"
                ) from exc
        self.unoconvert = unoconvert or find_unoconvert()
        self._next = itertools.cycle(self.servers)
        self._lock = threading.Lock()

    def open(self, workdir: Path, track, seconds_to_start: float) -> Session:
        with self._lock:
            host, port = next(self._next)
        return RemoteSession(self.unoconvert, host, port, track)


class RemoteSession(Session):
    """One `unoconvert` call a file; the server keeps LibreOffice open, so nothing stays here."""

    def __init__(self, unoconvert: str, host: str, port: int, track):
        self.unoconvert, self.host, self.port, self.track = unoconvert, host, port, track

    def send(self, source: Path, target: Path) -> None:
        self.asked = (source, target)  # converted in receive(): one unoconvert call a file
        self.sent += 1

    def receive(self, timeout: float) -> None:
        source, target = self.asked
        cmd = [self.unoconvert, "--host", self.host, "--port", str(self.port), "--host-location",
               "remote", "--convert-to", "pdf", "--output-filter", "writer_pdf_Export",
               "--filter-option", PDFA_OPTION, str(source), str(target)]  # fmt: skip
        proc = subprocess.Popen(guarded(cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        if not self.track(proc):
            kill(proc)
            raise InterruptedError
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise TimeoutError from exc
        finally:
            kill(proc)
            self.track(proc, done=True)
        if proc.returncode != 0:
            said = out.decode("utf-8", "replace").strip().splitlines()
            raise ConversionFailed(
                f"{self.host}:{self.port}: {said[-1] if said else proc.returncode}"
            )
