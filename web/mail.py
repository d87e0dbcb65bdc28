"""Sending the web app's own e-mails (invitations, password resets).

They go the way the members' notifications go (matching's settings): over SMTP when a
server is set, else as .eml files in the outbox folder that a relay, or a person in a
demo, picks up. The message is built here, not by matching: a notification's unsubscribe
headers must not be on an invitation.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email.utils import formatdate, make_msgid, parseaddr

from callradar.settings import Settings
from matching.channels import Smtp, new_email


def send_mail(settings: Settings, to: str, subject: str, body: str) -> str:
    """Send the message; returns where it went (the SMTP server, or the outbox file's name).

    Raises DeliveryError when the SMTP server refuses it.
    """
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    # As notifications are addressed: "żaneta@…" or "jan@łódź.pl" came out as encoded words
    # inside the address, which no server delivers.
    message = new_email(settings, "", to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    if settings.smtp_host:
        smtp = Smtp(settings)
        try:
            smtp.send_email(message)
        finally:
            smtp.close()
        return f"{settings.smtp_host}:{settings.smtp_port}"
    folder = settings.resolved_outbox_dir
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"web-{stamp}-{secrets.token_hex(4)}.eml"
    tmp = path.with_suffix(".tmp")
    # Written whole, then renamed: a relay watching the folder never reads half a message.
    tmp.write_bytes(bytes(message))
    tmp.replace(path)
    return path.name
