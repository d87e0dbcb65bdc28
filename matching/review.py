"""The coordinator's review of flagged calls: confirm or dismiss, with a reason."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from callradar.models import MAX_ROW_ID, Call, Notification, utcnow

CONFIRMED = "confirmed"
DISMISSED = "dismissed"
# Outbox states in which a message may still go out; a dismissal cancels them.
UNSENT = ("pending", "sending")
# ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
_DATABASE_ID = re.compile(r"#([0-9]+)")


class CallNotFound(LookupError):
    pass


def find_call(session: Session, ref: str) -> Call:
    """A call by the source's own id (``HORIZON-CL4-…``), ``SOURCE:ID``, or ``#NUMBER``
    (the database id the web app shows in its addresses)."""
    ref = ref.strip()
    if (number := _DATABASE_ID.fullmatch(ref)) is not None:
        row_id = int(number[1])
        call = session.get(Call, row_id) if row_id <= MAX_ROW_ID else None
        if call is None:
            raise CallNotFound(f"no call with database id {number[1]}")
        return call
    calls = list(session.scalars(select(Call).where(Call.external_id == ref)))
    if not calls and ":" in ref:
        source, external_id = ref.split(":", 1)
        calls = list(
            session.scalars(
                select(Call).where(Call.source == source, Call.external_id == external_id)
            )
        )
    if not calls:
        raise CallNotFound(f"no call with id {ref!r}")
    if len(calls) > 1:
        sources = ", ".join(f"{c.source}:{c.external_id}" for c in calls)
        raise CallNotFound(f"{ref!r} names calls of several sources; use one of {sources}")
    return calls[0]


def listing_ids(session: Session, call_id: int) -> Select[int]:
    """The ids of every listing of the competition the call ``call_id`` belongs to (one call
    that several sources list, linked by ``same_as_id``); a call no other source lists, alone."""
    root = session.scalar(select(Call.same_as_id).where(Call.id == call_id)) or call_id
    return select(Call.id).where(or_(Call.id == root, Call.same_as_id == root))


def competition(session: Session, call: Call) -> list[Call]:
    """Every listing of the competition ``call`` belongs to, the first-stored one first."""
    listed = Call.id.in_(listing_ids(session, call.id))
    return list(session.scalars(select(Call).where(listed).order_by(Call.id)))


def confirm_call(
    session: Session, call: Call, reason: str | None = None, now: datetime | None = None
) -> Call:
    """Confirm the call, and the other listings of its competition: under the after-review
    policy its members are now told of it."""
    for listing in competition(session, call):
        listing.flagged = True
        listing.review_status = CONFIRMED
        listing.review_reason = reason
        listing.reviewed_at = now or utcnow()
    session.flush()
    return call


def dismiss_call(
    session: Session, call: Call, reason: str | None = None, now: datetime | None = None
) -> Call:
    """Dismiss the call and the other listings of its competition: none of them is ever sent
    to members (one left pending would be sent for the competition dismissed), and messages
    still queued are cancelled.

    A message a sender is delivering at this very moment may still arrive (see
    matching.sender on the window between sending and recording it)."""
    listings = competition(session, call)
    for listing in listings:
        listing.review_status = DISMISSED
        listing.review_reason = reason
        listing.reviewed_at = now or utcnow()
    session.execute(
        update(Notification)
        .where(
            Notification.call_id.in_([listing.id for listing in listings]),
            Notification.status.in_(UNSENT),
        )
        .values(status="cancelled", error="call dismissed by the coordinator")
    )
    session.flush()
    return call
