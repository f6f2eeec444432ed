"""LibreOffice on this machine, kept open and driven through UNO by `unoworker.py` (one per
worker of the pool), so start-up is paid once and conversion starts before the first document."""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import time
import uuid
from pathlib import Path

from mtcl_docs.convert.session import Backend, ConversionFailed, Session, StartFailed, kill
from mtcl_docs.convert.soffice import find_soffice, find_uno_python

SECONDS_TO_QUIT = 5
WORKER = Path(__file__).with_name("unoworker.py")


class LocalOffice(Backend):
    """soffice on this machine, driven through UNO by `unoworker.py`, one per worker."""

    def __init__(self, soffice: str | None = None, python: str | None = None):
        self.soffice = soffice or find_soffice()
        self.python = python or find_uno_python()

    def open(self, workdir: Path, track, seconds_to_start: float) -> Session:
        return OfficeSession(self.soffice, self.python, workdir, track, seconds_to_start)


class OfficeSession(Session):
    """The worker script and its soffice, in their own process group (killed together)."""

    def __init__(self, soffice: str, python: str, workdir: Path, track, seconds_to_start: float):
        workdir.mkdir(parents=True, exist_ok=True)
        self.log = workdir / "log.txt"
        self.track = track
        self.seconds_to_start = seconds_to_start
        self.ready = False  # LibreOffice has said it answers
        # -I: the worker's own folder is not on sys.path; it kills its group once we are gone
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [python, "-I", str(WORKER), soffice, (workdir / "profile").resolve().as_uri(),
                 f"mtcl-{uuid.uuid4().hex}", str(os.getpid()), str(seconds_to_start)],
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
        deadline = time.monotonic() + timeout
        answer = self._line(deadline, timeout)
        if not self.ready:  # the first line says whether LibreOffice started
            self._started(answer)
            answer = self._line(deadline, timeout)
        if not answer["ok"]:
            raise ConversionFailed(f"tệp không mở được hoặc bị hỏng: {answer['error']}")

    def _line(self, deadline: float, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], max(0, deadline - time.monotonic()))
        if not ready:
            if not self.ready:  # not even the worker said anything (it stopped, or hangs)
                raise StartFailed(
                    f"LibreOffice không trả lời sau {timeout:.0f} giây (khi đang khởi động)",
                    timeout=True,
                )
            raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            if not self.ready:
                raise StartFailed(f"LibreOffice không khởi động được ({self._stopped()})")
            raise ConversionFailed(self._stopped())
        try:
            return json.loads(line)
        except ValueError as exc:  # not our worker's answer: something else wrote on its stdout
            raise ConversionFailed(f"bộ chuyển đổi trả lời lạ: {line[:200]!r}") from exc

    def _started(self, answer: dict) -> None:
        if answer.get("ready"):
            self.ready = True
            return
        if answer.get("error") == "timeout":
            raise StartFailed(self._hung(), timeout=True)
        raise StartFailed(f"LibreOffice dừng ngay khi khởi động ({answer.get('error')})")

    def _hung(self) -> str:
        return (
            f"LibreOffice không khởi động được: sau {self.seconds_to_start:g} giây vẫn không nhận "
            f"kết nối (thử chạy soffice --headless bằng tay, hoặc khởi động lại máy)"
        )

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
