"""One LibreOffice kept open, converting DOCX to PDF/A on request (runs under Debian's python3-uno).

Started by the conversion pool as `python3 unoworker.py SOFFICE PROFILE_URL PIPE PARENT SECONDS`,
as the leader of its own process group; it starts soffice listening on a named pipe and says
`{"ready": true}` once it answers (or `{"ready": false, "error": …}` if it does not within SECONDS,
or stops), then reads one JSON request a line from stdin (`{"source": …, "target": …}`) and
answers one JSON line on stdout (`{"ok": true}` or `{"ok": false, "error": …}`). End of input
closes LibreOffice. The pool kills the whole process group on a timeout.

Nothing outlives the build: when the build's process (PARENT) is gone, even killed with -9, or its
end of a pipe breaks, or anything here fails, this process kills its whole group (itself, oosplash,
soffice.bin) at once; soffice also gets SIGKILL from the kernel if this process dies first.

Standalone on purpose: the system python3 that has `uno` does not have the project's packages.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time

import uno
from com.sun.star.beans import PropertyValue

PDF_EXPORT = "writer_pdf_Export"
PDF_OPTIONS = {"SelectPdfVersion": 2}  # PDF/A-2b, as the archive requires (regulations.md §1)
PR_SET_PDEATHSIG = 1
SECONDS_BETWEEN_LOOKS = 0.05  # how often the guard looks whether the build is still there


class StartFailed(Exception):
    """soffice did not answer within its time, or stopped while starting."""


def end_group() -> None:
    """Kill this process group: soffice (oosplash, soffice.bin) and this worker with it."""
    os.killpg(os.getpgid(0), signal.SIGKILL)


def guard(parent: int) -> None:
    """Watch, in a thread, that the build that started us still runs; end the group once it is
    gone (our parent changes when it dies, whatever killed it)."""

    def watch():
        while os.getppid() == parent:
            time.sleep(SECONDS_BETWEEN_LOOKS)
        end_group()

    threading.Thread(target=watch, daemon=True).start()


def die_with_parent() -> None:
    """In the child, before soffice runs: the kernel kills it when this worker dies."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def start(soffice: str, profile_url: str, pipe: str, seconds: float):
    """soffice listening on `pipe`; the desktop once it answers (until then it is starting)."""
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile_url}", "--headless", "--invisible",
         "--norestore", "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )  # fmt: skip
    deadline = time.monotonic() + seconds
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
            if office.poll() is not None:
                raise StartFailed(f"exit {office.returncode}") from None
            if time.monotonic() > deadline:
                raise StartFailed("timeout") from None
            time.sleep(0.02)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    return office, desktop


def convert(desktop, source: str, target: str) -> None:
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0,
        (prop("Hidden", True), prop("ReadOnly", True)),
    )  # fmt: skip
    if document is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        options = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(prop(k, v) for k, v in PDF_OPTIONS.items()),
        )
        document.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (prop("FilterName", PDF_EXPORT), prop("FilterData", options)),
        )
    finally:
        document.close(True)


def answer(message: dict) -> None:
    print(json.dumps(message), flush=True)


def serve(soffice: str, profile_url: str, pipe: str, seconds: float) -> None:
    try:
        office, desktop = start(soffice, profile_url, pipe, seconds)
    except StartFailed as exc:
        answer({"ready": False, "error": str(exc)})
        raise
    answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            convert(desktop, request["source"], request["target"])
            result = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - reported for this file; the pool decides
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
        answer(result)
    with contextlib.suppress(Exception):  # the bridge closes as soffice quits
        desktop.terminate()
    office.wait()


def main(soffice: str, profile_url: str, pipe: str, parent: str, seconds: str) -> int:
    guard(int(parent))
    try:
        serve(soffice, profile_url, pipe, float(seconds))
    except BaseException:  # a broken pipe, a failed start, anything: LibreOffice goes with us
        with contextlib.suppress(Exception):
            import traceback

            traceback.print_exc()
            sys.stderr.flush()
        end_group()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
