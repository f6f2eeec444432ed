"""Stage 5: archive-grade PDFs (PDF/A-2b with the document's metadata), the bundle and manifest."""
