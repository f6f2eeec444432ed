"""Shared fixtures: the project's own data, a scratch copy of it, and one real build of the seed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from mtcl_docs.build import Paths, build
from mtcl_docs.load.loader import load_data
from mtcl_docs.render.engine import appendix_templates

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


SEED = ("4275.yaml", "4275-truong-mau.yaml")


def seed_data(target: Path) -> Path:
    """A copy of data/ with the seed notice alone (in both formats), for tests of the machinery;
    the examples of every kind are built by their own tests."""
    shutil.copytree(
        ROOT / "data",
        target,
        ignore=shutil.ignore_patterns("register.sqlite*", "ban-thao", "da-ky"),
    )
    for example in (target / "notices").glob("*.yaml"):
        if example.name not in SEED:
            example.unlink()
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed's data, for tests that break or add files."""
    return seed_data(tmp_path / "data")


def paths(data: Path, tmp_path: Path, **kw) -> Paths:
    """Build paths into a scratch folder, with a register of its own."""
    return Paths(
        data, kw.get("templates", TEMPLATES), tmp_path / "out", tmp_path / "register.sqlite"
    )


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a data file as a clerk would: the first `old` becomes `new` (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The line (from 1) where `needle` first stands."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.fixture(scope="session")
def jobs():
    loaded = load_data(ROOT / "data", appendix_templates(TEMPLATES))
    assert loaded.problems == []
    return {job.doc.id: job for job in loaded.jobs}


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The shipped data built once, DOCX and PDF, into a scratch output folder."""
    out = tmp_path_factory.mktemp("output")
    report = build(Paths(ROOT / "data", TEMPLATES, out, out.parent / "seed-register.sqlite"))
    assert report.problems == [], [str(p) for p in report.problems]
    return {b.job.doc.id: b for b in report.built}


@pytest.fixture(scope="session")
def party_docx(seed_build):
    return Document(str(seed_build["4275"].docx))


@pytest.fixture(scope="session")
def nd30_docx(seed_build):
    return Document(str(seed_build["4275-truong-mau"].docx))


@pytest.fixture(scope="module")
def distributed(tmp_path_factory):
    """The shipped data built without PDFs, and each unit's plan form (for the plans tests)."""
    p = paths(ROOT / "data", tmp_path_factory.mktemp("plans"))
    report = build(p, pdf=False)
    assert report.ok, [str(x) for x in report.problems]
    return p, {f.parent.name: f for f in report.forms if f.name.startswith("ke-hoach")}


@pytest.fixture
def inbox(tmp_path) -> Path:
    """An empty folder where the units' returned files are put."""
    folder = tmp_path / "nhan"
    folder.mkdir()
    return folder


def draft_notice(data: Path, name: str, date: str = "2026-11-20", **extra) -> Path:
    """A draft of the seed notice (no number yet) in `data/notices/<name>.yaml`."""
    lines = ["based_on: 4275.yaml", "number: null", "draft_mark: DỰ THẢO", f"date: {date}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    path = data / "notices" / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
