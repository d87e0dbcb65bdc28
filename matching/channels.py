"""Where messages go: e-mail over SMTP, .eml files in the outbox folder, chat webhooks.

A contact's ``notify`` list holds ``email`` (its address, over SMTP, or into the outbox folder
when no SMTP server is set) and Apprise URLs (``slack://…``, ``workflows://…``, ``matrixs://…``,
``jsons://host/path`` for a generic webhook, …; which ones, see callradar.webhooks). Every
failure is raised as DeliveryError so the sender can retry that channel alone.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from typing import Protocol

import apprise
from email_validator import EmailNotValidError, validate_email

from callradar.settings import Settings
from callradar.webhooks import CheckedWebhook, WebhookRefused, checked_notifier
from matching.messages import Message

EMAIL = "email"
SMTP_TIMEOUT = 30
# Long header lines (the unsubscribe link) would otherwise be folded into encoded words
# that mail clients cannot read as a URL.
_POLICY = policy.SMTP.clone(max_line_length=998)


class DeliveryError(Exception):
    """A message could not be handed over; it may succeed later."""


class NotTried(DeliveryError):
    """A message was not even tried: its channel was found down earlier in the same run.
    It costs the message none of its attempts."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """A rendered message and where it goes."""

    message: Message
    to_name: str
    to_address: str
    # Stable for the same outbox rows: a re-send after a crash reuses it, so the recipient's
    # system (and the outbox folder) can tell the copy from a new message.
    key: str
    stop_link: str


class Channel(Protocol):
    def send(self, envelope: Envelope) -> None: ...

    def close(self) -> None: ...


def new_email(settings: Settings, to_name: str, to_address: str) -> EmailMessage:
    """An e-mail from callradar to one address, any address: the web app's mails too."""
    address = _ascii_address(to_address)
    # A non-ASCII local part ("żaneta@…") has no ASCII form: that message is written in UTF-8
    # (RFC 6531), which smtplib sends only to a server offering SMTPUTF8.
    email = EmailMessage(policy=_POLICY if address else _POLICY.clone(utf8=True))
    email["From"] = settings.mail_from
    # A name with a line break (a cell of the members workbook may hold one) is refused in a
    # header: one line of it.
    name = " ".join(to_name.split())
    if address:
        email["To"] = Address(display_name=name, addr_spec=address)
    else:
        # Given in parts: such an address parsed from a string is refused as a defect.
        local, _, host = to_address.rpartition("@")
        email["To"] = Address(display_name=name, username=local, domain=host)
    return email


def email_message(envelope: Envelope, settings: Settings) -> EmailMessage:
    message = envelope.message
    email = new_email(settings, envelope.to_name, envelope.to_address)
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    email["Message-ID"] = f"<callradar-{envelope.key}@{domain}>"
    email["Content-Language"] = message.language
    # One-click unsubscribe (RFC 8058): mail clients show their own "unsubscribe" button.
    email["List-Unsubscribe"] = f"<{envelope.stop_link}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


def _ascii_address(address: str) -> str | None:
    """The address with its domain in IDNA ("jan@xn--…"), which every server accepts, or
    None when its local part is not ASCII."""
    try:
        return validate_email(address, check_deliverability=False).ascii_email
    except EmailNotValidError:
        # Stored addresses were validated: one failing now is passed on as it is.
        return address


class OutboxFolder:
    """E-mails as .eml files a person (or a relay) can open; the demo uses this."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.settings = settings

    def send(self, envelope: Envelope) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"callradar-{envelope.key}.eml"
            tmp = path.with_suffix(".tmp")
            # Whole file, then rename: a watcher never reads half a message, and a re-send of
            # the same rows replaces the file rather than adding a copy.
            tmp.write_bytes(bytes(email_message(envelope, self.settings)))
            tmp.replace(path)
        except OSError as exc:
            raise DeliveryError(f"outbox folder {self.folder}: {exc}") from exc

    def close(self) -> None:
        return None


class Smtp:
    """E-mail over one SMTP connection, opened on first use and kept for the run.

    A server that cannot be reached is not tried again in the same run: with a server down
    or stalled, every message waited for its own time-out (30 s each, hours for a big run).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        # Why the server could not be reached, once it could not.
        self._down: str | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.smtp_host is not None
        smtp: smtplib.SMTP
        if s.smtp_port == 465:
            # smtplib's own default context checks no certificate: the server is verified
            # here as with STARTTLS.
            smtp = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT)
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
        if s.smtp_user:
            password = s.smtp_password.get_secret_value() if s.smtp_password else ""
            smtp.login(s.smtp_user, password)
        return smtp

    def send(self, envelope: Envelope) -> None:
        self.send_email(email_message(envelope, self.settings))

    def send_email(self, email: EmailMessage) -> None:
        """Hand over any e-mail (the web app's invitations go this way too)."""
        host = f"{self.settings.smtp_host}:{self.settings.smtp_port}"
        if self._down is not None:
            raise NotTried(f"SMTP {host}: not tried again in this run ({self._down})")
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as exc:
                self._down = str(exc) or type(exc).__name__
                raise DeliveryError(f"SMTP {host}: {self._down}") from exc
        try:
            self._smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(f"SMTP {host}: {exc}") from exc

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


class Webhook:
    """A chat or webhook service through its Apprise URL.

    A member's URL is checked before every message (callradar.webhooks), and the message goes
    to the addresses checked: DNS may point its host at a private address long after it was
    saved, or between the check and the connection. The operator's own alert URL is not.
    """

    def __init__(self, url: str, allowed_hosts: frozenset[str] | None) -> None:
        self.url = url
        # None: the operator's URL, sent to as it is.
        self.allowed_hosts = allowed_hosts

    def _notifier(self) -> apprise.Apprise | CheckedWebhook:
        if self.allowed_hosts is None:
            notifier = apprise.Apprise()
            if not notifier.add(self.url):
                raise DeliveryError(f"not a notification URL Apprise knows: {_redacted(self.url)}")
            return notifier
        try:
            return checked_notifier(self.url, self.allowed_hosts, must_resolve=True)
        except WebhookRefused as exc:
            raise DeliveryError(f"{_redacted(self.url)}: refused, {exc}") from None

    def send(self, envelope: Envelope) -> None:
        result = self._notifier().notify(
            body=envelope.message.text,
            title=envelope.message.subject,
            body_format=apprise.NotifyFormat.TEXT,
        )
        if not result:
            problems = [
                entry.message for entry in result.logs() if entry.level in ("WARNING", "ERROR")
            ]
            detail = "; ".join(problems[-2:]) or "delivery failed"
            raise DeliveryError(f"{_redacted(self.url)}: {detail}")

    def close(self) -> None:
        return None


class Channels:
    """The channels of one sending run, each made once and closed at the end.

    ``members``: webhooks are members' URLs, checked before each message; else (source
    alerts) the operator's configured one.
    """

    def __init__(self, settings: Settings, *, members: bool = True) -> None:
        self.settings = settings
        self.members = members
        self._open: dict[str, Channel] = {}

    def get(self, channel: str) -> Channel:
        if channel not in self._open:
            self._open[channel] = self._make(channel)
        return self._open[channel]

    def _make(self, channel: str) -> Channel:
        if channel == EMAIL:
            if self.settings.smtp_host:
                return Smtp(self.settings)
            return OutboxFolder(self.settings.resolved_outbox_dir, self.settings)
        return Webhook(channel, self.settings.allowed_webhook_hosts if self.members else None)

    def close(self) -> None:
        for channel in self._open.values():
            channel.close()
        self._open.clear()


def _redacted(url: str) -> str:
    """The scheme and host of a webhook URL: its path often holds a secret token."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].rpartition('@')[2]}/…"
