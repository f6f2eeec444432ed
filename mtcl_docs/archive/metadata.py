"""A document's identity: in its DOCX core properties, which LibreOffice carries into the PDF's Info
dictionary and XMP (they agree, as PDF/A requires); and in the bundle's, which pypdf writes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject, TextStringObject

from mtcl_docs.load.loader import Job
from mtcl_docs.number.symbol import number_symbol

LANGUAGE = "vi-VN"
TZ = "+07:00"  # Vietnam; documents carry a date, not a time


def keyword(text: str) -> str:
    """One keyword without the characters LibreOffice splits DOCX keywords on (space , ; : tab)."""
    return re.sub(r"[\s,;:]+", "-", text.strip())


@dataclass(frozen=True)
class PdfMeta:
    title: str
    author: str
    subject: str
    keywords: str
    created: dt.date
    producer: str = "mtcl-docs, LibreOffice"

    @classmethod
    def of(cls, job: Job) -> PdfMeta:
        """Title: type, number and symbol, trích yếu; author: the issuing body (Phụ lục VI fields)."""
        symbol = number_symbol(job) if job.doc.number is not None else "dự thảo"
        return cls(
            title=f"{job.doc_type.name} số {symbol}: {job.doc.subject}",
            author=job.org.name,
            subject=job.doc.subject,
            keywords=", ".join(keyword(k) for k in (job.doc_type.code, symbol, job.org.symbol)),
            created=job.doc.date,
        )

    def pdf_date(self) -> str:
        return f"D:{self.created:%Y%m%d}000000+07'00'"

    def xmp_date(self) -> str:
        return f"{self.created:%Y-%m-%d}T00:00:00{TZ}"


def xmp_packet(meta: PdfMeta, part: str = "2", conformance: str = "B") -> bytes:
    """XMP that states PDF/A-2b and repeats the Info entries exactly, as PDF/A requires."""
    e = escape
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>{part}</pdfaid:part>
   <pdfaid:conformance>{conformance}</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{e(meta.producer)}</pdf:Producer>
   <pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>mtcl-docs</xmp:CreatorTool>
   <xmp:CreateDate>{meta.xmp_date()}</xmp:CreateDate>
   <xmp:ModifyDate>{meta.xmp_date()}</xmp:ModifyDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def set_metadata(writer: PdfWriter, meta: PdfMeta) -> None:
    """Info dictionary and XMP stream, from the same values."""
    writer.add_metadata(
        {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Subject": meta.subject,
            "/Keywords": meta.keywords,
            "/Creator": "mtcl-docs",
            "/Producer": meta.producer,
            "/CreationDate": meta.pdf_date(),
            "/ModDate": meta.pdf_date(),
        }
    )
    stream = StreamObject()
    stream.set_data(xmp_packet(meta))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    writer._root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE)
