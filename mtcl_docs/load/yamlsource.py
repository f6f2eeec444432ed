"""YAML files read as plain data, NFC-normalised, with the line of every field kept for errors."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mtcl_docs.errors import DocumentError


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so pydantic (not PyYAML) judges them."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def nfc(value: Any) -> Any:
    """Normalise every string in a tree to NFC (precomposed), as TCVN 6909 expects."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


@dataclass
class YamlSource:
    """One YAML file: its data and the node tree that tells where each field sits."""

    path: Path
    data: Any
    root: yaml.Node | None

    @classmethod
    def read(cls, path: Path) -> YamlSource:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DocumentError.single(path, f"không đọc được tệp ({exc})") from exc
        try:
            root = yaml.compose(text, Loader=_PlainLoader)
            data = yaml.load(text, Loader=_PlainLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            reason = exc.problem or "sai cú pháp YAML"
            raise DocumentError.single(path, f"sai cú pháp YAML: {reason}", line=line) from exc
        except yaml.YAMLError as exc:
            raise DocumentError.single(path, f"sai cú pháp YAML: {exc}") from exc
        return cls(path, nfc(data), root)

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """The 1-based line of the field at `loc`, else of its nearest parent below the top."""
        node, line = self.root, None
        for key in loc:
            found = _child(node, key) if node is not None else None
            if found is None:
                break
            key_node, node = found
            line = key_node.start_mark.line + 1
        return line


def _child(node: yaml.Node, key: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(where the field is written, its value): a mapping's key line, a list item's own line."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                return k, v
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key], node.value[key]
    return None


FIELD_SEP = re.compile(r"\.(?=\[)")


def field_path(loc: tuple[str | int, ...]) -> str:
    """`('body', 3, 'heading')` → `body[3].heading`: how a clerk reads a field's place."""
    text = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc)
    return FIELD_SEP.sub("", text)
