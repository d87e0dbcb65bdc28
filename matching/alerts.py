"""Alerting the coordinator that a source broke: by e-mail and, where set, a chat webhook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from callradar.models import User
from callradar.settings import Settings
from crawlers.health import SourceProblem
from matching.channels import EMAIL, Channels, DeliveryError, Envelope
from matching.messages import Message

_TITLES = {
    "failed-twice": "failed twice in a row",
    "empty": "returned nothing",
    "validation-drop": "its field validation dropped sharply",
}


@dataclass(frozen=True, slots=True)
class AlertResult:
    recipients: list[str]
    errors: list[str]


def alert_message(problems: list[SourceProblem], settings: Settings) -> Message:
    sources = sorted({p.source for p in problems})
    subject = f"callradar: source problem — {', '.join(sources)}"
    lines = ["These sources need a look:", ""]
    for p in problems:
        lines.append(f"- {p.source}: {_TITLES[p.problem]} (run {p.run_id})")
        lines.extend(f"    {line}" for line in p.detail.splitlines())
    lines += ["", "Earlier calls of these sources are kept; nothing was removed."]
    lines.append(f"Sources page: {settings.link_base_url}/sources")
    text = "\n".join(lines)
    html = "<pre>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>"
    return Message(subject=subject, text=text, html=html, language="en")


def coordinator_addresses(session: Session, settings: Settings) -> list[str]:
    if settings.coordinator_emails:
        return settings.coordinator_emails
    return list(
        session.scalars(
            select(User.email)
            .where(User.role == "coordinator", User.active.is_(True))
            .order_by(User.email)
        )
    )


def send_alert(
    session: Session,
    problems: list[SourceProblem],
    settings: Settings,
    channels: Channels | None = None,
) -> AlertResult:
    """Send one alert listing ``problems`` to the coordinator's e-mail and webhook.

    A channel that fails is reported in the result; the others still get the alert.
    """
    if not problems:
        return AlertResult([], [])
    message = alert_message(problems, settings)
    about = "|".join(f"{p.source}:{p.problem}:{p.run_id}" for p in problems)
    link = f"{settings.link_base_url}/sources"
    targets = [(EMAIL, address) for address in coordinator_addresses(session, settings)]
    if settings.alert_webhook:
        targets.append((settings.alert_webhook, "webhook"))
    # The alert webhook is the operator's own setting, not a member's URL.
    channels = channels or Channels(settings, members=False)
    sent: list[str] = []
    errors: list[str] = []
    try:
        for channel, address in targets:
            # The same problems to the same address give the same key, so a re-sent alert
            # replaces its outbox file; each coordinator has a file (and Message-ID) of its own.
            key = hashlib.sha256(f"{about}|{address}".encode()).hexdigest()[:24]
            envelope = Envelope(
                message, "Coordinator", address if channel == EMAIL else "", f"alert-{key}", link
            )
            try:
                channels.get(channel).send(envelope)
                sent.append(address)
            except DeliveryError as exc:
                errors.append(str(exc))
    finally:
        channels.close()
    return AlertResult(sent, errors)
