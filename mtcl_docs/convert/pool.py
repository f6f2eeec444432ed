"""A conversion pool that survives LibreOffice: one LibreOffice kept open per worker and started
before the first document is ready, a timeout that kills, one retry in a fresh process, a cap on
documents per process, and no process left behind."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from mtcl_docs.convert.office import SECONDS_TO_QUIT, LocalOffice
from mtcl_docs.convert.remote import UnoServers
from mtcl_docs.convert.session import Backend, ConversionFailed, Session, kill
from mtcl_docs.convert.soffice import Converted
from mtcl_docs.fsutil import atomic_write

MAX_DOCS_PER_PROCESS = 200  # then a fresh LibreOffice, so memory cannot creep
SECONDS_AT_START = 60
SECONDS_PER_FILE = 30
ATTEMPTS = 2


@dataclass(frozen=True)
class Task:
    source: Path
    target: Path


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


def backend_for(unoservers: list[str] | None) -> Backend:
    """LibreOffice on this machine, or the unoserver machines the office named (`--unoserver`)."""
    return UnoServers(unoservers) if unoservers else LocalOffice()


def to_pdf(sources: list[Path], targets: list[Path], jobs: int | None = None,
           unoservers: list[str] | None = None) -> list[Converted]:  # fmt: skip
    """Convert each source to the PDF at the same index in `targets` (all at once, through a pool)."""
    if not sources:
        return []
    jobs = jobs or (len(unoservers) if unoservers else os.cpu_count() or 1)
    pool = ConversionPool(backend_for(unoservers), jobs=min(jobs, len(sources)))
    try:
        for source, target in zip(sources, targets, strict=True):
            pool.submit(source, target)
        return pool.finish()
    finally:
        pool.shutdown()
