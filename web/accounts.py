"""Users of the web app: creating them, inviting them, and resetting passwords by e-mail."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from callradar.models import Member, User
from callradar.settings import Settings
from callradar.text import clean_line
from web.i18n import translate
from web.mail import send_mail
from web.passwords import MIN_LENGTH, hash_password
from web.tokens import LIFETIME, LinkTokens, Purpose

Role = Literal["coordinator", "member"]
ROLES: tuple[Role, ...] = ("coordinator", "member")
_email = TypeAdapter(EmailStr)


class AccountError(ValueError):
    """A request about a user that cannot be done; ``key`` names the message to show."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def normalise_email(email: str) -> str:
    try:
        return _email.validate_python(email.strip()).lower()
    except ValidationError:
        raise AccountError("error.email_invalid", email=email) from None


def typed_address(email: str) -> str:
    """An address as typed into a log-in or reset form, as accounts are looked up by: pasted
    control characters dropped (PostgreSQL's driver fails on a NUL in a query)."""
    return clean_line(email).lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == typed_address(email)))


def create_user(
    session: Session, email: str, role: str, member_id: str | None, language: str = "pl"
) -> User:
    """A new active user, flushed. Raises AccountError naming what is wrong; when the address
    was taken meanwhile, the session is rolled back."""
    email = normalise_email(email)
    member_id = clean_line(member_id) or None
    if role not in ROLES:
        raise AccountError("error.role_invalid", role=role)
    if role == "member" and not member_id:
        raise AccountError("error.member_required")
    if member_id and session.get(Member, member_id) is None:
        raise AccountError("error.member_unknown", member=member_id)
    if find_user(session, email) is not None:
        raise AccountError("error.user_exists", email=email)
    user = User(
        email=email,
        role=role,
        member_id=member_id if role == "member" else None,
        language=language if language in ("pl", "en") else "pl",
        active=True,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        # The same address stored since the check above, by another request (an invitation
        # sent with a double click): the unique address refused this one.
        session.rollback()
        if find_user(session, email) is None:
            raise
        raise AccountError("error.user_exists", email=email) from None
    return user


def check_password(password: str, confirm: str) -> None:
    if len(password) < MIN_LENGTH:
        raise AccountError("error.password_short", n=str(MIN_LENGTH))
    if password != confirm:
        raise AccountError("error.password_mismatch")


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def links_lead_nowhere(settings: Settings, host: str, client: str) -> bool:
    """Whether links built on a request to ``host`` from ``client`` (CALLRADAR_BASE_URL
    unset) point to this machine's loopback while the person who asked is elsewhere: behind
    a reverse proxy that passes its upstream's address as Host (nginx's default) and the
    visitor's in X-Forwarded-For, which uvicorn takes for the client's."""
    return not settings.base_url and is_loopback(host) and not is_loopback(client)


def link(settings: Settings, base_url: str, token: str) -> str:
    return f"{(settings.base_url or base_url).rstrip('/')}/password?token={token}"


def send_link(settings: Settings, user: User, purpose: Purpose, base_url: str) -> tuple[str, str]:
    """E-mail the user a link to set a password (an invitation or a reset): (link, where
    the e-mail went)."""
    url = link(settings, base_url, LinkTokens(settings.resolved_secret_key()).make(user, purpose))
    hours = str(int(LIFETIME[purpose].total_seconds() // 3600))
    subject = translate(user.language, f"mail.{purpose}.subject")
    body = translate(user.language, f"mail.{purpose}.body", link=url, hours=hours, email=user.email)
    return url, send_mail(settings, user.email, subject, body)
