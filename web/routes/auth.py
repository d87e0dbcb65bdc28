"""Log-in, log-out, password links (invitations and resets), and the choice of language."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from callradar.models import User, utcnow
from callradar.settings import Settings
from matching.channels import DeliveryError
from web import ratelimit
from web.accounts import (
    AccountError,
    check_password,
    find_user,
    is_loopback,
    links_lead_nowhere,
    send_link,
    set_password,
    typed_address,
)
from web.deps import DB, AnyUser, AppSettings, MaybeUser, log_in
from web.i18n import LANGUAGES
from web.passwords import hash_password, needs_rehash, verify_password
from web.render import flash, render
from web.tokens import LinkTokens, Purpose

logger = logging.getLogger(__name__)
router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path of this site: an absolute URL would make the log-in an open redirect."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def home(user: User) -> str:
    return "/review" if user.role == "coordinator" else "/my/calls"


@router.get("/")
def index(user: AnyUser) -> Response:
    return RedirectResponse(home(user), status_code=303)


@router.get("/login")
def login_page(request: Request, user: MaybeUser, next: str = "/") -> Response:
    if user is not None:
        return RedirectResponse(home(user), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "email": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    session: DB,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    address = typed_address(email)
    ip = request.client.host if request.client else "unknown"

    def refuse(key: str, status: int) -> Response:
        context = {"next": safe_next(next), "email": email, "error": key}
        return render(request, "login.html", context, status_code=status)

    if ratelimit.blocked(session, address, ip):
        return refuse("login.too_many", 429)
    user = find_user(session, address)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        ratelimit.record_failure(session, address, ip)
        session.commit()
        return refuse("login.failed", 401)
    ratelimit.clear_account(session, address)
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.commit()
    log_in(request, user)
    target = safe_next(next)
    return RedirectResponse(home(user) if target == "/" else target, status_code=303)


@router.post("/logout")
def logout(request: Request, session: DB, user: MaybeUser) -> Response:
    if user is not None:
        user.session_epoch += 1
        session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def reset_links_lead_here(request: Request, settings: Settings) -> bool:
    """Whether a reset link, which points to CALLRADAR_BASE_URL or without it to
    127.0.0.1:8000, leads the person asking back to this app: without the setting only when
    they browse it on its own machine (the demo), by a loopback address from a loopback
    address. What the request says only decides whether a mail goes, never where its link
    points."""
    if settings.base_url:
        return True
    client = request.client.host if request.client else ""
    host = request.url.hostname or ""
    return is_loopback(host) and not links_lead_nowhere(settings, host, client)


@router.get("/forgot")
def forgot_page(request: Request, settings: AppSettings) -> Response:
    return render(request, "forgot.html", {"available": reset_links_lead_here(request, settings)})


@router.post("/forgot")
def forgot(
    request: Request, session: DB, settings: AppSettings, email: Annotated[str, Form()]
) -> Response:
    if not reset_links_lead_here(request, settings):
        # A link to this server's loopback leads nowhere from the member's computer: better
        # no mail, and the page says why (the same whoever asks: it reveals no account).
        logger.warning("password reset not mailed: CALLRADAR_BASE_URL is unset")
        return RedirectResponse("/forgot", status_code=303)
    # Each request counts like a failed log-in (of the address marked as a reset), so the
    # form cannot flood anyone's mailbox; the answer is the same either way.
    key = f"reset:{typed_address(email)}"
    ip = request.client.host if request.client else "unknown"
    if ratelimit.blocked(session, key, ip):
        flash(request, "forgot.sent")
        return RedirectResponse("/login", status_code=303)
    ratelimit.record_failure(session, key, ip)
    session.commit()
    user = find_user(session, email)
    if user is not None and user.active:
        try:
            # Not the address this request came to: its Host header is the sender's to
            # choose, and the link carries the account's token.
            send_link(settings, user, Purpose.RESET, settings.link_base_url)
        except DeliveryError as exc:
            # Logged, not shown: the answer must not tell who has an account.
            logger.error("password reset e-mail to %s not sent: %s", user.email, exc)
    # The same answer whether or not the address is known: it tells nobody who has an account.
    flash(request, "forgot.sent")
    return RedirectResponse("/login", status_code=303)


def _link_user(session: DB, settings: AppSettings, token: str) -> tuple[User, Purpose] | None:
    tokens = LinkTokens(settings.resolved_secret_key())
    for purpose in Purpose:
        found = tokens.user_id(token, purpose)
        if found is not None:
            user = session.get(User, found[0])
            return (user, purpose) if tokens.check(user, token, purpose) and user else None
    return None


@router.get("/password")
def password_page(
    request: Request, session: DB, settings: AppSettings, token: str = ""
) -> Response:
    found = _link_user(session, settings, token)
    if found is None:
        return render(
            request, "error.html", {"message_key": "password.link_invalid", "status": 400}, 400
        )
    user, purpose = found
    # The person following the link reads the app in the language chosen for their account,
    # unless they have just chosen the other one on this page.
    request.session.setdefault("lang", user.language)
    context = {"token": token, "email": user.email, "purpose": str(purpose), "error": None}
    return render(request, "password.html", context)


@router.post("/password")
def password(
    request: Request,
    session: DB,
    settings: AppSettings,
    token: Annotated[str, Form()],
    password: Annotated[str, Form()],
    confirm: Annotated[str, Form()],
) -> Response:
    found = _link_user(session, settings, token)
    if found is None:
        return render(
            request, "error.html", {"message_key": "password.link_invalid", "status": 400}, 400
        )
    user, purpose = found
    try:
        check_password(password, confirm)
    except AccountError as exc:
        context = {"token": token, "email": user.email, "purpose": str(purpose), "error": exc}
        return render(request, "password.html", context, status_code=400)
    set_password(user, password)
    ratelimit.clear_account(session, user.email)
    session.commit()
    request.session.clear()
    flash(request, "password.set")
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
def choose_language(
    request: Request,
    session: DB,
    user: MaybeUser,
    lang: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    if lang in LANGUAGES:
        if user is not None:
            user.language = lang
            session.commit()
        request.session["lang"] = lang
    return RedirectResponse(safe_next(next), status_code=303)
