"""One LibreOffice kept open, converting DOCX to PDF/A on request (runs under Debian's python3-uno).

Started by the conversion pool as `python3 unoworker.py SOFFICE PROFILE_URL PIPE`; it starts
soffice listening on a named pipe, then reads one JSON request a line from stdin
(`{"source": …, "target": …}`) and answers one JSON line on stdout (`{"ok": true}` or
`{"ok": false, "error": …}`). End of input closes LibreOffice. The pool kills the whole process
group on a timeout, so nothing here needs its own.

Standalone on purpose: the system python3 that has `uno` does not have the project's packages.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

PDF_EXPORT = "writer_pdf_Export"
PDF_OPTIONS = {"SelectPdfVersion": 2}  # PDF/A-2b, as the archive requires (regulations.md §1)


def prop(name: str, value) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def start(soffice: str, profile_url: str, pipe: str):
    """soffice listening on `pipe`; the desktop once it answers (until then it is starting)."""
    office = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile_url}", "--headless", "--invisible",
         "--norestore", "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
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
                raise SystemExit(
                    f"soffice stopped while starting (exit {office.returncode})"
                ) from None
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


def main(soffice: str, profile_url: str, pipe: str) -> int:
    office, desktop = start(soffice, profile_url, pipe)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            convert(desktop, request["source"], request["target"])
            answer = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - reported for this file; the pool decides
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}".strip()}
        print(json.dumps(answer), flush=True)
    with contextlib.suppress(Exception):  # the bridge closes as soffice quits
        desktop.terminate()
    office.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
