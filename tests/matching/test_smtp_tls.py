"""E-mail as production sends it: STARTTLS with the server's certificate checked, and a
log-in, against a real aiosmtpd server on loopback that demands both."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from matching.channels import DeliveryError, Smtp
from tests.loopback import Inbox, free_port
from tests.matching.conftest import settings_for

USER, PASSWORD = "radar", "s3cret"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def check_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_smtp(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    """A server that accepts mail only after STARTTLS and a log-in: (inbox, port, cert)."""
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=check_login,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield inbox, port, cert
    finally:
        controller.stop()


def message() -> EmailMessage:
    email = EmailMessage()
    email["From"] = "radar@cluster.example"
    email["To"] = "anna@member.example"
    email["Subject"] = "Nowy nabór"
    email.set_content("Treść")
    return email


def test_starttls_with_a_checked_certificate_and_a_login(
    tls_smtp: tuple[Inbox, int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, cert = tls_smtp
    # The test's own authority, in the place OpenSSL looks for trusted certificates.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    settings = settings_for(
        tmp_path, port, smtp_starttls=True, smtp_user=USER, smtp_password=PASSWORD
    )
    smtp = Smtp(settings)
    try:
        smtp.send_email(message())
    finally:
        smtp.close()
    [received] = inbox.messages
    assert received["Subject"] == "Nowy nabór"


def test_an_untrusted_certificate_or_a_wrong_password_is_a_delivery_error(
    tls_smtp: tuple[Inbox, int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port, cert = tls_smtp
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-authority.pem"))
    untrusted = Smtp(
        settings_for(tmp_path, port, smtp_starttls=True, smtp_user=USER, smtp_password=PASSWORD)
    )
    with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
        untrusted.send_email(message())
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    wrong = Smtp(
        settings_for(tmp_path, port, smtp_starttls=True, smtp_user=USER, smtp_password="nope")
    )
    with pytest.raises(DeliveryError, match="535"):
        wrong.send_email(message())
    without_tls = Smtp(settings_for(tmp_path, port, smtp_starttls=False))
    with pytest.raises(DeliveryError, match="STARTTLS"):
        without_tls.send_email(message())
    assert inbox.messages == []
