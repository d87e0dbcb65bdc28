"""Forgetting a person on request: their contact records, web account and log-in failures.

A contact left out of the competence map is kept, marked removed, so that its notification
history and its "stop these messages" survive a re-import. When the person asks to be
forgotten (GDPR, article 17), their name and address go; the history of what was sent stays,
with no one's data in it. E-mails written to the local outbox folder (no SMTP server set) are
files outside the database: those addressed to the person are deleted too.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from callradar.models import Contact, LoginFailure, Notification, User
from matching.channels import EMAIL

ERASED_NAME = "(erased)"
_UNSENT = ("pending", "sending")


class ErasureRefused(Exception):
    """Nothing was erased, for the reason given."""


class NoRecords(ErasureRefused):
    """No record in the database has the address (it may have been erased already)."""


@dataclass(slots=True)
class Erased:
    contacts: int = 0
    # Members whose (removed) contact it was.
    members: list[str] = field(default_factory=list)
    messages: int = 0  # outbox rows cleared of the person's data
    web_accounts: int = 0
    login_failures: int = 0


def forget_person(session: Session, address: str) -> Erased:
    """Erase everything that names the person at ``address`` (any letter case).

    Refused, with nothing changed, while a member still lists them as a contact: the next
    import of the competence map would bring them back as a new contact.
    """
    wanted = address.strip().lower()
    # Compared in Python: SQLite's lower() leaves non-ASCII letters as they are.
    contacts = [c for c in session.scalars(select(Contact)) if c.email.lower() == wanted]
    users = [u for u in session.scalars(select(User)) if u.email.lower() == wanted]
    if not contacts and not users:
        raise NoRecords(f"no contact and no web account has the address {address!r}")
    coordinators = [
        u for u in session.scalars(select(User)) if u.role == "coordinator" and u.active
    ]
    if coordinators and all(u in users for u in coordinators):
        raise ErasureRefused(
            f"{address!r} is the last active coordinator's web account: make another "
            "coordinator first (callradar users add), or nobody could run the web app"
        )
    listed = sorted({c.member_id for c in contacts if not c.removed})
    if listed:
        raise ErasureRefused(
            f"{address!r} is still a contact of {', '.join(listed)}: take it out of the "
            "competence map and import the map, then run this again"
        )
    erased = Erased(contacts=len(contacts), members=sorted({c.member_id for c in contacts}))
    for contact in contacts:
        contact.name = ERASED_NAME
        # Unique per member, and no address anyone could receive mail at (RFC 2606).
        contact.email = f"erased-{contact.id}@erased.invalid"
        contact.notify = []
        contact.unsubscribed = True
        contact.unsubscribe_token = secrets.token_urlsafe(32)
    if contacts:
        for row in session.scalars(
            select(Notification).where(Notification.contact_id.in_([c.id for c in contacts]))
        ):
            if row.status in _UNSENT:
                row.status = "cancelled"
            # An error may quote the address; a chat channel is the person's own URL.
            row.error = "the contact was erased" if row.error or row.status == "cancelled" else None
            if row.channel != EMAIL:
                row.channel = f"erased:{row.id}"
            erased.messages += 1
    for user in users:
        session.delete(user)
    erased.web_accounts = len(users)
    # Kept by the address typed at log-in, or at "forgot password" with a prefix.
    failures = [
        f.id
        for f in session.scalars(select(LoginFailure))
        if f.email.lower() in (wanted, f"reset:{wanted}")
    ]
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(failures)))
    erased.login_failures = len(failures)
    session.flush()
    return erased


def _same_address(address: str) -> str:
    # As the outbox writes it: the domain may be in IDNA ("xn--…"), any part in any case.
    try:
        return validate_email(address, check_deliverability=False).normalized.casefold()
    except EmailNotValidError:
        return address.strip().casefold()


def forget_outbox_files(folder: Path, address: str) -> tuple[list[Path], list[Path]]:
    """Delete the .eml files of the outbox folder addressed to the person at ``address`` alone:
    the files deleted, and those of theirs that could not be. A file naming anyone else as a
    recipient, or that cannot be read as a message, is left as it is: it is not only theirs,
    or not known to be theirs."""
    if not folder.is_dir():
        return [], []
    wanted = _same_address(address)
    parser = BytesHeaderParser(policy=policy.default)
    deleted: list[Path] = []
    failed: list[Path] = []
    for path in sorted(folder.glob("*.eml")):
        try:
            with path.open("rb") as file:
                headers = parser.parse(file)
            recipients = [
                _same_address(a.addr_spec)
                for name in ("To", "Cc", "Bcc")
                for header in headers.get_all(name, [])
                for a in getattr(header, "addresses", ())
            ]
        except (OSError, ValueError, TypeError, IndexError):
            continue
        if recipients and all(r == wanted for r in recipients):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                failed.append(path)
            else:
                deleted.append(path)
    return deleted, failed
