"""Rendering pages: the Jinja2 environment (autoescaping), the page context, flash messages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from starlette.responses import Response

from callradar import taxonomy
from callradar.deadlines import describe
from callradar.models import Match
from proposals.wording import Text
from web.csrf import FIELD as CSRF_FIELD
from web.csrf import csrf_token
from web.highlight import highlight
from web.i18n import LANGUAGES, MESSAGES, Translator

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pass_context
def format_moment(context: Context, moment: datetime | None) -> str:
    """A stored moment (UTC) in the app's time zone, as deadlines are shown: a pack made at
    00:30 in Warsaw was made that day, not at 23:30 the day before."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    zone: ZoneInfo = context["zone"]
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def shown(value: Any) -> str:
    """A snapshot value as text: lists joined, nothing as a dash."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def version_value(field: str, value: Any, _: Translator) -> str:
    """A value a call's version holds, as the page shows it: a status in the page's
    language, a budget as amounts are written."""
    if field == "status" and isinstance(value, str) and f"call.status.{value}" in MESSAGES:
        return _(f"call.status.{value}")
    if field == "budget" and isinstance(value, int | float):
        return amount(value)
    return shown(value)


def version_field(field: str, _: Translator) -> str:
    """A call's field in the page's language; a field stored by a later callradar as it is."""
    key = f"version.field.{field}"
    return _(key) if key in MESSAGES else field


def amount(value: float) -> str:
    """A sum of money as messages and packs write it: whole units, thousands grouped by
    non-breaking spaces ("12,500,000" reads as a fraction in Polish)."""
    return f"{value:,.0f}".replace(",", "\u00a0")


def is_http_url(value: Any) -> bool:
    # Only web addresses become links: a scraped "javascript:" URL must never be clickable.
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def match_reasons(match: Match, lang: str) -> list[str]:
    """A match's reasons in the page's language (matching stores English and Polish)."""
    if lang == "pl" and match.reasons_pl:
        return list(match.reasons_pl)
    return list(match.reasons)


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # Every value is escaped unless a filter hands back Markup we built ourselves.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["moment"] = format_moment
    env.filters["amount"] = amount
    env.tests["http_url"] = is_http_url
    env.globals["csrf_field"] = CSRF_FIELD
    env.globals["AREAS"] = taxonomy.AREAS
    env.globals["DOMAINS"] = taxonomy.DOMAINS
    return Jinja2Templates(env=env)


def language(request: Request) -> str:
    user = getattr(request.state, "user", None)
    if user is not None and user.language in LANGUAGES:
        return str(user.language)
    chosen = request.session.get("lang")
    return chosen if chosen in LANGUAGES else "pl"


# Flashes travel in the session cookie, and browsers drop a cookie over 4 KB without a word
# (the message is lost): what a user typed is shown clipped.
MAX_FLASH_PARAM = 200


def _clipped(value: str) -> str:
    return value if len(value) <= MAX_FLASH_PARAM else value[: MAX_FLASH_PARAM - 1] + "…"


def flash(request: Request, key: str, kind: str = "ok", **params: str) -> None:
    """A message shown once, on the next page rendered (usually after a redirect)."""
    clipped = {name: _clipped(value) for name, value in params.items()}
    request.session.setdefault("flash", []).append([kind, key, clipped])
    # The list was changed in place; the session notices assignments only.
    request.session["flash"] = request.session["flash"]


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    lang = language(request)
    zone = ZoneInfo(request.app.state.settings.timezone)
    _ = Translator(lang)
    flashes = [(kind, _(key, **params)) for kind, key, params in request.session.pop("flash", [])]
    page = {
        "_": _,
        "lang": lang,
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "flashes": flashes,
        "label": lambda code: taxonomy.label(code, lang) if code in taxonomy.ALL_CODES else code,
        "reasons": lambda match: match_reasons(match, lang),
        # A sentence of the proposals (a consortium's reasons, its rules) in this language.
        "say": lambda text: text.text(lang) if isinstance(text, Text) else str(text),
        "deadline": lambda d: describe(d.value, d.precision, zone, lang) if d else "—",
        "version_field": lambda field: version_field(field, _),
        "version_value": lambda field, value: version_value(field, value, _),
        "zone": zone,
        **(context or {}),
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, page, status_code=status_code)
