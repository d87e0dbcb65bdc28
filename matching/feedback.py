"""What members tell us: a call is not relevant to them; stop these messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from callradar.models import Contact, Match, Notification, utcnow
from matching.review import UNSENT, listing_ids

NOT_RELEVANT = "not-relevant"


class MatchNotFound(LookupError):
    pass


def mark_not_relevant(
    session: Session, member_id: str, call_id: int, now: datetime | None = None
) -> Match:
    """Record that the call is not relevant to the member: it is not sent to any of the
    member's contacts again, and the match (score, reasons) is kept with the feedback, for
    tuning. Raises MatchNotFound when the call never matched the member."""
    match = session.scalar(
        select(Match).where(Match.member_id == member_id, Match.call_id == call_id)
    )
    if match is None:
        raise MatchNotFound(f"call {call_id} did not match member {member_id!r}")
    match.feedback = NOT_RELEVANT
    match.feedback_at = now or utcnow()
    # A competition two sources list (linked by same_as_id) is one call to the member: a
    # message already queued about the other listing is not sent either.
    group = listing_ids(session, call_id)
    session.execute(
        update(Notification)
        .where(
            Notification.member_id == member_id,
            Notification.call_id.in_(group),
            Notification.status.in_(UNSENT),
        )
        .values(status="cancelled", error="marked not relevant by the member")
    )
    session.flush()
    return match


def contact_for_token(session: Session, token: str) -> Contact | None:
    if not token:
        return None
    return session.scalar(select(Contact).where(Contact.unsubscribe_token == token))


def not_relevant_by_token(
    session: Session, token: str, call_id: int, now: datetime | None = None
) -> Match | None:
    """The "not relevant" link of a message: the contact's token stands for its member."""
    contact = contact_for_token(session, token)
    if contact is None:
        return None
    try:
        return mark_not_relevant(session, contact.member_id, call_id, now)
    except MatchNotFound:
        return None


def unsubscribe(session: Session, token: str) -> Contact | None:
    """The stop link of every message: the contact gets no more messages of any kind."""
    contact = contact_for_token(session, token)
    if contact is None:
        return None
    contact.unsubscribed = True
    session.execute(
        update(Notification)
        .where(Notification.contact_id == contact.id, Notification.status.in_(UNSENT))
        .values(status="cancelled", error="contact unsubscribed")
    )
    session.flush()
    return contact
