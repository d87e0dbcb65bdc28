"""CSRF protection: a random token per session, required on every unsafe request."""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
# The links of members' messages are authorised by the secret token in their path, not by
# a cookie, so a forged cross-site request gains nothing; and mail clients' one-click
# unsubscribe (RFC 8058) posts without any form token.
TOKEN_LINKS = ("/not-relevant/", "/unsubscribe/")


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_protect(request: Request) -> None:
    """An app-wide dependency: every form post must carry the session's token."""
    if request.method in SAFE_METHODS or request.url.path.startswith(TOKEN_LINKS):
        return
    expected = request.session.get("csrf")
    sent: object = request.headers.get("x-csrf-token")
    if sent is None:
        sent = (await request.form()).get(FIELD)
    if not (
        isinstance(expected, str)
        and isinstance(sent, str)
        and hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(403, "csrf")
