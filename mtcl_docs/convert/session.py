"""What the conversion pool drives: a session (one converter process) opened by a backend, and
how such a process is killed with everything it started."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GUARD = Path(__file__).with_name("guard.py")


class ConversionFailed(Exception):
    """LibreOffice answered but made no PDF, or stopped while converting."""


class StartFailed(ConversionFailed):
    """LibreOffice did not start: it did not answer within its time, or stopped while starting.
    Not the document's fault; `timeout` says whether it hung (then trying again would hang too)."""

    def __init__(self, message: str, timeout: bool = False):
        super().__init__(message)
        self.timeout = timeout


class Session:
    """One converter process. Requests are answered in the order sent; up to `window` may wait,
    so the converter has its next file before it finishes the current one."""

    window = 1
    sent = 0  # requests sent so far (the pool replaces a session after so many)
    received = 0  # answers taken so far (the first one waits for LibreOffice to start too)

    def send(self, source: Path, target: Path) -> None:
        """Ask for `target` (a PDF) from `source`; raises ConversionFailed if it cannot be asked."""
        raise NotImplementedError

    def receive(self, timeout: float) -> None:
        """The oldest request's answer: returns once its PDF is written, else raises TimeoutError
        or ConversionFailed; never waits longer than `timeout`."""
        raise NotImplementedError

    def close(self, gently: bool = True) -> None:
        """Gently after good work; at once (killed) after a failure."""


class Backend:
    """Opens sessions: LibreOffice kept open here (LocalOffice), or remote servers (UnoServers).

    `track(proc)` registers a started process so a stopping pool can kill it; it returns False
    (kill it at once and raise InterruptedError) when the pool is already stopping.
    """

    def open(self, workdir: Path, track, seconds_to_start: float) -> Session:
        """A session; a LibreOffice it starts must answer within `seconds_to_start`."""
        raise NotImplementedError


def guarded(command: list[str]) -> list[str]:
    """`command`, run so that it and all it starts (LibreOffice's oosplash and soffice.bin) die
    when this process dies, kill -9 included. Start it with `start_new_session=True`; a kill of
    its process group (`kill` here, or os.killpg) still kills all of it."""
    return [sys.executable, "-I", str(GUARD), str(os.getpid()), *command]


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
