"""A conversion pool that survives LibreOffice: one LibreOffice kept open per worker and started
before the first document is ready, a timeout that kills, one retry in a fresh process, a cap on
documents per process, and no process left behind. LibreOffice that does not start within its time
is said once, not waited for per document; anything else going wrong in a worker (a full disk, a
closed output, a bug) ends the pool at once and `finish` raises it: no wait is unbounded."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.convert.office import SECONDS_TO_QUIT, LocalOffice
from mtcl_docs.convert.remote import UnoServers
from mtcl_docs.convert.session import Backend, ConversionFailed, Session, StartFailed, kill
from mtcl_docs.convert.soffice import ConversionError, Converted
from mtcl_docs.fsutil import DiskFull, atomic_write, stops_the_build

MAX_DOCS_PER_PROCESS = 200  # then a fresh LibreOffice, so memory cannot creep
SECONDS_AT_START = 60  # for LibreOffice to answer after it is started (it takes 1-3 s)
SECONDS_PER_FILE = 30
ATTEMPTS = 2
ROOM_NEEDED = 20 * 1024 * 1024  # free bytes in the scratch folder below which it counts as full


class PoolFailed(ConversionError):
    """Something no document caused went wrong in a conversion worker: the pool stopped."""


@dataclass(frozen=True)
class Task:
    source: Path
    target: Path
    attempts: int = 0  # failed tries so far


@dataclass
class _Worker:
    """One worker's state: its session, what it has asked and not yet been answered, and what
    goes back to LibreOffice first (a failed file, or files a failure interrupted)."""

    slot: int
    session: Session | None = None
    asked: deque[tuple[Task, Path]] = field(default_factory=deque)
    again: deque[Task] = field(default_factory=deque)
    more: bool = True  # False once the queue said nothing more will come


class ConversionPool:
    """Submit documents as they are rendered; `finish()` waits and returns one result each.

    Each worker opens its LibreOffice at once, so it starts while the first documents render.
    """

    def __init__(self, backend: Backend | None = None, jobs: int | None = None,
                 per_process: int = MAX_DOCS_PER_PROCESS, seconds_per_file: float = SECONDS_PER_FILE,
                 seconds_at_start: float | None = None, after=None):  # fmt: skip
        self.backend = backend or LocalOffice()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.per_process = per_process
        self.seconds_per_file = seconds_per_file
        self.seconds_at_start = SECONDS_AT_START if seconds_at_start is None else seconds_at_start
        self.after = after  # called as after(source, pdf) in the worker, e.g. to report progress
        self.tasks: queue.Queue[Task | None] = queue.Queue()
        self.results: list[Converted] = []
        self.pending = 0
        self.lock = threading.Condition()
        self.stopped = False
        self.finished = False
        self.error: BaseException | None = None  # what ended a worker: `finish` raises it
        self.started = False  # some LibreOffice of this pool has answered
        self.start_failures = 0
        self.broken: str | None = None  # LibreOffice cannot start here: every document fails so
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
        waits for that); on Ctrl-C, or an error in a worker, kill every soffice, then raise."""
        try:
            with self.lock:
                while self.pending and self.error is None:
                    self.lock.wait(0.2)
                error = self.error
            if error is not None:
                if stops_the_build(error):
                    raise error
                raise PoolFailed(
                    f"lỗi bất ngờ khi làm PDF, dừng dựng ({type(error).__name__}: {error})"
                ) from error
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
        worker = _Worker(slot)
        try:
            with contextlib.suppress(OSError):  # a failed start is retried with the first task
                worker.session = self._open(slot)
            while not self.stopped:
                self._fill(worker)
                if not worker.asked:
                    if worker.more or worker.again:
                        continue
                    return
                self._answer(worker)
        except InterruptedError:
            return
        except BaseException as exc:  # noqa: BLE001 - the whole pool stops, `finish` raises it
            with self.lock:
                if self.error is None:
                    self.error = exc
                self.lock.notify_all()
        finally:
            if worker.session is not None:
                worker.session.close(gently=self.error is None)

    def _open(self, slot: int) -> Session:
        workdir = self.scratch / f"w{slot}-{uuid.uuid4().hex[:8]}"
        return self.backend.open(workdir, self._track, self.seconds_at_start)

    def _fill(self, worker: _Worker) -> None:
        """Ask LibreOffice for files until its window is full; waits for a task only when it has
        nothing to do. A session that has had its share is replaced once it has answered all."""
        while True:
            session = worker.session
            if session is not None and session.sent >= self.per_process:
                if worker.asked:
                    return
                session.close()
                worker.session = session = None
            if session is not None and len(worker.asked) >= session.window:
                return
            if worker.again:
                task = worker.again.popleft()
            elif not worker.more:
                return
            else:
                try:
                    task = self.tasks.get(block=not worker.asked)
                except queue.Empty:
                    return
                if task is None:
                    worker.more = False
                    return
            if self.broken:
                self._done(Converted(task.source, None, self.broken))
                continue
            made = self.scratch / f"w{worker.slot}-{uuid.uuid4().hex}.pdf"
            try:
                if worker.session is None:
                    worker.session = self._open(worker.slot)
                worker.session.send(task.source, made)
            except (ConversionFailed, OSError) as exc:
                self._failed(worker, task, str(exc))
                continue
            worker.asked.append((task, made))

    def _answer(self, worker: _Worker) -> None:
        """The oldest request's answer; on a failure LibreOffice is killed, the file retried once
        in a fresh one, and the files asked after it asked again."""
        task, made = worker.asked[0]
        session = worker.session
        timeout = self.seconds_per_file + (0 if session.received else self.seconds_at_start)
        try:
            session.receive(timeout)
            if not (made.is_file() and made.stat().st_size > 0):
                raise ConversionFailed("LibreOffice không ghi ra tệp PDF")
        except TimeoutError:
            reason = f"LibreOffice không trả lời sau {timeout:.0f} giây"
        except StartFailed as exc:
            reason = str(exc)
            with self.lock:  # never started here, and hung (or failed twice): it will not start
                self.start_failures += 1
                if not self.started and (exc.timeout or self.start_failures >= ATTEMPTS):
                    self.broken = f"chưa có PDF: {reason}"
        except ConversionFailed as exc:
            reason = str(exc)
        except OSError as exc:
            reason = f"không chạy được bộ chuyển đổi ({exc})"
        else:
            worker.asked.popleft()
            session.received += 1
            self.started = True
            self._done(self._place(task, made))
            return
        if self.stopped:
            return
        if shutil.disk_usage(self.scratch).free < ROOM_NEEDED:  # LibreOffice could not write
            raise DiskFull(self.scratch.parent)
        session.close(gently=False)
        worker.session = None
        worker.asked.popleft()
        worker.again.extendleft(reversed([t for t, _ in worker.asked]))
        worker.asked.clear()
        self._failed(worker, task, reason)

    def _failed(self, worker: _Worker, task: Task, reason: str) -> None:
        """One more failed try: again first in line, or reported after ATTEMPTS."""
        if self.broken:
            self._done(Converted(task.source, None, self.broken))
            return
        if task.attempts + 1 < ATTEMPTS:
            worker.again.appendleft(Task(task.source, task.target, task.attempts + 1))
            return
        error = f"LibreOffice không tạo được PDF sau {ATTEMPTS} lần ({reason})"
        self._done(Converted(task.source, None, error))

    def _place(self, task: Task, made: Path) -> Converted:
        """Move the PDF into place (it may cross file systems), then run the `after` step. A full
        disk, a closed output (the `after` step reports progress) or a stop ends the pool."""
        atomic_write(task.target, lambda tmp: shutil.move(made, tmp))
        try:
            if self.after is not None:
                self.after(task.source, task.target)
        except Exception as exc:  # noqa: BLE001 - reported for this document; the others go on
            if stops_the_build(exc):
                raise
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
