"""Notification messages: one call, or a digest of several, in the contact's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from callradar.deadlines import describe
from callradar.models import Call, CallDeadline, Contact, Match, Member

TEMPLATES = Path(__file__).parent / "templates"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hello",
        "intro_one": "A funding call fits {member}:",
        "intro_digest": "Funding calls that fit {member} ({count}):",
        "subject_new": "New call for {member}: {title}",
        "subject_changed": "Call changed ({fields}): {title}",
        "subject_digest_daily": "callradar: {count} for {member} (daily digest)",
        "subject_digest_weekly": "callradar: {count} for {member} (weekly digest)",
        "new": "New call",
        "changed": "Changed",
        "deadline": "Deadline",
        "no_deadline": "not announced",
        "programme": "Programme",
        "budget": "Budget",
        "why": "Why it fits",
        "score": "score",
        "details": "Details",
        "source": "Source",
        "not_relevant": "Not relevant to us",
        "footer": "You receive this because your organisation is a member of the cluster.",
        "stop": "Stop these messages",
        "field_deadlines": "deadline",
        "field_status": "status",
        "field_budget": "budget",
    },
    "pl": {
        "greeting": "Dzień dobry",
        "intro_one": "Nabór pasujący do profilu {member}:",
        "intro_digest": "Nabory pasujące do profilu {member} ({count}):",
        "subject_new": "Nowy nabór dla {member}: {title}",
        "subject_changed": "Zmiana w naborze ({fields}): {title}",
        "subject_digest_daily": "callradar: {count} dla {member} (przegląd dzienny)",
        "subject_digest_weekly": "callradar: {count} dla {member} (przegląd tygodniowy)",
        "new": "Nowy nabór",
        "changed": "Zmiana",
        "deadline": "Termin",
        "no_deadline": "nie ogłoszono",
        "programme": "Program",
        "budget": "Budżet",
        "why": "Dlaczego pasuje",
        "score": "ocena",
        "details": "Szczegóły",
        "source": "Źródło",
        "not_relevant": "Nie dotyczy nas",
        "footer": "Otrzymują Państwo tę wiadomość jako członek klastra.",
        "stop": "Rezygnacja z tych wiadomości",
        "field_deadlines": "termin",
        "field_status": "status",
        "field_budget": "budżet",
    },
}

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
)


@dataclass(frozen=True, slots=True)
class Message:
    subject: str
    text: str
    html: str
    language: str


@dataclass(frozen=True, slots=True)
class Item:
    """One call in a message, with what the template shows of it."""

    title: str
    deadline: str | None
    programme: str | None
    budget: str | None
    score: float
    reasons: tuple[str, ...]
    changed: tuple[str, ...]
    link: str
    source_url: str | None
    not_relevant_link: str


def calls_count(count: int, language: str) -> str:
    if language != "pl":
        return f"{count} call" if count == 1 else f"{count} calls"
    if count == 1:
        return "1 nabór"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} nabory"
    return f"{count} naborów"


def format_deadline(
    deadlines: list[CallDeadline], today: date, zone: ZoneInfo, language: str
) -> str | None:
    """The next deadline as precise as known, as the web app shows it (local time for a
    moment)."""
    upcoming = sorted((d for d in deadlines if d.latest >= today), key=lambda d: d.latest)
    if not upcoming:
        return None
    return describe(upcoming[0].value, upcoming[0].precision, zone, language)


def build_item(
    call: Call,
    match: Match,
    contact: Contact,
    changed_fields: tuple[str, ...],
    base_url: str,
    today: date,
    zone: ZoneInfo,
) -> Item:
    lang = _language(contact)
    reasons = match.reasons_pl if lang == "pl" and match.reasons_pl else match.reasons
    budget = None
    if call.budget is not None:
        budget = f"{call.budget:,.0f} {call.currency or ''}".replace(",", "\u00a0").strip()
    return Item(
        title=call.title,
        deadline=format_deadline(list(call.deadlines), today, zone, lang),
        programme=call.programme,
        budget=budget,
        score=match.score,
        reasons=tuple(reasons),
        changed=tuple(STRINGS[lang][f"field_{f}"] for f in changed_fields),
        link=f"{base_url}/calls/{call.id}",
        # Stored URLs were validated as http(s); checked again because a link in an e-mail
        # is followed without the web app's escaping in between.
        source_url=call.url if call.url and call.url.startswith(("https://", "http://")) else None,
        not_relevant_link=f"{base_url}/not-relevant/{contact.unsubscribe_token}/{call.id}",
    )


def render(
    contact: Contact, member: Member, items: list[Item], rhythm: str, base_url: str
) -> Message:
    """One message: a single call for an ``immediate`` contact, else a digest."""
    lang = _language(contact)
    t = STRINGS[lang]
    if rhythm == "immediate" and len(items) == 1:
        item = items[0]
        if item.changed:
            subject = t["subject_changed"].format(fields=", ".join(item.changed), title=item.title)
        else:
            subject = t["subject_new"].format(member=member.name, title=item.title)
        intro = t["intro_one"].format(member=member.name)
    else:
        count = calls_count(len(items), lang)
        key = "subject_digest_weekly" if rhythm == "weekly" else "subject_digest_daily"
        subject = t[key].format(count=count, member=member.name)
        intro = t["intro_digest"].format(count=count, member=member.name)
    # A subject is one line whatever the call's title holds.
    subject = " ".join(subject.split())
    context = {
        "t": t,
        "lang": lang,
        "subject": subject,
        "intro": intro,
        "contact_name": contact.name,
        "items": items,
        "stop_link": stop_link(contact, base_url),
    }
    return Message(
        subject=subject,
        text=_env.get_template("message.txt").render(context),
        html=_env.get_template("message.html").render(context),
        language=lang,
    )


def stop_link(contact: Contact, base_url: str) -> str:
    return f"{base_url}/unsubscribe/{contact.unsubscribe_token}"


def _language(contact: Contact) -> str:
    return "pl" if contact.language == "pl" else "en"
