"""Nothing outlives or hangs the build (issue 13, items 5 and 11): a build killed with -9 leaves no
LibreOffice; a closed output, a full disk or an error in a PDF worker ends the build with a
Vietnamese message in bounded time; a LibreOffice that never starts is said within its timeout."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import paths, seed_data
from docx.document import Document
from test_pool import _convert_all, _docs, _soffice_pids

from mtcl_docs import cli
from mtcl_docs.build import build
from mtcl_docs.convert import pool as pool_module
from mtcl_docs.convert.office import LocalOffice
from mtcl_docs.convert.pool import ConversionPool, PoolFailed
from mtcl_docs.convert.session import guarded
from mtcl_docs.fsutil import DiskFull, OutputClosed

SOFFICE = shutil.which("soffice")


def _project(tmp_path: Path, extra: int = 12):
    """The seed with `extra` more notices, so a build spends a while rendering and converting."""
    data = seed_data(tmp_path / "data")
    for i in range(extra):
        (data / "notices" / f"them-{i}.yaml").write_text(
            f"based_on: 4275.yaml\nnumber: {5000 + i}\n", encoding="utf-8"
        )
    return paths(data, tmp_path)


def _command(p, *more: str) -> list[str]:
    return [sys.executable, "-m", "mtcl_docs", "build", "--data", str(p.data), "--templates",
            str(p.templates), "--output", str(p.output), "--register", str(p.register), *more]  # fmt: skip


def _scratch(tmp_path: Path) -> tuple[Path, dict]:
    """A TMPDIR of the build's own: its LibreOffice processes are those naming it."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return scratch, {**os.environ, "TMPDIR": str(scratch)}


def _gone_within(marker: str, seconds: float) -> float | None:
    """Seconds until no process names `marker`, or None if some still do after `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if not _soffice_pids(marker):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def _office_pids(scratch: Path) -> list[int]:
    """The build's soffice.bin processes (LibreOffice itself, past its launcher)."""
    found = []
    for pid in _soffice_pids(str(scratch)):
        with contextlib.suppress(OSError):
            if b"soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


def _wait_for(condition, seconds: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert condition(), "the build should have got there"


@pytest.mark.parametrize("when", ["render", "convert"])
def test_kill_9_of_the_build_leaves_no_libreoffice(tmp_path, when):
    p = _project(tmp_path)
    scratch, env = _scratch(tmp_path)
    proc = subprocess.Popen(_command(p), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)  # fmt: skip
    try:
        if when == "render":  # LibreOffice is starting while the first documents render
            _wait_for(lambda: _office_pids(scratch), 60, proc)
            assert not list(p.output.rglob("*.pdf"))
        else:  # LibreOffice running and converting
            _wait_for(lambda: any((p.output / "pdf").rglob("*.pdf")), 120, proc)
        proc.kill()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    took = _gone_within(str(scratch), 5)
    assert took is not None, f"still running: {_soffice_pids(str(scratch))}"


def _fake_soffice(tmp_path: Path) -> Path:
    """A soffice that starts and never accepts a connection (its arguments stay on its command
    line, so the test finds it by the pool's scratch folder)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text('#!/bin/sh\nexec /usr/bin/python3 -c "import time; time.sleep(600)" "$@"\n')
    script.chmod(0o755)
    return script


def test_a_libreoffice_that_never_starts_is_reported_within_its_timeout(tmp_path, seed_build):
    docs = _docs(seed_build, tmp_path, 3)
    pool = ConversionPool(LocalOffice(str(_fake_soffice(tmp_path))), jobs=2, seconds_at_start=3)
    started = time.monotonic()
    results = _convert_all(pool, docs, tmp_path / "pdf")
    took = time.monotonic() - started
    assert took < 3 + 10, took  # its timeout, and no second wait per document
    assert len(results) == 3 and all(r.pdf is None for r in results)
    assert all("không khởi động được: sau 3 giây" in r.error for r in results), results[0].error
    assert _gone_within(str(pool.scratch), 5) is not None


def test_a_build_whose_libreoffice_never_starts_says_so_and_keeps_the_docx(tmp_path, monkeypatch):
    fake = _fake_soffice(tmp_path)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    monkeypatch.setattr(pool_module, "SECONDS_AT_START", 3)
    p = paths(seed_data(tmp_path / "data"), tmp_path)
    started = time.monotonic()
    report = build(p)
    assert time.monotonic() - started < 3 + 20
    said = [str(x) for x in report.problems if "không khởi động được: sau 3 giây" in str(x)]
    assert len(said) == 2, [str(x) for x in report.problems]  # one for each document
    assert len(list((p.output / "docx").rglob("*.docx"))) == 2
    assert not list(p.output.rglob("*.pdf"))


def test_a_failing_worker_ends_the_pool_at_once(seed_build, tmp_path):
    """An error in a PDF worker (here its progress line, which may hit a closed output) ends the
    pool: `finish` raises it; before, the thread died silently and `finish` waited forever."""
    docs = _docs(seed_build, tmp_path, 3)

    def closed(source, pdf):
        raise OutputClosed

    pool = ConversionPool(jobs=1, after=closed)
    started = time.monotonic()
    with pytest.raises(OutputClosed):
        _convert_all(pool, docs, tmp_path / "pdf")
    assert time.monotonic() - started < 60
    assert _gone_within(str(pool.scratch), 5) is not None


def test_an_unexpected_error_in_a_worker_is_said_not_waited_for(seed_build, tmp_path):
    docs = _docs(seed_build, tmp_path, 2)
    pool = ConversionPool(jobs=1)
    pool._place = lambda task, made: 1 / 0  # a bug where no document is to blame
    with pytest.raises(PoolFailed, match="lỗi bất ngờ khi làm PDF.*ZeroDivisionError"):
        _convert_all(pool, docs, tmp_path / "pdf")


def test_closed_stdout_ends_the_build_with_a_message(tmp_path):
    """`mtcl-docs build | true`: the reader is gone before the build prints anything."""
    p = _project(tmp_path, extra=2)
    scratch, env = _scratch(tmp_path)
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.Popen(_command(p), stdout=write, stderr=subprocess.PIPE, env=env)
    finally:
        os.close(write)
    try:
        _, said = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    said = said.decode()
    assert proc.returncode == 1, said
    assert "đầu ra của lệnh đã bị đóng" in said and "Traceback" not in said
    assert _gone_within(str(scratch), 5) is not None
    assert not [f for f in p.output.rglob("*") if f.name.endswith(".tmp")]


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["docx", "pdf"])
def test_a_full_disk_ends_the_build_naming_the_folder(tmp_path, monkeypatch, capsys, where):
    p = paths(seed_data(tmp_path / "data"), tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))  # the pool's folder, to find its soffice
    if where == "docx":  # while the main thread writes a document's file
        save = Document.save
        monkeypatch.setattr(
            Document, "save", lambda d, to: _no_space() if str(to).endswith(".tmp") else save(d, to)
        )
    else:  # while a PDF worker puts a PDF in place
        move = shutil.move
        monkeypatch.setattr(
            shutil, "move", lambda a, b: _no_space() if str(b).endswith(".tmp") else move(a, b)
        )
    started = time.monotonic()
    code = cli.main(_command(p)[3:])
    assert time.monotonic() - started < 120
    said = capsys.readouterr().err
    assert code == 1
    said = said.replace("\n", "")
    assert re.search(f"hết chỗ trống trên đĩa khi ghi vào {p.output / where}/[a-z-]+/", said), said
    assert "Errno" not in said and "Traceback" not in said
    assert not [f for f in p.output.rglob("*") if f.name.endswith(".tmp")]
    assert _gone_within(str(scratch), 5) is not None


def test_a_full_scratch_folder_is_a_full_disk_not_a_bad_document(seed_build, tmp_path, monkeypatch):
    """LibreOffice writes each PDF in the pool's scratch folder (under TMPDIR) first: when it
    fails there for lack of room, that is said once, naming the folder, not twice per document."""
    bad = tmp_path / "hong.docx"
    bad.write_bytes(seed_build["4275"].docx.read_bytes()[:3000])  # fails as a full disk would
    pool = ConversionPool(jobs=1)
    room = shutil.disk_usage
    monkeypatch.setattr(
        shutil, "disk_usage", lambda p: room(p)._replace(free=0) if p == pool.scratch else room(p)
    )
    with pytest.raises(DiskFull, match=f"khi ghi vào {pool.scratch.parent}/"):
        try:
            pool.submit(bad, tmp_path / "hong.pdf")
            pool.finish()
        finally:
            pool.shutdown()
    assert _gone_within(str(pool.scratch), 5) is not None


def test_disk_full_is_an_oserror_with_errno(tmp_path):
    full = DiskFull(tmp_path)
    assert isinstance(full, OSError) and full.errno == errno.ENOSPC
    assert str(tmp_path) in str(full)


def test_the_worker_ends_its_libreoffice_when_its_pipe_breaks(tmp_path, seed_build):
    """The worker's own answer hits a closed pipe (the build is gone): it takes its office with
    it instead of raising BrokenPipeError and leaving soffice running."""
    source = _docs(seed_build, tmp_path, 1)[0]
    session = LocalOffice().open(tmp_path / "w", lambda proc, done=False: True, 60)
    try:
        session.send(source, tmp_path / "a.pdf")
        session.receive(60)
        session.proc.stdout.close()  # the build's end: the worker's next answer breaks
        session.send(source, tmp_path / "b.pdf")
        session.proc.wait(timeout=30)
        assert session.proc.returncode == -signal.SIGKILL  # it ended its group, itself included
        assert _gone_within(str(tmp_path / "w"), 5) is not None
    finally:
        session.close(gently=False)


PARENT = """
import os, subprocess, sys, time
from mtcl_docs.convert.session import guarded
sleep = [sys.executable, "-c", "import time; time.sleep(600)", os.environ["MARK"]]
subprocess.Popen(guarded(sleep), start_new_session=True)
print("started", flush=True)
time.sleep(600)
"""


def test_a_guarded_command_dies_with_the_process_that_started_it(tmp_path):
    """For one-shot LibreOffice runs (soffice --convert-to): kill -9 of the build takes them too."""
    marker = f"mtcl-guarded-{tmp_path.name}"
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              env={**os.environ, "MARK": marker})  # fmt: skip
    try:
        assert parent.stdout.readline() == b"started\n"
        _wait_for(lambda: len(_soffice_pids(marker)) == 2, 10, parent)  # the guard, the command
        parent.kill()
        parent.wait(timeout=10)
    finally:
        if parent.poll() is None:
            parent.kill()
    assert _gone_within(marker, 5) is not None


def test_a_guarded_command_keeps_its_exit_code():
    done = subprocess.run(guarded(["sh", "-c", "echo said; exit 3"]), capture_output=True,
                          start_new_session=True, timeout=30)  # fmt: skip
    assert (done.returncode, done.stdout) == (3, b"said\n")
