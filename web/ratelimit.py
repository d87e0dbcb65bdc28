"""Failed log-ins are counted per account and per IP address; too many block further tries."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from callradar.models import LoginFailure, utcnow

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 5
# Higher: several people of one organisation may share an address behind a NAT.
MAX_PER_IP = 20


def blocked(session: Session, email: str, ip: str, now: datetime | None = None) -> bool:
    since = (now or utcnow()) - WINDOW
    per_account = session.scalar(
        select(func.count()).where(LoginFailure.email == email, LoginFailure.at > since)
    )
    per_ip = session.scalar(
        select(func.count()).where(LoginFailure.ip == ip, LoginFailure.at > since)
    )
    return (per_account or 0) >= MAX_PER_ACCOUNT or (per_ip or 0) >= MAX_PER_IP


def record_failure(session: Session, email: str, ip: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))
    session.add(LoginFailure(email=email[:320], ip=ip[:64], at=now))


def clear_account(session: Session, email: str) -> None:
    """A successful log-in forgives the account's failures (not the address's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
