"""Stage 2: numbering, through the outgoing-document register (sổ đăng ký văn bản đi)."""
