"""Stage 3: turn a validated document into a DOCX, by its template and its profile."""
