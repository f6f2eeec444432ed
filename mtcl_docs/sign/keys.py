"""The organisation's key: a PKCS#12 file or a PKCS#11 token (the USB tokens Vietnamese CAs
issue), unlocked by a password that never passes through a command line, a log or a file: it
comes from the environment (MTCL_MAT_KHAU, for unattended runs), else from standard input when
that is a pipe, else from a prompt that does not echo."""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyhanko.sign import signers

PASSWORD_ENV = "MTCL_MAT_KHAU"


class KeyProblem(ValueError):
    """The key could not be opened: wrong password, missing file or token."""


@dataclass(frozen=True)
class KeySource:
    """Where the key is: `pkcs12` (a file) or `pkcs11` (module, token label, key label)."""

    pkcs12: Path | None = None
    pkcs11_module: Path | None = None
    token: str | None = None
    key: str | None = None

    def describe(self) -> str:
        if self.pkcs12 is not None:
            return f"tệp PKCS#12 {self.pkcs12}"
        return f"token «{self.token}» (PKCS#11, {self.pkcs11_module})"


def password(prompt: str) -> str:
    """The key's password, from where a password may come (see the module's docstring)."""
    secret = os.environ.get(PASSWORD_ENV)
    if secret is None and not sys.stdin.isatty():
        secret = sys.stdin.readline().rstrip("\r\n")
    if secret is None:
        secret = getpass.getpass(prompt)
    if not secret:
        raise KeyProblem(
            f"chưa có mật khẩu: nhập khi được hỏi, hoặc đặt biến môi trường {PASSWORD_ENV}"
        )
    return secret


@contextlib.contextmanager
def open_signer(source: KeySource) -> Iterator[signers.Signer]:
    """A pyHanko signer for the key; a token's session is closed when done."""
    if source.pkcs12 is not None:
        if not source.pkcs12.is_file():
            raise KeyProblem(f"không có tệp khóa {source.pkcs12}")
        secret = password(f"Mật khẩu của {source.pkcs12.name}: ")
        try:
            signer = signers.SimpleSigner.load_pkcs12(source.pkcs12, passphrase=secret.encode())
        except (ValueError, TypeError) as exc:
            raise KeyProblem(f"{source.pkcs12}: không mở được khóa (sai mật khẩu?)") from exc
        if signer is None:
            raise KeyProblem(f"{source.pkcs12}: không mở được khóa (sai mật khẩu?)")
        yield signer
        return
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    if source.pkcs11_module is None or not source.pkcs11_module.is_file():
        raise KeyProblem(f"không có thư viện PKCS#11 {source.pkcs11_module}")
    pin = password(f"Mã PIN của token «{source.token}»: ")
    try:
        session = open_pkcs11_session(
            str(source.pkcs11_module),
            token_criteria=TokenCriteria(label=source.token),
            user_pin=pin,
        )
    except Exception as exc:  # noqa: BLE001 - pyHanko and python-pkcs11 raise several kinds
        raise KeyProblem(f"không mở được {source.describe()} ({type(exc).__name__})") from exc
    try:
        yield PKCS11Signer(session, key_label=source.key, cert_label=source.key)
    finally:
        session.close()
