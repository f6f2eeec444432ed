"""argparse in Vietnamese, its own words included ("usage:", "options", "error:", …).

argparse passes each text of its own through gettext (`_()` and `ngettext()` in its module). The
`ArgumentParser` here answers those calls from a Vietnamese catalog while it is built, parses and
prints, and its subparsers are of the same class; argparse used by anything else in the same
process (pytest, say) keeps its own language. The catalog holds every message id of argparse on the
Python we run (a test reads them from argparse's source).
"""

from __future__ import annotations

import argparse
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "subcommands": "lệnh con",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "không có lựa chọn %(value)r (chọn một trong: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ, có thể là %(matches)s"
    ),
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "not allowed with argument %s": "không dùng cùng với %s được",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị (thừa %r)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (có: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    'argument "-" with mode %r': 'tham số "-" với chế độ %r',
    # Mistakes in building a parser (the programmer's, not the clerk's), said in Vietnamese too.
    ".__call__() not defined": ".__call__() chưa được định nghĩa",
    "conflicting subparser: %s": "lệnh con bị trùng: %s",
    "conflicting subparser alias: %s": "tên khác của lệnh con bị trùng: %s",
    "cannot merge actions - two groups are named %r": "không gộp được: hai nhóm cùng tên %r",
    "'required' is an invalid argument for positionals": (
        "'required' không dùng được cho tham số vị trí"
    ),
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "tên tùy chọn %(option)r không hợp lệ: phải bắt đầu bằng ký tự %(prefix_chars)r"
    ),
    "dest= is required for options like %r": "cần dest= cho tùy chọn như %r",
    "invalid conflict_resolution value: %r": "giá trị conflict_resolution không hợp lệ: %r",
    "mutually exclusive arguments must be optional": "các tham số loại trừ nhau phải là tùy chọn",
    "cannot have multiple subparser arguments": "chỉ được có một nhóm lệnh con",
    "%r is not callable": "%r không gọi được",
}
PLURALS = {  # Vietnamese nouns have no plural: one text for any count
    ("expected %s argument", "expected %s arguments"): "cần %s giá trị",
    ("conflicting option string: %s", "conflicting option strings: %s"): "tùy chọn bị trùng: %s",
}


class Vietnamese(gettext.NullTranslations):
    """argparse's message ids in Vietnamese; an id not in the catalog is left as it is."""

    def gettext(self, message):
        return MESSAGES.get(message, message) if isinstance(message, str) else message

    def ngettext(self, singular, plural, n):
        found = PLURALS.get((singular, plural))
        return found if found is not None else super().ngettext(singular, plural, n)


VIETNAMESE = Vietnamese()
_speaking: ContextVar[gettext.NullTranslations | None] = ContextVar("argparse_vi", default=None)
_argparse_own: dict[str, object] = {}


def _gettext(message):
    translation = _speaking.get()
    if translation is None:
        return _argparse_own["_"](message)
    return translation.gettext(message)


def _ngettext(singular, plural, n):
    translation = _speaking.get()
    if translation is None:
        return _argparse_own["ngettext"](singular, plural, n)
    return translation.ngettext(singular, plural, n)


def _install() -> None:
    """Route argparse's `_` and `ngettext` through `_speaking` (once; they fall back to its own)."""
    if argparse._ is not _gettext:
        _argparse_own.update(_=argparse._, ngettext=argparse.ngettext)
        argparse._, argparse.ngettext = _gettext, _ngettext


@contextmanager
def vietnamese() -> Iterator[None]:
    """argparse speaks Vietnamese in this block (in this thread or task only)."""
    _install()
    token = _speaking.set(VIETNAMESE)
    try:
        yield
    finally:
        _speaking.reset(token)


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose own words are Vietnamese, like those of its subparsers."""

    def __init__(self, *args, **kwargs):
        with vietnamese():  # group titles and the -h help are translated when made
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs):
        with vietnamese():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args=None, namespace=None):
        with vietnamese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):
        with vietnamese():
            return super().parse_known_args(args, namespace)

    def format_usage(self):
        with vietnamese():
            return super().format_usage()

    def format_help(self):
        with vietnamese():
            return super().format_help()

    def error(self, message):
        with vietnamese():
            super().error(message)
