"""Scale-out: conversion through a LibreOffice server (unoserver), started here on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import xmlrpc.client

import pytest
from conftest import ROOT, paths
from pypdf import PdfReader

from mtcl_docs.build import build
from mtcl_docs.convert.remote import UnoServers, parse_server
from mtcl_docs.convert.soffice import ConversionError
from mtcl_docs.register_book import export_book

UNOSERVER = ROOT / ".venv-uno" / "bin" / "unoserver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert UNOSERVER.is_file(), "unoserver is missing: run tools/bootstrap.sh (make test does)"
    port, uno_port = _free_port(), _free_port()
    profile = tmp_path_factory.mktemp("uno-profile")
    proc = subprocess.Popen(
        [
            str(UNOSERVER),
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
            "--uno-port",
            str(uno_port),
            "--user-installation",
            str(profile),
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}").info()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("unoserver did not start") from None
                time.sleep(0.3)
        yield f"127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_build_converts_through_a_unoserver(server, data_copy, tmp_path):
    report = build(paths(data_copy, tmp_path), unoservers=[server])
    assert report.ok, [str(p) for p in report.problems]
    for built in report.built:
        reader = PdfReader(built.pdf)
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
        assert "<pdfaid:part>2</pdfaid:part>" in xmp
        assert len(reader.pages) == 3
        assert float(reader.pages[-1].mediabox.width) > float(reader.pages[-1].mediabox.height)


def test_server_addresses_are_checked():
    assert parse_server("10.0.0.5:2003") == ("10.0.0.5", 2003)
    with pytest.raises(ConversionError, match="máy:cổng"):
        UnoServers(["khong-co-cong"])


def test_an_unreachable_server_is_one_clear_error(data_copy, tmp_path):
    port = _free_port()
    report = build(paths(data_copy, tmp_path), unoservers=[f"127.0.0.1:{port}"])
    assert [str(p) for p in report.problems] == [
        f"LibreOffice không kết nối được máy chủ unoserver 127.0.0.1:{port} (Connection refused)"
    ]
    assert len(list((tmp_path / "out" / "docx").rglob("*.docx"))) == 2  # the DOCX are still made


def test_register_book_pdf_goes_through_the_server_too(server, data_copy, tmp_path, monkeypatch):
    p = paths(data_copy, tmp_path)
    assert build(p, pdf=False).ok
    monkeypatch.setenv("PATH", "/nonexistent")  # no local soffice: only the server can convert
    written = export_book(p, "docx", org="hvbctt", unoservers=[server])
    pdf = next(f for f in written if f.suffix == ".pdf")
    assert len(PdfReader(pdf).pages) >= 2
