"""How a number is written: `Số 4275-TB/HVBCTT` (party) or `Số: 4275/TB-HVBCTT` (nd30); a công văn
`Số: 215/HVBCTT-TTKT&ĐBCLĐT` carries the drafting unit after the body's symbol (NĐ 30 PL I §II.3)."""

from __future__ import annotations

from mtcl_docs.load.loader import Job


def number_text(number: int | None, blank: str) -> str:
    """A number as printed: `01`–`09` below 10; a blank for the stamp when not yet given."""
    return blank if number is None else f"{number:02d}"


def number_line(job: Job) -> str:
    p, doc = job.profile, job.doc
    symbol = job.org.symbol + (f"-{doc.drafting_unit}" if doc.drafting_unit else "")
    pattern = p.number_pattern if job.kind.code else p.number_pattern_uncoded
    return pattern.format(
        number=number_text(doc.number, p.number_blank), code=job.kind.code, symbol=symbol
    )


def number_symbol(job: Job) -> str:
    """`4275-TB/HVBCTT` or `4275/TB-HVBCTT`: the number line without `Số`."""
    return number_line(job).split(" ", 1)[1].strip()
