"""Refresh the pictures in docs/mau/: page 1 of every example in data/notices/, one PNG per kind
and regime (`cong-van-nd30.png`, `cong-van-dang.png`…).

    .venv/bin/python tools/gallery.py [--keep]

Builds data/ into a scratch folder with its own register (the real output/ and
data/register.sqlite are not touched), then renders page 1 of each example's PDF with
`pdftoppm -r 60 -png`. The name comes from the data file's `type:` (after `based_on`) and the
regime from the issuing organisation's profile (`party…` → dang, `nd30` → nd30). A decision
that issues an attached text (`attached:`) gives two pictures: the decision
(`quyet-dinh-quy-che-nd30.png`) and the first page of the attached text (`quy-che-nd30.png`).

Format-check FAILs of the build are shown but do not stop the script: the PDFs are still made.
An example without a PDF is reported (exit status 1) and its old picture is kept; pictures of
examples that no longer exist are removed; pictures that docs/mau/README.md does not mention are
listed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GALLERY = ROOT / "docs" / "mau"
DPI = 60


@dataclass(frozen=True)
class Picture:
    name: str  # file name in docs/mau/, without .png
    source: Path  # the data file
    org: str
    doc_id: str
    based_on: bool
    page: str = "first"  # "first", "attached" (the attached text's first page), or "appendix"


def _slug(text: str) -> str:
    return "-".join(str(text).strip().casefold().split())


def _read(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def _merged(path: Path) -> tuple[dict, bool]:
    """The data file's fields with those of the file it is `based_on` under them."""
    data, based_on, seen = _read(path), False, {path}
    while "based_on" in data:
        base = path.parent / str(data.pop("based_on"))
        if base in seen or not base.is_file():
            break
        seen.add(base)
        data, based_on = {**_read(base), **data}, True
    return data, based_on


def _regime(doc: dict) -> str | None:
    profile = doc.get("profile")
    if not profile:
        org = DATA / "orgs" / f"{doc.get('org')}.yaml"
        profile = _read(org).get("profile") if org.is_file() else None
    if not profile:
        return None
    return "dang" if str(profile).startswith("party") else "nd30"


def pictures(notices: Path) -> tuple[list[Picture], list[str]]:
    """What each example gives, and notes on the files that give nothing."""
    found: dict[str, Picture] = {}
    notes: list[str] = []

    def add(pic: Picture) -> None:
        """Two examples of one kind and regime: the first (by file name) keeps the plain name, the
        other is named after its data file."""
        held = found.get(pic.name)
        if held is None:
            found[pic.name] = pic
            return
        renamed = replace(pic, name=_slug(pic.source.stem))
        found[renamed.name] = renamed
        notes.append(
            f"{pic.source.name}: ảnh {renamed.name}.png ({pic.name}.png là của {held.source.name})"
        )

    for path in sorted(notices.glob("*.yaml")):
        doc, based_on = _merged(path)
        regime = _regime(doc)
        if not doc.get("type") or not doc.get("org") or regime is None:
            notes.append(f"{path.name}: thiếu type:, org: hoặc thể thức của cơ quan")
            continue
        kind = _slug(doc["type"])
        attached = doc.get("attached")
        if isinstance(attached, dict) and attached.get("type"):
            inner = _slug(attached["type"])
            add(Picture(f"{kind}-{inner}-{regime}", path, doc["org"], path.stem, based_on))
            add(Picture(f"{inner}-{regime}", path, doc["org"], path.stem, based_on, "attached"))
        else:
            add(Picture(f"{kind}-{regime}", path, doc["org"], path.stem, based_on))
        if doc.get("appendices") and not based_on:
            add(Picture(f"{_slug(path.stem)}-phu-luc", path, doc["org"], path.stem, based_on,
                        "appendix"))  # fmt: skip
    return sorted(found.values(), key=lambda p: p.name), notes


def build(scratch: Path) -> None:
    """`mtcl-docs build` of data/ into the scratch folder; FAILs are shown, not fatal."""
    command = [
        sys.executable, "-m", "mtcl_docs", "build",
        "--data", str(DATA), "--templates", str(ROOT / "templates"),
        "--output", str(scratch / "output"), "--register", str(scratch / "reg.sqlite"),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
        tail = lines[next((i for i, ln in enumerate(lines) if ln.startswith("Có ")), -20) :]
        print(f"mtcl-docs build trả mã {done.returncode} (vẫn lấy các PDF đã có):")
        print("\n".join("  " + ln for ln in tail))


def _page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 1


def _first_page_after_one(pdf: Path, wanted) -> int:
    """The first page after page 1 whose first lines (casefolded) satisfy `wanted`."""
    pages = _page_count(pdf)
    for page in range(2, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        head = [line.casefold() for line in text.splitlines() if line.strip()][:6]
        if wanted(head):
            return page
    return min(2, pages)


def attached_page(pdf: Path) -> int:
    """The page where the attached text starts: the first after page 1 with `(Kèm theo …)`."""
    return _first_page_after_one(pdf, lambda head: any("kèm theo" in line for line in head))


def appendix_page(pdf: Path) -> int:
    """The first page after page 1 that opens with a PHỤ LỤC label."""
    return _first_page_after_one(pdf, lambda head: any("phụ lục" in line for line in head[:4]))


def render(pdf: Path, page: int, target: Path, scratch: Path) -> None:
    prefix = scratch / "png" / target.stem
    prefix.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-png", "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(prefix)],
        check=True,
    )  # fmt: skip
    shutil.move(prefix.with_suffix(".png"), target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="giữ thư mục dựng tạm (in đường dẫn)")
    args = parser.parse_args(argv)
    for tool in ("pdftoppm", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"thiếu {tool} (gói poppler-utils)", file=sys.stderr)
            return 2
    wanted, notes = pictures(DATA / "notices")
    scratch = Path(tempfile.mkdtemp(prefix="mtcl-gallery-"))
    missing: list[str] = []
    try:
        build(scratch)
        GALLERY.mkdir(parents=True, exist_ok=True)
        for pic in wanted:
            pdf = scratch / "output" / "pdf" / pic.org / f"{pic.doc_id}.pdf"
            if not pdf.is_file():
                missing.append(f"{pic.name}.png: không có PDF của {pic.source.name}")
                continue
            page = {"first": lambda _: 1, "attached": attached_page, "appendix": appendix_page}[
                pic.page
            ](pdf)
            render(pdf, page, GALLERY / f"{pic.name}.png", scratch)
            print(f"ẢNH  docs/mau/{pic.name}.png  ← {pic.source.name}, trang {page}")
    finally:
        if args.keep:
            print(f"thư mục dựng tạm: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    names = {f"{p.name}.png" for p in wanted}
    for old in sorted(GALLERY.glob("*.png")):
        if old.name not in names:
            old.unlink()
            print(f"XÓA  docs/mau/{old.name} (không còn văn bản mẫu nào cho ảnh này)")
    index = GALLERY / "README.md"
    listed = index.read_text(encoding="utf-8") if index.is_file() else ""
    unlisted = sorted(n for n in names if n not in listed)
    for note in notes:
        print(f"GHI CHÚ  {note}")
    if unlisted:
        print(f"docs/mau/README.md chưa nhắc tới: {', '.join(unlisted)}")
    for line in missing:
        print(f"THIẾU  {line}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
