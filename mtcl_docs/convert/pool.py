"""A conversion pool that survives LibreOffice: batches per process, a timeout that kills, one
retry in a fresh process, a cap on documents per process, and no process left behind."""

from __future__ import annotations

import contextlib
import math
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from mtcl_docs.convert.soffice import Converted, find_soffice, soffice_command
from mtcl_docs.fsutil import atomic_write

MAX_DOCS_PER_PROCESS = 40  # then a fresh soffice, so memory cannot creep
SECONDS_AT_START = 60
SECONDS_PER_FILE = 30
ATTEMPTS = 2


@dataclass
class Task:
    source: Path
    target: Path
    attempts: int = 0
    alone: bool = False  # a retry runs by itself, so one bad file cannot fail its neighbours


class Backend:
    """Runs one batch; returns the log, or raises TimeoutError. Subclasses: local soffice, unoserver."""

    def run(self, files: list[Path], outdir: Path, workdir: Path, timeout: float, track) -> str:
        raise NotImplementedError


class LocalSoffice(Backend):
    """`soffice --convert-to` with its own profile directory, in its own process group."""

    def __init__(self, soffice: str | None = None):
        self.soffice = soffice or find_soffice()

    def run(self, files, outdir, workdir, timeout, track) -> str:
        proc = subprocess.Popen(
            soffice_command(self.soffice, files, outdir, workdir / "profile"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        if not track(proc):  # the pool is shutting down: this process must not live
            kill(proc)
            raise InterruptedError
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            kill(proc)
            raise TimeoutError from exc
        finally:
            kill(proc)
            track(proc, done=True)
        return out.decode("utf-8", "replace")


def kill(proc: subprocess.Popen) -> None:
    """Kill a process and everything it started (its session's process group)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)


class ConversionPool:
    """Submit documents as they are rendered; `finish()` waits and returns one result each."""

    def __init__(self, backend: Backend | None = None, jobs: int | None = None, expected: int = 0,
                 per_process: int = MAX_DOCS_PER_PROCESS, seconds_per_file: float = SECONDS_PER_FILE,
                 seconds_at_start: float = SECONDS_AT_START, after=None):  # fmt: skip
        self.backend = backend or LocalSoffice()
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        # two batches per worker: conversion starts while later documents are still rendering
        self.batch = max(
            1, min(per_process, math.ceil(expected / (2 * self.jobs)) if expected else per_process)
        )
        self.seconds_per_file = seconds_per_file
        self.seconds_at_start = seconds_at_start
        self.after = after  # called as after(source, pdf) in the worker, e.g. to stamp metadata
        self.tasks: queue.Queue[Task | None] = queue.Queue()
        self.results: list[Converted] = []
        self.pending = 0
        self.lock = threading.Condition()
        self.closed = False
        self.stopped = False
        self.running: set[subprocess.Popen] = set()
        self.scratch = Path(tempfile.mkdtemp(prefix="mtcl-pdf-"))
        self.workers = [threading.Thread(target=self._work, daemon=True) for _ in range(self.jobs)]
        for worker in self.workers:
            worker.start()

    def submit(self, source: Path, target: Path) -> None:
        with self.lock:
            self.pending += 1
        self.tasks.put(Task(source, target))

    def finish(self) -> list[Converted]:
        """Wait for every document; on Ctrl-C, kill every soffice before re-raising."""
        try:
            with self.lock:
                self.closed = True
                self.lock.notify_all()
                while self.pending:
                    self.lock.wait(0.2)
        finally:
            self.shutdown()
        return self.results

    def shutdown(self) -> None:
        """Stop: no new soffice starts, every running one is killed, workers are waited for.

        Safe to call twice (finish() calls it, and so does the build's own cleanup)."""
        with self.lock:
            if self.stopped:
                return
            self.closed = self.stopped = True
            running = list(self.running)
        for proc in running:
            kill(proc)
        for _ in self.workers:
            self.tasks.put(None)
        for worker in self.workers:
            if worker is not threading.current_thread():
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

    def _take(self) -> list[Task] | None:
        """Up to one batch; waits for a full batch unless rendering is over."""
        first = self.tasks.get()
        if first is None:
            return None
        batch = [first]
        while not first.alone and len(batch) < self.batch:
            try:
                task = self.tasks.get(timeout=0.05 if self.closed else 0.5)
            except queue.Empty:
                if self.closed or len(batch) >= self.batch:
                    break
                continue
            if task is None:
                self.tasks.put(None)
                break
            if task.alone:
                self.tasks.put(task)
                break
            batch.append(task)
        return batch

    def _work(self) -> None:
        while not self.stopped and (batch := self._take()) is not None:
            if not self.stopped:
                self._convert(batch)

    def _convert(self, batch: list[Task]) -> None:
        workdir = Path(tempfile.mkdtemp(dir=self.scratch))
        outdir = workdir / "out"
        staged = []
        for i, task in enumerate(batch):  # unique names: two documents may share a file name
            copy = workdir / f"d{i}-{task.source.name}"
            os.link(task.source, copy) if _same_fs(task.source, workdir) else shutil.copy(
                task.source, copy
            )
            staged.append(copy)
        timeout = self.seconds_at_start + self.seconds_per_file * len(batch)
        reason = "tệp không mở được hoặc bị hỏng"
        try:
            self.backend.run(staged, outdir, workdir, timeout, self._track)
        except InterruptedError:
            return
        except TimeoutError:
            reason = f"LibreOffice không trả lời sau {timeout:.0f} giây"
        except OSError as exc:
            reason = f"không chạy được bộ chuyển đổi ({exc})"
        for task, copy in zip(batch, staged, strict=True):
            made = outdir / (copy.stem + ".pdf")
            if made.is_file() and made.stat().st_size > 0:
                self._done(self._place(task, made))
            elif task.attempts + 1 < ATTEMPTS:
                self.tasks.put(Task(task.source, task.target, task.attempts + 1, alone=True))
            else:
                self._done(
                    Converted(
                        task.source,
                        None,
                        f"LibreOffice không tạo được PDF sau {ATTEMPTS} lần ({reason})",
                    )
                )
        shutil.rmtree(workdir, ignore_errors=True)

    def _place(self, task: Task, made: Path) -> Converted:
        """Move the PDF into place (it may cross file systems), then run the `after` step."""
        atomic_write(task.target, lambda tmp: shutil.move(made, tmp))
        try:
            if self.after is not None:
                self.after(task.source, task.target)
        except Exception as exc:  # noqa: BLE001 - reported for this document; the batch goes on
            return Converted(task.source, None, f"không ghi được thông tin vào PDF ({exc})")
        return Converted(task.source, task.target)

    def _done(self, result: Converted) -> None:
        with self.lock:
            self.results.append(result)
            self.pending -= 1
            self.lock.notify_all()


def _same_fs(a: Path, b: Path) -> bool:
    try:
        return os.stat(a).st_dev == os.stat(b).st_dev
    except OSError:
        return False


def to_pdf(sources: list[Path], targets: list[Path], jobs: int | None = None) -> list[Converted]:
    """Convert each source to the PDF at the same index in `targets` (all at once, through a pool)."""
    if not sources:
        return []
    pool = ConversionPool(jobs=jobs, expected=len(sources))
    for source, target in zip(sources, targets, strict=True):
        pool.submit(source, target)
    return pool.finish()
