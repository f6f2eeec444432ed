"""The conversion pool under failure: a hanging LibreOffice, a killed one, a cap per process,
and no soffice left after a build, Ctrl-C included (issue 7, part 5)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import paths, seed_data

from mtcl_docs.convert.office import LocalOffice
from mtcl_docs.convert.pool import ConversionPool

SOFFICE = shutil.which("soffice")


def _wrapper(tmp_path: Path) -> tuple[str, Path]:
    """A soffice that logs each start, then runs the real one."""
    log = tmp_path / "starts.log"
    script = tmp_path / "soffice"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {SOFFICE} "$@"\n')
    script.chmod(0o755)
    return str(script), log


def _freeze_when(pool: ConversionPool, done: Path, times: int = 1) -> threading.Thread:
    """Once `done` exists, stop (SIGSTOP) the pool's LibreOffice, and the next ones up to `times`
    processes in all: the file being converted then hangs, as does its retry when times=2."""

    def freeze():
        deadline, frozen = time.monotonic() + 60, set()
        while time.monotonic() < deadline and len(frozen) < times:
            if done.exists():
                with pool.lock:
                    running = [p for p in pool.running if p.pid not in frozen]
                for proc in running[: times - len(frozen)]:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGSTOP)
                    frozen.add(proc.pid)
            time.sleep(0.01)

    thread = threading.Thread(target=freeze, daemon=True)
    thread.start()
    return thread


def _docs(seed_build, tmp_path: Path, count: int, bad: str | None = None) -> list[Path]:
    source = seed_build["4275"].docx
    out = []
    for i in range(count):
        name = f"{bad}.docx" if bad and i == 1 else f"vb{i}.docx"
        shutil.copy(source, tmp_path / name)
        out.append(tmp_path / name)
    return out


def _soffice_pids(marker: str = "mtcl-pdf-") -> list[int]:
    """Processes whose command line names the pool's scratch folder (soffice and its wrappers)."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                pids.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return pids


def _convert_all(pool: ConversionPool, docs: list[Path], out: Path) -> list:
    """Every document through the pool, then the pool shut down (no LibreOffice left), also
    when a submit or the wait fails."""
    try:
        for doc in docs:
            pool.submit(doc, out / f"{doc.stem}.pdf")
        return pool.finish()
    finally:
        pool.shutdown()


def test_a_hanging_conversion_is_killed_and_only_that_document_fails(seed_build, tmp_path):
    docs = _docs(seed_build, tmp_path, 3, bad="treo")
    out = tmp_path / "pdf"
    pool = ConversionPool(jobs=1, seconds_per_file=3, seconds_at_start=10)
    freezer = _freeze_when(pool, out / "vb0.pdf", times=2)
    started = time.monotonic()
    results = {r.source.name: r for r in _convert_all(pool, docs, out)}
    freezer.join()
    assert time.monotonic() - started < 120
    assert results["treo.docx"].pdf is None
    assert "không trả lời" in results["treo.docx"].error and "2 lần" in results["treo.docx"].error
    assert all(results[f"vb{i}.docx"].pdf.stat().st_size > 1000 for i in (0, 2))
    assert _soffice_pids(str(pool.scratch)) == []


def test_a_hang_once_is_retried_in_a_fresh_process(seed_build, tmp_path):
    soffice, log = _wrapper(tmp_path)
    docs = _docs(seed_build, tmp_path, 3)
    out = tmp_path / "pdf"
    pool = ConversionPool(LocalOffice(soffice), jobs=1, seconds_per_file=3, seconds_at_start=10)
    freezer = _freeze_when(pool, out / "vb0.pdf")
    results = _convert_all(pool, docs, out)
    freezer.join()
    assert sorted(r.source.name for r in results if r.pdf) == [d.name for d in docs]
    assert len(log.read_text().splitlines()) == 2  # the frozen LibreOffice, then a fresh one
    assert _soffice_pids(str(pool.scratch)) == []


def test_a_killed_soffice_is_retried_and_every_document_converts(seed_build, tmp_path):
    docs = _docs(seed_build, tmp_path, 4)
    out = tmp_path / "pdf"
    pool = ConversionPool(jobs=1)

    def kill_after_first_pdf():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (out / "vb0.pdf").exists():
            time.sleep(0.005)
        with pool.lock:
            running = list(pool.running)
        os.killpg(running[0].pid, signal.SIGKILL)  # mid-batch: three documents still to go

    killer = threading.Thread(target=kill_after_first_pdf)
    killer.start()
    results = _convert_all(pool, docs, out)
    killer.join()
    assert sorted(r.source.name for r in results if r.pdf) == [d.name for d in docs]
    assert _soffice_pids(str(pool.scratch)) == []


def test_each_process_converts_at_most_its_cap(seed_build, tmp_path):
    soffice, log = _wrapper(tmp_path)
    docs = _docs(seed_build, tmp_path, 5)
    pool = ConversionPool(LocalOffice(soffice), jobs=1, per_process=2)
    assert all(r.pdf for r in _convert_all(pool, docs, tmp_path / "pdf"))
    assert len(log.read_text().splitlines()) == 3  # 2 + 2 + 1


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stopping_a_build_leaves_no_soffice(tmp_path, sig):
    data = seed_data(tmp_path / "data")
    notices = data / "notices"
    for i in range(12):
        (notices / f"them-{i}.yaml").write_text(
            f"based_on: 4275.yaml\nnumber: {5000 + i}\n", encoding="utf-8"
        )
    p = paths(data, tmp_path)
    cmd = [sys.executable, "-m", "mtcl_docs", "build", "--data", str(p.data), "--templates", str(p.templates),
           "--output", str(p.output), "--register", str(p.register)]  # fmt: skip
    scratch = tmp_path / "scratch"  # the pool's temporary folder, to tell its soffice from others
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 90
    while not _soffice_pids(str(scratch)) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert _soffice_pids(str(scratch)), "the build should have started LibreOffice"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode == 130
    assert "Đã dừng" in proc.stderr.read().decode()
    assert _soffice_pids(str(scratch)) == []
    assert not [f for f in p.output.rglob("*") if f.name.endswith(".tmp")]
