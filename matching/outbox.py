"""The notification outbox: which contact must hear of which call version, on which channel.

A row is unique per (contact, call, version, channel), so a call version is queued at most
once per contact and channel however often this runs. The version is the call's latest
*significant* version (a change of deadline, status or budget, or the first version): a
changed description alone makes a new call version but no new message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from callradar.calls import SIGNIFICANT_FIELDS
from callradar.models import Call, CallVersion, Contact, Match, Notification, utcnow
from callradar.settings import Settings, get_settings
from matching.review import CONFIRMED, DISMISSED
from matching.store import is_open

IMMEDIATE = "immediate"
# Outbox states of a message a contact has had, or will have.
TOLD = ("pending", "sending", "sent")
WEEKLY = "weekly"


@dataclass(slots=True)
class EnqueueSummary:
    queued: int = 0
    superseded: int = 0


def notify_version(call: Call) -> int:
    """The latest version of the call that changed something members care about."""
    significant = [
        v.version
        for v in call.versions
        if v.version == 1 or SIGNIFICANT_FIELDS.intersection(v.changed_fields or ())
    ]
    return max(significant, default=1)


def next_digest_at(rhythm: str, now: datetime, settings: Settings) -> datetime:
    """When a message queued now goes out: at once, or at the next digest time (local)."""
    if rhythm == IMMEDIATE:
        return now
    zone = ZoneInfo(settings.timezone)
    local = now.astimezone(zone)
    day: date = local.date()
    while True:
        slot = datetime.combine(day, time(settings.digest_hour), zone)
        if slot > local and (rhythm != WEEKLY or day.weekday() == settings.digest_weekday):
            return slot.astimezone(UTC)
        day += timedelta(days=1)


def enqueue_notifications(
    session: Session,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> EnqueueSummary:
    """Queue a message for every contact of every matched member that has not heard of the
    call's current significant version, as the notify policy allows. The caller commits.

    Policy ``after-review``: only confirmed calls; ``immediate``: any call not dismissed.
    Calls closed or past every deadline, matches marked not relevant, and contacts who
    unsubscribed get nothing. A pending message about an older version of the same call is
    superseded, so a digest lists each call once, as it is now. A message cancelled before
    it went (call dismissed, match or channel gone) is queued again once it is wanted again.
    """
    settings = settings or get_settings()
    now = now or utcnow()
    today = today or now.astimezone(ZoneInfo(settings.timezone)).date()
    query = (
        select(Match, Call)
        .join(Call, Call.id == Match.call_id)
        .where(Match.feedback.is_(None), Call.review_status != DISMISSED)
        .options(selectinload(Call.versions), selectinload(Call.deadlines))
    )
    if settings.notify_policy == "after-review":
        query = query.where(Call.review_status == CONFIRMED)
    rows = session.execute(query).all()
    member_ids = {m.member_id for m, _ in rows}
    contacts: dict[str, list[Contact]] = {}
    for contact in session.scalars(
        select(Contact).where(
            Contact.member_id.in_(member_ids),
            Contact.unsubscribed.is_(False),
            Contact.removed.is_(False),
        )
    ):
        contacts.setdefault(contact.member_id, []).append(contact)
    _follow_rhythms(session, [c for cs in contacts.values() for c in cs], settings)
    wanted: list[dict[str, object]] = []
    for match, call in rows:
        if not is_open(call, today):
            continue
        version = notify_version(call)
        for contact in contacts.get(match.member_id, ()):
            for channel in dict.fromkeys(contact.notify or ()):
                wanted.append(
                    {
                        "call_id": call.id,
                        "member_id": match.member_id,
                        "contact_id": contact.id,
                        "call_version": version,
                        "channel": channel,
                        "status": "pending",
                        "attempts": 0,
                        "next_attempt_at": next_digest_at(contact.digest, now, settings),
                        "created_at": now,
                    }
                )
    summary = EnqueueSummary()
    wanted = _one_per_competition(session, wanted)
    if not wanted:
        return summary
    existing: dict[tuple[object, ...], tuple[int, str]] = {
        (contact_id, call_id, version, channel): (row_id, status)
        for row_id, contact_id, call_id, version, channel, status in session.execute(
            select(
                Notification.id,
                Notification.contact_id,
                Notification.call_id,
                Notification.call_version,
                Notification.channel,
                Notification.status,
            ).where(Notification.call_id.in_({w["call_id"] for w in wanted}))
        )
    }
    new: list[dict[str, object]] = []
    revived: list[dict[str, object]] = []
    for w in wanted:
        found = existing.get((w["contact_id"], w["call_id"], w["call_version"], w["channel"]))
        if found is None:
            new.append(w)
        elif found[1] == "cancelled":
            # Cancelled for a reason that no longer holds (wanted rows pass every check
            # again): the call was dismissed and then confirmed, or the match, the channel
            # or the call's being open came back before the message went.
            revived.append(
                {
                    "id": found[0],
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": w["next_attempt_at"],
                    "claimed_by": None,
                    "claimed_at": None,
                    "error": None,
                    "created_at": now,
                }
            )
    if revived:
        session.execute(update(Notification), revived)
        summary.queued += len(revived)
    if not new:
        session.flush()
        return summary
    bind = session.get_bind()
    # Another process may queue the same rows at the same moment: the unique key decides.
    insert = (postgresql.insert if _is_postgres(bind) else sqlite.insert)(Notification)
    for start in range(0, len(new), 500):
        inserted = session.scalars(
            insert.values(new[start : start + 500])
            .on_conflict_do_nothing(
                index_elements=["contact_id", "call_id", "call_version", "channel"]
            )
            .returning(Notification.id)
        ).all()
        summary.queued += len(inserted)
    for item in new:
        result = session.execute(
            update(Notification)
            .where(
                Notification.contact_id == item["contact_id"],
                Notification.call_id == item["call_id"],
                Notification.channel == item["channel"],
                Notification.call_version < item["call_version"],
                Notification.status == "pending",
            )
            .values(status="superseded", error="a newer version of the call was queued")
        )
        summary.superseded += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    session.flush()
    return summary


def _one_per_competition(
    session: Session, wanted: list[dict[str, object]]
) -> list[dict[str, object]]:
    """Of calls linked as one competition listed by several sources (``same_as_id``), a
    contact hears of one: the call it was told of already (and of its changes), else the
    first-stored one among those wanted now; none once the member called one of them not
    relevant. Each call is matched on its own, so both copies of a competition often match,
    and were each sent as news. A change that another copy publishes after the contact first
    heard of the competition is a change of it too, told as that copy's (a source may be the
    only one to publish a moved deadline)."""
    # Few calls are linked (only those two sources list): all the links, with no parameter
    # per wanted call (SQLite takes at most 32766 a statement).
    roots: dict[int, int] = {}
    for call_id, same_as_id in session.execute(
        select(Call.id, Call.same_as_id).where(Call.same_as_id.is_not(None))
    ):
        roots[call_id] = roots[cast(int, same_as_id)] = cast(int, same_as_id)
    wanted_roots = {roots[c] for w in wanted if (c := cast(int, w["call_id"])) in roots}
    if not wanted_roots:
        return wanted
    linked = {call_id for call_id, root in roots.items() if root in wanted_roots}
    # A member's "not relevant" on one copy holds for the competition.
    refused = {
        (member_id, roots[call_id])
        for member_id, call_id in session.execute(
            select(Match.member_id, Match.call_id).where(
                Match.call_id.in_(linked), Match.feedback.is_not(None)
            )
        )
    }
    told: dict[tuple[object, object], set[int]] = defaultdict(set)  # (contact, channel) -> calls
    # (contact, channel, competition) -> when the contact was first told of it
    first_told: dict[tuple[object, object, int], datetime] = {}
    for contact_id, channel, call_id, queued_at in session.execute(
        select(
            Notification.contact_id,
            Notification.channel,
            Notification.call_id,
            Notification.created_at,
        ).where(Notification.call_id.in_(linked), Notification.status.in_(TOLD))
    ):
        told[(contact_id, channel)].add(call_id)
        key = (contact_id, channel, roots[call_id])
        first_told[key] = min(first_told.get(key, queued_at), queued_at)
    made = _versions_made(session, [w for w in wanted if w["call_id"] in linked])
    chosen: dict[tuple[object, object, int], int] = {}
    kept: list[dict[str, object]] = []
    for w in sorted(wanted, key=lambda w: cast(int, w["call_id"])):
        call_id = cast(int, w["call_id"])
        if call_id in linked:
            root = roots[call_id]
            if (w["member_id"], root) in refused:
                continue
            calls_told = {c for c in told[(w["contact_id"], w["channel"])] if roots[c] == root}
            if calls_told and call_id not in calls_told:
                since = first_told[(w["contact_id"], w["channel"], root)]
                version = cast(int, w["call_version"])
                changed_since = version > 1 and made.get((call_id, version), since) > since
                if not changed_since:
                    continue  # another copy, told already
            group = (w["contact_id"], w["channel"], root)
            if not calls_told and chosen.setdefault(group, call_id) != call_id:
                continue  # another copy, told now
        kept.append(w)
    return kept


def _versions_made(
    session: Session, wanted: list[dict[str, object]]
) -> dict[tuple[int, int], datetime]:
    """When each (call, version) wanted was made."""
    calls = {cast(int, w["call_id"]) for w in wanted}
    versions = {(cast(int, w["call_id"]), cast(int, w["call_version"])) for w in wanted}
    if not calls:
        return {}
    return {
        (call_id, version): made
        for call_id, version, made in session.execute(
            select(CallVersion.call_id, CallVersion.version, CallVersion.created_at).where(
                CallVersion.call_id.in_(calls)
            )
        )
        if (call_id, version) in versions
    }


def _follow_rhythms(session: Session, contacts: list[Contact], settings: Settings) -> None:
    """Give messages not yet tried the time of their contact's rhythm as it is now: one who
    switched from the weekly digest to immediate messages is not kept waiting for Monday,
    nor one who switched to the weekly digest sent a daily one."""
    by_id = {contact.id: contact for contact in contacts}
    changes: list[dict[str, object]] = []
    for row_id, contact_id, queued_at, due in session.execute(
        select(
            Notification.id,
            Notification.contact_id,
            Notification.created_at,
            Notification.next_attempt_at,
        ).where(
            Notification.contact_id.in_(by_id),
            Notification.status == "pending",
            Notification.attempts == 0,
        )
    ):
        wanted = next_digest_at(by_id[contact_id].digest, queued_at, settings)
        if wanted != due:
            changes.append({"id": row_id, "next_attempt_at": wanted})
    if changes:
        session.execute(update(Notification), changes)


def _is_postgres(bind: Engine | object) -> bool:
    dialect = getattr(bind, "dialect", None)
    return getattr(dialect, "name", "") == "postgresql"
