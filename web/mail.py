"""Sending the web app's own e-mails (invitations, password resets).

They are written as .eml files to the outbox folder under the data folder, where a mail
relay (or a person, in a demo) picks them up: the app holds no SMTP settings of its own yet.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from callradar.settings import Settings


def outbox_dir(settings: Settings) -> Path:
    path = settings.ensure_data_dir() / "outbox"
    path.mkdir(exist_ok=True)
    return path


def send_mail(settings: Settings, to: str, subject: str, body: str) -> Path:
    """Write the message to the outbox and return its file."""
    host = urlsplit(settings.base_url).hostname if settings.base_url else None
    message = EmailMessage()
    message["From"] = f"callradar <noreply@{host or 'localhost'}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=host or "localhost")
    message.set_content(body)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = outbox_dir(settings) / f"{stamp}-{secrets.token_hex(4)}.eml"
    tmp = path.with_suffix(".tmp")
    # Written whole, then renamed: a relay watching the folder never reads half a message.
    tmp.write_bytes(bytes(message))
    tmp.replace(path)
    return path
