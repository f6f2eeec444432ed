"""`make bench`: the pipeline's speed and memory on N realistic notices, against LibreOffice alone.

    BENCH_N=1000 make bench      # adds N=1000 to the default runs (1 and 100)

Reports per stage wall time, documents per second and the peak RSS of the whole process tree;
then the naive baseline (one soffice per file, 20 files extrapolated) and the limit (soffice over
all files, split across as many processes as cores), and the ratios against the targets.

Then the archive updating in place: ARCHIVE_N issued documents (made from the two notices of a
real build, each with its own metadata), the bundle and manifest made from nothing, then again
after one document changed (issue 14, item 5: ≤ 2 s at N=1000).

Then one table-heavy document beside the seed notice: the công văn whose appendix is the 400-row ×
12-column exam timetable read from an XLSX (data/notices/cong-van-232-lich-thi.yaml), its render
and conversion time each; and the render time of that table at 100, 200 and 400 rows (it must grow
linearly with the rows).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import bench_import
from pypdf import PdfReader
from rich.console import Console
from rich.table import Table

from mtcl_docs.archive.assemble import CACHE, assemble
from mtcl_docs.archive.manifest import BUNDLE, MANIFEST_DIR
from mtcl_docs.archive.metadata import PdfMeta, stamp
from mtcl_docs.build import STAGES, BuildReport, Paths, build
from mtcl_docs.cli import main as cli_main
from mtcl_docs.convert.pool import ConversionPool
from mtcl_docs.convert.soffice import find_soffice
from mtcl_docs.load.loader import Job, load_data
from mtcl_docs.render.engine import render_job

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "output" / "bench"
NOTICES = ROOT / "data" / "notices"
TIMETABLE = "cong-van-232-lich-thi"  # its appendix: lich-thi-hk1.xlsx, 400 rows × 12 columns
SHEET = "lich-thi-hk1.xlsx"
TABLE_ROWS = (100, 200, 400)
REPEAT = 3  # renders and conversions timed per document: the median is reported
console = Console(highlight=False)


class PeakRss:
    """Samples the RSS of this process and all its descendants (soffice included)."""

    def __init__(self, every: float = 0.02):
        self.every, self.peak, self._stop = every, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(os.getpid()))
            time.sleep(self.every)


def tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in stat.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid, ppid = int(fields["Pid"]), int(fields["PPid"])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def make_data(n: int, folder: Path) -> Path:
    """N notices like the seed (three pages, landscape appendix), half party and half nd30."""
    data = folder / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("register.sqlite*"))
    shutil.rmtree(data / "mtcl")
    for example in (data / "notices").glob("*.yaml"):  # the seed alone, as in earlier runs
        if example.name != "4275.yaml":
            example.unlink()
    for i in range(1, n):
        org = "truong-mau" if i % 2 else "hvbctt"
        (data / "notices" / f"tb-{i:04d}.yaml").write_text(
            f"based_on: 4275.yaml\norg: {org}\nnumber: {5000 + i}\n"
            f"subject: V/v xây dựng kế hoạch thực hiện mục tiêu chất lượng số {i} năm học 2022 - 2023\n",
            encoding="utf-8",
        )
    return data


def timed(lanes: list[list[list[str]]]) -> float:
    """Run the lanes side by side, each lane's commands one after another; wall seconds for all."""

    def run_lane(commands: list[list[str]]) -> None:
        for command in commands:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    start = time.perf_counter()
    threads = [threading.Thread(target=run_lane, args=(lane,)) for lane in lanes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


# PDF/A-2b, as the pipeline writes
# soffice --convert-to stops without a word after ~240 files in one call (LibreOffice 7.4)
LIMIT_CHUNK = 100
PDF_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def soffice_command(soffice: str, files: list[Path], outdir: Path, profile: Path) -> list[str]:
    """`soffice --convert-to` over `files`, with its own profile so several can run side by side."""
    return [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
            "--norestore", "--nologo", "--nodefault", "--convert-to", PDF_FILTER,
            "--outdir", str(outdir), *(str(f.resolve()) for f in files)]  # fmt: skip


def naive_and_limit(docx: list[Path], scratch: Path) -> tuple[float, float]:
    soffice = find_soffice()
    sample = docx[:20]
    naive = 0.0
    for i, f in enumerate(sample):
        naive += timed([[soffice_command(soffice, [f], scratch / "naive", scratch / f"np{i}")]])
    naive *= len(docx) / len(sample)
    cores = os.cpu_count() or 1
    lanes = []
    for i in range(cores):
        part = docx[i::cores]
        chunks = [part[k : k + LIMIT_CHUNK] for k in range(0, len(part), LIMIT_CHUNK)]
        lanes.append(
            [soffice_command(soffice, c, scratch / "lim", scratch / f"lp{i}") for c in chunks]
        )
    limit = timed(lanes)
    made = len(list((scratch / "lim").glob("*.pdf")))
    if made != len({f.stem for f in docx}):
        raise SystemExit(f"limit: LibreOffice made {made} PDFs of {len(docx)}; the measure is void")
    return naive, limit


def run(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mtcl-bench-") as tmp:
        tmp = Path(tmp)
        paths = Paths(
            make_data(n, tmp), ROOT / "templates", tmp / "output", tmp / "register.sqlite"
        )
        with PeakRss() as rss:
            start = time.perf_counter()
            report = build(paths)
            total = time.perf_counter() - start
        assert report.ok, [str(p) for p in report.problems][:5]
        start = time.perf_counter()
        again = build(paths)
        rebuild = time.perf_counter() - start
        assert not again.rebuilt
        edited, edited_s = edit_one(paths)
        docx = sorted((tmp / "output" / "docx").rglob("*.docx"))
        naive, limit = naive_and_limit(docx, tmp / "lo")
    return {
        "n": n,
        "stages": {s: round(report.timings[s], 3) for s in STAGES},
        "total_s": round(total, 3),
        "docs_per_s": round(n / total, 2),
        "per_doc_ms": round(1000 * total / n, 1),
        "peak_rss_mib": round(rss.peak / 2**20, 1),
        "rebuild_unchanged_s": round(rebuild, 3),
        "one_edited_s": round(edited_s, 3),
        "one_edited_archive_s": round(edited.timings["archive"], 3),
        "naive_s": round(naive, 2),
        "limit_s": round(limit, 2),
        "vs_limit": round(total / limit, 3),
        "faster_than_naive": round(naive / total, 1),
    }


def edit_one(paths: Paths) -> tuple[BuildReport, float]:
    """One issued notice edited (with its reason, as an issued document must be) and the build
    run again, timed: only that notice is made again, and the archive is updated in place."""
    notices = paths.data / "notices"
    notice = (
        notices / "tb-0001.yaml" if (notices / "tb-0001.yaml").exists() else notices / "4275.yaml"
    )
    notice.write_text(notice.read_text(encoding="utf-8") + "copies: 7\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):  # its "Đã ghi nhận sửa văn bản …"
        amended = cli_main(["register", "amend", notice.stem, "--ly-do", "Sửa số bản",
                            "--data", str(paths.data), "--register", str(paths.register)])  # fmt: skip
    assert amended == 0
    start = time.perf_counter()
    report = build(paths)
    seconds = time.perf_counter() - start
    assert report.ok and len(report.rebuilt) == 1, [str(p) for p in report.problems][:5]
    return report, seconds


ARCHIVE_N = 1000
ARCHIVE_REPEAT = 3  # changed documents timed: the median is reported


def archive_documents(n: int, folder: Path) -> tuple[list[tuple[Job, Path, Path]], Path]:
    """N issued notices as a build leaves them, without converting N: the two notices of one
    real build (one per format) copied for each, each copy stamped with its own identity."""
    data = make_data(n, folder)
    output = folder / "output"
    seed = data.parent / "seed"
    shutil.copytree(data, seed, ignore=shutil.ignore_patterns("tb-*.yaml"))
    (seed / "notices" / "tb-0001.yaml").write_text(
        (data / "notices" / "tb-0001.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    built = build(Paths(seed, ROOT / "templates", folder / "seed-out", folder / "seed.sqlite"))
    assert built.ok, [str(p) for p in built.problems][:5]
    made = {b.job.org.id: b for b in built.built}
    loaded = load_data(data)
    assert not loaded.problems, [str(p) for p in loaded.problems][:5]
    documents = []
    for job in loaded.jobs:
        source = made[job.org.id]
        docx = output / "docx" / job.org.id / f"{job.doc.id}.docx"
        pdf = output / "pdf" / job.org.id / f"{job.doc.id}.pdf"
        docx.parent.mkdir(parents=True, exist_ok=True)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source.docx, docx)
        shutil.copy(source.pdf, pdf)
        stamp(pdf, PdfMeta.of(job))
        documents.append((job, docx, pdf))
    return documents, output


def archive_seconds(documents: list[tuple[Job, Path, Path]], output: Path) -> float:
    """The build's archive step: bundle and manifest, the bundle's PDF/A-2b check included."""
    start = time.perf_counter()
    assembled = assemble(documents, [], output)
    seconds = time.perf_counter() - start
    assert assembled.written and not assembled.failures, assembled.failures
    return seconds


def archive_in_place(n: int = ARCHIVE_N) -> dict:
    """The archive made from nothing, then after one document changed (its PDF made again, with
    the other format's pages, so every later part is renumbered), as in a build."""
    with tempfile.TemporaryDirectory(prefix="mtcl-bench-archive-") as tmp:
        documents, output = archive_documents(n, Path(tmp))
        full = archive_seconds(documents, output)
        pages = len(PdfReader(output / MANIFEST_DIR / BUNDLE).pages)
        size = (output / MANIFEST_DIR / BUNDLE).stat().st_size
        by_org = {job.org.id: pdf for job, _, pdf in documents[:2]}
        changed = []
        for k in range(ARCHIVE_REPEAT):
            job, _, pdf = documents[(k + 1) * n // (ARCHIVE_REPEAT + 1)]
            other = next(p for org, p in by_org.items() if org != job.org.id)
            shutil.copy(other, pdf)
            stamp(pdf, PdfMeta.of(job))
            changed.append(archive_seconds(documents, output))
        (output / CACHE).unlink()
        again = archive_seconds(documents, output)
    return {"n": n, "pages": pages, "bundle_mib": round(size / 2**20, 1), "full_s": round(full, 2),
            "full_again_s": round(again, 2),
            "one_changed_s": round(sorted(changed)[len(changed) // 2], 2)}  # fmt: skip


def show_archive(r: dict) -> None:
    console.print(f"Hồ sơ lưu trữ, N={r['n']} ({r['pages']} trang, {r['bundle_mib']} MiB):")
    console.print(f"  dựng từ đầu (không có bộ nhớ đệm): bundle+manifest {r['full_s']:.2f} s")
    console.print(
        f"  one changed document at N={r['n']}: bundle+manifest rebuild {r['one_changed_s']:.2f} s"
    )
    ok = r["one_changed_s"] <= 2
    console.print(
        f"{'ĐẠT ' if ok else 'CHƯA'}  đổi một văn bản ở N=1000 ≤ 2 s: {r['one_changed_s']:.2f} s"
    )


def one_document(folder: Path, yaml_name: str, sheet: bytes | None = None) -> Job:
    """A data folder holding the organisations and one document (and its spreadsheet), loaded."""
    data = folder / "data"
    shutil.copytree(ROOT / "data" / "orgs", data / "orgs")
    (data / "notices").mkdir()
    shutil.copy(NOTICES / yaml_name, data / "notices" / yaml_name)
    if sheet is not None:
        (data / "notices" / SHEET).write_bytes(sheet)
    loaded = load_data(data)
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded.jobs[0]


def render_seconds(job: Job, target: Path) -> float:
    """Median wall time of rendering the DOCX and saving it (the build's render stage), after one
    render that fills the caches (the template styled for the profile, text widths)."""
    render_job(job, ROOT / "templates")
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        render_job(job, ROOT / "templates").save(str(target))
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def convert_seconds(docx: list[Path], scratch: Path) -> list[float]:
    """Median wall time of LibreOffice turning each DOCX into PDF/A, one at a time in one warm
    LibreOffice (its start is not counted: the build starts it while the first documents render)."""
    pool = ConversionPool(jobs=1)
    try:

        def convert(source: Path, target: Path) -> float:
            start, had = time.perf_counter(), len(pool.results)
            pool.submit(source, target)
            while len(pool.results) == had:
                time.sleep(0.005)
            if pool.results[-1].pdf is None:
                raise SystemExit(f"{source.name}: {pool.results[-1].error}")
            return time.perf_counter() - start

        convert(docx[0], scratch / "warm-up.pdf")
        out = []
        for source in docx:
            times = [convert(source, source.with_suffix(".pdf")) for _ in range(REPEAT)]
            out.append(sorted(times)[len(times) // 2])
        pool.finish()
        return out
    finally:
        pool.shutdown()


def table_heavy() -> dict:
    """The seed notice and the timetable công văn side by side; the table's render time by rows."""
    sys.path.insert(0, str(ROOT / "tools"))
    import make_timetable  # a tool of the project, not a module of the package

    with tempfile.TemporaryDirectory(prefix="mtcl-bench-table-") as tmp:
        tmp = Path(tmp)
        docs = {"thông báo 4275": one_document(tmp / "tb", "4275.yaml"),
                "lịch thi 400 hàng": one_document(tmp / "lt", f"{TIMETABLE}.yaml",
                                                  (NOTICES / SHEET).read_bytes())}  # fmt: skip
        files, rows = [], []
        for name, job in docs.items():
            target = tmp / f"{job.doc.id}.docx"
            rows.append({"document": name, "render_s": round(render_seconds(job, target), 3)})
            files.append(target)
        for row, seconds, docx in zip(rows, convert_seconds(files, tmp), files, strict=True):
            row["convert_s"] = round(seconds, 3)
            row["pages"] = len(PdfReader(docx.with_suffix(".pdf")).pages)
        linear = []
        for n in TABLE_ROWS:
            sheet = make_timetable.reproducible(make_timetable.workbook(n))
            job = one_document(tmp / f"rows-{n}", f"{TIMETABLE}.yaml", sheet)
            seconds = render_seconds(job, tmp / f"rows-{n}.docx")
            linear.append({"rows": n, "render_s": round(seconds, 3)})
    return {"documents": rows, "table_rows": linear}


def show_table_heavy(heavy: dict) -> None:
    docs = Table(title="Nhiều bảng, cạnh thông báo mẫu (s)")
    for col in ["văn bản", "trang", "dựng DOCX", "chuyển PDF"]:
        docs.add_column(col, justify="right")
    for r in heavy["documents"]:
        docs.add_row(
            r["document"], str(r["pages"]), f"{r['render_s']:.3f}", f"{r['convert_s']:.3f}"
        )
    console.print(docs)
    console.print(f"(trung vị {REPEAT} lần; chuyển PDF: một LibreOffice đã mở, một tệp một lần)")
    rows = Table(title="Dựng bảng lịch thi theo số hàng")
    for col in ["hàng", "dựng (s)", "thêm mỗi 100 hàng (s)"]:
        rows.add_column(col, justify="right")
    previous = None
    for r in heavy["table_rows"]:
        step = (
            ""
            if previous is None
            else f"{(r['render_s'] - previous['render_s']) * 100 / (r['rows'] - previous['rows']):.3f}"
        )
        rows.add_row(str(r["rows"]), f"{r['render_s']:.3f}", step)
        previous = r
    console.print(rows)


STAGE_LABELS = {"load": "đọc", "number": "đánh số", "render": "dựng", "check": "kiểm tra",
                "convert": "chờ PDF", "archive": "lưu trữ"}  # fmt: skip


def show(results: list[dict]) -> None:
    # two narrow tables rather than one wide one: both fit an 80-column terminal
    stages = Table(title="Thời gian từng giai đoạn (giây)")
    for col in ["N", *(STAGE_LABELS[stage] for stage in STAGES), "tổng"]:
        stages.add_column(col, justify="right")
    compare = Table(title="So sánh (RSS: cả cây tiến trình)")
    for col in ["N", "vb/giây", "RSS MiB", "dựng lại", "naive", "limit", "÷limit", "×naive"]:
        compare.add_column(col, justify="right")
    for r in results:
        stages.add_row(
            str(r["n"]), *(f"{r['stages'][s]:.2f}" for s in STAGES), f"{r['total_s']:.2f}"
        )
        compare.add_row(str(r["n"]), f"{r['docs_per_s']:.1f}", f"{r['peak_rss_mib']:.0f}",
                        f"{r['rebuild_unchanged_s']:.2f}", f"{r['naive_s']:.1f}", f"{r['limit_s']:.2f}",
                        f"{r['vs_limit']:.2f}", f"{r['faster_than_naive']:.1f}")  # fmt: skip
    console.print(stages)
    console.print(compare)
    for r in results:
        console.print(f"N={r['n']}, sửa một văn bản đã ban hành: dựng lại {r['one_edited_s']:.2f} s, "
                      f"trong đó lưu trữ (tệp gộp + manifest) {r['one_edited_archive_s']:.2f} s")  # fmt: skip
    by_n = {r["n"]: r for r in results}
    if 100 in by_n:
        r = by_n[100]
        targets = [
            ("đầu-cuối 100 văn bản ≤ 1,15 × limit", r["vs_limit"] <= 1.15, f"{r['vs_limit']:.2f}×"),
            (
                "nhanh hơn naive ≥ 12×",
                r["faster_than_naive"] >= 12,
                f"{r['faster_than_naive']:.1f}×",
            ),
            (
                "dựng lại khi không đổi < 1,5 s",
                r["rebuild_unchanged_s"] < 1.5,
                f"{r['rebuild_unchanged_s']:.2f} s",
            ),
        ]
        if 1000 in by_n:
            big = by_n[1000]
            ratio = big["per_doc_ms"] / r["per_doc_ms"]
            targets += [("mỗi văn bản ở N=1000 ≤ 1,2 × ở N=100", ratio <= 1.2, f"{ratio:.2f}×"),
                        ("RSS đỉnh ở N=1000 ≤ 800 MiB", big["peak_rss_mib"] <= 800, f"{big['peak_rss_mib']:.0f} MiB"),
                        ("sửa một văn bản ở N=1000: lưu trữ ≤ 2 s", big["one_edited_archive_s"] <= 2,
                         f"{big['one_edited_archive_s']:.2f} s")]  # fmt: skip
        for name, ok, value in targets:
            console.print(f"{'ĐẠT ' if ok else 'CHƯA'}  {name}: {value}")


def main() -> int:
    sizes = [1, 100] + ([1000] if os.environ.get("BENCH_N") == "1000" else [])
    results = []
    for n in sizes:
        console.print(f"N = {n} …")
        results.append(run(n))
    show(results)
    console.print(f"Hồ sơ lưu trữ, N = {ARCHIVE_N} …")
    archive = archive_in_place()
    show_archive(archive)
    console.print("Văn bản nhiều bảng …")
    heavy = table_heavy()
    show_table_heavy(heavy)
    console.print("Bản thảo Word 10 trang: import, fix …")
    bench_import.report(bench_import.measure(), console.print)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.write_text(json.dumps({"cpu_count": os.cpu_count(), "python": sys.version, "results": results,
                                  "archive": archive, "table_heavy": heavy}, ensure_ascii=False, indent=2), encoding="utf-8")  # fmt: skip
    console.print(f"JSON: {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
