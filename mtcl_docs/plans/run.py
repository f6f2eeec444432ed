"""The `plans` commands end to end: load the year, read the folder, write the outputs, make PDFs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtcl_docs.archive.ledger import record_written
from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.build import Paths
from mtcl_docs.convert.pool import to_pdf
from mtcl_docs.convert.soffice import ConversionError
from mtcl_docs.errors import DocumentError, Problem
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.load.loader import load_data
from mtcl_docs.number.assign import number_job
from mtcl_docs.plans.collect import Collected, UnitStatus, collect, submission_status
from mtcl_docs.plans.consolidate import write_consolidated_docx, write_workbook
from mtcl_docs.plans.feedback import write_feedback
from mtcl_docs.plans.history import HISTORY, record
from mtcl_docs.plans.model import QualityCycle, load_cycles
from mtcl_docs.plans.results import Results, institution_report, read_results, unit_report
from mtcl_docs.render.engine import appendix_templates, render_form


class PlansError(Exception):
    """The year's data is missing or broken, so no plan can be judged."""


@dataclass
class PlansReport:
    cycle: QualityCycle
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    collected: Collected | None = None
    status: list[UnitStatus] = field(default_factory=list)
    results: Results | None = None


def load_cycle(paths: Paths, year_id: str | None) -> QualityCycle:
    """The school year asked for (or the only one), with its notice numbered from the register."""
    loaded = load_data(paths.data, appendix_templates(paths.templates))
    notices = {}
    with paths.open_register() as register:
        for job in loaded.jobs:
            try:
                notices[job.doc.id] = number_job(job, register)
            except DocumentError:
                continue
    cycles, errors = load_cycles(paths.data, loaded.orgs, notices)
    if errors:
        raise PlansError("\n".join(str(p) for e in errors for p in e.problems))
    if year_id:
        cycles = [c for c in cycles if c.year.id == year_id]
    if len(cycles) != 1:
        known = ", ".join(c.year.id for c in cycles) or "chưa có tệp nào trong data/mtcl"
        raise PlansError(f"cần chọn đúng một năm học bằng --year (có: {known})")
    return cycles[0]


def _folder(paths: Paths, cycle: QualityCycle) -> Path:
    return paths.output / "mtcl" / cycle.year.id


def _pdfs(docx: list[Path], report: PlansReport, unoservers: list[str] | None) -> None:
    """Each report's PDF, validated as PDF/A-2b as it is written (issue 14, item 1): a failure
    is a problem naming the file and the rule, as for the build's documents."""
    try:
        results = to_pdf(docx, [p.with_suffix(".pdf") for p in docx], unoservers=unoservers)
    except ConversionError as exc:
        report.problems.append(Problem("LibreOffice", str(exc)))
        return
    for result in results:
        if result.pdf:
            report.written.append(result.pdf)
            report.problems.extend(Problem(result.pdf, m) for m in pdfa_failures(result.pdf))
        else:
            report.problems.append(Problem(result.source, result.error or "không tạo được PDF"))


def run_collect(
    paths: Paths,
    folder: Path,
    year_id: str | None = None,
    pdf: bool = True,
    unoservers: list[str] | None = None,
) -> PlansReport:
    """Collect, check and consolidate the plans in `folder`; write outputs under output/mtcl/."""
    report = PlansReport(cycle := load_cycle(paths, year_id))
    report.collected = collect(folder, cycle)
    report.status = submission_status(cycle, report.collected)
    report.problems.extend(report.collected.failures)
    out = _folder(paths, cycle)
    docx = write_consolidated_docx(
        cycle, report.collected, paths.templates, out / "tong-hop-ke-hoach-mtcl.docx"
    )
    report.written.append(docx)
    history = record(report.collected, out)  # every submission, resubmissions included
    report.written.append(out / HISTORY)
    report.written.append(
        write_workbook(
            cycle, report.collected, report.status, out / "tong-hop-ke-hoach-mtcl.xlsx", history
        )
    )
    report.written.extend(write_feedback(cycle, report.collected, paths.templates, out))
    if pdf:
        _pdfs([docx], report, unoservers)
    record_written(paths.output, report.written)  # `verify` checks them like the build's files
    return report


def run_results(
    paths: Paths,
    folder: Path,
    year_id: str | None = None,
    pdf: bool = True,
    unoservers: list[str] | None = None,
) -> PlansReport:
    """Year-end results: one report per unit and one for the institution, each DOCX and PDF."""
    report = PlansReport(cycle := load_cycle(paths, year_id))
    report.results = read_results(folder, cycle)
    report.problems.extend(report.results.failures)
    out = _folder(paths, cycle) / "ket-qua"
    profile = cycle.notice.profile
    made = []
    for code, unit_results in report.results.units.items():
        context, flow = unit_report(cycle, unit_results)
        document = render_form("bao-cao-ket-qua-mtcl", context, profile, paths.templates, flow)
        made.append(atomic_write(out / f"{code}.docx", lambda tmp, d=document: d.save(str(tmp))))
    context, flow = institution_report(cycle, report.results)
    document = render_form("tong-hop-ket-qua-mtcl", context, profile, paths.templates, flow)
    made.append(atomic_write(out / "hoc-vien.docx", lambda tmp: document.save(str(tmp))))
    report.written.extend(made)
    if pdf:
        _pdfs(made, report, unoservers)
    record_written(paths.output, report.written)
    return report
