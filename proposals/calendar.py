"""The call's deadlines as an iCalendar file, as precise as they are known.

A moment becomes a timed event (in UTC, so no calendar guesses a zone) with reminders a week
and a day before; a day becomes an all-day event; a month or a quarter becomes an all-day
event spanning it, titled so that nobody takes its first day for the deadline.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from callradar.deadlines import deadline_moment
from callradar.settings import get_settings
from callradar.text import clean_line
from proposals.context import deadline_texts
from proposals.facts import CallFacts, DeadlineFacts


def deadlines_ics(call: CallFacts, stamp: datetime) -> bytes:
    """An .ics calendar with one event per deadline of ``call``."""
    calendar = Calendar()
    calendar.add("prodid", "-//callradar//proposal pack//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", clean_line(f"Deadlines: {call.call_identifier or call.id}"))
    numbers = deadline_numbers([*call.deadline_history, [d.value for d in call.deadlines]])
    for number, deadline in zip(numbers, call.deadlines, strict=True):
        calendar.add_component(_event(call, number, deadline, stamp))
    return calendar.to_ical()


def deadline_numbers(versions: Sequence[Sequence[str]]) -> list[int]:
    """A number for each deadline of the last of ``versions`` (deadline values, oldest
    version first) that stays with that deadline from version to version.

    A value still there keeps its number; a value gone and a new one in its place (a
    deadline extended or moved) share one, paired in order; a deadline added gets a new
    number. So a source that drops a cut-off that has passed, or adds one, moves none of the
    others' events, and an extended deadline moves its own.
    """
    previous: list[tuple[str, int]] = []
    issued = 0
    for values in versions:
        kept = {value: number for value, number in previous if value in values}
        freed = [number for value, number in previous if value not in values]
        current: list[tuple[str, int]] = []
        for value in values:
            if value in kept:
                number = kept.pop(value)
            elif freed:
                number = freed.pop(0)
            else:
                issued += 1
                number = issued
            current.append((value, number))
        previous = current
    return [number for _, number in previous]


def _event(call: CallFacts, number: int, deadline: DeadlineFacts, stamp: datetime) -> Event:
    name = clean_line(call.call_identifier or call.id)
    text, _ = deadline_texts(deadline)
    event = Event()
    # A deadline has one UID in every pack (its number follows it through the call's
    # versions), and the call's version as its sequence: importing a later pack's calendar
    # moves a deadline that was extended, instead of adding it beside the stale one.
    uid = hashlib.sha1(f"{call.source}|{call.id}|{number}".encode()).hexdigest()
    event.add("uid", f"{uid}@callradar")
    event.add("sequence", call.version)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add(
        "description",
        clean_line(f"{call.title} — deadline: {text}") + (f"\n{call.url}" if call.url else ""),
    )
    if call.url:
        event.add("url", call.url)
    if deadline.precision == "datetime":
        # A moment without its offset (a call entered by hand) is CALLRADAR_TIMEZONE time,
        # as everywhere else; a floating time would be read in each reader's own zone.
        moment = deadline_moment(deadline.value, get_settings().zone)
        event.add("summary", f"Deadline: {name}")
        event.add("dtstart", moment.astimezone(UTC))
        for before in (timedelta(days=7), timedelta(days=1)):
            event.add_component(_alarm(-before, f"Deadline of {name} in {before.days} day(s)"))
    elif deadline.precision == "date":
        day = date.fromisoformat(deadline.value)
        event.add("summary", f"Deadline: {name} (time of day not given)")
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add_component(_alarm(-timedelta(days=7), f"Deadline of {name} in a week"))
    else:
        first = _period_start(deadline)
        event.add("summary", f"Deadline expected ({text}): {name}")
        event.add("dtstart", first)
        event.add("dtend", deadline.latest + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    return event


def _period_start(deadline: DeadlineFacts) -> date:
    if deadline.precision == "month":
        return deadline.latest.replace(day=1)
    return date(deadline.latest.year, deadline.latest.month - 2, 1)


def _alarm(trigger: timedelta, description: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", trigger)
    alarm.add("description", description)
    return alarm
