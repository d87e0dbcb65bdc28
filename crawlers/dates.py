"""Dates as Polish and EU sources write them, turned into ISO values no more precise than the text.

``normalise_date`` returns what ``callradar.deadlines.parse_deadline`` accepts: a moment
(``2026-06-16T16:00:00+02:00``), a day (``2026-06-16``), a month (``2026-11``) or a quarter
(``2027-Q1``). A text that names only a month or a quarter stays a month or a quarter: a day is
never invented, and a day without a year ("31 lip") is not a date at all.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from callradar.deadlines import parse_deadline

# Polish agencies publish local time without a zone.
WARSAW = ZoneInfo("Europe/Warsaw")

# Every form a month name takes in the sources: nominative ("listopad 2026"), genitive
# ("16 czerwca"), locative ("w listopadzie"), three-letter abbreviations ("31 lip"), English.
_MONTH_WORDS: dict[str, int] = {}
for _number, _forms in enumerate(
    [
        "styczeń stycznia styczniu sty january jan",
        "luty lutego lutym lut february feb",
        "marzec marca marcu mar march",
        "kwiecień kwietnia kwietniu kwi april apr",
        "maj maja maju may",
        "czerwiec czerwca czerwcu cze june jun",
        "lipiec lipca lipcu lip july jul",
        "sierpień sierpnia sierpniu sie august aug",
        "wrzesień września wrześniu wrz september sep sept",
        "październik października październiku paź paz october oct",
        "listopad listopada listopadzie lis november nov",
        "grudzień grudnia grudniu gru december dec",
    ],
    start=1,
):
    for _form in _forms.split():
        _MONTH_WORDS[_form] = _number

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WORD = r"[a-ząćęłńóśźż]+"
_ISO = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([zZ]|[+-]\d{2}:?\d{2})?)?"
)
_TIME = re.compile(
    r"^[\s,.r]*(?:do\s+)?(?:godz(?:iny|\.)?|o\s+godz\.?|at)?\s*(\d{1,2})[:.](\d{2})\b"
)
_ENGLISH_TIME = re.compile(r"^[\s,.]*(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?", re.I)
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_WORD})\.?,?\s+(\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b({_WORD})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
_QUARTER = re.compile(
    r"\b(?:(iv|iii|ii|i|[1-4])\s*(?:kw\.?|kwartał[a-z]*|quarter)|q([1-4]))\s*(?:of\s+)?(\d{4})\b",
    re.I,
)
_MONTH_YEAR = re.compile(rf"\b({_WORD})\s+(\d{{4}})\b", re.I)
_DOTTED_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{4})\b")


def normalise_date(text: str | None) -> str | None:
    """The ISO value of the first date in ``text``, as precise as the text, or None.

    >>> normalise_date("do 16 czerwca 2026 r. do godz. 16:00")
    '2026-06-16T16:00:00+02:00'
    >>> normalise_date("I kw. 2027")
    '2027-Q1'
    """
    if not text:
        return None
    text = " ".join(text.split())
    for finder in (_iso, _dotted, _day_month_year, _quarter, _month_year):
        value = finder(text)
        if value is not None:
            return value
    return None


def _iso(text: str) -> str | None:
    match = _ISO.search(text)
    if not match:
        return None
    day, clock, zone = match.groups()
    if clock is None:
        return _valid(day)
    if zone is None:
        # A moment with no zone is Warsaw time in every source that writes one (gov.pl).
        moment = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=WARSAW)
        return moment.isoformat()
    return _valid(f"{day}T{clock}{zone}")


def _dotted(text: str) -> str | None:
    match = _DOTTED.search(text)
    if not match:
        return None
    return _with_time(text[match.end() :], int(match[3]), int(match[2]), int(match[1]))


def _day_month_year(text: str) -> str | None:
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTH_WORDS.get(match[2].lower())
        if month:
            return _with_time(text[match.end() :], int(match[3]), month, int(match[1]))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _MONTH_WORDS.get(match[1].lower())
        if month:
            return _with_time(text[match.end() :], int(match[3]), month, int(match[2]))
    return None


def _quarter(text: str) -> str | None:
    match = _QUARTER.search(text)
    if not match:
        return None
    numeral = (match[1] or match[2]).lower()
    quarter = _ROMAN.get(numeral) or int(numeral)
    return f"{match[3]}-Q{quarter}"


def _month_year(text: str) -> str | None:
    for match in _MONTH_YEAR.finditer(text):
        month = _MONTH_WORDS.get(match[1].lower())
        if month:
            return f"{match[2]}-{month:02d}"
    match = _DOTTED_MONTH.search(text)
    if match and 1 <= int(match[1]) <= 12:
        return f"{match[2]}-{int(match[1]):02d}"
    return None


def _with_time(rest: str, year: int, month: int, day: int) -> str | None:
    """The day, made a Warsaw moment when an hour follows it ("…r., godz. 16:00")."""
    try:
        on = date(year, month, day)
    except ValueError:
        return None
    clock = _clock(rest)
    if clock is None:
        return on.isoformat()
    return datetime.combine(on, clock, tzinfo=WARSAW).isoformat()


def _clock(rest: str) -> time | None:
    if match := _TIME.match(rest):
        hour, minute = int(match[1]), int(match[2])
    elif match := _ENGLISH_TIME.match(rest):
        hour = int(match[1]) % 12 + (12 if match[3].lower() == "p" else 0)
        minute = int(match[2] or 0)
    else:
        return None
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _valid(value: str) -> str | None:
    try:
        return parse_deadline(value).value
    except ValueError:
        return None


def period_start(value: str) -> date:
    """The first day of the period an ISO value names (a quarter's first day, a month's 1st)."""
    deadline = parse_deadline(value)
    if deadline.precision == "quarter":
        quarter = int(value[-1])
        return date(int(value[:4]), quarter * 3 - 2, 1)
    if deadline.precision == "month":
        return date(int(value[:4]), int(value[5:7]), 1)
    return deadline.latest


_UNTIL = re.compile(r"\b(?:do|to|until)\s+(?=\d)", re.I)


def deadline_in(text: str | None) -> str | None:
    """The deadline a sentence states: the date after "do"/"to" ("od 16.03 do 16.06.2026"),
    or its only date."""
    if not text:
        return None
    text = " ".join(text.split())
    for match in reversed(list(_UNTIL.finditer(text))):
        value = normalise_date(text[match.end() :])
        if value is not None:
            return value
    return normalise_date(text)
