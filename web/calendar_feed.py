"""A member's private calendar feed (iCalendar, RFC 5545) of its matched calls' deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from callradar.models import Call

PRODID = "-//callradar//deadlines//EN"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on lines starting with a space (RFC 5545 3.1)."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return out


def _moment(value: str, zone: ZoneInfo) -> str:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        # A moment given without offset (a call entered by hand) is local time, as the web
        # pages and the e-mails show it.
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def feed(
    calls: list[Call], name: str, base_url: str, zone: ZoneInfo, now: datetime | None = None
) -> str:
    """One event per deadline; a deadline known only to the month or quarter is an all-day
    event on its last possible day, its summary saying how precise it is."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for call in calls:
        for deadline in call.deadlines:
            summary = (
                call.title
                if deadline.precision in ("datetime", "date")
                else (f"{call.title} ({deadline.value})")
            )
            lines += [
                "BEGIN:VEVENT",
                f"UID:call-{call.id}-deadline-{deadline.id}@callradar",
                f"DTSTAMP:{stamp}",
            ]
            if deadline.precision == "datetime":
                lines.append(f"DTSTART:{_moment(deadline.value, zone)}")
            else:
                day = deadline.latest
                lines += [
                    f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                    # The last day there is (a "no end date" placeholder stored before such
                    # deadlines were refused) has no day after it.
                    f"DTEND;VALUE=DATE:{day + timedelta(days=1) if day < date.max else day:%Y%m%d}",
                ]
            lines += [
                f"SUMMARY:{_escape(summary)}",
                f"URL:{base_url.rstrip('/')}/calls/{call.id}",
                f"DESCRIPTION:{_escape(call.url or '')}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
