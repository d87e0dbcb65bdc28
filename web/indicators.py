"""The cluster's strategy indicators, counted from the database.

Grouping happens in Python over the few timestamps involved, which keeps the queries the
same on SQLite and PostgreSQL (their date functions differ), by the cluster's calendar
(CALLRADAR_TIMEZONE): a consortium formed at 00:30 on New Year's Day in Warsaw counts in the
new year, not in the old one of UTC.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from callradar.models import Call, Consortium, Member, Notification
from callradar.settings import get_settings

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


def _month(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m")


def last_months(today: date, count: int) -> list[str]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def compute(session: Session, today: date | None = None) -> Indicators:
    settings = get_settings()
    zone = settings.zone
    today = today or settings.today()
    years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
    months = last_months(today, MONTHS_SHOWN)

    consortia = session.execute(select(Consortium.created_at, Consortium.status)).all()
    formed = Counter(c.created_at.astimezone(zone).year for c in consortia)
    results = Counter((c.created_at.astimezone(zone).year, c.status) for c in consortia)
    # The year a member joined the cluster where the office's file gives it: on the first
    # import every member would otherwise be new that year.
    joined = Counter(
        year if year is not None else created.astimezone(zone).year
        for year, created in session.execute(select(Member.joined, Member.created_at))
    )
    found = Counter(_month(t, zone) for t in session.scalars(select(Call.first_seen_at)))
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
