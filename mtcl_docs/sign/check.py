"""What `verify` and the signing step ask of a signed PDF: every signature intact and valid,
covering the whole file (nothing added after signing), and whose certificate signed it.

Trust in the certificate's issuer is not judged here (that is the CA's list, which differs by
office); the certificate is named so the archivist sees who signed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

T = TypeVar("T")


@dataclass(frozen=True)
class SignatureFacts:
    """One signature as the archive reports it."""

    field: str
    signer: str  # the certificate's subject, as people read it
    signed_at: str
    sound: bool  # intact and cryptographically valid
    whole_file: bool  # covers every byte of the file
    timestamp: str = ""  # a timestamp server's time (PAdES B-T), if it has one


def _describe(cert) -> str:
    names = cert.subject.native
    return names.get("common_name") or cert.subject.human_friendly


def each_signature(pdf: Path, read: Callable[[EmbeddedPdfSignature], T]) -> list[T]:
    """`read` of every signature embedded in `pdf`, while the file is open (pyHanko reads a
    signature's parts from the file as they are asked for)."""
    with pdf.open("rb") as f:
        return [read(embedded) for embedded in PdfFileReader(f, strict=False).embedded_signatures]


def signatures(pdf: Path) -> list[SignatureFacts]:
    """Every signature in `pdf`, checked (offline: no fetching of revocation data)."""
    # pyHanko logs a traceback for every certificate whose issuer is not trusted here
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    return each_signature(pdf, _checked)


def _checked(embedded: EmbeddedPdfSignature) -> SignatureFacts:
    status = validate_pdf_signature(
        embedded, ValidationContext(trust_roots=[], allow_fetching=False), skip_diff=True
    )
    return SignatureFacts(
        field=embedded.field_name,
        signer=_describe(status.signing_cert),
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else "",
        sound=status.intact and status.valid,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        timestamp=status.timestamp_validity.timestamp.isoformat()
        if status.timestamp_validity
        else "",
    )


def signature_problems(signed: list[SignatureFacts]) -> list[str]:
    """One line per signature that is broken, or (the last one) does not cover the whole file."""
    problems = []
    for i, sig in enumerate(signed):
        if not sig.sound:
            problems.append(f"chữ ký số {sig.field} của «{sig.signer}» không hợp lệ")
        elif not sig.whole_file and i == len(signed) - 1:  # an earlier one covers its revision
            problems.append(
                f"tệp đã bị thay đổi sau khi ký: chữ ký số {sig.field} của «{sig.signer}» "
                "không còn phủ toàn bộ tệp"
            )
    return problems


def is_signed(pdf: Path) -> bool:
    """Whether `pdf` holds a signature (sound or not)."""
    try:
        return bool(each_signature(pdf, lambda embedded: embedded.field_name))
    except (OSError, PdfReadError, ValueError):
        return False
