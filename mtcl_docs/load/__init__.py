"""Stage 1: read the YAML data and validate it into documents."""
