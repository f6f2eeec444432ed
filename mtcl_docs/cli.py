"""`mtcl-docs`: the commands clerks run (through `make notices`) and their messages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from mtcl_docs import __version__
from mtcl_docs.build import Paths, build
from mtcl_docs.render.lint import lint_templates

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtcl-docs",
        description="Dựng văn bản (thông báo, kế hoạch MTCL…) từ dữ liệu YAML: "
        "DOCX gửi các đơn vị, PDF để lưu trữ.",
    )
    parser.add_argument("--version", action="version", version=f"mtcl-docs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    b = sub.add_parser("build", help="dựng mọi văn bản trong thư mục dữ liệu")
    b.add_argument(
        "--data", type=Path, default=Path("data"), help="thư mục dữ liệu (mặc định: data)"
    )
    b.add_argument("--templates", type=Path, default=Path("templates"), help="thư mục mẫu")
    b.add_argument("--output", type=Path, default=Path("output"), help="thư mục kết quả")
    b.add_argument(
        "--register",
        type=Path,
        default=Path("data/register.sqlite"),
        help="tệp sổ đăng ký văn bản đi",
    )
    b.add_argument("--no-pdf", action="store_true", help="chỉ làm DOCX, không làm PDF")
    b.add_argument(
        "--jobs", type=int, default=None, help="số tiến trình LibreOffice (mặc định: số lõi)"
    )

    c = sub.add_parser("check-templates", help="soát lỗi các mẫu DOCX sau khi sửa trong Word")
    c.add_argument("--templates", type=Path, default=Path("templates"), help="thư mục mẫu")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    return _check_templates(args)


def _build(args) -> int:
    paths = Paths(args.data, args.templates, args.output, args.register)
    report = build(paths, pdf=not args.no_pdf, jobs=args.jobs, progress=out.print)
    out.print(f"Đã dựng {len(report.built)} văn bản vào {paths.output}/")
    if report.problems:
        err.print(f"[bold red]Có {len(report.problems)} lỗi, các văn bản lỗi chưa được dựng:[/]")
        for problem in report.problems:
            err.print(f"  {problem}", markup=False)
        return 1
    return 0


def _check_templates(args) -> int:
    findings = lint_templates(args.templates)
    for finding in findings:
        err.print(str(finding), markup=False)
    if findings:
        err.print(f"[bold red]{len(findings)} lỗi trong mẫu[/]")
        return 1
    out.print(f"Các mẫu trong {args.templates}/ đều dùng được.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
