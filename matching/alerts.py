"""Alerting the coordinator that a source broke: by e-mail and, where set, a chat webhook.

A problem is alerted when it starts, again every CALLRADAR_ALERT_REPEAT_DAYS while it lasts,
and once more when the source works again; which problems were alerted is kept in
``source_alerts``, so a source broken for a month is not an alert a day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from callradar.models import SourceAlert, User, utcnow
from callradar.settings import Settings
from crawlers.health import SourceProblem
from matching.channels import EMAIL, Channels, DeliveryError, Envelope
from matching.messages import Message

_TITLES = {
    "failed-twice": "failed twice in a row",
    "empty": "returned nothing",
    "validation-drop": "its field validation dropped sharply",
}
_OVER = {
    "failed-twice": "crawls without failing again",
    "empty": "returns calls again",
    "validation-drop": "its field validation is back to normal",
}


@dataclass(frozen=True, slots=True)
class AlertResult:
    recipients: list[str]
    errors: list[str]
    # What this alert told the coordinator: problems (new or repeated), and (source, problem)
    # of those over.
    alerted: list[SourceProblem] = field(default_factory=list)
    recovered: list[tuple[str, str]] = field(default_factory=list)


def alert_message(
    problems: list[SourceProblem],
    settings: Settings,
    open_since: dict[tuple[str, str], datetime] | None = None,
    recovered: list[SourceAlert] | None = None,
) -> Message:
    """The alert's text: ``problems`` (with when each was first alerted, where it was) and
    the ``recovered`` problems that are over."""
    open_since = open_since or {}
    recovered = recovered or []
    if problems:
        sources = sorted({p.source for p in problems})
        subject = f"callradar: source problem — {', '.join(sources)}"
    else:
        sources = sorted({a.source for a in recovered})
        subject = f"callradar: working again — {', '.join(sources)}"
    lines: list[str] = []
    if problems:
        lines += ["These sources need a look:", ""]
        for p in problems:
            since = open_since.get((p.source, p.problem))
            still = f"; still so, first alerted {_day(since, settings)}" if since else ""
            lines.append(f"- {p.source}: {_TITLES[p.problem]} (run {p.run_id}{still})")
            lines.extend(f"    {line}" for line in p.detail.splitlines())
        lines += ["", "Earlier calls of these sources are kept; nothing was removed."]
    if recovered:
        lines += ["", "Working again:", ""] if problems else ["Working again:", ""]
        for a in recovered:
            over = _OVER.get(a.problem, f"no longer {a.problem}")
            first = _day(a.first_alerted_at, settings)
            lines.append(f"- {a.source}: {over} (alerted since {first})")
    lines.append(f"Sources page: {settings.link_base_url}/sources")
    text = "\n".join(lines)
    html = "<pre>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</pre>"
    return Message(subject=subject, text=text, html=html, language="en")


def _day(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.zone).date().isoformat()


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


def alert_coordinator(
    session: Session,
    problems: list[SourceProblem],
    settings: Settings,
    channels: Channels | None = None,
    now: datetime | None = None,
) -> AlertResult:
    """Alert the coordinator about the ``problems`` not alerted lately and the alerted ones
    that are over, and remember what was alerted once it reached someone.

    Nothing is sent when nothing is new, due again or over. An alert that reached nobody is
    not remembered, so the next check tries again.
    """
    now = now or utcnow()
    open_alerts = {
        (a.source, a.problem): a
        for a in session.scalars(
            select(SourceAlert).where(SourceAlert.resolved_at.is_(None)).order_by(SourceAlert.id)
        )
    }
    current = {(p.source, p.problem) for p in problems}
    ended = [a for key, a in open_alerts.items() if key not in current]
    # A source with another problem now is not working again: its old problem is closed
    # without a word, the new one alerted.
    troubled = {p.source for p in problems}
    for a in ended:
        if a.source in troubled:
            a.resolved_at = now
    recovered = [a for a in ended if a.source not in troubled]
    repeat_before = now - timedelta(days=settings.alert_repeat_days)
    due = [
        p
        for p in problems
        if (key := (p.source, p.problem)) not in open_alerts
        or open_alerts[key].alerted_at <= repeat_before
    ]
    if not due and not recovered:
        return AlertResult([], [])
    open_since = {key: a.first_alerted_at for key, a in open_alerts.items()}
    result = send_alert(session, due, settings, channels, open_since=open_since,
                        recovered=recovered)
    if result.recipients:
        for p in due:
            key = (p.source, p.problem)
            if key in open_alerts:
                open_alerts[key].alerted_at = now
            else:
                open_alerts[key] = SourceAlert(
                    source=p.source, problem=p.problem, first_run_id=p.run_id,
                    first_alerted_at=now, alerted_at=now,
                )
                session.add(open_alerts[key])
        for a in recovered:
            a.resolved_at = now
    over = [(a.source, a.problem) for a in recovered]
    return AlertResult(result.recipients, result.errors, due, over)


def send_alert(
    session: Session,
    problems: list[SourceProblem],
    settings: Settings,
    channels: Channels | None = None,
    *,
    open_since: dict[tuple[str, str], datetime] | None = None,
    recovered: list[SourceAlert] | None = None,
) -> AlertResult:
    """Send one alert listing ``problems`` (and the ``recovered`` ones) to the coordinator's
    e-mail and webhook.

    A channel that fails is reported in the result; the others still get the alert.
    """
    recovered = recovered or []
    if not problems and not recovered:
        return AlertResult([], [])
    message = alert_message(problems, settings, open_since, recovered)
    about = "|".join(
        [f"{p.source}:{p.problem}:{p.run_id}" for p in problems]
        + [f"{a.source}:{a.problem}:over:{a.id}" for a in recovered]
    )
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
