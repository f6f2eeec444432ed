"""Stage 4: DOCX to PDF with LibreOffice headless."""
