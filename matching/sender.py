"""Sending what the outbox holds, exactly once per row, across crashes and parallel runs.

Each message goes through three short transactions:

1. **claim**: ``UPDATE … SET status='sending', claimed_by=<this run> WHERE id IN (…) AND
   (status='pending' AND due, or status='sending' AND the claim is older than the lease)``.
   On PostgreSQL a second run's UPDATE waits for the first's row locks and then re-checks
   the WHERE on the new row versions; on SQLite writers take turns. Either way a row is
   claimed by one run only, and each run sends only the rows it holds.
2. **send** over the channel, outside any transaction.
3. **record**: ``status='sent'`` (or back to ``pending`` with a later ``next_attempt_at``, or
   ``failed`` after the last attempt), only where ``claimed_by`` is still this run.

A run killed between claim and send leaves rows ``sending``; the next run after the lease
(``CALLRADAR_NOTIFY_LEASE_SECONDS``) sends them. The one window left is between the channel
accepting a message and step 3: a run killed there sends that message again after the lease
(at least once, rather than risking never). The copy keeps the first one's Message-ID, so
mail systems can drop it, and an .eml in the outbox folder is replaced, not duplicated.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from callradar.db import get_engine, session_scope
from callradar.models import Call, CallVersion, Contact, Match, Member, Notification, utcnow
from callradar.settings import Settings, get_settings
from matching.channels import Channels, DeliveryError, Envelope, NotTried
from matching.messages import Item, Message, build_item, render, stop_link
from matching.outbox import IMMEDIATE
from matching.review import DISMISSED, listing_ids
from matching.store import is_open

logger = logging.getLogger(__name__)

# Retry delays after the 1st, 2nd, … failed attempt; the last repeats.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
)


@dataclass(slots=True)
class Delivery:
    """One message of a run: to whom, on which channel, about which calls, and how it went."""

    contact: str
    channel: str
    subject: str
    calls: int
    outcome: str  # sent | retry | failed | dry-run
    error: str | None = None


@dataclass(slots=True)
class SendSummary:
    sent: int = 0  # messages
    retry: int = 0
    failed: int = 0
    cancelled: int = 0  # outbox rows no longer to send
    deliveries: list[Delivery] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def _due(now: datetime, lease: timedelta):  # type: ignore[no-untyped-def]
    return or_(
        and_(Notification.status == "pending", Notification.next_attempt_at <= now),
        and_(Notification.status == "sending", Notification.claimed_at < now - lease),
    )


def send_due(
    engine: Engine | None = None,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    channels: Channels | None = None,
    on_delivery: Callable[[Delivery], None] | None = None,
) -> SendSummary:
    """Send every outbox message that is due: immediate ones one call a message, digests
    one message per contact and channel. Each message is claimed, sent and recorded on its
    own, so a failing channel delays only its own messages. ``dry_run`` sends and changes
    nothing and lists what would go."""
    engine = engine or get_engine()
    settings = settings or get_settings()
    now = now or utcnow()
    lease = timedelta(seconds=settings.notify_lease_seconds)
    run_id = uuid.uuid4().hex
    channels = channels or Channels(settings)
    summary = SendSummary()
    try:
        with session_scope(engine) as session:
            rows = session.execute(
                select(
                    Notification.id, Notification.contact_id, Notification.channel, Contact.digest
                )
                .join(Contact, Contact.id == Notification.contact_id)
                .where(_due(now, lease))
                .order_by(Notification.id)
            ).all()
        groups: dict[tuple[int, str, int], list[int]] = defaultdict(list)
        for row_id, contact_id, channel, rhythm in rows:
            # An immediate contact gets a message per call; a digest contact one per channel.
            groups[(contact_id, channel, row_id if rhythm == IMMEDIATE else 0)].append(row_id)
        for ids in groups.values():
            delivery = _send_group(
                engine, settings, ids, now, lease, run_id, channels, dry_run, summary
            )
            if delivery is not None:
                summary.deliveries.append(delivery)
                if on_delivery:
                    on_delivery(delivery)
    finally:
        channels.close()
    return summary


def _send_group(
    engine: Engine,
    settings: Settings,
    ids: list[int],
    now: datetime,
    lease: timedelta,
    run_id: str,
    channels: Channels,
    dry_run: bool,
    summary: SendSummary,
) -> Delivery | None:
    if not dry_run:
        # Its own transaction, and its first statement a write: SQLite then takes the write
        # lock at once instead of failing to upgrade a stale read snapshot.
        with engine.begin() as conn:
            conn.execute(
                update(Notification)
                .where(Notification.id.in_(ids), _due(now, lease))
                .values(
                    status="sending",
                    claimed_by=run_id,
                    claimed_at=now,
                    attempts=Notification.attempts + 1,
                )
            )
    try:
        return _deliver(engine, settings, ids, now, run_id, channels, dry_run, summary)
    except Exception as exc:
        if dry_run:
            raise
        # A fault nobody foresaw in building or sending this one message: left claimed, it
        # would stop this run here and, after each lease, every later run at the same place.
        logger.exception("message of outbox rows %s not sent", ids)
        return _not_delivered(
            engine, settings, ids, run_id, now, summary, f"{type(exc).__name__}: {exc}"
        )


def _deliver(
    engine: Engine,
    settings: Settings,
    ids: list[int],
    now: datetime,
    run_id: str,
    channels: Channels,
    dry_run: bool,
    summary: SendSummary,
) -> Delivery | None:
    with session_scope(engine) as session:
        query = select(Notification).where(Notification.id.in_(ids)).order_by(Notification.id)
        if not dry_run:
            query = query.where(Notification.claimed_by == run_id, Notification.status == "sending")
        claimed = list(session.scalars(query))
        if not claimed:
            return None
        deliverable, cancelled = _check(session, settings, claimed, now)
        if not dry_run:
            for notification, reason in cancelled:
                notification.status = "cancelled"
                notification.error = reason
            summary.cancelled += len(cancelled)
        if not deliverable:
            return None
        contact = session.get_one(Contact, deliverable[0].contact_id)
        channel = deliverable[0].channel
        envelope = _envelope(session, settings, contact, deliverable, now)
        sent_ids = [n.id for n in deliverable]
    delivery = Delivery(
        contact=contact.email,
        channel=channel,
        subject=envelope.message.subject,
        calls=len(sent_ids),
        outcome="dry-run",
    )
    if dry_run:
        return delivery
    try:
        channels.get(channel).send(envelope)
    except NotTried as exc:
        # Its claim counted an attempt: given back, or an outage of a day used up every
        # waiting message's attempts in the first run and marked them failed.
        with engine.begin() as conn:
            conn.execute(
                update(Notification)
                .where(*_held(sent_ids, run_id))
                .values(attempts=Notification.attempts - 1)
            )
        return _not_delivered(engine, settings, sent_ids, run_id, now, summary, str(exc), delivery)
    except DeliveryError as exc:
        return _not_delivered(engine, settings, sent_ids, run_id, now, summary, str(exc), delivery)
    _record(engine, sent_ids, run_id, status="sent", sent_at=utcnow(), error=None)
    delivery.outcome = "sent"
    summary.sent += 1
    return delivery


def _not_delivered(
    engine: Engine,
    settings: Settings,
    ids: list[int],
    run_id: str,
    now: datetime,
    summary: SendSummary,
    error: str,
    delivery: Delivery | None = None,
) -> Delivery:
    """Give the claimed rows back to be tried again after the back-off, or mark them failed
    after the last attempt."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(Notification.attempts, Contact.email, Notification.channel)
            .join(Contact, Contact.id == Notification.contact_id)
            .where(*_held(ids, run_id))
        ).all()
    attempts = max((row.attempts for row in rows), default=1)
    if delivery is None:
        contact, channel = (rows[0].email, rows[0].channel) if rows else ("", "")
        delivery = Delivery(contact, channel, subject="", calls=len(rows), outcome="")
    delivery.error = error
    final = attempts >= settings.notify_max_attempts
    delivery.outcome = "failed" if final else "retry"
    _record(
        engine,
        ids,
        run_id,
        status="failed" if final else "pending",
        error=error[:2000],
        next_attempt_at=None if final else now + backoff(attempts),
        claimed_by=None,
    )
    if final:
        summary.failed += 1
    else:
        summary.retry += 1
    return delivery


def _held(ids: list[int], run_id: str):  # type: ignore[no-untyped-def]
    """Of ``ids``, the rows this run claimed and has not yet recorded (not those it cancelled
    since)."""
    return (
        Notification.id.in_(ids),
        Notification.claimed_by == run_id,
        Notification.status == "sending",
    )


def _record(engine: Engine, ids: list[int], run_id: str, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(Notification).where(*_held(ids, run_id)).values(**values))


def _check(
    session: Session, settings: Settings, rows: list[Notification], now: datetime
) -> tuple[list[Notification], list[tuple[Notification, str]]]:
    """Rows still to send, and the others with why: things changed since they were queued."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    calls = {
        c.id: c
        for c in session.scalars(
            select(Call)
            .where(Call.id.in_({r.call_id for r in rows}))
            .options(selectinload(Call.deadlines))
        )
    }
    contact = session.get_one(Contact, rows[0].contact_id)
    feedback = dict(
        session.execute(
            select(Match.call_id, Match.feedback).where(
                Match.member_id == contact.member_id, Match.call_id.in_(list(calls))
            )
        ).all()
    )
    ok: list[Notification] = []
    cancelled: list[tuple[Notification, str]] = []
    for row in rows:
        call = calls[row.call_id]
        if contact.unsubscribed:
            cancelled.append((row, "contact unsubscribed"))
        elif contact.removed:
            cancelled.append((row, "contact removed from the member's list"))
        elif row.channel not in (contact.notify or ()):
            cancelled.append((row, "channel no longer among the contact's"))
        elif row.call_id not in feedback:
            cancelled.append((row, "the call no longer matches the member"))
        elif feedback[row.call_id] is not None:
            cancelled.append((row, "marked not relevant by the member"))
        elif call.review_status == DISMISSED:
            cancelled.append((row, "call dismissed by the coordinator"))
        elif not is_open(call, today):
            cancelled.append((row, "call closed before the message went"))
        else:
            ok.append(row)
    return ok, cancelled


def _envelope(
    session: Session,
    settings: Settings,
    contact: Contact,
    rows: list[Notification],
    now: datetime,
) -> Envelope:
    zone = ZoneInfo(settings.timezone)
    today = now.astimezone(zone).date()
    base_url = settings.link_base_url
    member = session.get_one(Member, contact.member_id)
    items: list[Item] = []
    for row in rows:
        call = session.scalars(
            select(Call).where(Call.id == row.call_id).options(selectinload(Call.deadlines))
        ).one()
        match = session.scalars(
            select(Match).where(Match.call_id == call.id, Match.member_id == member.id)
        ).one()
        items.append(
            build_item(
                call,
                match,
                contact,
                _changed_since_told(session, row),
                base_url,
                today,
                zone,
            )
        )
    message: Message = render(contact, member, items, contact.digest, base_url)
    key = hashlib.sha256(",".join(str(r.id) for r in rows).encode()).hexdigest()[:24]
    return Envelope(
        message=message,
        to_name=contact.name,
        to_address=contact.email,
        key=key,
        stop_link=stop_link(contact, base_url),
    )


def _changed_since_told(session: Session, row: Notification) -> tuple[str, ...]:
    """The significant fields changed since the contact was last told of the call (or, of a
    copy of a competition another source lists, since it was first told of the competition
    through another copy); empty when the call is new to them."""
    told = session.scalar(
        select(Notification.call_version)
        .where(
            Notification.contact_id == row.contact_id,
            Notification.call_id == row.call_id,
            Notification.status == "sent",
            Notification.call_version < row.call_version,
        )
        .order_by(Notification.call_version.desc())
        .limit(1)
    )
    versions = select(CallVersion.changed_fields).where(
        CallVersion.call_id == row.call_id, CallVersion.version <= row.call_version
    )
    if told is not None:
        versions = versions.where(CallVersion.version > told)
    else:
        since = _first_told_of_competition(session, row)
        if since is None:
            return ()
        versions = versions.where(CallVersion.created_at > since, CallVersion.version > 1)
    fields = {f for fs in session.scalars(versions) for f in (fs or ())}
    return tuple(f for f in ("deadlines", "status", "budget") if f in fields)


def _first_told_of_competition(session: Session, row: Notification) -> datetime | None:
    """When the contact was first sent a message about another copy of the competition the
    row's call belongs to (calls linked by ``same_as_id``), if it was."""
    return session.scalar(
        select(func.min(Notification.created_at)).where(
            Notification.contact_id == row.contact_id,
            Notification.channel == row.channel,
            Notification.call_id.in_(listing_ids(session, row.call_id)),
            Notification.call_id != row.call_id,
            Notification.status == "sent",
        )
    )
