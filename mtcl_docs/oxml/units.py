"""Length units of WordprocessingML (twips, half-points, eighths of a point)."""

TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> int:
    """Millimetres to twips (1/20 pt), the unit of page sizes, margins and indents."""
    return round(mm * TWIPS_PER_MM)


def twips_to_pt(value: int) -> float:
    return value / 20
