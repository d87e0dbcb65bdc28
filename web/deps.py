"""Request dependencies: the database session, the logged-in user, and role checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from callradar.models import MAX_ROW_ID, User
from callradar.settings import Settings
from web.passwords import fingerprint


class LoginRequired(Exception):
    """Raised for a request that needs a logged-in user; answered by the log-in page."""


def db_session(request: Request) -> Iterator[Session]:
    # Handlers commit what they change themselves, before they answer.
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.close()


DB = Annotated[Session, Depends(db_session)]

# A larger id names no row, and the SQLite driver fails on it (OverflowError) instead of
# finding nothing; the app's error handler answers such an address like one with no
# number: no such page.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def row_id(text: str) -> int | None:
    """A form field's id, or None if it cannot be one (str.isdigit admits "²", which int
    refuses)."""
    return int(text) if text.isdecimal() and len(text) <= 19 and int(text) <= MAX_ROW_ID else None


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(app_settings)]


def log_in(request: Request, user: User) -> None:
    request.session.clear()
    request.session["uid"] = user.id
    request.session["pv"] = session_version(user)
    # Pages answered before the user is looked up (no such page, an expired form) are in the
    # session's language: the user's own from the start.
    request.session["lang"] = user.language


def session_version(user: User) -> str:
    """What a session cookie must carry to be valid: it changes with the password and at
    every log-out."""
    return f"{fingerprint(user.password_hash)}.{user.session_epoch}"


def current_user(request: Request, session: DB) -> User | None:
    """The session's user, if it is still active and its password unchanged since log-in."""
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    user = session.get(User, uid)
    if (
        user is None
        or not user.active
        or request.session.get("pv") != session_version(user)
    ):
        request.session.clear()
        return None
    request.state.user = user
    return user


def require_user(user: Annotated[User | None, Depends(current_user)]) -> User:
    if user is None:
        raise LoginRequired
    return user


def require_coordinator(user: Annotated[User, Depends(require_user)]) -> User:
    if user.role != "coordinator":
        raise HTTPException(403)
    return user


def require_member(user: Annotated[User, Depends(require_user)]) -> User:
    if user.role != "member" or user.member_id is None:
        raise HTTPException(403)
    return user


Coordinator = Annotated[User, Depends(require_coordinator)]
MemberUser = Annotated[User, Depends(require_member)]
AnyUser = Annotated[User, Depends(require_user)]
MaybeUser = Annotated[User | None, Depends(current_user)]
