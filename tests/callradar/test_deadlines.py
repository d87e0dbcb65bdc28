from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from callradar.deadlines import describe, parse_deadline

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        ("2027-04-08T17:00:00+02:00", "en", "2027-04-08 17:00 (Europe/Warsaw)"),
        ("2027-01-14T15:00:00+00:00", "pl", "2027-01-14 16:00 (Europe/Warsaw)"),
        ("2026-06-16", "pl", "2026-06-16"),
        ("2026-11", "en", "2026-11"),
        ("2027-Q1", "en", "Q1 2027"),
        ("2027-Q1", "pl", "I kw. 2027"),
        ("2027-Q4", "pl", "IV kw. 2027"),
    ],
)
def test_deadlines_are_shown_no_more_precise_than_known(
    value: str, language: str, shown: str
) -> None:
    deadline = parse_deadline(value)
    assert describe(deadline.value, deadline.precision, WARSAW, language) == shown


@pytest.mark.parametrize("value", ["0999-05", "0001-Q1", "2027-06", "2027-Q3"])
def test_a_month_or_quarter_parses_again_from_its_own_value(value: str) -> None:
    # Stored values are parsed again (status, storing); "999-05" would not be.
    deadline = parse_deadline(value)
    assert deadline.value == value
    assert parse_deadline(deadline.value) == deadline


@pytest.mark.parametrize("value", ["9999-12-31", "9999-12", "9999-Q4", "9999-12-31T23:00:00-05:00"])
def test_year_9999_is_a_placeholder_not_a_deadline(value: str) -> None:
    # It has no day after its last, which calendars need: the pack's deadlines.ics raised.
    with pytest.raises(ValueError, match="placeholder for no end date"):
        parse_deadline(value)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        # 23:30 UTC is 00:30 (winter) or 01:30 (summer) the next day in Warsaw.
        ("2027-04-08T23:30:00+00:00", date(2027, 4, 9)),
        ("2027-01-14T23:30:00.000+0000", date(2027, 1, 15)),
        # A moment written in a zone west of Warsaw's, still the same day there.
        ("2027-04-08T17:00:00-04:00", date(2027, 4, 8)),
        ("2027-04-08T20:00:00-04:00", date(2027, 4, 9)),
        # Written in Tokyo time, it is still the day before in Warsaw.
        ("2027-04-09T05:00:00+09:00", date(2027, 4, 8)),
        # Without an offset a moment is already Warsaw time.
        ("2027-04-08T23:30:00", date(2027, 4, 8)),
    ],
)
def test_a_moments_day_is_its_day_in_callradar_timezone(value: str, day: date) -> None:
    """A deadline's day decides when it has passed, against the date in CALLRADAR_TIMEZONE:
    judged in its own offset, a call closing at 23:30 UTC was closed for the last hour and
    a half of its last day in Warsaw, and shown a day early in the calendar feed."""
    assert parse_deadline(value).latest == day
    assert (
        parse_deadline(datetime.fromisoformat(value.replace(".000+0000", "+00:00"))).latest == day
    )


def test_a_moments_day_follows_the_zone_asked_for() -> None:
    assert parse_deadline("2027-04-08T23:30:00+00:00", ZoneInfo("UTC")).latest == date(2027, 4, 8)
    assert parse_deadline("2027-04-08T23:30:00+00:00", WARSAW).latest == date(2027, 4, 9)
