"""Deadlines known as precisely as their source says: a moment, a day, a month, a quarter."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from callradar.settings import get_settings

Precision = Literal["datetime", "date", "month", "quarter"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
# The portal writes offsets without a colon and with milliseconds: 2027-04-08T17:00:00.000+0000
_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


@dataclass(frozen=True, slots=True, order=True)
class Deadline:
    latest: date  # the last day the deadline can fall on; first so that sorting uses it
    value: str  # ISO 8601 as precise as known: 2026-06-16T17:00:00+02:00, 2026-06, 2027-Q1
    precision: Precision

    def passed(self, today: date) -> bool:
        return self.latest < today


def parse_deadline(value: str | date | datetime, zone: ZoneInfo | None = None) -> Deadline:
    """Parse an ISO 8601 moment or date, a month ``YYYY-MM`` or a quarter ``YYYY-Qn``.

    A moment's day is its day in ``zone`` (default CALLRADAR_TIMEZONE), the one zone in
    which callradar judges a deadline passed: "2027-04-08T23:30:00+00:00" falls on the 9th
    in Warsaw, and a call closing then is still open on the 8th there.
    Raises ValueError with a message fit for a user on anything else.
    """
    zone = zone or get_settings().zone
    if isinstance(value, datetime):
        return _checked(Deadline(_local_day(value, zone), value.isoformat(), "datetime"))
    if isinstance(value, date):
        return _checked(Deadline(value, value.isoformat(), "date"))
    return _parse_text(str(value).strip(), zone.key)


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    # Without an offset a moment already is a time in ``zone`` (see deadline_moment).
    if moment.tzinfo is None:
        return moment.date()
    try:
        return moment.astimezone(zone).date()
    except OverflowError:
        # At either end of the calendar (year 1, or 9999, a "no end date" placeholder that
        # _checked refuses): its own day is as good as any.
        return moment.date()


def _checked(deadline: Deadline) -> Deadline:
    # Year 9999 is what systems write for "no end date"; it also has no day after its last,
    # which a calendar's all-day event needs (the pack's deadlines.ics raised OverflowError).
    if deadline.latest.year >= 9999:
        raise ValueError(f"{deadline.value!r} is a placeholder for no end date, not a deadline")
    return deadline


# Every stored call's deadlines are parsed several times a crawl (validation, status,
# storing); the values repeat, and a Deadline is immutable. Only text is cached: equal
# datetimes in different zones would share an entry.
@lru_cache(maxsize=4096)
def _parse_text(text: str, zone_key: str) -> Deadline:
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        last_month = quarter * 3
        last_day = calendar.monthrange(year, last_month)[1]
        # Four digits, as given: "1-Q1" for 0001-Q1 would not parse again when stored.
        return _checked(
            Deadline(date(year, last_month, last_day), f"{year:04d}-Q{quarter}", "quarter")
        )
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a valid month")
        last_day = calendar.monthrange(year, month)[1]
        return _checked(Deadline(date(year, month, last_day), f"{year:04d}-{month:02d}", "month"))
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a valid date (expected YYYY-MM-DD)") from None
        return _checked(Deadline(day, day.isoformat(), "date"))
    try:
        moment = datetime.fromisoformat(_OFFSET.sub(r"\1:\2", text))
    except ValueError:
        raise ValueError(
            f"{text!r} is not an ISO 8601 date or time, a month (YYYY-MM) or a quarter (YYYY-Qn)"
        ) from None
    return _checked(
        Deadline(_local_day(moment, ZoneInfo(zone_key)), moment.isoformat(), "datetime")
    )


_ROMAN = ("I", "II", "III", "IV")


def deadline_moment(value: str, zone: ZoneInfo) -> datetime:
    """A deadline's moment, time-zone aware. One stored without an offset (a calls file may
    give "2027-04-08T17:00") is a time in ``zone``, CALLRADAR_TIMEZONE, wherever it is shown:
    not in the machine's zone, nor in UTC."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


# The EU portal's own zone: its API writes a day as the day's midnight there, or in UTC.
BRUSSELS = ZoneInfo("Europe/Brussels")


def midnight_day(moment: datetime, *zones: tzinfo) -> date | None:
    """The day an aware ``moment`` is the midnight of, in the first of ``zones`` where it is
    one; None when it is a time of day in all of them."""
    for zone in zones:
        local = moment.astimezone(zone)
        if local.time() == time(0):
            return local.date()
    return None


def same_days_rewritten(old: list[str], new: list[str], zone: ZoneInfo) -> bool:
    """Whether ``new`` deadlines say what ``old`` said, written as days where ``old`` wrote
    each day as its midnight (in its own offset, UTC, Brussels' or ``zone``'s).

    callradar once stored the EU portal's days that way; the corrected values must not
    tell every matched member that every EU call's deadline changed.
    """
    return len(old) == len(new) and all(
        o == n or _stored_midnight_day(o, zone) == n for o, n in zip(old, new, strict=True)
    )


def _stored_midnight_day(value: str, zone: ZoneInfo) -> str | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    day = midnight_day(moment, moment.tzinfo, UTC, BRUSSELS, zone)
    return day.isoformat() if day else None


def iso_value(value: str, precision: str, zone: ZoneInfo) -> str:
    """A deadline's ISO 8601 value, a moment always with its offset (see deadline_moment)."""
    return deadline_moment(value, zone).isoformat() if precision == "datetime" else value


def describe(value: str, precision: str, zone: ZoneInfo, language: str = "en") -> str:
    """A deadline for people, no more precise than it is known: a moment in local time with
    its zone, a day, a month, or a quarter ("Q1 2027", "I kw. 2027"). A moment given without
    its offset (a call entered by hand) is read in ``zone``, not in the server's own zone."""
    if precision == "datetime":
        moment = deadline_moment(value, zone).astimezone(zone)
        return f"{moment:%Y-%m-%d %H:%M} ({zone.key})"
    if precision == "quarter":
        year, quarter = value.split("-Q")
        if language == "pl":
            return f"{_ROMAN[int(quarter) - 1]} kw. {year}"
        return f"Q{quarter} {year}"
    return value
