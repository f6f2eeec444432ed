"""Progress: a bar with counts and time left at a terminal, plain lines otherwise."""

from __future__ import annotations

import io

from conftest import paths
from rich.console import Console
from rich.progress import Progress

from mtcl_docs.build import build
from mtcl_docs.cli import BarReporter, main


def test_bar_counts_finished_documents(data_copy, tmp_path):
    console = Console(file=io.StringIO(), force_terminal=True)
    with Progress(console=console) as progress:
        reporter = BarReporter(progress)
        build(paths(data_copy, tmp_path), reporter=reporter)
        task = progress.tasks[0]
        assert (task.total, task.completed) == (2, 2)


def test_plain_lines_when_not_a_terminal(data_copy, tmp_path, capsys):
    assert main(["build", "--data", str(data_copy), "--output", str(tmp_path / "o"),
                 "--register", str(tmp_path / "r.sqlite"), "--jobs", "1"]) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("PDF   ") for line in lines) == 2
    assert lines[-1].startswith("Đã dựng 2 văn bản")
