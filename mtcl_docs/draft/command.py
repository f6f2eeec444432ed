"""The `import` and `fix` commands: their options (Vietnamese, like the others) and what they
print — where each part of the draft went, what could not be placed, what fix changed, the word
check and the format check. cli.py only adds them to its parser and calls `run`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mtcl_docs.build import Paths
from mtcl_docs.cli_vi import ArgumentParser
from mtcl_docs.draft.fix import FixResult, fix_file
from mtcl_docs.draft.importer import ImportError_
from mtcl_docs.draft.save import ImportResult, import_file
from mtcl_docs.errors import DocumentError
from mtcl_docs.fsutil import DiskFull

COMMANDS = ("import", "fix")


def add_commands(sub: Any, common: argparse.ArgumentParser, data: argparse.ArgumentParser) -> None:
    """`import` and `fix` on the main parser (`common`: --data, --templates, --output, …;
    `data`: --data alone)."""
    draft = ArgumentParser(add_help=False)  # what both commands take
    draft.add_argument(
        "-o",
        "--output-file",
        dest="target",
        type=Path,
        metavar="TỆP.yaml",
        help="tệp dữ liệu ghi ra (mặc định: data/notices/<tên bản thảo>.yaml)",
    )
    draft.add_argument(
        "--profile",
        default=None,
        metavar="THỂ-THỨC",
        help="party, nd30 hoặc tên bảng cụ thể (mặc định: theo Quốc hiệu của bản thảo)",
    )
    im = sub.add_parser(
        "import",
        parents=[draft, data],
        help="đọc một bản thảo Word (.docx, .doc, .odt) thành tệp dữ liệu của loại văn bản đó",
    )
    im.add_argument("draft", type=Path, metavar="BẢN-THẢO", help="tệp Word cần đọc")
    fx = sub.add_parser(
        "fix",
        parents=[common, draft],
        help="sửa thể thức một bản thảo Word: đọc rồi dựng lại DOCX, PDF đúng thể thức, giữ nguyên chữ",
    )
    fx.add_argument("draft", type=Path, metavar="BẢN-THẢO", help="tệp Word cần sửa")
    fx.add_argument("--no-pdf", action="store_true", help="chỉ làm DOCX, không làm PDF")


def _say(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def import_report(result: ImportResult) -> list[str]:
    """Where each part went, the files written, and every paragraph not placed."""
    imp = result.imported
    out = [f"Đã đọc {result.source} ({imp.kind.name}, thể thức {imp.profile.name}):"]
    out += [f"  {what}: {value}" for what, value in imp.placed]
    out.append(f"Đã ghi tệp dữ liệu {result.data_path}")
    if result.org_path is not None:
        out.append(
            f"Cơ quan ban hành chưa có trong dữ liệu: đã ghi tệp cơ quan mới {result.org_path} "
            "(kiểm tra tên, ký hiệu, mã đơn vị, người ký)"
        )
    if imp.unplaced:
        out.append(f"Có {len(imp.unplaced)} chỗ không xếp được vào phần nào (không bỏ đi):")
        out += [f"  «{text}»: {why}" for text, why in imp.unplaced]
    else:
        out.append("Mọi đoạn của bản thảo đều đã được xếp vào một phần của văn bản.")
    return out


def fix_report(result: FixResult) -> list[str]:
    """What changed, the proof that the words did not, and the format check."""
    out = import_report(result.imported)
    if result.docx is None:
        return out
    out.append(f"Đã dựng {result.docx}" + (f" và {result.pdf}" if result.pdf else ""))
    if result.changes:
        out.append("Những gì đã sửa:")
        out += [f"  - {c}" for c in result.changes]
    else:
        out.append("Thể thức bản thảo đã đúng: không phải sửa gì.")
    words = result.words
    if words is not None:
        if words.same:
            out.append(
                f"Chữ của nội dung, danh sách và bảng giữ nguyên: {words.before} từ trước và sau "
                "khi sửa trùng khớp từng từ (đã bỏ qua khoảng trắng và dạng Unicode)."
            )
        else:
            out.append(f"CHÚ Ý: chữ trước và sau khi sửa khác nhau ở {len(words.differences)} chỗ:")
            out += [f"  {d}" for d in words.differences]
    if result.check is not None:
        out.append(f"Kiểm tra thể thức ({result.check.profile}): {result.check.summary()}")
        out += [f"  {line}" for line in result.check.lines() if line.startswith(("FAIL", "WARN"))]
    return out


def run(args: argparse.Namespace) -> int:
    """Run `import` or `fix`; 0 when done (fix: and the result passes the check)."""
    try:
        if args.command == "import":
            result = import_file(args.draft, args.data, args.profile, args.target)
            for line in import_report(result):
                _say(line)
            return 0
        paths = Paths(args.data, args.templates, args.output, args.register)
        fixed = fix_file(args.draft, paths, args.profile, pdf=not args.no_pdf, target=args.target,
                         unoservers=args.unoserver)  # fmt: skip
    except DocumentError as exc:
        for problem in exc.problems:
            _err(f"Lỗi: {problem}")
        return 1
    except (ImportError_, DiskFull) as exc:
        _err(f"Lỗi: {exc}")
        return 1
    for line in fix_report(fixed):
        _say(line)
    if fixed.problems:
        _err(f"Có {len(fixed.problems)} lỗi khi dựng:")
        for problem in fixed.problems:
            _err(f"  {problem}")
    failed = (
        fixed.docx is None
        or bool(fixed.problems)
        or (fixed.check is not None and fixed.check.failed)
        or (fixed.words is not None and not fixed.words.same)
    )
    return 1 if failed else 0
