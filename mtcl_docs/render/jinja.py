"""The one Jinja environment templates render in: sandboxed, XML-escaping, strict about blanks."""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def template_env() -> SandboxedEnvironment:
    """A placeholder with no data raises instead of printing nothing; `&<>"` stay text."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
