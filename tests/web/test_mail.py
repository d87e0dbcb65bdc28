"""The web app's own e-mails (invitations, resets) over SMTP when a server is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from callradar.db import session_scope
from callradar.settings import Settings, get_settings
from matching.channels import DeliveryError
from tests.loopback import free_port, smtp_server
from web.accounts import create_user, send_link
from web.tokens import Purpose


def smtp_settings(monkeypatch: pytest.MonkeyPatch, port: int) -> Settings:
    monkeypatch.setenv("CALLRADAR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CALLRADAR_SMTP_PORT", str(port))
    monkeypatch.setenv("CALLRADAR_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    return get_settings()


def test_an_invitation_goes_over_smtp(
    engine: Engine, settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (inbox, port):
        settings = smtp_settings(monkeypatch, port)
        with session_scope(engine) as session:
            user = create_user(session, "ewa@lumen.example", "coordinator", None, "pl")
            session.flush()
            link, where = send_link(settings, user, Purpose.INVITE, "http://radar.example")
    assert where == f"127.0.0.1:{port}"
    [message] = inbox.messages
    assert message["To"] == "ewa@lumen.example"
    assert "List-Unsubscribe" not in message
    assert link in message.get_content()
    assert not list(settings.resolved_outbox_dir.glob("*.eml"))


def test_a_refusing_smtp_server_is_a_clear_error(
    engine: Engine, settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = smtp_settings(monkeypatch, free_port())  # nothing listens there
    with session_scope(engine) as session:
        user = create_user(session, "ewa@lumen.example", "coordinator", None, "pl")
        session.flush()
        with pytest.raises(DeliveryError, match="SMTP 127.0.0.1"):
            send_link(settings, user, Purpose.INVITE, "http://radar.example")


@pytest.mark.parametrize(
    ("address", "to"),
    [
        # The domain in IDNA, as every server takes it; it came out as an encoded word.
        ("jan@łódź.example", "jan@xn--d-uga0v4h.example"),
        ("żaneta@lumen.example", "żaneta@lumen.example"),
    ],
)
def test_an_invitation_reaches_a_non_ascii_address(
    engine: Engine, settings_env: Path, address: str, to: str
) -> None:
    settings = get_settings()  # no SMTP server: the outbox folder
    with session_scope(engine) as session:
        user = create_user(session, address, "coordinator", None, "pl")
        session.flush()
        send_link(settings, user, Purpose.INVITE, "http://radar.example")
    [file] = settings.resolved_outbox_dir.glob("*.eml")
    assert f"To: {to}\r\n".encode() in file.read_bytes()
