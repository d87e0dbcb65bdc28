"""The review desk's list: flagged calls, filtered and ordered for the coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Literal

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from callradar import taxonomy
from callradar.models import Call, CallDeadline, CallTag
from web.search import mentions

ReviewStatus = Literal["pending", "confirmed", "dismissed", "all"]
Sort = Literal["deadline", "newest"]
LIMIT = 200


@dataclass(frozen=True, slots=True)
class Filters:
    review: ReviewStatus = "pending"
    source: str | None = None
    programme: str | None = None
    area: str | None = None
    status: str | None = None
    within_days: int | None = None
    q: str | None = None
    sort: Sort = "deadline"


@dataclass(frozen=True, slots=True)
class Competition:
    """A row of the desk: a call, with the other sources' listings of the same competition
    (calls linked by ``same_as_id``), which the coordinator decides on together."""

    call: Call
    others: tuple[Call, ...] = ()

    @property
    def listings(self) -> tuple[Call, ...]:
        return (self.call, *self.others)


def next_deadline(call: Call, today: date) -> CallDeadline | None:
    """The call's next deadline that is not over, as precisely as it is known."""
    upcoming = [d for d in call.deadlines if d.latest >= today]
    return min(upcoming, key=lambda d: d.latest) if upcoming else None


def _query(filters: Filters, today: date) -> Select[Call]:
    query = select(Call).where(Call.flagged.is_(True))
    if filters.review != "all":
        query = query.where(Call.review_status == filters.review)
    if filters.source:
        query = query.where(Call.source == filters.source)
    if filters.programme:
        query = query.where(Call.programme == filters.programme)
    if filters.status:
        query = query.where(Call.status == filters.status)
    if filters.area:
        # A domain also finds the calls tagged with any of its areas.
        codes = [filters.area]
        if taxonomy.is_domain(filters.area):
            codes += [a.code for a in taxonomy.areas_of(filters.area)]
        query = query.where(exists().where(CallTag.call_id == Call.id, CallTag.code.in_(codes)))
    if filters.within_days is not None:
        query = query.where(
            exists().where(
                CallDeadline.call_id == Call.id,
                CallDeadline.latest >= today,
                CallDeadline.latest <= today + timedelta(days=filters.within_days),
            )
        )
    return query


def _mentions(call: Call, q: str) -> bool:
    # Searched here, not with SQL LIKE: SQLite folds the case of ASCII letters only, so
    # "BADAŃ" missed "Badań", and "_" or "%" in the search matched any text.
    return mentions(q, (call.title, call.description, call.external_id, call.call_identifier))


def flagged_calls(session: Session, filters: Filters, today: date) -> tuple[list[Competition], int]:
    """Nearest upcoming deadline first, then newest (or newest first); a competition two
    sources list once, as its listing the filters found first, the other listings beside it;
    at most ``LIMIT``, with how many competitions the filters found in all."""
    calls = [
        call
        for call in session.scalars(
            _query(filters, today).options(selectinload(Call.deadlines), selectinload(Call.tags))
        )
        if not filters.q or _mentions(call, filters.q)
    ]

    def newest(call: Call) -> float:
        return -call.first_seen_at.replace(tzinfo=call.first_seen_at.tzinfo or UTC).timestamp()

    def by_deadline(call: Call) -> tuple[bool, date, float]:
        deadline = next_deadline(call, today)
        return (deadline is None, deadline.latest if deadline else date.max, newest(call))

    calls.sort(key=by_deadline if filters.sort == "deadline" else newest)
    first: dict[int, Call] = {}
    for call in calls:
        first.setdefault(call.same_as_id or call.id, call)
    shown = list(first.items())[:LIMIT]
    return _with_other_listings(session, shown), len(first)


def _with_other_listings(session: Session, shown: list[tuple[int, Call]]) -> list[Competition]:
    # Every listing, whether the filters found it or not: the coordinator sees who lists the
    # competition (and decides for all of them) whatever the desk is filtered by.
    roots = [root for root, _ in shown]
    others: dict[int, list[Call]] = {}
    listed = or_(Call.id.in_(roots), Call.same_as_id.in_(roots))
    if roots:
        for listing in session.scalars(select(Call).where(listed).order_by(Call.id)):
            others.setdefault(listing.same_as_id or listing.id, []).append(listing)
    return [
        Competition(call, tuple(c for c in others.get(root, ()) if c.id != call.id))
        for root, call in shown
    ]


def choices(session: Session) -> dict[str, list[str]]:
    """The values the filters offer: the sources and programmes of flagged calls."""
    flagged = Call.flagged.is_(True)
    return {
        "sources": sorted(session.scalars(select(Call.source).where(flagged).distinct())),
        "programmes": sorted(
            p for p in session.scalars(select(Call.programme).where(flagged).distinct()) if p
        ),
    }
