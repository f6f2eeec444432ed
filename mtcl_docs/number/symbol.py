"""How a number is written: `Số 4275-TB/HVBCTT` (party) or `Số: 4275/TB-HVBCTT` (nd30)."""

from __future__ import annotations

from mtcl_docs.load.loader import Job


def number_text(number: int | None, blank: str) -> str:
    """A number as printed: `01`–`09` below 10; a blank for the stamp when not yet given."""
    return blank if number is None else f"{number:02d}"


def number_line(job: Job) -> str:
    p = job.profile
    return p.number_pattern.format(
        number=number_text(job.doc.number, p.number_blank),
        code=job.doc_type.code,
        symbol=job.org.symbol,
    )


def number_symbol(job: Job) -> str:
    """`4275-TB/HVBCTT` or `4275/TB-HVBCTT`: the number line without `Số`."""
    return number_line(job).split(" ", 1)[1].strip()
