"""Digital signatures (issue 14): PAdES signing with a PKCS#12 file and a PKCS#11 token, NĐ 30's
appearance, PDF/A-2b kept, `verify` catching any change after signing, the signed copy kept as
a record. The PKI is made by the tests (tests/pki.py); no key is in the repository."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, draft_notice, paths, replace_in, seed_data
from pki import KEY_LABEL, PIN, SOFTHSM_MODULE, TOKEN_LABEL, make_pki, softhsm_token
from pypdf import PdfReader

from mtcl_docs.archive.pdfa import pdfa_failures
from mtcl_docs.archive.verify import verify
from mtcl_docs.build import build
from mtcl_docs.sign.apply import SealLook, StampLook, sign_pdf, unsigned_revision
from mtcl_docs.sign.check import signature_problems, signatures
from mtcl_docs.sign.keys import PASSWORD_ENV, KeySource
from mtcl_docs.sign.place import pages, signer_gap
from mtcl_docs.sign.stage import DEMO_DIR, SIGNED_DIR, SignRequest


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def _sign_seed(base: Path, pki) -> tuple:
    """The seed built in `base`, then 4275 signed with the PKCS#12 key through the build."""
    p = paths(seed_data(base / "data"), base)
    os.environ[PASSWORD_ENV] = pki.password
    try:
        report = build(p, sign=SignRequest(frozenset({"4275"}), KeySource(pkcs12=pki.pkcs12)))
    finally:
        del os.environ[PASSWORD_ENV]
    assert report.ok, report.problems
    return p, {b.job.doc.id: b for b in report.built}


@pytest.fixture(scope="module")
def signed(tmp_path_factory, pki):
    return _sign_seed(tmp_path_factory.mktemp("signed"), pki)


def _pdfsig(pdf: Path) -> str:
    return subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout


def test_signed_pdf_stays_pdfa_and_pdfsig_says_valid(signed, pki):
    _, built = signed
    pdf = built["4275"].pdf
    assert pdfa_failures(pdf) == []
    said = _pdfsig(pdf)
    assert "Signature is Valid" in said
    assert "Total document signed" in said
    assert pki.org_name in said  # the organisation's test certificate
    assert "ETSI.CAdES.detached" in said  # PAdES
    (sig,) = signatures(pdf)
    assert sig.sound and sig.whole_file and sig.signer == pki.org_name
    assert sig.signed_at.endswith("+07:00")


def test_the_other_document_is_left_unsigned(signed):
    _, built = signed
    assert signatures(built["4275-truong-mau"].pdf) == []


def test_seal_and_signature_sit_between_title_and_name(signed):
    """The signature's box is on the signer's page, centred on the name's column, in the space
    between the title and the name (PL I §II.7.d, §II.8.a)."""
    _, built = signed
    pdf = built["4275"].pdf
    page, centre, top, bottom = signer_gap(pages(pdf), "Phạm Minh Sơn")
    reader = PdfReader(pdf)
    (widget,) = [a.get_object() for a in reader.pages[page.index].get("/Annots", [])
                 if a.get_object().get("/FT") == "/Sig"]  # fmt: skip
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    middle = page.height - (top + bottom) / 2  # PDF coordinates
    assert y0 < middle < y1
    assert x0 < centre < x1
    # the seal reaches further left than the signature (it covers its left third)
    assert centre - x0 > x1 - centre


def test_a_changed_byte_after_signing_fails_verify(signed, tmp_path):
    p, built = signed
    out = tmp_path / "out"
    shutil.copytree(p.output, out, symlinks=True)
    pdf = out / built["4275"].pdf.relative_to(p.output)
    data = bytearray(pdf.read_bytes())
    spot = data.index(b"/Producer")  # inside the signed range: the document's Info
    data[spot + 1] ^= 0x20
    pdf.write_bytes(bytes(data))
    problems = verify(out, p.register)
    assert any("4275.pdf" in m and "chữ ký số" in m and "không hợp lệ" in m for m in problems)


def test_an_update_appended_after_signing_fails_verify(signed, tmp_path):
    p, built = signed
    pdf = tmp_path / "appended.pdf"
    pdf.write_bytes(built["4275"].pdf.read_bytes() + b"\n1 0 obj\n<<>>\nendobj\n")
    (problem,) = signature_problems(signatures(pdf))
    assert "thay đổi sau khi ký" in problem


def test_verify_is_clean_after_signing_and_the_register_keeps_the_copy(signed):
    p, built = signed
    assert verify(p.output, p.register) == []
    with sqlite3.connect(p.register) as db:
        (file, digest) = db.execute("SELECT file, pdf_sha256 FROM signatures").fetchone()
    kept = p.data / file
    assert kept.parent == p.data / SIGNED_DIR / "hvbctt"
    assert kept.read_bytes() == built["4275"].pdf.read_bytes()
    assert digest in kept.name or digest.startswith(kept.stem.rsplit("-", 1)[1])


def test_a_forced_rebuild_puts_the_signed_copy_back(signed, tmp_path):
    """Output remade from scratch (`--force`): the document's PDF is the signed one again."""
    p, built = signed
    before = built["4275"].pdf.read_bytes()
    report = build(p, force=True)
    assert report.ok, report.problems
    assert built["4275"].pdf.read_bytes() == before
    assert verify(p.output, p.register) == []


def test_text_stamp_keeps_every_diacritic_and_pdfa(signed, pki, tmp_path):
    """The stamp of a separate-file attachment or a copy: top right of page 1, TNR 10 pt."""
    from pyhanko.sign import signers

    _, built = signed
    signer = signers.SimpleSigner.load_pkcs12(pki.pkcs12, passphrase=pki.password.encode())
    line = "Sao y bản chính: Học viện Báo chí và Tuyên truyền, ngày 30 tháng 11 năm 2026"
    target = tmp_path / "ban-sao.pdf"
    sign_pdf(built["4275-truong-mau"].pdf, target, signer, StampLook(line))
    assert pdfa_failures(target) == []
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(target), "-"],
                          capture_output=True, text=True).stdout  # fmt: skip
    first = text.splitlines()[:2]
    assert first[0] == line
    assert first[1].endswith("+07:00") and first[1][:4].isdigit()
    words = [w for w in pages(target)[0].words if w.text == "Sao"]
    assert words and words[0].top < 40  # at the top of the page
    assert words[0].x0 > 595 / 3  # on the right


def test_pkcs11_token_signs(signed, pki, tmp_path):
    if not SOFTHSM_MODULE.is_file():
        pytest.fail("SoftHSM2 thiếu: make test cài gói Debian softhsm2")
    _, built = signed
    env = softhsm_token(pki, tmp_path / "hsm")
    script = (
        "from pathlib import Path\n"
        "from mtcl_docs.sign.keys import KeySource, open_signer\n"
        "from mtcl_docs.sign.apply import sign_pdf, SealLook\n"
        f"src = KeySource(pkcs11_module=Path({str(SOFTHSM_MODULE)!r}), token={TOKEN_LABEL!r}, "
        f"key={KEY_LABEL!r})\n"
        "with open_signer(src) as s:\n"
        f"    sign_pdf(Path({str(built['4275-truong-mau'].pdf)!r}), "
        f"Path({str(tmp_path / 'p11.pdf')!r}), s, "
        f"SealLook('Trần Thị Mẫu', Path({str(ROOT / 'data/orgs/truong-mau-con-dau-mau.png')!r}), 36))\n"
    )
    # its own process: SoftHSM reads its configuration once per process
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **env, PASSWORD_ENV: PIN},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert PIN not in result.stdout + result.stderr
    said = _pdfsig(tmp_path / "p11.pdf")
    assert "Signature is Valid" in said and pki.org_name in said
    assert pdfa_failures(tmp_path / "p11.pdf") == []


def test_timestamp_server_makes_it_pades_b_t(signed, pki, tmp_path):
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    _, built = signed
    signer = signers.SimpleSigner.load_pkcs12(pki.pkcs12, passphrase=pki.password.encode())
    tsa = DummyTimeStamper(tsa_cert=signer.signing_cert, tsa_key=signer.signing_key)
    look = SealLook("Trần Thị Mẫu", ROOT / "data/orgs/truong-mau-con-dau-mau.png", 36)
    target = tmp_path / "bt.pdf"
    returned = sign_pdf(built["4275-truong-mau"].pdf, target, signer, look, tsa)
    (sig,) = signatures(target)
    assert returned == sig  # what signing reports is what the file holds
    assert sig.sound and sig.timestamp  # the signature's own timestamp token, validated
    assert "Signature is Valid" in _pdfsig(target)
    assert pdfa_failures(target) == []


def test_the_password_goes_nowhere(tmp_path, pki):
    """Given on standard input, the password is in no output, log or file the run leaves."""
    data = seed_data(tmp_path / "data")
    out, register = tmp_path / "out", tmp_path / "register.sqlite"
    run = subprocess.run(
        [str(ROOT / ".venv/bin/mtcl-docs"), "sign", "4275", "--pkcs12", str(pki.pkcs12),
         "--data", str(data), "--output", str(out), "--register", str(register)],
        input=pki.password + "\n", capture_output=True, text=True, cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != PASSWORD_ENV},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ĐÃ KÝ" in run.stdout
    secret = pki.password.encode()
    assert secret not in (run.stdout + run.stderr).encode()
    for folder in (out, data, tmp_path):
        for file in folder.rglob("*"):
            if file.is_file() and file.suffix != ".p12":
                assert secret not in file.read_bytes(), file


def test_a_wrong_password_signs_nothing_and_is_asked_once(tmp_path, pki, monkeypatch):
    """Both seed documents need the key: it is tried once, and each says why it is unsigned."""
    import mtcl_docs.sign.keys as keys

    asked = []
    monkeypatch.setattr(keys, "password", lambda prompt: asked.append(prompt) or "sai-mat-khau")
    data = seed_data(tmp_path / "data")
    p = paths(data, tmp_path)
    report = build(p, sign=SignRequest(None, KeySource(pkcs12=pki.pkcs12)))
    assert len(asked) == 1
    refused = [pr for pr in report.problems if "sai mật khẩu" in pr.message]
    assert len(refused) == 2
    for pdf in (p.output / "pdf").rglob("*.pdf"):
        assert signatures(pdf) == []
    assert not (data / SIGNED_DIR).exists()


def test_a_draft_is_not_signed(tmp_path, pki):
    data = seed_data(tmp_path / "data")
    draft_notice(data, "du-thao")
    p = paths(data, tmp_path)
    os.environ[PASSWORD_ENV] = pki.password
    try:
        report = build(p, sign=SignRequest(frozenset({"du-thao"}), KeySource(pkcs12=pki.pkcs12)))
    finally:
        del os.environ[PASSWORD_ENV]
    assert any("du-thao" in str(pr.file) and "dự thảo" in pr.message for pr in report.problems)
    assert all(signatures(b.pdf) == [] for b in report.built if b.pdf)


def test_a_preview_signs_copies_only(signed, tmp_path):
    """`sign --thu`: copies in output/ky-thu/ with a THỬ NGHIỆM certificate, the archive and the
    register untouched, and verify still clean."""
    p, _ = signed
    run = subprocess.run(
        [str(ROOT / ".venv/bin/mtcl-docs"), "sign", "--thu", "4275-truong-mau",
         "--data", str(p.data), "--output", str(p.output), "--register", str(p.register)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    preview = p.output / DEMO_DIR / "truong-mau" / "4275-truong-mau.pdf"
    (sig,) = signatures(preview)
    assert "THỬ NGHIỆM" in sig.signer
    assert signatures(p.output / "pdf" / "truong-mau" / "4275-truong-mau.pdf") == []
    with sqlite3.connect(p.register) as db:
        assert db.execute("SELECT count(*) FROM signatures").fetchone()[0] == 1  # 4275 only
    assert verify(p.output, p.register) == []


def test_a_signed_copy_carries_the_copy_stamp(signed, pki):
    """`sign --ban-sao sao-y`: a copy of the signed notice in output/ban-sao/, made from the
    notice as it was before it was signed (PDF/A-2b wants every signature over the whole file),
    signed by the copying body, the stamp's text at the top of page 1."""
    p, _ = signed
    run = subprocess.run(
        [str(ROOT / ".venv/bin/mtcl-docs"), "sign", "--ban-sao", "sao-y", "4275",
         "--pkcs12", str(pki.pkcs12),
         "--data", str(p.data), "--output", str(p.output), "--register", str(p.register)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, PASSWORD_ENV: pki.password},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    copy = p.output / "ban-sao" / "hvbctt" / "4275.pdf"
    (sig,) = signatures(copy)
    assert sig.sound and sig.whole_file
    assert signature_problems(signatures(copy)) == [] and pdfa_failures(copy) == []
    original = p.output / "pdf" / "hvbctt" / "4275.pdf"
    assert copy.read_bytes().startswith(unsigned_revision(original))
    assert len(unsigned_revision(original)) < len(original.read_bytes())
    text = subprocess.run(["pdftotext", "-l", "1", str(copy), "-"],
                          capture_output=True, text=True).stdout  # fmt: skip
    assert text.startswith("Sao y: Học viện Báo chí và Tuyên truyền\n")
    assert verify(p.output, p.register) == []


def test_a_recorded_signature_cannot_be_rewritten(signed):
    """The register's signatures are append-only, like its history."""
    p, _ = signed
    with sqlite3.connect(p.register) as db:
        for statement in ("UPDATE signatures SET pdf_sha256 = 'x'", "DELETE FROM signatures"):
            with pytest.raises(sqlite3.DatabaseError, match="chữ ký số đã ghi"):
                db.execute(statement)


def test_register_issue_sign_numbers_builds_and_signs(tmp_path, pki):
    data = seed_data(tmp_path / "data")
    draft_notice(data, "du-thao")
    run = subprocess.run(
        [str(ROOT / ".venv/bin/mtcl-docs"), "register", "issue", "du-thao", "--sign",
         "--pkcs12", str(pki.pkcs12), "--data", str(data), "--output", str(tmp_path / "out"),
         "--register", str(tmp_path / "register.sqlite")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, PASSWORD_ENV: pki.password},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Đã cấp số: du-thao" in run.stdout
    (sig,) = signatures(tmp_path / "out" / "pdf" / "hvbctt" / "du-thao.pdf")
    assert sig.sound and sig.whole_file and sig.signer == pki.org_name
    assert verify(tmp_path / "out", tmp_path / "register.sqlite") == []


def _signed_copy(tmp_path: Path, pki) -> tuple:
    """A seed build of its own with 4275 signed (for tests that change it)."""
    p, built = _sign_seed(tmp_path, pki)
    return p, built["4275"].pdf


def test_an_amended_document_is_unsigned_until_signed_again(tmp_path, pki):
    p, pdf = _signed_copy(tmp_path, pki)
    replace_in(p.data / "notices" / "4275.yaml", "Trân trọng!", "Trân trọng cảm ơn!")
    for doc in ("4275", "4275-truong-mau"):  # the second is based on the first
        run = subprocess.run(
            [str(ROOT / ".venv/bin/mtcl-docs"), "register", "amend", doc, "--ly-do", "sửa lời chào",
             "--data", str(p.data), "--output", str(p.output), "--register", str(p.register)],
            capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
    report = build(p)
    assert report.ok, report.problems
    assert signatures(pdf) == []  # the new version: its old signature would be a lie
    assert verify(p.output, p.register) == []


def test_a_lost_signed_copy_is_said_not_hidden(tmp_path, pki):
    p, pdf = _signed_copy(tmp_path, pki)
    for kept in (p.data / SIGNED_DIR).rglob("*.pdf"):
        kept.unlink()
    report = build(p, force=True)
    assert any("bản đã ký số bị mất" in pr.message for pr in report.problems)
    assert signatures(pdf) == []


def test_a_signed_copy_path_out_of_data_is_not_followed(tmp_path, pki):
    """A register row naming a file outside data/da-ky/ (written by hand): the build does not
    copy that file into the archive, it says the signed copy is lost."""
    p, pdf = _signed_copy(tmp_path, pki)
    outside = tmp_path / "ngoai.pdf"
    outside.write_bytes(pdf.read_bytes())
    with sqlite3.connect(p.register) as db:
        row = db.execute("SELECT * FROM signatures").fetchone()
        db.execute(
            "INSERT INTO signatures (entry_id, content_hash, file, pdf_sha256, certificate, "
            "signed_at, user) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row[1], row[2], "../ngoai.pdf", row[4], row[5], row[6], row[7]),
        )
    report = build(p, force=True)
    assert any("bản đã ký số bị mất" in pr.message for pr in report.problems)
    assert signatures(pdf) == []
