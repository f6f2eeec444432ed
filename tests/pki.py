"""A throw-away PKI for the signing tests: a root, the organisation's certificate, a PKCS#12 file
and a SoftHSM2 token holding the same key. Made fresh by every test run, nothing is committed."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from mtcl_docs.sign import demo

ORG = "Học viện Báo chí và Tuyên truyền"
PASSWORD = "mật-khẩu-thử-1234"
PIN = "123456"
TOKEN_LABEL = "mtcl-thu"
KEY_LABEL = "to-chuc"
SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")


@dataclass(frozen=True)
class TestPki:
    """Where the test PKI's files are."""

    root_cert: Path
    org_cert: Path
    pkcs12: Path
    password: str
    org_name: str


def make_pki(folder: Path) -> TestPki:
    """The root, the organisation's certificate and its PKCS#12 file, written in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    pki = demo.make_pki(ORG)
    pem = serialization.Encoding.PEM
    root_path, org_path, p12_path = (
        folder / "goc.pem",
        folder / "to-chuc.pem",
        folder / "to-chuc.p12",
    )
    root_path.write_bytes(pki.root.public_bytes(pem))
    org_path.write_bytes(pki.org.public_bytes(pem))
    p12_path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"to-chuc",
            pki.org_key,
            pki.org,
            [pki.root],
            serialization.BestAvailableEncryption(PASSWORD.encode()),
        )
    )
    (folder / "to-chuc.key.pem").write_bytes(
        pki.org_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return TestPki(root_path, org_path, p12_path, PASSWORD, f"{ORG} ({demo.MARK})")


def softhsm_token(pki: TestPki, folder: Path) -> dict[str, str]:
    """A SoftHSM2 token in `folder` holding the organisation's key and certificate; returns the
    environment the PKCS#11 module needs (its configuration file)."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(config)}
    util = shutil.which("softhsm2-util")
    assert util, "softhsm2-util thiếu (gói Debian softhsm2)"
    run = {"env": env, "check": True, "capture_output": True}
    subprocess.run(
        [util, "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", PIN, "--so-pin", PIN],
        **run,
    )
    pem_key = pki.org_cert.parent / "to-chuc.key.pem"
    subprocess.run(
        [util, "--import", str(pem_key), "--token", TOKEN_LABEL, "--label", KEY_LABEL,
         "--id", "01", "--pin", PIN],
        **run,
    )  # fmt: skip
    _import_certificate(pki, env)
    return {"SOFTHSM2_CONF": str(config)}


def _import_certificate(pki: TestPki, env: dict[str, str]) -> None:
    """softhsm2-util imports keys only: the certificate goes in through PKCS#11 itself."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = env["SOFTHSM2_CONF"]
    try:
        lib = pkcs11.lib(str(SOFTHSM_MODULE))
        token = lib.get_token(token_label=TOKEN_LABEL)
        cert = x509.load_pem_x509_certificate(pki.org_cert.read_bytes())
        with token.open(rw=True, user_pin=PIN) as session:
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: KEY_LABEL,
                    Attribute.ID: b"\x01",
                    Attribute.SUBJECT: cert.subject.public_bytes(),
                    Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                }
            )
    finally:
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old
