"""`mtcl-docs`: the commands clerks run (through `make notices`) and their messages."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
import unicodedata
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from mtcl_docs import __version__
from mtcl_docs.archive.cancelled import cancel_files
from mtcl_docs.archive.ledger import record_written
from mtcl_docs.archive.verify import verify
from mtcl_docs.build import BuildReport, Paths, Reporter, build
from mtcl_docs.check.run import CheckError, check_file
from mtcl_docs.cli_vi import ArgumentParser
from mtcl_docs.convert.pool import PoolFailed
from mtcl_docs.draft import command as draft_command
from mtcl_docs.fsutil import DiskFull, OutputClosed, is_disk_full
from mtcl_docs.kinds import KindError, find_kind
from mtcl_docs.kinds.registry import REGIMES
from mtcl_docs.load.loader import load_data
from mtcl_docs.newdoc import NewDocumentError, new_document
from mtcl_docs.number import export
from mtcl_docs.number.assign import amend_job
from mtcl_docs.number.register import EVENTS, Entry, RegisterError
from mtcl_docs.plans.run import PlansError, PlansReport, run_collect, run_results
from mtcl_docs.register_book import export_book
from mtcl_docs.render.engine import appendix_templates
from mtcl_docs.render.lint import lint_templates
from mtcl_docs.sign.keys import KeySource
from mtcl_docs.sign.stage import (
    COPY_DIR,
    COPY_FORMS,
    DEMO_DIR,
    SignRequest,
    sign_outside_archive,
)


class _Console(Console):
    """rich's console, but a closed output (`mtcl-docs build | head`) raises OutputClosed, which
    ends the build with a message, instead of rich's SystemExit, which silently ended the thread
    that printed (a PDF worker) and left the build waiting for it forever."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)  # Python's own last flush must not fail either
        os.dup2(devnull, (sys.stderr if self.stderr else sys.stdout).fileno())
        os.close(devnull)
        raise OutputClosed


out = _Console(highlight=False)
err = _Console(stderr=True, highlight=False)


def say(text: str, console: Console = out) -> None:
    """One plain line: no markup, never wrapped (paths and messages stay greppable)."""
    console.print(text, markup=False, soft_wrap=True)


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="THƯ-MỤC",
        help="thư mục dữ liệu (mặc định: data)",
    )


def _key_options() -> argparse.ArgumentParser:
    """Where the organisation's key is, when not (or not only) in its data file; never its
    password, which is asked for when signing (or taken from MTCL_MAT_KHAU)."""
    keys = ArgumentParser(add_help=False)
    keys.add_argument("--pkcs12", type=Path, metavar="TỆP", help="khóa ký số trong tệp .p12/.pfx")
    keys.add_argument(
        "--pkcs11",
        type=Path,
        metavar="THƯ-VIỆN",
        help="token USB: thư viện PKCS#11 (.so) của token",
    )
    keys.add_argument("--token", metavar="NHÃN", help="nhãn của token (với --pkcs11)")
    keys.add_argument("--key", metavar="NHÃN", help="nhãn khóa trên token (với --pkcs11)")
    keys.add_argument("--tsa", metavar="URL", help="máy chủ cấp dấu thời gian (ký PAdES B-T)")
    return keys


def _sign_request(args, ids) -> SignRequest:
    if args.pkcs12 and args.pkcs11:
        raise RegisterError("chỉ dùng một trong hai: --pkcs12 hoặc --pkcs11")
    if args.pkcs11 and not (args.token and args.key):
        raise RegisterError("--pkcs11 cần kèm --token NHÃN và --key NHÃN")
    key = None
    if args.pkcs12 or args.pkcs11:
        key = KeySource(args.pkcs12, args.pkcs11, args.token, args.key)
    return SignRequest(frozenset(ids) if ids else None, key, args.tsa)


def _paths_options() -> argparse.ArgumentParser:
    common = ArgumentParser(add_help=False)
    _data_option(common)
    common.add_argument(
        "--templates",
        type=Path,
        default=Path("templates"),
        metavar="THƯ-MỤC",
        help="thư mục mẫu DOCX (mặc định: templates)",
    )
    common.add_argument(
        "--output",
        type=Path,
        default=Path("output"),
        metavar="THƯ-MỤC",
        help="thư mục kết quả (mặc định: output)",
    )
    common.add_argument(
        "--register",
        type=Path,
        default=Path("data/register.sqlite"),
        metavar="TỆP",
        help="tệp sổ đăng ký văn bản đi (mặc định: data/register.sqlite)",
    )
    common.add_argument(
        "--unoserver",
        action="append",
        metavar="MÁY:CỔNG",
        default=[s for s in os.environ.get("MTCL_UNOSERVER", "").split(",") if s],
        help="chuyển PDF qua máy chủ unoserver thay vì LibreOffice trên máy này (lặp lại cho nhiều máy)",
    )
    return common


def _day(text: str) -> dt.date:
    """A date as clerks write it (30/11/2026) or as ISO (2026-11-30)."""
    try:
        if "/" in text:
            return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f'"{text}" không phải ngày (cần dạng 30/11/2026 hoặc 2026-11-30)'
        ) from exc


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f'"{text}" không phải số nguyên') from exc


def _parser() -> argparse.ArgumentParser:
    """Every command and its options; argparse's own words are Vietnamese too (see cli_vi)."""
    parser = ArgumentParser(
        prog="mtcl-docs",
        description="Dựng văn bản (thông báo, kế hoạch MTCL…) từ dữ liệu YAML: "
        "DOCX gửi các đơn vị, PDF để lưu trữ.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mtcl-docs {__version__}",
        help="in số phiên bản rồi thoát",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    common = _paths_options()
    keys = _key_options()

    b = sub.add_parser(
        "build",
        parents=[common],
        help="dựng các văn bản trong thư mục dữ liệu (mọi văn bản, hoặc chỉ những tệp nêu tên)",
    )
    b.add_argument(
        "files",
        nargs="*",
        metavar="TỆP",
        help="chỉ dựng các văn bản này: đường dẫn tới tệp trong data/notices/ hoặc mã văn bản "
        "(tên tệp, không có .yaml); các văn bản khác giữ nguyên (mặc định: dựng mọi văn bản)",
    )
    b.add_argument("--no-pdf", action="store_true", help="chỉ làm DOCX, không làm PDF")
    b.add_argument("--force", action="store_true", help="dựng lại tất cả, kể cả văn bản không đổi")
    b.add_argument(
        "--jobs",
        type=_whole,
        default=None,
        metavar="SỐ",
        help="số tiến trình LibreOffice (mặc định: số lõi)",
    )

    n = sub.add_parser("new", help="tạo tệp dữ liệu cho một văn bản mới, chép từ tệp mẫu cùng loại")
    n.add_argument("kind", metavar="LOẠI", help="loại văn bản, như trường type: (ví dụ thong-bao)")
    n.add_argument(
        "name",
        nargs="?",
        metavar="TÊN",
        help="tên tệp mới trong data/notices/, không có .yaml, cũng là mã văn bản "
        "(mặc định: LOẠI-năm-tháng-ngày hôm nay)",
    )
    _data_option(n)

    c = sub.add_parser("check-templates", help="soát lỗi các mẫu DOCX sau khi sửa trong Word")
    c.add_argument(
        "--templates",
        type=Path,
        default=Path("templates"),
        metavar="THƯ-MỤC",
        help="thư mục mẫu (mặc định: templates)",
    )

    ck = sub.add_parser(
        "check", help="kiểm tra thể thức một hay nhiều tệp DOCX (của ta hay soạn tay)"
    )
    ck.add_argument("files", type=Path, nargs="+", metavar="TỆP.docx", help="các tệp cần kiểm tra")
    ck.add_argument(
        "--profile",
        default="auto",
        metavar="THỂ-THỨC",
        help="party, nd30, tên bảng cụ thể, hoặc auto (mặc định)",
    )
    ck.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    data_only = ArgumentParser(add_help=False)
    _data_option(data_only)
    draft_command.add_commands(sub, common, data_only)

    v = sub.add_parser(
        "verify", help="kiểm tra các tệp trong thư mục kết quả còn nguyên như lúc dựng"
    )
    v.add_argument(
        "output",
        type=Path,
        nargs="?",
        default=Path("output"),
        metavar="THƯ-MỤC",
        help="thư mục kết quả (mặc định: output)",
    )
    v.add_argument(
        "--register",
        type=Path,
        default=Path("data/register.sqlite"),
        metavar="TỆP",
        help="sổ đăng ký để đối chiếu manifest (mặc định: data/register.sqlite, nếu có)",
    )

    sg = sub.add_parser(
        "sign",
        parents=[common, keys],
        help="ký số (PAdES) các văn bản đã cấp số: con dấu, chữ ký như NĐ 30 Phụ lục I",
    )
    sg.add_argument(
        "ids",
        nargs="*",
        metavar="MÃ",
        help="mã văn bản (tên tệp dữ liệu, không có .yaml); mặc định: mọi văn bản đã cấp số chưa ký",
    )
    sg.add_argument(
        "--thu",
        action="store_true",
        help="ký thử bằng chứng thư tạm (THỬ NGHIỆM) vào output/ky-thu/ để xem trước; "
        "không đụng tới sổ và hồ sơ lưu trữ",
    )
    sg.add_argument(
        "--ban-sao",
        choices=sorted(COPY_FORMS),
        metavar="HÌNH-THỨC",
        help="làm bản sao điện tử có ký số vào output/ban-sao/: sao-y, sao-luc hoặc trich-sao "
        "(dòng chữ góc trên bên phải trang đầu, không có ảnh)",
    )

    r = sub.add_parser("register", help="sổ đăng ký văn bản đi: cấp số, hủy số, xem, xuất, sao lưu")
    rs = r.add_subparsers(dest="action", required=True, metavar="VIỆC")
    lst = rs.add_parser("list", parents=[common], help="liệt kê các văn bản đã có số")
    lst.add_argument("--year", type=_whole, metavar="NĂM", help="chỉ năm này")
    lst.add_argument(
        "--type",
        metavar="LOẠI",
        help="chỉ loại này: ký hiệu (TB, QĐ), tên (Quyết định) hoặc mã loại",
    )
    lst.add_argument("--org", metavar="CƠ-QUAN", help="chỉ cơ quan này")
    lst.add_argument(
        "--tim", metavar="CHỮ", help="chỉ văn bản có chữ này (số, trích yếu, người ký, nơi nhận…)"
    )
    show = rs.add_parser(
        "show", parents=[common], help="xem một văn bản trong sổ (cả số đã hủy) và lịch sử của nó"
    )
    show.add_argument("id", metavar="MÃ", help="mã văn bản (tên tệp dữ liệu, không có .yaml)")
    issue = rs.add_parser(
        "issue",
        parents=[common, keys],
        help="cấp số cho văn bản dự thảo (sau khi ký) và dựng bản chính thức",
    )
    issue.add_argument(
        "ids", nargs="+", metavar="MÃ", help="mã văn bản (tên tệp dữ liệu, không có .yaml)"
    )
    issue.add_argument(
        "--date",
        type=_day,
        default=None,
        metavar="NGÀY",
        help="ngày ban hành, dạng 30/11/2026 hoặc 2026-11-30 (mặc định: ngày ghi trong văn bản)",
    )
    issue.add_argument(
        "--force",
        action="store_true",
        help="cho cấp số với ngày trước ngày của số liền trước hoặc ngày chưa tới (cần --ly-do)",
    )
    issue.add_argument("--ly-do", metavar="LÝ-DO", help="lý do dùng --force (ghi vào lịch sử sổ)")
    issue.add_argument("--no-pdf", action="store_true", help="chỉ làm DOCX")
    issue.add_argument(
        "--sign", action="store_true", help="ký số các văn bản vừa cấp số (khóa của cơ quan)"
    )
    amend = rs.add_parser(
        "amend",
        parents=[common],
        help="ghi nhận sửa một văn bản đã ban hành (ghi lý do, giữ mọi phiên bản) để dựng lại",
    )
    amend.add_argument("id", metavar="MÃ", help="mã văn bản")
    amend.add_argument(
        "--ly-do", required=True, metavar="LÝ-DO", help="vì sao văn bản đã ban hành phải sửa"
    )
    cancel = rs.add_parser(
        "cancel", parents=[common], help="hủy số của một văn bản (số không bao giờ cấp lại)"
    )
    cancel.add_argument("id", metavar="MÃ", help="mã văn bản")
    cancel.add_argument(
        "--reason", required=True, metavar="LÝ-DO", help="lý do hủy (ghi vào cột Ghi chú)"
    )
    cancel.add_argument(
        "--org", metavar="CƠ-QUAN", help="cơ quan, nếu mã văn bản có ở nhiều cơ quan"
    )
    exp = rs.add_parser(
        "export",
        parents=[common],
        help="xuất sổ ra xlsx, csv, hoặc docx để in và đóng sổ (docx: mỗi dãy số một quyển)",
    )
    exp.add_argument("--format", choices=["xlsx", "csv", "docx"], required=True, help="định dạng")
    exp.add_argument("--year", type=_whole, metavar="NĂM", help="năm của sổ (mặc định: mọi năm)")
    exp.add_argument("--org", metavar="CƠ-QUAN", help="cơ quan (cần khi sổ có nhiều cơ quan)")
    exp.add_argument("--type", metavar="LOẠI", help="chỉ loại này")
    exp.add_argument(
        "--book", default="01", metavar="QUYỂN", help="quyển số, in ở bìa (mặc định: 01)"
    )
    exp.add_argument(
        "--file",
        type=Path,
        metavar="TỆP",
        help="tệp kết quả (mặc định: output/so-dang-ky/…); docx có nhiều dãy số: "
        "tên tệp thêm tên từng dãy",
    )
    bak = rs.add_parser(
        "backup", parents=[common], help="sao lưu sổ sang một tệp khác (an toàn cả khi đang dùng)"
    )
    bak.add_argument("target", type=Path, metavar="TỆP", help="tệp sao lưu")
    pl = sub.add_parser(
        "plans", help="kế hoạch MTCL của các đơn vị: thu, kiểm tra, tổng hợp, kết quả"
    )
    ps = pl.add_subparsers(dest="action", required=True, metavar="VIỆC")
    col = ps.add_parser(
        "collect", parents=[common], help="thu các kế hoạch đơn vị gửi lại, kiểm tra và tổng hợp"
    )
    res = ps.add_parser(
        "results", parents=[common], help="tổng hợp kết quả thực hiện MTCL cuối năm học"
    )
    for p in (col, res):
        p.add_argument(
            "folder",
            type=Path,
            metavar="THƯ-MỤC",
            help="thư mục chứa các tệp đơn vị gửi (.docx, .xlsx, .yaml)",
        )
        p.add_argument(
            "--year", metavar="NĂM-HỌC", help="năm học, tên tệp trong data/mtcl (ví dụ 2022-2023)"
        )
        p.add_argument("--no-pdf", action="store_true", help="chỉ làm DOCX và XLSX")
    return parser


_stopped = threading.Event()


def _stop(signum, frame) -> None:
    """Ctrl-C or SIGTERM: stop as on Ctrl-C, and remember it (Python ignores an exception raised
    while a finaliser runs, so the flag still tells main that the build was stopped)."""
    _stopped.set()
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # exits with argparse's code 2 on a bad command line
    _stopped.clear()
    before = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):  # a stopped build cleans up as on Ctrl-C
            before[sig] = signal.signal(sig, _stop)
    try:
        code = _run(args)
    except KeyboardInterrupt:
        code = 130
    except (OSError, PoolFailed) as exc:
        if not (isinstance(exc, (BrokenPipeError, PoolFailed)) or is_disk_full(exc)):
            raise
        code = _halted(exc)
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    if code == 130 or _stopped.is_set():
        err.print("Đã dừng theo yêu cầu; các tệp đã xong vẫn giữ, không có tệp dở.")
        return 130
    return code


def _halted(exc: BaseException) -> int:
    """A build (or any command) stopped by what no single file caused: a full disk, a closed
    output, a failed conversion worker; said in Vietnamese on stderr."""
    if is_disk_full(exc) and not isinstance(exc, DiskFull):
        where = Path(exc.filename).parent if getattr(exc, "filename", None) else Path.cwd()
        exc = DiskFull(where, exc)
    elif isinstance(exc, BrokenPipeError) and not isinstance(exc, OutputClosed):
        exc = OutputClosed()
    err.print(f"Lỗi: {exc}", style="bold red", markup=False, soft_wrap=True)
    err.print("Đã dừng; các tệp đã xong vẫn giữ nguyên, không có tệp ghi dở.", markup=False)
    return 1


def _run(args) -> int:
    if args.command == "check-templates":
        return _check_templates(args)
    if args.command == "verify":
        return _verify(args)
    if args.command == "check":
        return _check(args)
    if args.command == "new":
        return _new(args)
    if args.command in draft_command.COMMANDS:
        return draft_command.run(args)
    paths = Paths(args.data, args.templates, args.output, args.register)
    if args.command == "sign":
        try:
            return _sign(args, paths)
        except RegisterError as exc:
            err.print(f"Lỗi: {exc}", style="bold red", markup=False, soft_wrap=True)
            return 1
    if args.command == "build":
        with _reporter() as reporter:
            report = build(
                paths, pdf=not args.no_pdf, jobs=args.jobs, force=args.force, reporter=reporter,
                unoservers=args.unoserver, only=args.files or None,
            )  # fmt: skip
        return _report(report, paths)
    actions = PLAN_ACTIONS if args.command == "plans" else REGISTER_ACTIONS
    try:
        return actions[args.action](args, paths)
    except (RegisterError, PlansError) as exc:
        err.print(f"Lỗi: {exc}", style="bold red", markup=False, soft_wrap=True)
        return 1


class PlainReporter(Reporter):
    """One line per file: for logs, pipes and CI."""

    def done(self, text: str) -> None:
        say(text)

    def note(self, text: str) -> None:
        say(text)


class BarReporter(Reporter):
    """A progress bar with counts and time left, for a clerk at a terminal."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.task = progress.add_task("Đang dựng", total=None)

    def total(self, count: int) -> None:
        self.progress.update(self.task, total=count)

    def done(self, text: str) -> None:
        self.progress.advance(self.task)


@contextmanager
def _reporter():
    if not out.is_terminal:
        yield PlainReporter()
        return
    columns = [
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=out, transient=True) as progress:
        yield BarReporter(progress)


def _report(report: BuildReport, paths: Paths) -> int:
    outdated = {job.doc.id for job in report.outdated}  # changed, not asked for: said below
    kept = sum(1 for b in report.built if b.cached and b.job.doc.id not in outdated)
    say(
        f"Đã dựng {len(report.rebuilt)} văn bản, giữ nguyên {kept} văn bản không đổi, vào {paths.output}/"
    )
    if report.outdated:
        names = ", ".join(job.doc.id for job in report.outdated)
        say(
            f"Chưa dựng lại {len(report.outdated)} văn bản khác có thay đổi (không có trong danh "
            f"sách): {names}; chạy mtcl-docs build để dựng tất cả"
        )
    if report.warnings:
        err.print(f"[bold yellow]Có {len(report.warnings)} cảnh báo (văn bản vẫn được dựng):[/]")
        for warning in report.warnings:
            say(f"  {warning}", err)
    if report.problems:
        err.print(f"[bold red]Có {len(report.problems)} lỗi; văn bản lỗi chưa được dựng:[/]")
        for problem in report.problems:
            say(f"  {problem}", err)
        return 1
    return 0


def _new(args) -> int:
    try:
        target, example = new_document(args.data, args.kind, args.name)
    except NewDocumentError as exc:
        err.print(f"Lỗi: {exc}", style="bold red", markup=False, soft_wrap=True)
        return 1
    say(
        f"Đã tạo {target} từ tệp mẫu {example.path.name}. Sửa nội dung trong tệp (xem các dòng "
        f"ghi chú ở đầu tệp), rồi dựng thử: mtcl-docs build {target.stem}"
    )
    return 0


def _check(args) -> int:
    reports, failed = [], False
    for path in args.files:
        try:
            report = check_file(path, args.profile)
        except CheckError as exc:
            say(f"FAIL {exc}", err)
            failed = True
            continue
        reports.append(report)
        failed = failed or report.failed
        if not args.json:
            for line in report.lines():
                say(line)
    if args.json:
        say(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    return 1 if failed else 0


def _verify(args) -> int:
    signed: list = []
    problems = verify(args.output, args.register, signed)
    for relative, sig in signed:
        stamped = f", dấu thời gian {sig.timestamp}" if sig.timestamp else ""
        say(f"Chữ ký số: {relative} — {sig.signer}, ký lúc {sig.signed_at}{stamped}")
    for line in problems:
        say(line, err)
    if problems:
        err.print(
            f"[bold red]{len(problems)} chỗ không khớp: tệp thiếu, thừa, đã bị sửa, hoặc manifest sai[/]"
        )
        return 1
    out.print(f"Mọi tệp trong {args.output}/ khớp với manifest và bản ghi lúc dựng.")
    return 0


def _check_templates(args) -> int:
    findings = lint_templates(args.templates)
    for finding in findings:
        say(str(finding), err)
    errors = [f for f in findings if f.error]
    if errors:
        err.print(f"[bold red]{len(errors)} lỗi trong mẫu[/]")
        return 1
    out.print(f"Các mẫu trong {args.templates}/ dùng được.")
    return 0


def _state(e: Entry) -> str:
    if e.status == "cancelled":
        return "đã hủy: " + (e.cancel_reason or "")
    return "đã cấp" if e.built else "đang dựng, chưa xong"


def _fold(text: str) -> str:
    """For searching: no accents, no case (quyet dinh finds Quyết định, qd finds QĐ)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _type_filter(wanted: str):
    """Entries of the type the clerk named: its code (TB, qd), name (Quyết định) or id."""
    codes, names = {_fold(wanted)}, {_fold(wanted)}
    for regime in REGIMES:
        try:
            kind = find_kind(wanted, regime)
        except KindError:
            continue
        codes.add(_fold(kind.code or ""))
        names.add(_fold(kind.name))
    codes.discard("")
    return lambda e: (
        _fold(e.doc_type) in codes or any(_fold(e.type_subject).startswith(n + " ") for n in names)
    )


def _series(e: Entry) -> str:
    how, _, value = e.scope.partition(":")
    period = f"năm {value}" if how == "year" else f"nhiệm kỳ từ {export.dmy(value)}"
    return f"{period}, {'loại ' + e.series_type if e.series_type else 'mọi loại'}"


def _list(args, paths: Paths) -> int:
    with paths.open_register() as register:
        entries = register.entries(org=args.org, year=args.year)
    if args.type:
        entries = [e for e in entries if _type_filter(args.type)(e)]
    if args.tim:
        wanted = _fold(args.tim)
        entries = [
            e
            for e in entries
            if any(
                wanted in _fold(v or "")
                for v in (
                    e.doc_id,
                    e.symbol,
                    e.type_subject,
                    e.signer,
                    e.recipients,
                    e.filing,
                    e.note,
                )
            )
        ]
    if not entries:
        asked = [
            f"{label} {value}"
            for label, value in (("năm", args.year), ("loại", args.type), ("cơ quan", args.org),
                                 ("có chữ", args.tim))
            if value
        ]  # fmt: skip
        err.print(
            "Sổ không có văn bản nào"
            + (f" ({', '.join(asked)})" if asked else "")
            + "; văn bản dự thảo chưa có số thì chưa vào sổ.",
            markup=False,
        )
        return 0
    header = ["Mã", "Số, ký hiệu", "Ngày", "Tình trạng", "Trích yếu", "Dãy số"]
    if not out.is_terminal:  # piped or captured: one line each, columns split by tabs
        lines = [header] + [
            [e.doc_id, e.symbol, export.dmy(e.doc_date), _state(e), e.type_subject, _series(e)]
            for e in entries
        ]
        out.file.write("".join("\t".join(line) + "\n" for line in lines))
        out.file.flush()
        return 0
    table = Table(title=f"Sổ đăng ký văn bản đi ({len(entries)} văn bản)")
    table.add_column("Mã", no_wrap=True)
    table.add_column("Số, ký hiệu", no_wrap=True)
    table.add_column("Ngày", no_wrap=True)
    table.add_column("Trích yếu", no_wrap=True, overflow="ellipsis", max_width=40)
    table.add_column("Tình trạng")
    table.add_column("Dãy số")
    for e in entries:
        table.add_row(
            e.doc_id, e.symbol, export.dmy(e.doc_date), e.type_subject, _state(e), _series(e)
        )
    out.print(table)
    return 0


def _when(at: str) -> str:
    return dt.datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M")


def _show(args, paths: Paths) -> int:
    with paths.open_register() as register:
        history = register.history(args.id)
        events = register.events(args.id)
        versions = {e.id: register.versions(e.id) for e in history}
    if not history and not events:
        err.print(f"Sổ chưa có văn bản '{args.id}' (văn bản dự thảo chưa được cấp số).")
        return 1
    for entry in history:
        out.print(f"[bold]{entry.doc_id}[/] ({entry.org}, {entry.source})")
        for label, value in zip(export.COLUMNS, export.RegisterRow.of(entry).cells(), strict=True):
            out.print(f"  {label}: {value}", markup=False)
        given = "số ghi sẵn trong dữ liệu" if entry.how == "given" else "số do sổ cấp"
        out.print(f"  Dãy số: {_series(entry)}; {given}", markup=False)
        out.print(f"  Tình trạng: {_state(entry)}", markup=False)
        if versions[entry.id] > 1:
            out.print(f"  Số lần sửa sau khi ban hành: {versions[entry.id] - 1}", markup=False)
        out.print(f"  Mã kiểm tra nội dung: {entry.content_hash[:16]}", markup=False)
    if events:
        out.print("[bold]Lịch sử[/] (thời điểm, người làm, việc):")
        for ev in events:
            detail = f": {ev.detail}" if ev.detail else ""
            who = ev.user or "không rõ"
            out.print(
                f"  {_when(ev.at)}  {who}  {EVENTS.get(ev.what, ev.what)} {ev.symbol}{detail}",
                markup=False,
                soft_wrap=True,
            )
    return 0


def _amend(args, paths: Paths) -> int:
    loaded = load_data(paths.data, appendix_templates(paths.templates))
    job = next((j for j in loaded.jobs if j.doc.id == args.id), None)
    if job is None:
        err.print(f"Lỗi: không đọc được văn bản '{args.id}' trong {paths.data}/", style="bold red")
        for problem in loaded.problems:
            say(f"  {problem}", err)
        return 1
    with paths.open_register() as register:
        entry, changed = amend_job(job, register, args.ly_do)
        count = register.versions(entry.id)
    out.print(
        f"Đã ghi nhận sửa văn bản '{entry.doc_id}' (số {entry.symbol}), lần sửa thứ {count - 1}: "
        f"{', '.join(changed)}; lý do: {args.ly_do}. Dựng lại: mtcl-docs build {entry.doc_id}",
        markup=False,
        soft_wrap=True,
    )
    return 0


def _issue(args, paths: Paths) -> int:
    if args.force and not (args.ly_do or "").strip():
        raise RegisterError('--force cần kèm lý do: --ly-do "…"')
    if args.ly_do and not args.force:
        raise RegisterError("--ly-do chỉ dùng kèm --force (cấp số với ngày ngoài quy tắc)")
    with _reporter() as reporter:
        report = build(
            paths, pdf=not args.no_pdf, issue=args.ids, issue_date=args.date, reporter=reporter,
            unoservers=args.unoserver, issue_force=args.ly_do if args.force else None,
            sign=_sign_request(args, args.ids) if args.sign else None,
        )  # fmt: skip
    for job in report.issued:
        out.print(f"Đã cấp số: {job.doc.id} → {job.doc.number:02d} ngày {job.doc.date:%d/%m/%Y}")
    return _report(report, paths)


def _sign(args, paths: Paths) -> int:
    """Build what changed, then sign the archive's PDFs, or make signed copies or previews."""
    request = _sign_request(args, args.ids)
    aside = args.thu or args.ban_sao
    with _reporter() as reporter:
        report = build(
            paths, reporter=reporter, unoservers=args.unoserver, sign=None if aside else request
        )
    if aside:
        written = sign_outside_archive(
            report, paths, request.ids, preview=args.thu, copy_form=args.ban_sao,
            request=request, say=say,
        )  # fmt: skip
        record_written(paths.output, written)
        where = DEMO_DIR if args.thu else COPY_DIR
        say(f"Đã ký {len(written)} tệp vào {paths.output}/{where}/")
    return _report(report, paths)


def _cancel(args, paths: Paths) -> int:
    with paths.open_register() as register:
        entry = register.cancel(args.org, args.id, args.reason)
    out.print(f"Đã hủy số {entry.symbol} của '{entry.doc_id}'. Số này sẽ không được cấp lại.")
    moved, dropped = cancel_files(paths.output, entry)
    for m in moved:
        say(f"Đã chuyển {m.before} → {m.after} (bản mang số đã hủy)")
    if dropped:
        say(
            f"Đã bỏ văn bản khỏi manifest và bỏ tệp gộp {paths.output}/luu-tru/ho-so-luu-tru.pdf; "
            "chạy mtcl-docs build để làm lại tệp gộp từ các văn bản còn hiệu lực."
        )
    return 0


def _export(args, paths: Paths) -> int:
    target = export_book(
        paths,
        args.format,
        org=args.org,
        year=args.year,
        doc_type=args.type,
        book=args.book,
        target=args.file,
        unoservers=args.unoserver,
        warn=lambda text: say(f"Cảnh báo: {text}", err),
    )
    record_written(paths.output, target)  # `verify` checks them like the build's own files
    for path in target:
        out.print(f"Đã xuất: {path}")
    return 0


def _backup(args, paths: Paths) -> int:
    with paths.open_register() as register:
        target = register.backup(args.target)
    out.print(f"Đã sao lưu sổ vào {target}")
    return 0


REGISTER_ACTIONS = {
    "list": _list,
    "show": _show,
    "issue": _issue,
    "amend": _amend,
    "cancel": _cancel,
    "export": _export,
    "backup": _backup,
}


def _plans_report(report: PlansReport) -> int:
    for path in report.written:
        say(f"Đã ghi: {path}")
    if report.problems:
        err.print(f"[bold red]{len(report.problems)} tệp không dùng được:[/]")
        for problem in report.problems:
            say(f"  {problem}", err)
    return 1 if report.problems else 0


def _collect(args, paths: Paths) -> int:
    report = run_collect(
        paths, args.folder, args.year, pdf=not args.no_pdf, unoservers=args.unoserver
    )
    deadline = report.cycle.deadline
    table = Table(title=f"Tình hình nộp kế hoạch MTCL (hạn {deadline:%d/%m/%Y})")
    for name in ("Đơn vị", "Tình trạng", "Ngày nhận", "Ngày nhận theo", "Số dòng", "Số lỗi"):
        table.add_column(name)
    for s in report.status:
        state = f"muộn {s.days_late} ngày" if s.state == "muộn" else s.state
        table.add_row(
            s.unit.name,
            state,
            f"{s.received:%d/%m/%Y}" if s.received else "",
            s.how,
            str(s.rows),
            str(s.problems),
        )
    out.print(table)
    for plan in report.collected.plans.values():
        for issue in plan.issues + plan.notes:
            say(f"{plan.unit.name} ({plan.source.name}) {issue}")
    for old in report.collected.superseded:  # named too: every file is in the report
        new = report.collected.plans[old.unit.code].source.name
        say(f"{old.unit.name} ({old.source.name}) đã được thay bằng tệp nhận sau {new}; "
            "cả hai ghi trong lịch sử nộp")  # fmt: skip
    return _plans_report(report)


def _results(args, paths: Paths) -> int:
    report = run_results(
        paths, args.folder, args.year, pdf=not args.no_pdf, unoservers=args.unoserver
    )
    for unit_results in report.results.units.values():
        for issue in unit_results.issues:
            say(f"{unit_results.unit.name} ({unit_results.source.name}) {issue}")
    return _plans_report(report)


PLAN_ACTIONS = {"collect": _collect, "results": _results}


if __name__ == "__main__":
    sys.exit(main())
