"""The signing stage of a build, between conversion and the archive.

A signed PDF cannot be made again without the key, so it is a record like the register: each
signed copy is kept under `data/da-ky/<cơ quan>/` and written in the register (which content it
signed, the file's hash, the certificate). A later build that remakes the document's files
(`--force`, a cleaned output/) puts the signed copy back as long as the content it signed is the
content now issued; after `register amend` the new version is unsigned until signed again."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pyhanko.sign import signers

from mtcl_docs.archive.manifest import sha256
from mtcl_docs.archive.outputs import issued
from mtcl_docs.errors import Problem
from mtcl_docs.fsutil import atomic_write, temp_name
from mtcl_docs.load.loader import Job
from mtcl_docs.load.safepath import inside
from mtcl_docs.number.assign import content_hash
from mtcl_docs.number.register import Register, RegisterError, SignatureRecord
from mtcl_docs.sign.apply import SealLook, SignError, StampLook, sign_pdf, unsigned_revision
from mtcl_docs.sign.check import SignatureFacts, is_signed
from mtcl_docs.sign.keys import KeyProblem, KeySource, open_signer
from mtcl_docs.sign.place import PlaceError

if TYPE_CHECKING:
    from mtcl_docs.build import BuildReport, Built, Paths
    from mtcl_docs.cache import BuildCache

SIGNED_DIR = "da-ky"
ORG_DIR = "orgs"


@dataclass(frozen=True)
class SignRequest:
    """What to sign: the documents `ids` (None: every issued one not yet signed), with the key
    at `key` (None: the organisation's own, from its data file)."""

    ids: frozenset[str] | None = None
    key: KeySource | None = None
    timestamp_url: str | None = None


def seal_look(job: Job, data: Path) -> SealLook:
    """The organisation's seal over the signer's signature image, as its data file says."""
    signing = job.org.signing
    if signing is None:
        raise SignError(
            f"{job.org.id}: chưa khai báo ký số (signing: seal: …) trong data/{ORG_DIR}/{job.org.id}.yaml"
        )
    images = data / ORG_DIR
    seal = images / signing.seal
    signature = images / job.signer.signature_image if job.signer.signature_image else None
    for image in (seal, signature):
        if image is not None and not image.is_file():
            raise SignError(f"không có tệp ảnh {image}")
    return SealLook(job.signer.name, seal, signing.seal_mm, signature)


def key_of(job: Job, request: SignRequest) -> KeySource:
    """The key given on the command line, else the organisation's."""
    if request.key is not None:
        return request.key
    place = job.org.signing.key if job.org.signing else None
    if place is None:
        raise KeyProblem(
            f"{job.org.id}: chưa có khóa ký số (signing: key:), hoặc dùng --pkcs12/--pkcs11"
        )
    return KeySource(
        pkcs12=Path(place.pkcs12) if place.pkcs12 else None,
        pkcs11_module=Path(place.pkcs11) if place.pkcs11 else None,
        token=place.token,
        key=place.key,
    )


def _timestamper(job: Job, request: SignRequest):
    """A timestamp server makes the signature PAdES B-T; none, B-B."""
    url = request.timestamp_url or (job.org.signing.timestamp_url if job.org.signing else None)
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)


def _keep(data: Path, job: Job, signed: Path) -> tuple[Path, str]:
    """A copy of the signed file under data/da-ky/, named by its hash (never overwritten)."""
    digest = sha256(signed)
    kept = data / SIGNED_DIR / job.org.id / f"{job.doc.id}-{digest[:12]}.pdf"
    if not kept.is_file():
        atomic_write(kept, lambda tmp: shutil.copyfile(signed, tmp))
    return kept, digest


def _put_back(record: SignatureRecord, data: Path, built: Built, cache: BuildCache) -> bool:
    """The kept signed copy over the build's unsigned PDF; False if the copy is missing or
    altered (then the unsigned PDF stays, and the build says so)."""
    kept = data / record.file
    if not inside(data / SIGNED_DIR, kept) or not kept.is_file():
        return False  # a path the register should never hold is not followed out of data/
    if sha256(kept) != record.pdf_sha256:
        return False
    atomic_write(built.pdf, lambda tmp: shutil.copyfile(kept, tmp))
    cache.refresh(built.pdf)
    return True


def issued_pdfs(report: BuildReport) -> list[Built]:
    """The issued documents the build has a PDF of: the only ones signed (drafts never are)."""
    return [b for b in report.built if b.pdf is not None and issued(b.job)]


def sign_stage(report: BuildReport, paths: Paths, cache: BuildCache,
               request: SignRequest | None, say: Callable[[str], None]) -> None:  # fmt: skip
    """Put back the signed copies of documents whose files were remade, then sign what
    `request` asks for."""
    candidates = issued_pdfs(report)
    if not candidates:
        return
    try:
        with paths.open_register() as register:
            unsigned = _restore(candidates, register, paths, cache, report, say)
            if request is not None:
                _sign(unsigned, request, register, paths, cache, report, say)
    except RegisterError as exc:
        report.problems.append(Problem(paths.register, str(exc)))


def _restore(candidates: list[Built], register: Register, paths: Paths, cache: BuildCache,
             report: BuildReport, say) -> list[Built]:  # fmt: skip
    """The signed copies put back; returns the documents left unsigned."""
    unsigned = []
    for built in candidates:
        entry = register.current(built.job.org.id, built.job.doc.id)
        record = entry and register.signature(entry.id, content_hash(built.job))
        if record is None:
            unsigned.append(built)
            continue
        if cache.sha(built.pdf) == record.pdf_sha256:
            continue  # the signed copy is in place
        if _put_back(record, paths.data, built, cache):
            say(f"ĐÃ KÝ {built.pdf} (lấy lại bản đã ký từ {record.file})")
        else:
            report.problems.append(
                Problem(paths.data / record.file, "bản đã ký số bị mất hoặc bị sửa; hãy ký lại")
            )
            unsigned.append(built)
    return unsigned


def _sign(unsigned: list[Built], request: SignRequest, register: Register, paths: Paths,
          cache: BuildCache, report: BuildReport, say) -> None:  # fmt: skip
    chosen = [b for b in unsigned if request.ids is None or b.job.doc.id in request.ids]
    issued_ids = {b.job.doc.id for b in issued_pdfs(report)}
    for missing in sorted((request.ids or set()) - issued_ids):
        report.problems.append(Problem(missing, (
            "không ký: không có văn bản đã cấp số và đã dựng PDF mang mã này "
            "(văn bản dự thảo: cấp số trước bằng register issue --sign)"
        )))  # fmt: skip
    with _Keys() as keys:
        for built in chosen:
            if is_signed(built.pdf):  # signed by another tool: not ours to sign again
                say(f"bỏ qua {built.pdf}: đã có chữ ký số")
                continue
            try:
                look = seal_look(built.job, paths.data)
                signer = keys.signer(key_of(built.job, request))
                facts = sign_pdf(
                    built.pdf, built.pdf, signer, look, _timestamper(built.job, request)
                )
            except (SignError, KeyProblem, PlaceError) as exc:
                report.problems.append(Problem(built.pdf, f"không ký được: {exc}"))
                continue
            _record(built, facts, register, paths, cache)
            say(f"ĐÃ KÝ {built.pdf}")


class _Keys(contextlib.ExitStack):
    """Each key unlocked once for a run (one password prompt); a key that would not open is not
    asked for again: its reason is said for every document that needed it."""

    def __init__(self) -> None:
        super().__init__()
        self._signers: dict[object, signers.Signer | KeyProblem] = {}

    def signer(self, source: object, make: Callable[[], signers.Signer] | None = None
               ) -> signers.Signer:  # fmt: skip
        if source not in self._signers:
            try:
                self._signers[source] = make() if make else self.enter_context(open_signer(source))
            except KeyProblem as exc:
                self._signers[source] = exc
        found = self._signers[source]
        if isinstance(found, KeyProblem):
            raise found
        return found


def _record(built: Built, facts: SignatureFacts, register: Register, paths: Paths,
            cache: BuildCache) -> None:  # fmt: skip
    """The signed file is the build's PDF now; a copy is kept and the register says so."""
    job = built.job
    cache.refresh(built.pdf)
    kept, digest = _keep(paths.data, job, built.pdf)
    entry = register.current(job.org.id, job.doc.id)
    register.record_signature(
        entry,
        SignatureRecord(
            entry.id,
            content_hash(job),
            kept.relative_to(paths.data).as_posix(),
            digest,
            facts.signer,
            facts.signed_at,
        ),
    )


DEMO_DIR = "ky-thu"
COPY_DIR = "ban-sao"
COPY_FORMS = {"sao-y": "Sao y", "sao-luc": "Sao lục", "trich-sao": "Trích sao"}


def copy_look(job: Job, form: str) -> StampLook:
    """A copy's stamp (PL I Phần II I.3): the kind of copy and who made it; the time follows."""
    return StampLook(f"{COPY_FORMS[form]}: {job.org.name}")


def _up_to_date(target: Path, source: Path) -> bool:
    """A signed copy made after its source was last written: signing again would only change
    the time in it."""
    try:
        return target.stat().st_mtime_ns > source.stat().st_mtime_ns and is_signed(target)
    except OSError:
        return False


def _sign_copy(pdf: Path, target: Path, signer, look: StampLook) -> None:
    """A copy is signed from the document as it was before any signature (see
    `unsigned_revision`), through a temporary file beside the copy."""
    source = temp_name(target.with_suffix(".nguon.pdf"))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        source.write_bytes(unsigned_revision(pdf))
        sign_pdf(source, target, signer, look)
    finally:
        source.unlink(missing_ok=True)


def sign_outside_archive(report: BuildReport, paths: Paths, ids: frozenset[str] | None, *,
                         preview: bool, copy_form: str | None, request: SignRequest | None,
                         say: Callable[[str], None]) -> list[Path]:  # fmt: skip
    """Signed files that are not the archive's: electronic copies (`--ban-sao`, output/ban-sao/)
    and previews (`--thu`, output/ky-thu/) signed with a throw-away certificate marked THỬ
    NGHIỆM, to see what signing will give before the organisation's key is set up. The register
    and the archive do not hear of them; `verify` checks them through the ledger."""
    from mtcl_docs.sign.demo import demo_signer

    folder = paths.output / (DEMO_DIR if preview else COPY_DIR)
    if preview and copy_form:
        folder = folder / COPY_DIR
    written = []
    with _Keys() as keys:
        for built in issued_pdfs(report):
            job = built.job
            if ids is not None and job.doc.id not in ids:
                continue
            if preview and job.org.signing is None:
                continue
            target = folder / job.org.id / built.pdf.name
            if _up_to_date(target, built.pdf):
                written.append(target)
                continue
            try:
                look = copy_look(job, copy_form) if copy_form else seal_look(job, paths.data)
                if preview:
                    signer = keys.signer(job.org.id, lambda job=job: demo_signer(job.org.name))
                else:
                    signer = keys.signer(key_of(job, request or SignRequest()))
                if copy_form:
                    _sign_copy(built.pdf, target, signer, look)
                else:
                    sign_pdf(built.pdf, target, signer, look)
            except (SignError, KeyProblem, PlaceError) as exc:
                report.problems.append(Problem(built.pdf, f"không ký được: {exc}"))
                continue
            written.append(target)
            say(f"{'KÝ THỬ' if preview else 'BẢN SAO'} {target}")
    return written
