"""The whole pipeline for a data folder: load and validate → number → render → convert."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.archive.assemble import assemble
from mtcl_docs.archive.metadata import PdfMeta, stamp
from mtcl_docs.check.run import check_document
from mtcl_docs.convert.soffice import ConversionError, to_pdf
from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.load.loader import Job, load_data
from mtcl_docs.number.assign import issue_job, number_job
from mtcl_docs.number.register import Register, RegisterError
from mtcl_docs.plans.distribute import form_path, plan_form
from mtcl_docs.plans.model import load_cycles
from mtcl_docs.render.engine import appendix_templates, render_job


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

    def open_register(self) -> Register:
        """The register, refused under output/: generated files may be deleted, numbers may not."""
        if self.register.resolve().is_relative_to(self.output.resolve()):
            raise RegisterError(
                f"{self.register}: sổ đăng ký không được để trong {self.output}/ (thư mục kết quả có thể bị xóa)"
            )
        return Register.open(self.register)


@dataclass
class Built:
    job: Job
    docx: Path
    pdf: Path | None = None


@dataclass
class BuildReport:
    built: list[Built] = field(default_factory=list)
    forms: list[Path] = field(default_factory=list)  # plan forms for the units (DOCX only)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def build(
    paths: Paths,
    *,
    pdf: bool = True,
    jobs: int | None = None,
    issue: Collection[str] = (),
    issue_date: dt.date | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildReport:
    """Build every document (or, with `issue`, give those drafts numbers and build just them).

    A document that fails is reported and leaves no file; the others go on.
    """
    report = BuildReport()
    loaded = load_data(paths.data, appendix_templates(paths.templates))
    report.problems.extend(loaded.problems)
    try:
        register = paths.open_register()
    except RegisterError as exc:
        report.problems.append(Problem(paths.register, str(exc)))
        return report
    with register:
        numbered = _number(loaded.jobs, register, issue, issue_date, report)
    for job in numbered:
        try:
            document = render_job(job, paths.templates)
            target = atomic_write(paths.docx(job), lambda tmp, d=document: d.save(str(tmp)))
        except DocumentError as exc:
            report.problems.extend(exc.problems)
            continue
        report.built.append(Built(job, target))
        progress(f"DOCX  {target}")
        checked = check_document(document, str(target), job.profile.name)
        for r in checked.results:
            if r.status == "FAIL":
                report.problems.append(Problem(target, f"sai thể thức [{r.rule}] {r.found} (cần: {r.expected})"))
    if not issue:
        _distribute_plans(paths, loaded.orgs, numbered, report, progress)
    if pdf and report.built:
        _convert(report, paths, jobs, progress)
        documents = [(b.job, b.docx, b.pdf) for b in report.built if b.pdf]
        for path in assemble(documents, report.forms, paths.output):
            progress(f"LƯU   {path}")
    return report


def _distribute_plans(
    paths: Paths, orgs, numbered: list[Job], report: BuildReport, progress
) -> None:
    """Each unit's MTCL plan form, pre-filled, into `output/don-vi/<unit>/`."""
    cycles, errors = load_cycles(paths.data, orgs, {j.doc.id: j for j in numbered})
    for exc in errors:
        report.problems.extend(exc.problems)
    for cycle in cycles:
        for unit in cycle.org.units:
            try:
                document = plan_form(cycle, unit, paths.templates)
                target = form_path(paths.output, cycle, unit)
                atomic_write(target, lambda tmp, d=document: d.save(str(tmp)))
            except DocumentError as exc:
                report.problems.extend(exc.problems)
                continue
            report.forms.append(target)
            progress(f"MẪU  {target}")


def _number(jobs, register, issue, issue_date, report) -> list[Job]:
    if issue:
        found = {j.doc.id for j in jobs}
        for doc_id in issue:
            if doc_id not in found:
                report.problems.append(
                    Problem(doc_id, "không có văn bản này trong dữ liệu (hoặc dữ liệu đang lỗi)")
                )
        jobs = [j for j in jobs if j.doc.id in issue]
    numbered = []
    for job in jobs:
        try:
            if issue:
                numbered.append(issue_job(job, register, issue_date or dt.date.today()))
            else:
                numbered.append(number_job(job, register))
        except DocumentError as exc:
            report.problems.extend(exc.problems)
    return numbered


def _convert(report: BuildReport, paths: Paths, jobs: int | None, progress) -> None:
    sources = [b.docx for b in report.built]
    try:
        results = to_pdf(sources, [paths.pdf(b.job) for b in report.built], jobs)
    except ConversionError as exc:
        report.problems.append(Problem("LibreOffice", str(exc)))
        return
    by_source = {r.source: r for r in results}
    for b in report.built:
        result = by_source[b.docx]
        if result.pdf:
            b.pdf = stamp(result.pdf, PdfMeta.of(b.job))
            progress(f"PDF   {result.pdf}")
        else:
            report.problems.append(Problem(b.docx, result.error or "không tạo được PDF"))
