"""`make notices` / `make test` install what is missing; without root they say what to install."""

from __future__ import annotations

import os
import subprocess

from conftest import ROOT


def test_without_root_it_names_the_packages_to_install(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")  # nothing installed
    (fake / "id").write_text("#!/bin/sh\necho 1000\n")  # not root
    for tool in fake.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(ROOT / "tools" / "bootstrap.sh")], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert (
        "sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2"
        in result.stderr
    )
