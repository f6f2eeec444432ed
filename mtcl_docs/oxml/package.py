"""What a DOCX package carries beyond its text: trimmed to what our documents use.

python-docx's blank document brings 189 styles, 137 latent-style entries, a second copy of the
styles (stylesWithEffects), a thumbnail and customXml: 860 KB unzipped in every document, and
LibreOffice spends most of its time reading them (55 ms a document instead of 33).
"""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from mtcl_docs.oxml.styles import STYLE_PREFIX, name_of, referenced_style_ids

UNUSED_PARTS = {  # part relationships no document of ours needs
    RT.WEB_SETTINGS,
    RT.CUSTOM_XML,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
UNUSED_PACKAGE_PARTS = {RT.THUMBNAIL}
STYLE_LINKS = ("w:basedOn", "w:link", "w:next")


def slim(document: Document) -> None:
    """Drop unused styles, latent styles and the parts above; what is used, and `VB *`, stays."""
    for part, unused in ((document.part, UNUSED_PARTS), (document.part.package, UNUSED_PACKAGE_PARTS)):  # fmt: skip
        for rid in [rid for rid, rel in part.rels.items() if rel.reltype in unused]:
            part.rels.pop(rid)
    styles = document.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    keep = _used_style_ids(document) | {
        sid
        for sid, s in by_id.items()
        if s.get(qn("w:default")) == "1" or name_of(s).startswith(STYLE_PREFIX)
    }
    todo = list(keep)
    while todo:  # a kept style keeps the styles it is based on, linked to or followed by
        style = by_id.get(todo.pop())
        for tag in STYLE_LINKS if style is not None else ():
            link = style.find(qn(tag))
            if link is not None and (target := link.get(qn("w:val"))) not in keep:
                keep.add(target)
                todo.append(target)
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)


def _used_style_ids(document: Document) -> set[str]:
    """Style ids named anywhere in the document's XML parts (body, headers, numbering…)."""
    used: set[str] = set()
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None or element is document.styles.element:
            continue
        used |= referenced_style_ids(element)
    return used
