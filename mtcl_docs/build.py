"""The whole pipeline for a data folder: load and validate → number → render → check → convert →
archive; unchanged documents are skipped, and conversion runs while later documents render."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import time
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from mtcl_docs.archive.assemble import assemble
from mtcl_docs.archive.manifest import BUNDLE, MANIFEST_DIR, MANIFEST_FILES
from mtcl_docs.archive.metadata import PdfMeta, stamp
from mtcl_docs.archive.outputs import archive_key_parts, issued, sweep_temp_files
from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.cache import BuildCache, fingerprint
from mtcl_docs.check.run import check_document
from mtcl_docs.convert.pool import ConversionPool, backend_for
from mtcl_docs.convert.soffice import ConversionError
from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.fsutil import atomic_write, stops_the_build
from mtcl_docs.load.loader import DOC_DIR, Job, load_data
from mtcl_docs.load.table_model import TableBlock
from mtcl_docs.number.assign import (
    FrozenError,
    entry_fields,
    issue_job,
    issued_data,
    number_job,
)
from mtcl_docs.number.register import Register, RegisterError
from mtcl_docs.plans.distribute import (
    FORMS_VERSION,
    PLAN_TEMPLATE,
    form_path,
    plan_form,
    results_form,
    results_form_path,
)
from mtcl_docs.plans.model import load_cycles
from mtcl_docs.render.context import APPENDIX_TEMPLATE
from mtcl_docs.render.engine import (
    ATTACHED_TEMPLATE,
    appendix_templates,
    render_job,
    template_path,
)
from mtcl_docs.sign.stage import SignRequest, sign_stage

STAGES = ("load", "number", "render", "check", "convert", "archive")


@dataclass(frozen=True)
class Paths:
    """Where the build reads and writes (all relative to the project folder by default)."""

    data: Path = Path("data")
    templates: Path = Path("templates")
    output: Path = Path("output")
    register: Path = Path("data/register.sqlite")

    def docx(self, job: Job) -> Path:
        return self.output / "docx" / job.org.id / f"{job.doc.id}.docx"

    def pdf(self, job: Job) -> Path:
        return self.output / "pdf" / job.org.id / f"{job.doc.id}.pdf"

    def within_output(self, path: Path) -> bool:
        """`path` stays under output/ once links are followed (nothing is written elsewhere)."""
        return path.resolve().is_relative_to(self.output.resolve())

    def open_register(self) -> Register:
        """The register, refused under output/: generated files may be deleted, numbers may not."""
        if self.register.resolve().is_relative_to(self.output.resolve()):
            raise RegisterError(
                f"{self.register}: sổ đăng ký không được để trong {self.output}/ (thư mục kết quả có thể bị xóa)"
            )
        return Register.open(self.register)


class Reporter:
    """What a build tells as it goes; the CLI shows a progress bar or plain lines.

    `done` is called once per finished document (possibly from a conversion worker thread).
    """

    def total(self, count: int) -> None: ...

    def done(self, text: str) -> None: ...

    def note(self, text: str) -> None: ...


@dataclass
class Built:
    job: Job
    docx: Path
    pdf: Path | None = None
    cached: bool = False


@dataclass
class BuildReport:
    built: list[Built] = field(default_factory=list)
    forms: list[Path] = field(default_factory=list)  # plan forms for the units (DOCX only)
    issued: list[Job] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outdated: list[Job] = field(default_factory=list)  # changed, but not among those asked for
    warnings: list[Problem] = field(default_factory=list)  # built all the same (a narrow column)
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rebuilt(self) -> list[Built]:
        return [b for b in self.built if not b.cached]

    @contextmanager
    def timing(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] += time.perf_counter() - start


class _Templates:
    """Template bytes, read once per build, for the cache keys."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.blobs: dict[str, bytes] = {}

    def __call__(self, name: str) -> bytes:
        if name not in self.blobs:
            path = template_path(self.folder, name)
            self.blobs[name] = path.read_bytes() if path.is_file() else b""
        return self.blobs[name]


def job_key(job: Job, templates: _Templates) -> str:
    """Everything a document's files depend on: its data, organisation, profile, templates, version."""
    used = [job.kind.template, *([APPENDIX_TEMPLATE] if job.doc.appendices else [])]
    if job.doc.attached is not None:
        used.append(ATTACHED_TEMPLATE)
    return fingerprint(
        job.doc.model_dump_json(), job.org.model_dump_json(), job.profile.model_dump_json(),
        job.kind.model_dump_json(), repr(job.attached_kind), *(templates(name) for name in used),
        *(_read(path) for path in spreadsheets(job)),
    )  # fmt: skip


def spreadsheets(job: Job) -> list[Path]:
    """The files a document's tables read their rows from (`rows_from:`): a change in one of them
    rebuilds the document as a change in its YAML would."""
    doc, found = job.doc, []

    def walk(blocks) -> None:
        for block in blocks:
            if isinstance(block, TableBlock) and block.table.rows_from is not None:
                found.append(job.source.parent / block.table.rows_from.file)
            walk(getattr(block, "body", ()))

    walk(doc.body)
    walk(doc.attached.body if doc.attached is not None else ())
    for appendix in doc.appendices:
        walk(appendix.body)
    return found


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def build(
    paths: Paths,
    *,
    pdf: bool = True,
    jobs: int | None = None,
    issue: Collection[str] = (),
    issue_date: dt.date | None = None,
    issue_force: str | None = None,
    force: bool = False,
    reporter: Reporter | None = None,
    unoservers: list[str] | None = None,
    only: Collection[str] | None = None,
    sign: SignRequest | None = None,
) -> BuildReport:
    """Build every document, skipping those unchanged since the last build (unless `force`).

    With `issue`, those drafts first get their numbers (dated `issue_date`, else their own date;
    `issue_force` is the reason for a date out of the series' order). A number taken in a build
    is the document's only once its files are made: if they are not, it is given back. With
    `only` (data files under data/notices/, or document ids), just those are rendered: the
    others are still loaded and numbered, and their files, as they are, still go into the
    archive. A document that fails is reported and leaves no file; the others go on. With
    `sign`, the issued documents it names are signed before the archive is made.
    """
    say = reporter or Reporter()
    report = BuildReport()
    if not paths.templates.is_dir():
        report.problems.append(Problem(paths.templates, "không có thư mục mẫu DOCX này"))
        return report
    with report.timing("load"):
        loaded = load_data(paths.data, appendix_templates(paths.templates))
    report.problems.extend(loaded.problems)
    report.warnings.extend(loaded.warnings)
    chosen = None if only is None else select(paths.data, only, report)
    with report.timing("number"):
        try:
            register = paths.open_register()
        except RegisterError as exc:
            report.problems.append(Problem(paths.register, str(exc)))
            return report
        with register:
            numbered, pending = _number(
                loaded.jobs, register, issue, issue_date, report, issue_force
            )
    cache = BuildCache(paths.output, force)
    templates = _Templates(paths.templates)
    say.total(len(numbered))
    plan = []  # first what is up to date, so LibreOffice starts only if something is not
    for job in numbered:
        docx, pdf_path = paths.docx(job), paths.pdf(job)
        outside = [f for f in (docx, pdf_path) if not paths.within_output(f)]
        if outside:  # a folder under output/ replaced by a link that leads elsewhere
            report.problems.append(Problem(job.source, (
                f"thư mục {outside[0].parent} là liên kết dẫn ra ngoài {paths.output}/: "
                "không ghi tệp qua đó; hãy xóa liên kết rồi dựng lại"
            )))  # fmt: skip
            continue
        key = job_key(job, templates)
        entry = cache.fresh(job.doc.id, key, [docx, pdf_path] if pdf else [docx])
        if entry is None and chosen is not None and job.doc.id not in chosen:
            _leave(job, docx, pdf_path if pdf else None, report, say)
            continue
        plan.append((job, docx, pdf_path, key, entry))
    stale = sum(entry is None for *_, entry in plan)
    pool, waiting = None, {}
    try:
        if pdf and stale:  # LibreOffice starts now, while the first documents render
            pool = _pool(min(jobs or os.cpu_count() or 1, stale), report, waiting, say, unoservers)
        for job, docx, pdf_path, key, entry in plan:
            if entry is not None:
                report.built.append(Built(job, docx, pdf_path if pdf else None, cached=True))
                report.problems.extend(Problem(docx, message) for message in entry.problems)
                say.done(f"giữ nguyên  {docx}")
                continue
            cache.forget(job.doc.id)
            failures = _render(job, docx, paths, report)
            if failures is None:
                continue
            report.built.append(Built(job, docx))
            waiting[docx] = (key, failures, job, [])  # the last: its PDF's PDF/A failures
            if pool is not None:
                pool.submit(docx, pdf_path)  # converts while the next documents render
            else:
                say.done(f"DOCX  {docx}")
        _distribute_plans(paths, loaded.orgs, numbered, report, cache, templates, say)
        with report.timing("convert"):
            converted = pool.finish() if pool is not None else []
        _finish_documents(report, converted, waiting, cache, pdf and pool is not None, say)
        _settle(paths, pending, report, pdf)
        if pdf and report.built:
            with report.timing("archive"):  # the archive's copies are the signed ones
                sign_stage(report, paths, cache, sign, say.note)
            with report.timing("archive"):  # while LibreOffice quits
                _archive(report, paths, cache, say)
    finally:
        if pool is not None:
            pool.shutdown()
    cache.save()
    return report


def select(data: Path, names: Collection[str], report: BuildReport) -> set[str]:
    """The ids of the documents named by their data file (a path) or id; a problem for each name
    that is neither."""
    folder = data / DOC_DIR
    ids = sorted(p.stem for p in folder.glob("*.yaml"))
    chosen = set()
    for name in names:
        doc_id, why = _document_id(folder, name)
        if doc_id in ids:
            chosen.add(doc_id)
            continue
        if why is None:
            close = difflib.get_close_matches(Path(name).stem, ids, n=1)
            hint = f"có phải '{close[0]}'?" if close else f"có: {', '.join(ids) or 'chưa có'}"
            why = (
                f"không có văn bản này: cần đường dẫn tới một tệp .yaml trong {folder}/ hoặc mã "
                f"văn bản (tên tệp, không có .yaml); {hint}"
            )
        report.problems.append(Problem(name, why))
    return chosen


def _document_id(folder: Path, name: str) -> tuple[str | None, str | None]:
    """(id, None) for a data file or id; (None, why) for a file that is not a document's data."""
    path = Path(name)
    if path.suffix not in (".yaml", ".yml") and len(path.parts) == 1:
        return name, None  # an id
    if not path.is_file() and len(path.parts) == 1:
        path = folder / path  # a file name alone, as listed in data/notices/
    if not path.is_file():
        return None, None
    if path.resolve().parent != folder.resolve():
        return None, f"tệp này không nằm trong {folder}/: chỉ dựng riêng được các văn bản ở đó"
    if path.suffix != ".yaml":
        return None, "tệp dữ liệu văn bản phải có đuôi .yaml (tệp đuôi khác không được đọc)"
    return path.stem, None


def _leave(job: Job, docx: Path, pdf: Path | None, report: BuildReport, say: Reporter) -> None:
    """A changed document not asked for: its files stay as they were (and stay in the archive)."""
    report.outdated.append(job)
    if not docx.is_file():
        say.done(f"chưa dựng  {docx}")
        return
    report.built.append(Built(job, docx, pdf if pdf and pdf.is_file() else None, cached=True))
    say.done(f"để nguyên  {docx}")


def _pool(jobs: int, report: BuildReport, waiting: dict, say: Reporter,
          unoservers: list[str] | None) -> ConversionPool | None:  # fmt: skip
    def stamp_metadata(source: Path, pdf: Path) -> None:  # in the worker, while others convert
        stamp(pdf, PdfMeta.of(waiting[source][2]))
        waiting[source][3].extend(pdfa_failures(pdf))  # validated once stamped: ~5 ms
        say.done(f"PDF   {pdf}")

    try:
        return ConversionPool(backend_for(unoservers), jobs=len(unoservers) if unoservers else jobs,
                              after=stamp_metadata)  # fmt: skip
    except ConversionError as exc:
        report.problems.append(Problem("LibreOffice", str(exc)))
        return None


def _render(job: Job, docx: Path, paths: Paths, report: BuildReport) -> list[str] | None:
    """Write the DOCX and check its thể thức; None if it could not be made at all."""
    with report.timing("render"):
        try:
            document = render_job(
                job, paths.templates, lambda text: report.warnings.append(Problem(job.source, text))
            )
            atomic_write(docx, lambda tmp: document.save(str(tmp)))
        except DocumentError as exc:
            report.problems.extend(exc.problems)
            return None
        except Exception as exc:  # noqa: BLE001 - one document's surprise must not stop the rest
            if stops_the_build(exc):  # a full disk, a closed output: not this document's fault
                raise
            report.problems.append(
                Problem(job.source, f"lỗi khi dựng văn bản ({type(exc).__name__}: {exc})")
            )
            return None
    with report.timing("check"):
        checked = check_document(document, str(docx), job.profile.name, job.kind)
    failures = [
        f"sai thể thức [{r.rule}] {r.found} (cần: {r.expected})"
        for r in checked.results
        if r.status == "FAIL"
    ]
    report.problems.extend(Problem(docx, message) for message in failures)
    return failures


def _finish_documents(
    report, converted, waiting, cache: BuildCache, pdf: bool, say: Reporter
) -> None:
    """Remember what was made, for the next build's cache.

    Without PDFs (asked for none, or LibreOffice missing) only the DOCX is remembered when no PDF
    was asked for; a missing LibreOffice leaves the cache alone so the next build tries again.
    """
    by_source = {r.source: r for r in converted}
    for built in report.rebuilt:
        key, failures, _, pdfa = waiting[built.docx]
        if not pdf:
            if not any(p.file == "LibreOffice" for p in report.problems):
                cache.record(built.job.doc.id, key, [built.docx], failures)
            continue
        result = by_source.get(built.docx)
        if result is None or result.pdf is None:
            report.problems.append(
                Problem(built.docx, result.error if result else "không tạo được PDF")
            )
            continue
        built.pdf = result.pdf  # its metadata was stamped and the PDF/A validated by the pool
        report.problems.extend(Problem(built.pdf, message) for message in pdfa)
        said = [f"tệp PDF {built.pdf.name}: {message}" for message in pdfa]  # from the cache
        cache.record(built.job.doc.id, key, [built.docx, built.pdf], failures + said)


def _archive(report: BuildReport, paths: Paths, cache: BuildCache, say: Reporter) -> None:
    """The bundle and manifest of the issued documents (drafts never enter them), remade whenever
    one of them, a form, or a file they list changed or is missing."""
    sweep_temp_files(paths.output)  # what a killed build left half-written
    documents = [(b.job, b.docx, b.pdf) for b in report.built if b.pdf and issued(b.job)]
    key = fingerprint(*archive_key_parts(documents, report.forms, paths.output))
    folder = paths.output / MANIFEST_DIR
    made = [folder / name for name in MANIFEST_FILES] + ([folder / BUNDLE] if documents else [])
    if cache.fresh("__archive__", key, made) and (documents or not (folder / BUNDLE).exists()):
        return
    assembled = assemble(documents, report.forms, paths.output)
    report.problems.extend(Problem(folder / BUNDLE, message) for message in assembled.failures)
    if not assembled.failures:  # else made again, and said again, by the next build
        cache.record("__archive__", key, assembled.written)
    for path in assembled.written:
        say.note(f"LƯU   {path}")


# Each unit's forms: its plan, and the results it reports at the end of the year.
FORMS = ((form_path, plan_form), (results_form_path, results_form))


def _distribute_plans(paths: Paths, orgs, numbered: list[Job], report: BuildReport, cache: BuildCache,
                      templates: _Templates, say: Reporter) -> None:  # fmt: skip
    """Each unit's MTCL plan form, pre-filled, into `output/don-vi/<unit>/`."""
    cycles, errors = load_cycles(paths.data, orgs, {j.doc.id: j for j in numbered})
    for exc in errors:
        report.problems.extend(exc.problems)
    for cycle in cycles:
        base = fingerprint(cycle.year.model_dump_json(), cycle.notice.doc.model_dump_json(),
                           cycle.org.model_dump_json(), cycle.notice.profile.model_dump_json(),
                           templates(PLAN_TEMPLATE), FORMS_VERSION)  # fmt: skip
        for unit, (where, make) in product(cycle.org.units, FORMS):  # the plan, the results
            target = where(paths.output, cycle, unit)
            name, key = (
                f"form:{target.relative_to(paths.output).as_posix()}",
                fingerprint(base, unit.model_dump_json()),
            )
            if cache.fresh(name, key, [target]) is None:
                with report.timing("render"):
                    try:
                        document = make(cycle, unit, paths.templates)
                        atomic_write(target, lambda tmp, d=document: d.save(str(tmp)))
                    except DocumentError as exc:
                        report.problems.extend(exc.problems)
                        continue
                cache.record(name, key, [target])
                say.note(f"MẪU  {target}")
            report.forms.append(target)


def _number(jobs, register, issue, issue_date, report, issue_force=None):
    """Drafts named in `issue` get their numbers; every document then takes its number from the
    register (or stays a draft). Also returns the documents whose number is not yet theirs (taken
    in this build, or by one that did not finish), with their register entries."""
    found = {j.doc.id for j in jobs}
    for doc_id in issue:
        if doc_id not in found:
            report.problems.append(
                Problem(doc_id, "không có văn bản này trong dữ liệu (hoặc dữ liệu đang lỗi)")
            )
    numbered, pending = [], []
    for job in jobs:
        try:
            if job.doc.id in issue:
                try:
                    day = issue_date or job.doc.date or dt.date.today()
                    job = issue_job(job, register, day, issue_force)
                    report.issued.append(job)
                except DocumentError as exc:  # e.g. issued before: still built, with its number
                    report.problems.extend(exc.problems)
                    job = number_job(job, register)
            else:
                job = number_job(job, register)
            entry = register.current(job.org.id, job.doc.id)
        except FrozenError as exc:  # refused: the issued version stays, in the archive too
            report.problems.extend(exc.problems)
            if exc.issued is not None:
                numbered.append(exc.issued)
            continue
        except DocumentError as exc:
            report.problems.extend(exc.problems)
            continue
        except RegisterError as exc:
            report.problems.append(Problem(job.source, str(exc)))
            continue
        if entry is not None and not entry.built:
            pending.append((job, entry.id))
        numbered.append(job)
    return numbered, pending


def _settle(paths: Paths, pending, report: BuildReport, pdf: bool) -> None:
    """A number taken in this build (or left by one that died) becomes the document's once its
    files are made (DOCX, and PDF when asked); otherwise it is given back, so no number is held
    by a document that does not exist. Giving back frees the number when it is still the last
    of its series; when a later number was already given, it is cancelled instead (NĐ 30: a
    number is never reused once another follows it). Both are kept in the register's history."""
    if not pending:
        return
    made = {b.job.doc.id: b for b in report.built}
    try:
        with paths.open_register() as register:
            for job, entry_id in pending:
                built = made.get(job.doc.id)
                if (
                    built is not None
                    and built.docx.is_file()
                    and (not pdf or (built.pdf is not None and built.pdf.is_file()))
                ):
                    register.confirm(entry_id, entry_fields(built.job), issued_data(built.job))
                    continue
                number = f"{job.doc.number:02d}" if job.doc.number is not None else "?"
                what = register.give_back(entry_id, "chưa dựng được văn bản")
                report.issued[:] = [j for j in report.issued if j.doc.id != job.doc.id]
                if what in _GIVEN_BACK:  # a number from the data is just not recorded yet
                    report.problems.append(Problem(job.source, _GIVEN_BACK[what].format(number)))
                    if built is not None:  # no file may carry a number the document lost
                        _remove(built, report)
    except RegisterError as exc:
        report.problems.append(Problem(paths.register, str(exc)))


def _remove(built: Built, report: BuildReport) -> None:
    for path in (built.docx, built.pdf):
        if path is not None:
            path.unlink(missing_ok=True)
    report.built.remove(built)


_GIVEN_BACK = {
    "returned": "văn bản chưa dựng được nên số {} đã được trả lại (ghi trong lịch sử sổ); sửa lỗi "
    "rồi cấp số lại",
    "cancelled": "văn bản chưa dựng được; số {} bị hủy vì đã có số sau nó (số đã hủy không cấp "
    "lại); sửa lỗi rồi cấp số mới",
}
