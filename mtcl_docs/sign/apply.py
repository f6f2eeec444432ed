"""Signing one PDF: PAdES B-B (B-T with a timestamp server) as an incremental update, so every
byte LibreOffice wrote stays as it was; written beside the target, validated as PDF/A-2b and as
a signature, then renamed over it (nothing half-signed is ever left)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp.base import BaseStampStyle

from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.sign.appearance import ImagesStyle, TextStyle, text_box_size
from mtcl_docs.sign.check import SignatureFacts, each_signature, signature_problems, signatures
from mtcl_docs.sign.place import Placement, corner_box, seal_placement

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
FIELD = "ChuKySoCoQuan"


class SignError(ValueError):
    """The signed file would not be what the archive needs (PDF/A, a valid signature)."""


@dataclass(frozen=True)
class SealLook:
    """A main document: the signer's name to find, the seal and the optional signature image."""

    signer_name: str
    seal: Path
    seal_mm: float
    signature: Path | None = None


@dataclass(frozen=True)
class StampLook:
    """A separate-file attachment or a copy: the text's first line (number and symbol, or the
    kind of copy and who made it); the signing time is added under it."""

    first_line: str


def iso_time(moment: dt.datetime) -> str:
    """ISO 8601 with Vietnam's offset, to the second (PL I §II.8.b)."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


class _Signer(signers.PdfSigner):
    """pyHanko's signer, at a signing time chosen beforehand, so the time in the stamp's text
    and the signature's own time are the same second."""

    def __init__(self, moment: dt.datetime, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._moment = moment

    def init_signing_session(self, *args, **kwargs):
        session = super().init_signing_session(*args, **kwargs)
        session.system_time = self._moment
        return session


def _look(pdf: Path, look: SealLook | StampLook, moment: dt.datetime
          ) -> tuple[BaseStampStyle, Placement]:  # fmt: skip
    if isinstance(look, SealLook):
        place = seal_placement(pdf, look.signer_name, look.seal, look.seal_mm, look.signature)
        return ImagesStyle(pictures=place.pictures), place
    lines = (look.first_line, iso_time(moment))
    return TextStyle(lines=lines), corner_box(pdf, text_box_size(lines))


def unsigned_revision(pdf: Path) -> bytes:
    """The file as it was before its first signature: signing only appends, so it is the part
    up to the end of line after the last `%%EOF` before that signature's update. A copy is made
    from it: PDF/A-2b wants every signature to cover the whole file, so a copy cannot carry the
    original's signature beside its own."""
    data = pdf.read_bytes()
    starts = each_signature(pdf, lambda embedded: int(embedded.sig_object["/ByteRange"][1]))
    if not starts:
        return data
    end = data.rindex(b"%%EOF", 0, min(starts)) + len(b"%%EOF")
    while data[end : end + 1] in (b"\r", b"\n"):
        end += 1
    return data[:end]


def _free_field(pdf: Path) -> str:
    """The signature field's name: a copy of a signed file keeps the original's field and
    signature, and gets a field of its own."""
    taken = set(each_signature(pdf, lambda embedded: embedded.field_name))
    return next(n for n in (FIELD, *(f"{FIELD}{i}" for i in range(2, 100))) if n not in taken)


def sign_pdf(pdf: Path, target: Path, signer: signers.Signer, look: SealLook | StampLook,
             timestamper: TimeStamper | None = None,
             moment: dt.datetime | None = None) -> SignatureFacts:  # fmt: skip
    """Sign `pdf` into `target` (which may be `pdf` itself); the new signature, as checked."""
    moment = (moment or dt.datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    style, place = _look(pdf, look, moment)
    name = _free_field(pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        use_pades_lta=False,
    )
    spec = fields.SigFieldSpec(name, on_page=place.page, box=place.box)
    pdf_signer = _Signer(
        moment, meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )

    found: list[SignatureFacts] = []

    def write(tmp: Path) -> None:
        with pdf.open("rb") as source, tmp.open("wb") as out:
            try:
                pdf_signer.sign_pdf(IncrementalPdfFileWriter(source, strict=False), output=out)
            except SigningError as exc:
                raise SignError(f"{pdf}: {exc}") from exc
        found.extend(signatures(tmp))
        problems = [f"không còn là PDF/A-2b: {m}" for m in pdfa_failures(tmp)]
        problems += signature_problems(found)
        if problems:
            raise SignError(f"{pdf}: " + "; ".join(problems))

    atomic_write(target, write)
    return found[-1]
