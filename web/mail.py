"""Sending the web app's own e-mails (invitations, password resets).

They go to the same outbox folder and with the same From address as the members'
notifications (matching's settings): .eml files a mail relay, or a person in a demo, picks
up. matching's SMTP channel is not reused: its messages carry a notification's
unsubscribe headers, which an invitation must not have.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from callradar.settings import Settings


def send_mail(settings: Settings, to: str, subject: str, body: str) -> Path:
    """Write the message to the outbox folder and return its file."""
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    folder = settings.resolved_outbox_dir
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"web-{stamp}-{secrets.token_hex(4)}.eml"
    tmp = path.with_suffix(".tmp")
    # Written whole, then renamed: a relay watching the folder never reads half a message.
    tmp.write_bytes(bytes(message))
    tmp.replace(path)
    return path
