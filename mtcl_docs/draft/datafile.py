"""Writing what import read: the document's data file (and a new organisation's file) as YAML a
clerk can read and edit — fields in the usual order, Vietnamese unescaped, long lines unbroken —
each written to a temporary name and renamed, so a failed import leaves no half file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from mtcl_docs.fsutil import atomic_write


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the shipped examples are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def to_yaml(data: dict[str, Any], heading: str = "") -> str:
    """The data as YAML text, after an optional comment heading."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)  # fmt: skip
    lines = [f"# {line}" if line else "#" for line in heading.splitlines()]
    return ("\n".join(lines) + "\n" if lines else "") + body


def write_yaml(path: Path, data: dict[str, Any], heading: str = "") -> Path:
    """`data` written to `path` whole or not at all."""
    text = to_yaml(data, heading)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
