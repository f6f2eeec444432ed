"""LibreOffice on this machine, kept open and driven through UNO by `unoworker.py` (one per
worker of the pool), so start-up is paid once and conversion starts before the first document."""

from __future__ import annotations

import contextlib
import json
import select
import subprocess
import uuid
from pathlib import Path

from mtcl_docs.convert.session import Backend, ConversionFailed, Session, kill
from mtcl_docs.convert.soffice import find_soffice, find_uno_python

SECONDS_TO_QUIT = 5
WORKER = Path(__file__).with_name("unoworker.py")


class LocalOffice(Backend):
    """soffice on this machine, driven through UNO by `unoworker.py`, one per worker."""

    def __init__(self, soffice: str | None = None, python: str | None = None):
        self.soffice = soffice or find_soffice()
        self.python = python or find_uno_python()

    def open(self, workdir: Path, track) -> Session:
        return OfficeSession(self.soffice, self.python, workdir, track)


class OfficeSession(Session):
    """The worker script and its soffice, in their own process group (killed together)."""

    def __init__(self, soffice: str, python: str, workdir: Path, track):
        workdir.mkdir(parents=True, exist_ok=True)
        self.log = workdir / "log.txt"
        self.track = track
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [python, "-I", str(WORKER), soffice, (workdir / "profile").resolve().as_uri(),
                 f"mtcl-{uuid.uuid4().hex}"],  # -I: the worker's own folder is not on sys.path
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, start_new_session=True,
            )  # fmt: skip
        if not track(self.proc):
            kill(self.proc)
            raise InterruptedError

    window = 2  # LibreOffice has the next file at hand: it never waits for Python between files

    def send(self, source: Path, target: Path) -> None:
        request = json.dumps({"source": str(source), "target": str(target)}) + "\n"
        try:
            self.proc.stdin.write(request.encode("utf-8"))
            self.proc.stdin.flush()
        except OSError as exc:
            raise ConversionFailed(self._stopped()) from exc
        self.sent += 1

    def receive(self, timeout: float) -> None:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            raise ConversionFailed(self._stopped())
        try:
            answer = json.loads(line)
        except ValueError as exc:  # not our worker's answer: something else wrote on its stdout
            raise ConversionFailed(f"bộ chuyển đổi trả lời lạ: {line[:200]!r}") from exc
        if not answer["ok"]:
            raise ConversionFailed(f"tệp không mở được hoặc bị hỏng: {answer['error']}")

    def _stopped(self) -> str:
        said = self.log.read_text("utf-8", "replace").strip().splitlines()
        return "LibreOffice dừng giữa chừng" + (f": {said[-1]}" if said else "")

    def close(self, gently: bool = True) -> None:
        """Gently: end of input lets LibreOffice quit and its processes be reaped; then kill."""
        if gently and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=SECONDS_TO_QUIT)
        kill(self.proc)
        self.track(self.proc, done=True)
