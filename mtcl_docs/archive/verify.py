"""`mtcl-docs verify output/`: the whole output folder is as the builds left it.

- every file the manifest lists is there and unchanged; a listed path that would leave `output/`
  (absolute, `..`, through a link) is refused without being read;
- every other file is known: a draft or a form the build recorded (its cache, unchanged), a
  cancelled document's file in `da-huy/` (its record, unchanged); anything else, at the root or
  anywhere, is reported (links are reported, never followed);
- the manifest's own metadata agrees with each document's PDF (title, organisation, trích yếu,
  date, pages), with the register when there is one (number, date, signer, recipients, copies,
  not cancelled), and with what the build wrote (its hash);
- manifest.csv and manifest.xml say what manifest.json says.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from pyhanko.pdf_utils.misc import PdfReadError
from pypdf import PdfReader

from mtcl_docs.archive.cancelled import CANCELLED_DIR, RECORD, read_record
from mtcl_docs.archive.ledger import LEDGER, read_ledger
from mtcl_docs.archive.manifest import (
    MANIFEST,
    MANIFEST_DIR,
    MANIFEST_FILES,
    Manifest,
    _csv,
    _xml,
    sha256,
)
from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.cache import CACHE_FILE
from mtcl_docs.sign.check import SignatureFacts, is_signed, signature_problems, signatures

# written by other commands from the register or the units' files, remade by them at will;
# a file such a command recorded (archive/ledger.py) is checked like the build's own
OTHER_COMMANDS = {
    "so-dang-ky": "register export",
    "mtcl": "plans collect/results",
    "bench": "make bench",
    "ky-thu": "sign --thu",
    "ban-sao": "sign --ban-sao",
}
CACHE_DIR = PurePosixPath(CACHE_FILE).parts[0]


def inside(output: Path, relative: object) -> bool:
    """A manifest path that stays under `output/`: relative, no `..`, no link on the way."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\0" in relative:
        return False
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or relative.startswith("~"):
        return False
    path = output
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            return False
    return path.resolve().is_relative_to(output.resolve())


def verify(output: Path, register: Path | None = None,
           signed: list[tuple[str, SignatureFacts]] | None = None) -> list[str]:  # fmt: skip
    """One line per problem; an empty list means the output folder is intact. `signed`, when
    given, receives every signature found (file, who signed, when), to be shown."""
    path = output / MANIFEST_DIR / MANIFEST
    if not inside(output, f"{MANIFEST_DIR}/{MANIFEST}"):
        return [f"{MANIFEST_DIR}/{MANIFEST} là liên kết (có thể ra ngoài {output}/), không đọc"]
    if not path.is_file():
        return [f"thiếu {path}: chưa dựng lần nào, hoặc đã bị xóa"]
    try:
        manifest = Manifest.read(path)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return [f"{path} hỏng, không đọc được ({exc})"]
    problems: list[str] = []
    recorded = _build_record(output)
    listed, intact = set(), set()
    for record in manifest.files():
        if not inside(output, record.path):
            problems.append(f"đường dẫn ra ngoài {output}/, không đọc: {record.path!r}")
            continue
        listed.add(record.path)
        file = output / record.path
        if not file.is_file():
            problems.append(f"thiếu: {record.path}")
        elif sha256(file) != record.sha256:
            problems.append(f"đã bị thay đổi: {record.path}")
        else:
            intact.add(record.path)
    problems += _sealed(output, recorded)
    checks = [lambda: _metadata(output, manifest, intact), lambda: _forms_agree(output, manifest)]
    if register is not None and register.is_file():
        checks.append(lambda: _against_register(manifest, register))
    for check in checks:
        try:
            problems += check()
        except (TypeError, KeyError, AttributeError, ValueError) as exc:  # a tampered manifest
            problems.append(
                f"{path} có trường sai kiểu, không đối chiếu được ({type(exc).__name__})"
            )
            break
    problems += _tree(output, listed, recorded)
    problems += _pdfs(output, listed | set(recorded), signed if signed is not None else [])
    return problems


def _pdfs(output: Path, known: set[str], signed: list[tuple[str, SignatureFacts]]) -> list[str]:
    """The PDFs under output/ that verify accounts for (not the extra ones, never a link), each
    validated as PDF/A-2b (one line per broken rule, naming the file and the rule) and, when
    signed, its signatures checked (valid, covering the whole file)."""
    try:
        safe = inside(output, f"{CANCELLED_DIR}/{RECORD}")
        cancelled = {r["path"] for r in read_record(output)} if safe else set()
    except (ValueError, TypeError, KeyError):
        cancelled = set()  # reported by _tree
    written = set(read_ledger(output)) if inside(output, LEDGER) else set()
    problems = []
    for relative in sorted(known | cancelled | written):
        file = output / relative
        if (
            PurePosixPath(relative).suffix.lower() == ".pdf"
            and inside(output, relative)
            and not file.is_symlink()
            and file.is_file()
        ):
            problems += [f"{relative}: {message}" for message in pdfa_failures(file)]
            if is_signed(file):
                try:
                    found = signatures(file)
                except (PdfReadError, ValueError, KeyError, TypeError) as exc:
                    problems.append(f"{relative}: không đọc được chữ ký số ({exc})")
                    continue
                signed.extend((relative, facts) for facts in found)
                problems += [f"{relative}: {message}" for message in signature_problems(found)]
    return problems


def _build_record(output: Path) -> dict[str, str]:
    """relative path → sha256 of every file the builds recorded (output/.cache/build.json)."""
    path = output / CACHE_FILE
    if not inside(output, CACHE_FILE):
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return {f: h for entry in raw.values() for f, h in dict(entry["files"]).items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}


def _sealed(output: Path, recorded: dict[str, str]) -> list[str]:
    """The manifest files are the ones the last build wrote (any edit of any field shows)."""
    problems = []
    for name in MANIFEST_FILES:
        relative = f"{MANIFEST_DIR}/{name}"
        file = output / relative
        if not inside(output, relative):
            continue  # reported by _forms_agree
        if relative in recorded and file.is_file() and sha256(file) != recorded[relative]:
            problems.append(f"đã bị sửa sau lần dựng: {relative}")
    return problems


def _notation_split(title: str, start: str, end: str) -> bool:
    if not (title.startswith(start) and title.endswith(end)) or len(title) < len(start) + len(end):
        return False
    return set(title[len(start) : len(title) - len(end)]) <= set("-/ ")


def _metadata(output: Path, manifest: Manifest, intact: set[str]) -> list[str]:
    """Each document's record against its own (unchanged) PDF, and never a draft."""
    problems = []
    for d in manifest.documents:
        name = d.DocId
        if not str(d.CodeNumber).strip():
            problems.append(f"manifest.json có văn bản chưa có số (dự thảo): {name}")
        if d.Language != "vi":
            problems.append(f"manifest.json ghi sai Language của {name}: {d.Language}")
        pdf = d.Files.get("pdf")
        if pdf is None or pdf.path not in intact:
            continue
        try:
            reader = PdfReader(output / pdf.path)
            info = reader.metadata or {}
            pages = len(reader.pages)
        except Exception as exc:  # noqa: BLE001 - a PDF we cannot read is a finding, not a crash
            problems.append(f"không đọc được {pdf.path} ({type(exc).__name__})")
            continue
        title = str(info.get("/Title", ""))
        created = str(info.get("/CreationDate", ""))[2:10]
        issued = "".join(reversed(str(d.IssuedDate).split("/")))
        checks = {
            "TypeName/CodeNumber/CodeNotation/Subject": _notation_split(
                title, f"{d.TypeName} số {d.CodeNumber}", f"{d.CodeNotation}: {d.Subject}"
            ),
            "OrganName": str(info.get("/Author", "")) == d.OrganName,
            "Subject": str(info.get("/Subject", "")) == d.Subject,
            "IssuedDate": created == issued,
            "PageAmount": pages == d.PageAmount,
        }
        for field, ok in checks.items():
            if not ok:
                problems.append(f"manifest.json ghi {field} của {name} khác bản PDF {pdf.path}")
    return problems


def _csv_rows(data: bytes) -> dict[str, dict[str, str]]:
    text = data.decode("utf-8-sig")
    return {r.get("DocId", ""): r for r in csv.DictReader(io.StringIO(text))}


def _xml_docs(data: bytes) -> dict[str, list[tuple]]:
    root = ET.fromstring(data)
    docs = {}
    for el in root.iter("Document"):
        items = sorted(
            (e.tag, tuple(sorted(e.attrib.items())), (e.text or "").strip())
            for e in el.iter()
            if e is not el
        )
        docs[el.findtext("DocId") or ""] = items
    return docs


def _forms_agree(output: Path, manifest: Manifest) -> list[str]:
    """manifest.csv and manifest.xml, read back, hold what manifest.json holds."""
    problems = []
    folder = output / MANIFEST_DIR
    for name, read, expected in (
        ("manifest.csv", _csv_rows, _csv(manifest)),
        ("manifest.xml", _xml_docs, _xml(manifest)),
    ):
        file = folder / name
        if not inside(output, f"{MANIFEST_DIR}/{name}"):
            problems.append(f"{MANIFEST_DIR}/{name} là liên kết, không đọc")
            continue
        if not file.is_file():
            problems.append(f"thiếu: {MANIFEST_DIR}/{name}")
            continue
        try:
            seen, want = read(file.read_bytes()), read(expected)
        except (ValueError, ET.ParseError, csv.Error) as exc:
            problems.append(f"{MANIFEST_DIR}/{name} hỏng, không đọc được ({exc})")
            continue
        for doc_id in sorted(set(seen) | set(want)):
            if doc_id not in want:
                problems.append(
                    f"{MANIFEST_DIR}/{name} có văn bản không có trong manifest.json: {doc_id}"
                )
            elif doc_id not in seen:
                problems.append(f"{MANIFEST_DIR}/{name} thiếu văn bản {doc_id} của manifest.json")
            elif seen[doc_id] != want[doc_id]:
                fields = _differing(seen[doc_id], want[doc_id])
                problems.append(
                    f"{MANIFEST_DIR}/{name} khác manifest.json ở văn bản {doc_id}: {fields}"
                )
    return problems


def _differing(seen, want) -> str:
    if isinstance(seen, dict):
        return ", ".join(k for k in want if seen.get(k) != want[k]) or "các cột"
    tags = {t for t, *_ in set(seen) ^ set(want)}
    return ", ".join(sorted(tags)) or "thứ tự"


def _against_register(manifest: Manifest, path: Path) -> list[str]:
    from mtcl_docs.number.register import Register, RegisterError

    problems = []
    try:
        register = Register.open(path)
    except RegisterError as exc:
        return [f"không mở được sổ đăng ký {path}: {exc}"]
    with register:
        for d in manifest.documents:
            history = register.history(d.DocId)
            issued = [e for e in history if e.status == "issued"]
            if not issued:
                state = "đã bị hủy số" if history else "không có trong sổ đăng ký"
                problems.append(f"manifest.json có văn bản {d.DocId} {state}")
                continue
            e = next((x for x in issued if x.symbol.startswith(str(d.CodeNumber))
                      and x.symbol.endswith(str(d.CodeNotation))), issued[0])  # fmt: skip
            number_ok = e.symbol.startswith(str(d.CodeNumber)) and e.symbol.endswith(
                str(d.CodeNotation)
            ) and set(e.symbol[len(str(d.CodeNumber)) : len(e.symbol) - len(str(d.CodeNotation))]) <= set("-/ ")  # fmt: skip
            signer = f"{d.SignerInfo.get('FullName')} ({d.SignerInfo.get('Position')})"
            checks = {
                "CodeNumber/CodeNotation": number_ok,
                "IssuedDate": "/".join(reversed(e.doc_date.split("-"))) == d.IssuedDate,
                "TypeName/Subject": e.type_subject == f"{d.TypeName} {d.Subject}",
                "SignerInfo": e.signer == signer,
                "To": e.recipients == "; ".join(t.get("OrganName", "") for t in d.To),
                "IssuedAmount": e.copies == d.IssuedAmount,
            }
            for field, ok in checks.items():
                if not ok:
                    problems.append(f"manifest.json ghi {field} của {d.DocId} khác sổ đăng ký")
            signed = register.signature(e.id, e.content_hash)
            pdf = d.Files.get("pdf")
            if signed and pdf is not None and pdf.sha256 != signed.pdf_sha256:
                problems.append(
                    f"{pdf.path}: sổ ghi văn bản {d.DocId} đã ký số ({signed.certificate}, "
                    f"{signed.signed_at}) nhưng tệp này không phải bản đã ký"
                )
    return problems


def relative_top(folder: Path, output: Path) -> str:
    parts = folder.relative_to(output).parts
    return parts[0] if parts else ""


def _tree(output: Path, listed: set[str], recorded: dict[str, str]) -> list[str]:
    """Every file under output/ that neither the manifest, the build nor da-huy/ accounts for."""
    problems = []
    try:
        safe = inside(output, f"{CANCELLED_DIR}/{RECORD}")
        cancelled = {r["path"]: r["sha256"] for r in read_record(output)} if safe else {}
    except (ValueError, TypeError, KeyError):
        cancelled = {}
        problems.append(f"{CANCELLED_DIR}/{RECORD} hỏng, không đọc được")
    known = {f"{MANIFEST_DIR}/{n}" for n in MANIFEST_FILES} | {f"{CANCELLED_DIR}/{RECORD}"}
    known.add(".gitkeep")  # the empty placeholder that keeps output/ in the project's git tree
    written = read_ledger(output) if inside(output, LEDGER) else {}
    seen = set()
    for root, dirs, files in os.walk(output, followlinks=False):
        base = Path(root)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                files.append(name)  # reported as a link below, never entered
        dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
        if base == output:
            dirs[:] = [d for d in dirs if d != CACHE_DIR]
        other = relative_top(base, output) in OTHER_COMMANDS
        for name in files:
            file = base / name
            relative = file.relative_to(output).as_posix()
            seen.add(relative)
            if file.is_symlink():
                problems.append(f"thừa (liên kết, không theo): {relative}")
            elif other:  # another command's file: checked when that command recorded it
                if relative in written and sha256(file) != written[relative]:
                    problems.append(f"đã bị thay đổi: {relative}")
            elif relative in listed or relative in known:
                continue
            elif relative in cancelled:
                if sha256(file) != cancelled[relative]:
                    problems.append(f"đã bị thay đổi: {relative}")
            elif relative in recorded:
                if sha256(file) != recorded[relative]:
                    problems.append(f"đã bị thay đổi: {relative}")
            else:
                problems.append(f"thừa (không có trong manifest): {relative}")
    for relative in sorted(set(cancelled) - seen):
        problems.append(f"thiếu: {relative}")
    extra = sorted(p for p in problems if p.startswith("thừa"))
    return [p for p in problems if not p.startswith("thừa")] + extra
