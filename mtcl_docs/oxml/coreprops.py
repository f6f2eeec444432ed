"""Core properties (File → Properties) as a DOCX may hold them.

python-docx refuses a title, subject or keywords over 255 characters (`ValueError: exceeded 255
char limit for property`): a long trích yếu is cut to fit here, at a word, ending with '…'. The
document's text keeps it whole, and so does the PDF's metadata (PDF has no such limit).
"""

from __future__ import annotations

LIMIT = 255
ELLIPSIS = "…"


def core_text(value: str, limit: int = LIMIT) -> str:
    """`value` as it is when short enough, else cut to at most `limit` characters at a word
    boundary (its spaces and line breaks made single spaces), ending with '…'."""
    if len(value) <= limit:
        return value
    text = " ".join(value.split())
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]  # one more: is the cut itself at a space?
    cut = room.rfind(" ")
    head = room[:cut] if cut > 0 else room[:-1]
    return head.rstrip(" ,;:.-–") + ELLIPSIS
