"""The one Jinja environment templates render in: sandboxed, XML-escaping, strict about blanks,
and bounded: a template cannot pull in other files (include, import, extends) nor make a text,
list or range larger than any document holds (`{{ 'A' * 3000000000 }}` is an error, not 3 GB)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_TEXT = 1_000_000  # characters in one value: a whole document is a few hundred thousand
MAX_ITEMS = 100_000  # items in one list or range (a register book may list thousands)
MAX_OUTPUT = 50_000_000  # characters one template part renders to (its XML included)
MAX_STEPS = 1_000_000  # range() steps in one rendering, loops within loops counted together
MAX_POWER = 10_000  # digits `**` may make
_WIDE = re.compile(r"\d{7,}")  # a width of a million or more in a format text ('%1000000000s')

FORBIDDEN_TAGS = {  # node → the tag a clerk wrote
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
}


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def too_big(what: str) -> SecurityError:
    return SecurityError(
        f"mẫu tạo ra {what} quá lớn (tối đa {_dotted(MAX_TEXT)} ký tự, {_dotted(MAX_ITEMS)} mục "
        "một danh sách); hãy sửa thẻ trong mẫu"
    )


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple | bytes) else None


def _limit(value: Any) -> Any:
    size = _size(value)
    if size is not None and size > (MAX_TEXT if isinstance(value, str | bytes) else MAX_ITEMS):
        raise too_big("một giá trị")
    return value


_budget = threading.local()  # range() steps left in the rendering under way on this thread


def _bounded_range(*args: int) -> _Range:
    rng = range(*args)
    if len(rng) > MAX_ITEMS:
        raise too_big(f"dãy range() {_dotted(len(rng))} số")
    return _Range(rng)


class _Range:
    """A range whose steps are drawn from the rendering's budget: loops within loops over ranges
    each within bounds could still run 10^10 times without printing a thing."""

    def __init__(self, rng: range):
        self.rng = rng

    def __len__(self) -> int:
        return len(self.rng)

    def __contains__(self, value: object) -> bool:
        return value in self.rng

    def __getitem__(self, index):
        return self.rng[index]

    def __repr__(self) -> str:
        return repr(self.rng)

    def __iter__(self) -> Iterator[int]:
        for value in self.rng:
            left = getattr(_budget, "left", MAX_STEPS) - 1
            if left < 0:
                raise SecurityError(
                    f"mẫu lặp quá nhiều lần (quá {_dotted(MAX_STEPS)} bước range() trong một lần "
                    "dựng); hãy sửa các vòng lặp trong mẫu"
                )
            _budget.left = left
            yield value


class _BudgetTemplate(Template):
    """Each rendering starts with the whole budget of range() steps."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        _budget.left = MAX_STEPS
        return super().render(*args, **kwargs)


def _bounded_concat(parts) -> str:
    out, total = [], 0
    for part in parts:
        total += len(part)
        if total > MAX_OUTPUT:
            raise too_big("văn bản")
        out.append(part)
    return "".join(out)


def _check_widths(args) -> None:
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            raise too_big(f"một độ rộng ({value})")


def _check_replace(text: Any, old: Any = "", new: Any = "", *_: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        times = text.count(old) if old else len(text) + 1
        if len(text) + times * len(new) > MAX_TEXT:
            raise too_big("một chữ thay thế")


def _guarded_filter(name: str, filter_):
    def guarded(*args, **kwargs):
        if name == "format" and args and isinstance(args[0], str) and _WIDE.search(args[0]):
            raise too_big("một chữ định dạng")
        if name in ("center", "indent", "wordwrap"):
            _check_widths([*args[1:], *kwargs.values()])
        if name == "replace":
            _check_replace(*args)
        return _limit(filter_(*args, **kwargs))

    guarded.__dict__.update(filter_.__dict__)  # keep pass_context / pass_environment marks
    return guarded


_WIDENING = {"center", "ljust", "rjust", "zfill", "expandtabs"}  # str methods a width makes long


class _TemplateEnv(SandboxedEnvironment):
    """Compiles each distinct template text once: documents of one build share their templates."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    concat = staticmethod(_bounded_concat)
    template_class = _BudgetTemplate

    def __init__(self, **options: Any):
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        for name in ("center", "indent", "format", "wordwrap", "join", "list", "replace"):
            self.filters[name] = _guarded_filter(name, self.filters[name])

    @lru_cache(maxsize=64)  # noqa: B019 - one environment lives as long as the process
    def from_string(self, source, globals=None, template_class=None):
        return super().from_string(source, globals, template_class)

    def _parse(self, source, name, filename):
        """A tag that pulls in another file is refused when the template is read (by
        check-templates as by a build), never blamed on a document's data."""
        ast = super()._parse(source, name, filename)
        for node_type, tag in FORBIDDEN_TAGS.items():
            for node in ast.find_all(node_type):
                raise TemplateSyntaxError(
                    f"thẻ {{% {tag} %}} không dùng được: mẫu không được lấy nội dung từ tệp "
                    "khác; hãy chép nội dung cần dùng vào chính mẫu này",
                    node.lineno,
                    name,
                    filename,
                )
        return ast

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_TEXT:
                    raise too_big("một chữ hay danh sách nhân lên")
        elif operator == "**":
            if (
                isinstance(left, int | float)
                and isinstance(right, int | float)
                and abs(left) > 1
                and abs(right) * len(str(int(abs(left)))) > MAX_POWER
            ):
                raise too_big("một lũy thừa")
        elif operator == "+":
            if _size(left) is not None and _size(right) is not None:
                _limit(left)
                _limit(right)
                if len(left) + len(right) > MAX_TEXT:
                    raise too_big("một chữ hay danh sách nối lại")
        elif operator == "%" and isinstance(left, str) and _WIDE.search(left):
            raise too_big("một chữ định dạng")
        return _limit(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        bound = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(bound, "__self__", None)
        if isinstance(owner, str):
            method = getattr(bound, "__name__", "")
            if method in ("format", "format_map") and _WIDE.search(owner):
                raise too_big("một chữ định dạng")  # '{:>1000000000}'.format(x)
            if method in _WIDENING:
                _check_widths([*args, *kwargs.values()])
            if method == "replace":
                _check_replace(owner, *args)
        return _limit(super().call(__context, __obj, *args, **kwargs))


@lru_cache(maxsize=1)
def template_env() -> SandboxedEnvironment:
    """A placeholder with no data raises instead of printing nothing; `&<>"` stay text."""
    return _TemplateEnv(undefined=StrictUndefined, autoescape=True)
