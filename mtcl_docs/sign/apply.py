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
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.stamp.base import BaseStampStyle

from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.fsutil import atomic_write
from mtcl_docs.sign.appearance import ImagesStyle, TextStyle, text_box_size
from mtcl_docs.sign.check import signature_problems
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


def sign_pdf(pdf: Path, target: Path, signer: signers.Signer, look: SealLook | StampLook,
             timestamper: TimeStamper | None = None,
             moment: dt.datetime | None = None) -> Path:  # fmt: skip
    """Sign `pdf` into `target` (which may be `pdf` itself)."""
    moment = (moment or dt.datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    style, place = _look(pdf, look, moment)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        use_pades_lta=False,
    )
    spec = fields.SigFieldSpec(FIELD, on_page=place.page, box=place.box)
    pdf_signer = _Signer(
        moment, meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )

    def write(tmp: Path) -> None:
        with pdf.open("rb") as source, tmp.open("wb") as out:
            pdf_signer.sign_pdf(IncrementalPdfFileWriter(source, strict=False), output=out)
        problems = [f"không còn là PDF/A-2b: {m}" for m in pdfa_failures(tmp)]
        problems += signature_problems(tmp)
        if problems:
            raise SignError(f"{pdf}: " + "; ".join(problems))

    return atomic_write(target, write)
