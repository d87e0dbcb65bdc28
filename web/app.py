"""The FastAPI application factory."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from callradar.db import make_engine, session_factory
from callradar.settings import Settings, get_settings
from web.csrf import csrf_protect
from web.deps import LoginRequired
from web.null_bytes import refuse_nul
from web.render import make_templates, render
from web.routes import (
    auth,
    consortia,
    feedback,
    members,
    portal,
    review,
    review_actions,
    sources_indicators,
)

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "callradar_session"
SESSION_MAX_AGE = 7 * 24 * 3600

# Nothing is loaded from elsewhere: scripts, styles and images come from this app only, and
# no page can be framed by another site.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Password links carry their token in the address: never pass it on to another site.
    (b"referrer-policy", b"same-origin"),
]


# Pages, packs and feeds are one user's: a browser must not show them from its cache after
# log-out (Back), nor a shared cache keep them for another user. The static files may be kept.
NO_STORE = (b"cache-control", b"no-store")
CACHEABLE_PREFIX = "/static/"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        private = not str(scope.get("path", "")).startswith(CACHEABLE_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), *SECURITY_HEADERS]
                if private and not any(name.lower() == NO_STORE[0] for name, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answers HEAD as GET, without the body: FastAPI's routes for GET refuse HEAD with 405,
    which uptime monitors and `curl -I` take for the app being down."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _login_required(request: Request, _exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code if exc.status_code in (400, 403, 404, 405, 429) else 400
    key = "error.csrf" if exc.detail == "csrf" else f"error.http_{status}"
    return render(request, "error.html", {"message_key": key, "status": status}, status)


def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # FastAPI would answer with its JSON list of problems. An address whose id is no number
    # names no page; a form with a field missing or malformed was not sent by our pages.
    in_path = all(error["loc"][0] == "path" for error in exc.errors())
    status = 404 if in_path else 400
    context = {"message_key": f"error.http_{status}", "status": status}
    return render(request, "error.html", context, status)


def create_app(engine: Engine | None = None, settings: Settings | None = None) -> FastAPI:
    """The web app over ``engine`` (default: the configured database), already migrated."""
    settings = settings or get_settings()
    engine = engine or make_engine(settings.resolved_database_url)
    app = FastAPI(
        title="callradar",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(refuse_nul), Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.sessions = session_factory(engine)
    app.state.templates = make_templates()
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.resolved_cookie_secure,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (
        auth,
        review,
        review_actions,
        consortia,
        sources_indicators,
        members,
        portal,
        feedback,
    ):
        app.include_router(module.router)
    return app
