"""The cluster's strategy indicators, counted from the database.

Grouping happens in Python over the few timestamps involved, which keeps the queries the
same on SQLite and PostgreSQL (their date functions differ).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from callradar.models import Call, Consortium, Member, Notification

CONSORTIA_GOAL = 2
NEW_MEMBERS_GOAL = 5
YEARS_SHOWN = 5
MONTHS_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Indicators:
    years: list[int]
    consortia: list[int]
    awaiting: list[int]
    funded: list[int]
    rejected: list[int]
    new_members: list[int]
    months: list[str]
    calls_found: list[int]
    members_notified: list[int]

    @property
    def submitted(self) -> list[int]:
        """Proposals submitted: awaiting a result, or already funded or rejected."""
        return [
            a + f + r for a, f, r in zip(self.awaiting, self.funded, self.rejected, strict=True)
        ]


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC. Years and months are the
    # cluster's: in UTC, what happened in the first hour or two of one fell in the one before.
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)


def _month(moment: datetime, zone: ZoneInfo) -> str:
    return _local(moment, zone).strftime("%Y-%m")


def last_months(today: date, count: int) -> list[str]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def compute(session: Session, zone: ZoneInfo, today: date | None = None) -> Indicators:
    """The indicators by year and month in ``zone`` (CALLRADAR_TIMEZONE), up to ``today``
    (default: today there)."""
    today = today or datetime.now(zone).date()
    years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
    months = last_months(today, MONTHS_SHOWN)

    consortia = session.execute(select(Consortium.created_at, Consortium.status)).all()
    formed = Counter(_local(c.created_at, zone).year for c in consortia)
    results = Counter((_local(c.created_at, zone).year, c.status) for c in consortia)
    # The year a member joined the cluster where the office's file gives it: on the first
    # import every member would otherwise be new that year.
    joined = Counter(
        year if year is not None else _local(created, zone).year
        for year, created in session.execute(select(Member.joined, Member.created_at))
    )
    # A competition two sources list (calls linked by same_as_id) is one call found, in the
    # month its first listing was.
    first_found: dict[int, datetime] = {}
    for call_id, same_as_id, seen in session.execute(
        select(Call.id, Call.same_as_id, Call.first_seen_at)
    ):
        competition = same_as_id or call_id
        seen = _local(seen, zone)
        first_found[competition] = min(first_found.get(competition, seen), seen)
    found = Counter(_month(t, zone) for t in first_found.values())
    notified_pairs = {
        (_month(sent_at, zone), member_id)
        for sent_at, member_id in session.execute(
            select(Notification.sent_at, Notification.member_id)
        )
        if sent_at is not None
    }
    notified = Counter(month for month, _ in notified_pairs)

    return Indicators(
        years=years,
        consortia=[formed[y] for y in years],
        awaiting=[results[(y, "submitted")] for y in years],
        funded=[results[(y, "funded")] for y in years],
        rejected=[results[(y, "rejected")] for y in years],
        new_members=[joined[y] for y in years],
        months=months,
        calls_found=[found[m] for m in months],
        members_notified=[notified[m] for m in months],
    )
