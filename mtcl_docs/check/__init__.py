"""Stage 6: the format checker (kiểm tra thể thức) for any DOCX, ours or typed by hand."""
