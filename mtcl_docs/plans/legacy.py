"""Old and other office files a unit sends back (.doc, .docm, .odt, .rtf, .xls, .xlsm, .ods),
turned into .docx/.xlsx by LibreOffice so they are read like the others.

LibreOffice runs headless with a scratch profile of its own (never the user's), whose macro
security forbids running any macro, on a copy of the file under a plain name, in its own process
group, killed as a whole if it takes longer than the time allowed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mtcl_docs.convert.session import guarded
from mtcl_docs.convert.soffice import ConversionError, find_soffice

TARGET = {".doc": "docx", ".docm": "docx", ".odt": "docx", ".rtf": "docx",
          ".xls": "xlsx", ".xlsm": "xlsx", ".ods": "xlsx"}  # fmt: skip
FILTER = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
TIMEOUT_S = 90  # a fresh profile starts in a few seconds; a file that hangs it costs only itself

# Macro security "very high" and macro execution disabled: a .docm's or .xls's macros never run.
NO_MACROS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


class LegacyError(Exception):
    """The file could not be converted; the message says why, in Vietnamese."""


@contextmanager
def converted(path: Path, timeout_s: float = TIMEOUT_S) -> Iterator[Path]:
    """A .docx/.xlsx made from `path`, alive while the block runs (then removed)."""
    suffix = path.suffix.lower()
    target = TARGET[suffix]
    try:
        soffice = find_soffice()
    except ConversionError as exc:
        raise LegacyError(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="mtcl-doi-tep-") as scratch:
        root = Path(scratch)
        (root / "profile" / "user").mkdir(parents=True)
        (root / "profile" / "user" / "registrymodifications.xcu").write_text(
            NO_MACROS, encoding="utf-8"
        )
        source = root / f"tep{suffix}"
        shutil.copyfile(path, source)
        out = root / "out"
        command = [
            soffice, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
            "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", FILTER[target], "--outdir", str(out), str(source),
        ]  # fmt: skip
        process = subprocess.Popen(
            guarded(command),  # dies with this process, kill -9 included
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own group: killed whole, helpers included
            env={**os.environ, "HOME": str(root)},
        )
        try:
            _, err = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise LegacyError(
                f"LibreOffice không chuyển xong tệp {suffix} trong {timeout_s:g} giây"
            ) from None
        finally:
            if process.poll() is None:  # interrupted (Ctrl+C): leave nothing running
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        result = out / f"tep.{target}"
        if not result.is_file():
            detail = err.decode(errors="replace").strip().splitlines()[-1:] if err else []
            why = f" ({detail[0][:200]})" if detail else ""
            raise LegacyError(f"LibreOffice không chuyển được tệp {suffix} sang .{target}{why}")
        yield result
