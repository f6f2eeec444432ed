"""mtcl-docs: Vietnamese official documents from YAML data (DOCX for units, PDF for the archive)."""

__version__ = "0.1.0"
