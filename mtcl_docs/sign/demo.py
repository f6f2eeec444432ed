"""A throw-away certificate, made on the spot and never stored, so a clerk can see what a signed
document looks like before the organisation's real key is set up (`sign --thu`), and the tests
have a PKI of their own: a root and the organisation's RSA-2048 certificate (TT 15/2025's
minimum), both marked THỬ NGHIỆM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

MARK = "THỬ NGHIỆM"


@dataclass(frozen=True)
class DemoPki:
    root: x509.Certificate
    org: x509.Certificate
    org_key: rsa.RSAPrivateKey


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, common),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
    return builder.add_extension(usage, critical=True).sign(signing_key, hashes.SHA256())


def make_pki(org_name: str) -> DemoPki:
    """A root and a certificate for `org_name (THỬ NGHIỆM)` signed by it."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name(f"Gốc {MARK} mtcl-docs")
    root = _certificate(root_name, root_name, root_key.public_key(), root_key, ca=True)
    org_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    org = _certificate(
        _name(f"{org_name} ({MARK})"), root.subject, org_key.public_key(), root_key, ca=False
    )
    return DemoPki(root, org, org_key)


def demo_signer(org_name: str) -> signers.SimpleSigner:
    """A signer holding a fresh certificate for `org_name`, in memory only."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509

    pki = make_pki(org_name)
    der = serialization.Encoding.DER
    key = pki.org_key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(pki.org.public_bytes(der)),
        signing_key=keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pki.root.public_bytes(der))]
        ),
    )
