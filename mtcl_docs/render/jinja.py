"""The one Jinja environment templates render in: sandboxed, XML-escaping, strict about blanks."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


class _TemplateEnv(SandboxedEnvironment):
    """Compiles each distinct template text once: documents of one build share their templates."""

    @lru_cache(maxsize=64)  # noqa: B019 - one environment lives as long as the process
    def from_string(self, source, globals=None, template_class=None):
        return super().from_string(source, globals, template_class)


@lru_cache(maxsize=1)
def template_env() -> SandboxedEnvironment:
    """A placeholder with no data raises instead of printing nothing; `&<>"` stay text."""
    return _TemplateEnv(undefined=StrictUndefined, autoescape=True)
