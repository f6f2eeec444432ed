"""A conversion pool that survives LibreOffice: one LibreOffice kept open per worker and started
before the first document is ready, a timeout that kills, one retry in a fresh process, a cap on
documents per process, and no process left behind."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from mtcl_docs.convert.soffice import Converted, find_soffice, find_uno_python
from mtcl_docs.fsutil import atomic_write

MAX_DOCS_PER_PROCESS = 200  # then a fresh LibreOffice, so memory cannot creep
SECONDS_AT_START = 60
SECONDS_PER_FILE = 30
ATTEMPTS = 2
SECONDS_TO_QUIT = 5
WORKER = Path(__file__).with_name("unoworker.py")


class ConversionFailed(Exception):
    """LibreOffice answered but made no PDF, or stopped while converting."""


@dataclass(frozen=True)
class Task:
    source: Path
    target: Path


class Session:
    """One converter process; `convert` raises TimeoutError or ConversionFailed, never hangs."""

    converted = 0

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        raise NotImplementedError

    def close(self, gently: bool = True) -> None:
        """Gently after good work; at once (killed) after a failure."""


class Backend:
    """Opens sessions: LibreOffice kept open here (LocalOffice), or remote servers (UnoServers).

    `track(proc)` registers a started process so a stopping pool can kill it; it returns False
    (kill it at once and raise InterruptedError) when the pool is already stopping.
    """

    def open(self, workdir: Path, track) -> Session:
        raise NotImplementedError


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

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        request = json.dumps({"source": str(source), "target": str(target)}) + "\n"
        try:
            self.proc.stdin.write(request.encode("utf-8"))
            self.proc.stdin.flush()
        except OSError as exc:
            raise ConversionFailed(self._stopped()) from exc
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        line = self.proc.stdout.readline()
        if not line:
            raise ConversionFailed(self._stopped())
        answer = json.loads(line)
        if not answer["ok"]:
            raise ConversionFailed(f"tệp không mở được hoặc bị hỏng: {answer['error']}")
        self.converted += 1

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


def kill(proc: subprocess.Popen) -> None:
    """Kill a process and everything it started (its session's process group), and wait for them."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _group_alive(group: int) -> bool:
    """Whether any process of the group still runs (zombies waiting to be reaped do not count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


class ConversionPool:
    """Submit documents as they are rendered; `finish()` waits and returns one result each.

    Each worker opens its LibreOffice at once, so it starts while the first documents render.
    """

    def __init__(self, backend: Backend | None = None, jobs: int | None = None,
                 per_process: int = MAX_DOCS_PER_PROCESS, seconds_per_file: float = SECONDS_PER_FILE,
                 seconds_at_start: float = SECONDS_AT_START, after=None):  # fmt: skip
        self.backend = backend or LocalOffice()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.per_process = per_process
        self.seconds_per_file = seconds_per_file
        self.seconds_at_start = seconds_at_start
        self.after = after  # called as after(source, pdf) in the worker, e.g. to report progress
        self.tasks: queue.Queue[Task | None] = queue.Queue()
        self.results: list[Converted] = []
        self.pending = 0
        self.lock = threading.Condition()
        self.stopped = False
        self.finished = False
        self.running: set[subprocess.Popen] = set()
        self.scratch = Path(tempfile.mkdtemp(prefix="mtcl-pdf-"))
        self.workers = [
            threading.Thread(target=self._work, args=(i,), daemon=True) for i in range(self.jobs)
        ]
        for worker in self.workers:
            worker.start()

    def submit(self, source: Path, target: Path) -> None:
        with self.lock:
            self.pending += 1
        self.tasks.put(Task(source, target))

    def finish(self) -> list[Converted]:
        """Wait for every document, then let each LibreOffice quit in the background (`shutdown`
        waits for that); on Ctrl-C, kill every soffice before re-raising."""
        try:
            with self.lock:
                while self.pending:
                    self.lock.wait(0.2)
        except BaseException:
            self.shutdown()
            raise
        self.finished = True
        for _ in self.workers:
            self.tasks.put(None)
        return self.results

    def shutdown(self) -> None:
        """Stop: no new soffice starts, every one still running is killed, workers are waited for.

        Safe to call twice. After `finish`, LibreOffice is first given its time to quit."""
        others = [w for w in self.workers if w is not threading.current_thread()]
        if self.finished:
            for worker in others:
                worker.join(timeout=SECONDS_TO_QUIT + 1)
        with self.lock:
            if self.stopped:
                return
            self.stopped = True
            running = list(self.running)
        for proc in running:
            kill(proc)
        for _ in self.workers:
            self.tasks.put(None)
        for worker in others:
            worker.join(timeout=10)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _track(self, proc, done: bool = False) -> bool:
        """Register a started process; False (kill it) once the pool is stopping."""
        with self.lock:
            if done:
                self.running.discard(proc)
                return True
            if self.stopped:
                return False
            self.running.add(proc)
            return True

    def _work(self, slot: int) -> None:
        session = None
        try:
            with contextlib.suppress(OSError):  # a failed start is retried with the first task
                session = self._open(slot)
            while not self.stopped and (task := self.tasks.get()) is not None:
                session, result = self._convert(task, session, slot)
                if self.stopped:
                    return
                self._done(result)
        except InterruptedError:
            return
        finally:
            if session is not None:
                session.close()

    def _open(self, slot: int) -> Session:
        return self.backend.open(self.scratch / f"w{slot}-{uuid.uuid4().hex[:8]}", self._track)

    def _convert(self, task: Task, session: Session | None, slot: int):
        """Up to ATTEMPTS tries, each failure in a fresh process; returns the session to go on with."""
        reason = ""
        for _ in range(ATTEMPTS):
            made = self.scratch / f"w{slot}-{uuid.uuid4().hex}.pdf"
            timeout = self.seconds_per_file + self.seconds_at_start
            try:
                if session is None or session.converted >= self.per_process:
                    if session is not None:
                        session.close()
                    session = None  # a failed start is retried like a failed conversion
                    session = self._open(slot)
                if session.converted:
                    timeout = self.seconds_per_file
                session.convert(task.source, made, timeout)
            except TimeoutError:
                reason = f"LibreOffice không trả lời sau {timeout:.0f} giây"
            except ConversionFailed as exc:
                reason = str(exc)
            except OSError as exc:
                reason = f"không chạy được bộ chuyển đổi ({exc})"
            else:
                if made.is_file() and made.stat().st_size > 0:
                    return session, self._place(task, made)
                reason = "LibreOffice không ghi ra tệp PDF"
            if self.stopped:
                return session, None
            if session is not None:
                session.close(gently=False)
                session = None
        error = f"LibreOffice không tạo được PDF sau {ATTEMPTS} lần ({reason})"
        return session, Converted(task.source, None, error)

    def _place(self, task: Task, made: Path) -> Converted:
        """Move the PDF into place (it may cross file systems), then run the `after` step."""
        atomic_write(task.target, lambda tmp: shutil.move(made, tmp))
        try:
            if self.after is not None:
                self.after(task.source, task.target)
        except Exception as exc:  # noqa: BLE001 - reported for this document; the others go on
            return Converted(task.source, None, f"không xong bước sau khi làm PDF ({exc})")
        return Converted(task.source, task.target)

    def _done(self, result: Converted) -> None:
        with self.lock:
            self.results.append(result)
            self.pending -= 1
            self.lock.notify_all()


def to_pdf(sources: list[Path], targets: list[Path], jobs: int | None = None) -> list[Converted]:
    """Convert each source to the PDF at the same index in `targets` (all at once, through a pool)."""
    if not sources:
        return []
    pool = ConversionPool(jobs=min(jobs or os.cpu_count() or 1, len(sources)))
    try:
        for source, target in zip(sources, targets, strict=True):
            pool.submit(source, target)
        return pool.finish()
    finally:
        pool.shutdown()
