"""Dates as Polish and EU sources write them, turned into ISO values no more precise than the text.

``normalise_date`` returns what ``callradar.deadlines.parse_deadline`` accepts: a moment
(``2026-06-16T16:00:00+02:00``), a day (``2026-06-16``), a month (``2026-11``) or a quarter
(``2027-Q1``). A text that names only a month or a quarter stays a month or a quarter: a day is
never invented, and a day without a year ("31 lip") is not a date at all.

Forms seen on the sources' pages (gov.pl, PARP, NCN, the European Funds portal and the
scrapers that read them): "16 czerwca 2026 r.", "16.06.2026 r. godz. 16:00", "2026.12.01",
"05.2024", "listopad 2026 r.", "styczeń/luty 2027 r.", "I kw. 2027", "III/IV kwartał 2026",
"I półrocze 2027", "do godz. 16:00 dnia 16 czerwca 2026", Java's "Tue Jun 30 11:00:00 CEST 2026",
English ("open from 16 March to 16 June 2026, at 2 p.m.", "16th June 2026"), Roman months
("16 VI 2026"), and ranges "od 1.02.2026 do 30.04.2026", "od 1 do 30 września 2026". Where a
text gives alternatives ("III/IV kwartał"), ``normalise_date`` takes the first and
``normalise_date(text, end=True)`` the last: an opening is the start of the window, a deadline
its end.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from callradar.deadlines import parse_deadline

# Polish agencies publish local time without a zone.
WARSAW = ZoneInfo("Europe/Warsaw")

# Every form a month name takes in the sources: nominative ("listopad 2026"), genitive
# ("16 czerwca"), locative ("w listopadzie"), three-letter abbreviations ("31 lip"), English.
_MONTH_WORDS: dict[str, int] = {}
for _number, _forms in enumerate(
    [
        "styczeń styczen stycznia styczniu sty january jan",
        "luty lutego lutym lut february feb",
        "marzec marca marcu mar march",
        "kwiecień kwiecien kwietnia kwietniu kwi april apr",
        "maj maja maju may",
        "czerwiec czerwca czerwcu cze june jun",
        "lipiec lipca lipcu lip july jul",
        "sierpień sierpien sierpnia sierpniu sie august aug",
        "wrzesień wrzesien września wrzesnia wrześniu wrz september sep sept",
        "październik pazdziernik października pazdziernika październiku paź paz october oct",
        "listopad listopada listopadzie lis november nov",
        "grudzień grudzien grudnia grudniu gru december dec",
    ],
    start=1,
):
    for _form in _forms.split():
        _MONTH_WORDS[_form] = _number

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_WORD = r"[a-ząćęłńóśźż]+"
_SPACE = re.compile(r"[\s\u00a0\u202f]+")
_OWN_FORM = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])$")
_ISO = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([zZ]|[+-]\d{2}:?\d{2})?)?"
)
# "2026.12.01", "2026/12/01"
_YEAR_FIRST = re.compile(r"\b(\d{4})[./](\d{1,2})[./](\d{1,2})\b")
# Java's Date.toString, as some pages print it: "Tue Jun 30 11:00:00 CEST 2026"
_JAVA = re.compile(
    r"\b[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2})(?::\d{2})?\s+[A-Z]{2,5}\s+(\d{4})\b"
)
_TIME = re.compile(
    # The day's name may stand between: "15.06.2027 (poniedziałek), godz. 16:00".
    r"^[\s,.(]*(?:r\.?|roku)?(?:\s*\([^()\d]{1,20}\))?"
    r"[\s,.(]*(?:do\s+)?(?:godz(?:iny|ina|\.)?|o\s+godz(?:inie|\.)?|o|at)?"
    # Not a day and month going on into a year: "…, 17.09.2027" is the next date, not 17:09.
    r"\s*(\d{1,2})[:.](\d{2})\b(?![./-]\d)"
)
_ENGLISH_TIME = re.compile(r"^[\s,.(]*(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?", re.I)
# A time written before its day: "do godz. 16:00 dnia 16 czerwca 2026"
_TIME_BEFORE = re.compile(
    r"godz(?:iny|ina|\.)?\s*(\d{1,2})[:.](\d{2})(?::\d{2})?\s*(?:w\s+dniu|dnia)?[\s,]*$", re.I
)
# An English weekday before a slashed date is the American order, as NCN's English pages
# date their news: "Thu, 04/21/2022 - 14:36" (month first).
_US_DATE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+(\d{1,2})/(\d{1,2})/(\d{4})\b"
)
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
# Months in Roman numerals, as formal Polish writes them: "16 VI 2026", "16.VI.2026 r."
_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_DATE = re.compile(
    r"(?<![\d.])(\d{1,2})[.\s]\s*(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)[.\s]\s*(\d{4})\b"
)
# A zone written after the hour: UTC/GMT, possibly with an offset ("16:00 (UTC+1)"). CET and
# "czasu lokalnego" are the Warsaw (and Brussels) time every date is read in anyway.
_UTC_AFTER = re.compile(r"\b(?:GMT|UTC)(?:\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?)?", re.I)
# English ordinals ("16th June 2026", "June 1st, 2026") as the portal's English pages write.
_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?({_WORD})\.?,?\s+(\d{{4}})\b", re.I
)
_MONTH_DAY_YEAR = re.compile(rf"\b({_WORD})\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b", re.I)
_QUARTER_WORD = r"(?:kw\.?|kwartał[a-z]*|kwartal[a-z]*|quarter)"
_ROMAN_OR_DIGIT = r"(?:iv|iii|ii|i|[1-4])"
_QUARTER = re.compile(
    rf"\b({_ROMAN_OR_DIGIT}(?:\s*[/–-]\s*{_ROMAN_OR_DIGIT})*)\s*{_QUARTER_WORD}\s*(?:of\s+)?(\d{{4}})\b"
    # "Q4/2026" as well as "Q4 2026", "Q3/Q4 2026": the slash before a year is no range.
    r"|\bq([1-4])(?:\s*[/–-]\s*q?([1-4])(?!\d))?\s*(?:/\s*)?(\d{4})\b",
    re.I,
)
_HALF = re.compile(
    r"\b(i|ii|1|2)\s*(?:półrocz[a-z]*|polrocz[a-z]*|połow[a-z]*|polow[a-z]*)\s*(\d{4})\b", re.I
)
_MONTH_YEAR = re.compile(rf"\b({_WORD}(?:\s*/\s*{_WORD})*)\s+(\d{{4}})\b", re.I)
_DOTTED_MONTH = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{4})\b")


def normalise_date(text: str | None, *, end: bool = False) -> str | None:
    """The ISO value of the first date in ``text``, as precise as the text, or None.

    With ``end``, alternatives written with a slash ("III/IV kw. 2026", "styczeń/luty 2027")
    give the last of them instead of the first. ISO values of every precision pass through.

    >>> normalise_date("do 16 czerwca 2026 r. do godz. 16:00")
    '2026-06-16T16:00:00+02:00'
    >>> normalise_date("I kw. 2027")
    '2027-Q1'
    >>> normalise_date("III/IV kwartał 2026", end=True)
    '2026-Q4'
    """
    if not text:
        return None
    return _normalise(_YEAR_SUFFIX.sub(r"\1 ", _SPACE.sub(" ", text)).strip(), end)


# "2027r.", "2027roku": the year's abbreviation typed without its space, which would keep
# the year from ending a word.
_YEAR_SUFFIX = re.compile(r"(\d{4})(?=r\.|r\b|roku\b)")


@lru_cache(maxsize=8192)
def _normalise(text: str, end: bool) -> str | None:
    if _OWN_FORM.match(text):
        return text
    for exact in (_iso, _java, _year_first, _us_date, _dotted, _roman_date, _day_month_year):
        value = exact(text)
        if value is not None:
            return value
    # A period (quarter, half-year, month): an opening takes its start, a deadline its end.
    for period in (_quarter, _half, _month_year):
        value = period(text, end)
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
        try:
            moment = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=WARSAW)
        except ValueError:
            return None
        return moment.isoformat()
    return _valid(f"{day}T{clock}{zone}")


def _java(text: str) -> str | None:
    match = _JAVA.search(text)
    if not match:
        return None
    month = _MONTH_WORDS.get(match[1].lower())
    if not month:
        return None
    try:
        on = date(int(match[5]), month, int(match[2]))
        clock = time(int(match[3]), int(match[4]))
    except ValueError:
        return None
    return datetime.combine(on, clock, tzinfo=WARSAW).isoformat()


def _year_first(text: str) -> str | None:
    match = _YEAR_FIRST.search(text)
    if not match:
        return None
    return _with_time(text, match, int(match[1]), int(match[2]), int(match[3]))


def _us_date(text: str) -> str | None:
    match = _US_DATE.search(text)
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[1]), int(match[2])).isoformat()
    except ValueError:
        return None


def _dotted(text: str) -> str | None:
    match = _DOTTED.search(text)
    if not match:
        return None
    return _with_time(text, match, int(match[3]), int(match[2]), int(match[1]))


def _roman_date(text: str) -> str | None:
    match = _ROMAN_DATE.search(text)
    if not match:
        return None
    month = _ROMAN_MONTHS.index(match[2]) + 1
    return _with_time(text, match, int(match[3]), month, int(match[1]))


def _day_month_year(text: str) -> str | None:
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTH_WORDS.get(match[2].lower())
        if month:
            return _with_time(text, match, int(match[3]), month, int(match[1]))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _MONTH_WORDS.get(match[1].lower())
        if month:
            return _with_time(text, match, int(match[3]), month, int(match[2]))
    return None


def _quarter(text: str, end: bool) -> str | None:
    match = _QUARTER.search(text)
    if not match:
        return None
    if match[1]:
        numerals = re.split(r"\s*[/–-]\s*", match[1].lower())
        year = match[2]
    else:
        numerals = [n for n in (match[3], match[4]) if n]
        year = match[5]
    numeral = numerals[-1] if end else numerals[0]
    quarter = _ROMAN.get(numeral) or int(numeral)
    return f"{year}-Q{quarter}"


def _half(text: str, end: bool) -> str | None:
    """ "I półrocze 2027": the half's first quarter, or its last with ``end``."""
    match = _HALF.search(text)
    if not match:
        return None
    first = 1 if match[1].lower() in ("i", "1") else 3
    return f"{match[2]}-Q{first + 1 if end else first}"


def _month_year(text: str, end: bool) -> str | None:
    for match in _MONTH_YEAR.finditer(text):
        words = [w.strip().lower() for w in match[1].split("/")]
        months = [_MONTH_WORDS.get(w) for w in words]
        if all(months):
            month = months[-1] if end else months[0]
            return f"{match[2]}-{month:02d}"
        # "… trwa do listopada 2026": only the word next to the year is the month.
        if _MONTH_WORDS.get(words[-1]) and len(words) == 1:
            return f"{match[2]}-{_MONTH_WORDS[words[-1]]:02d}"
    dotted = _DOTTED_MONTH.search(text)
    if dotted and 1 <= int(dotted[1]) <= 12:
        return f"{dotted[2]}-{int(dotted[1]):02d}"
    return None


def _with_time(text: str, match: re.Match[str], year: int, month: int, day: int) -> str | None:
    """The day, made a Warsaw moment when an hour goes with it ("…r., godz. 16:00")."""
    try:
        on = date(year, month, day)
    except ValueError:
        return None
    clock = _clock(text[match.end() :]) or _clock_before(text[: match.start()])
    if clock is None:
        return on.isoformat()
    return datetime.combine(on, clock, tzinfo=_zone_after(text[match.end() :])).isoformat()


def _zone_after(rest: str) -> tzinfo:
    """Warsaw, unless the hour is followed by UTC/GMT (and an offset)."""
    zone = _UTC_AFTER.search(rest[:40])
    if zone is None:
        return WARSAW
    offset = timedelta(hours=int(zone[2] or 0), minutes=int(zone[3] or 0))
    return timezone(-offset if zone[1] == "-" else offset)


def _clock(rest: str) -> time | None:
    if match := _TIME.match(rest):
        hour, minute = int(match[1]), int(match[2])
    elif match := _ENGLISH_TIME.match(rest):
        hour = int(match[1]) % 12 + (12 if match[3].lower() == "p" else 0)
        minute = int(match[2] or 0)
    else:
        return None
    return _time(hour, minute)


def _clock_before(before: str) -> time | None:
    match = _TIME_BEFORE.search(before[-40:])
    return _time(int(match[1]), int(match[2])) if match else None


def _time(hour: int, minute: int) -> time | None:
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


# A month named in words, longest forms first ("marca" before "mar").
_MONTH_NAME = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
# A dash is a range's, not a hyphen inside an ISO date ("2026-10-01"), which would cut off
# its year and month as if they were the opening; a dash right after a year is the range's
# when no ISO month and day follow ("02.04.2024-08.05.2024"). What follows is a date, a
# quarter, or a month in words ("listopad 2026 – styczeń 2027", "do stycznia 2027").
_UNTIL = re.compile(
    # "do dnia", "od dnia": the formal "until the day of", as notices write windows.
    r"(?:\b(?:do(?:\s+ko[nń]ca|\s+dnia)?|to|until|by)\s+|(?<!\d{4}-\d\d)(?!(?<=\d{4})-\d\d-\d\d)[–—-]\s*"
    # The closing's label or verb in a window given as its two ends ("Rozpoczęcie:
    # 02.03.2027 Zakończenie: 30.04.2027", "zakończenie naboru 30.04.2027", "opens on …
    # and closes on …", "… i kończy 30 kwietnia", "start … - end …").
    r"|\b(?:zako[nń]czeni[ea]|zamkni[eę]ci[ea]|koniec|deadline|closing(?:\s+date)?"
    r"|closes?(?:\s+on)?|ko[nń]czy(?:\s+si[eę])?|end)"
    r"(?:\s+(?:naboru|wniosk[oó]w|przyjmowania))*\s*:?\s*)"
    rf"(?=\d|[ivx]+\s*(?:kw|kwarta)|(?:{_MONTH_NAME})\b)",
    re.I,
)
_FROM = re.compile(r"\b(?:od(?:\s+dnia)?|from)\s+(?=\d|(?:" + _MONTH_NAME + r")\b)", re.I)
# Words saying that a window opens on the date they lead to ("Nabór wniosków rozpocznie
# się 15 marca", "zostanie uruchomiony", "trwa od"): a lone date after them is an opening.
_OPENS = re.compile(
    r"\b(?:od|from|rozpocz\w*|uruchom\w*|startuje|wystartuje|opens?|will\s+open)\b", re.I
)
# Words of a closing, which make a sentence's date its deadline whatever else it says
# ("do", "to" are as often prepositions: "wniosków do NCN", "applications to the call").
_CLOSES = re.compile(r"ko[nń]cz|zamkni[eę]|koniec|up[lł]yw|deadline|clos|\buntil\b|\bend\b", re.I)


def deadline_in(text: str | None) -> str | None:
    """The deadline a sentence states: the date after "do"/"to"/a dash ("od 16.03 do 16.06.2026",
    "1.02.2026 – 30.04.2026"), or its only date (the last of alternatives: "III/IV kw. 2026")."""
    if not text:
        return None
    text = _SPACE.sub(" ", text)
    for match in reversed(list(_UNTIL.finditer(text))):
        value = normalise_date(text[match.end() :], end=True)
        if value is not None:
            return value
    if _only_opens(text):
        return None
    return normalise_date(text, end=True)


def every_deadline(text: str | None) -> list[str]:
    """The closing of every round a text states ("I runda: 02.03.2027 – 30.04.2027; II
    runda: 01.09.2027 – 30.10.2027"), and every day of a list of them ("cut-off dates: 15
    March 2027, 17 September 2027 and 18 February 2028"), in its order; of a single window
    its deadline."""
    if not text:
        return []
    text = _SPACE.sub(" ", text)
    found: dict[str, int] = {}
    for match in _UNTIL.finditer(text):
        value = normalise_date(text[match.end() :], end=True)
        if value is not None and value not in found:
            found[value] = match.end()
    closings = set(found)
    for days in _listed_days(text):
        # Beside a closing the text words as one ("do …"), a list is its cut-offs only when
        # that closing is one of them: "Dni informacyjne: 10.01.2027, 15.01.2027; nabór do
        # 30.04.2027" lists no deadlines but the last.
        if not closings or closings.intersection(value for _, value in days):
            for start, value in days:
                found.setdefault(value, start)
    if not found and (value := deadline_in(text)) is not None:
        found[value] = 0
    return sorted(found, key=found.__getitem__)


# What may stand between the days of a list: a comma, "and", a day's hour and zone, "r."
_LIST_GAP = re.compile(
    r"(?:[\s,;.&]|\b(?:r|roku|and|i|oraz|godz(?:iny|\.)?|o|at|CET|CEST|UTC|GMT)\b"
    r"|\d{1,2}[:.]\d{2}|\b(?:Brussels|local|czasu)\s+\w+|\([^()]{0,40}\))*",
    re.I,
)
_LIST_WORD = re.compile(r"[,;&]|\b(?:and|i|oraz)\b", re.I)
# A day written in full, as the exact parsers read it.
_DAY_FORMS = (_ISO, _YEAR_FIRST, _DOTTED, _ROMAN_DATE, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR)


def _listed_days(text: str) -> list[list[tuple[int, str]]]:
    """(position, value) of each day of each list of two or more days joined by commas or
    "and" alone: several cut-offs named in one sentence. A day a range goes on from ("…
    30.04.2027, 01.09.2027 – 30.10.2027": the second round's opening) is no deadline."""
    spans: list[tuple[int, int]] = []
    for form in _DAY_FORMS:
        for match in form.finditer(text):
            if form in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR) and not any(
                _MONTH_WORDS.get((word or "").lower()) for word in match.groups()
            ):
                continue
            spans.append(match.span())
    days: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not days or start >= days[-1][1]:
            days.append((start, end))
    listed: list[list[tuple[int, str]]] = []
    run: list[tuple[int, int]] = []
    for index, (start, end) in enumerate([*days, (len(text), len(text))]):
        if run:
            gap = text[run[-1][1] : start]
            if index < len(days) and _LIST_GAP.fullmatch(gap) and _LIST_WORD.search(gap):
                run.append((start, end))
                continue
            opens_range = _UNTIL.match(text, run[-1][1]) is not None or bool(
                re.match(r"\s*[–—-]", text[run[-1][1] :])
            )
            members = run[:-1] if opens_range else run
            if len(members) > 1:
                # Each day's text runs to the next day: its hour and zone go with it.
                ends = [begin for begin, _ in run[1:]] + [len(text)]
                values = [
                    (begin, normalise_date(text[begin:after], end=True))
                    for (begin, _), after in zip(members, ends, strict=False)
                ]
                listed.append([(begin, value) for begin, value in values if value is not None])
        run = [(start, end)]
    return listed


def _only_opens(text: str) -> bool:
    """Whether ``text`` states only when a window opens ("trwa od 1.12.2026", "nabór
    rozpocznie się 15 marca 2027 r."): its date is no deadline."""
    return _OPENS.search(text) is not None and _CLOSES.search(text) is None


def period_in(text: str | None) -> tuple[str | None, str | None]:
    """(opening, deadline) of a sentence stating a window: "od 1.02.2026 do 30.04.2026",
    "16 marca – 16 czerwca 2026 r.", "trwa od 16.03.2026". A lone date is the deadline.

    An opening written without its year ("od 16 marca do 16 czerwca 2026") takes the
    deadline's year only when that keeps it before the deadline.
    """
    if not text:
        return None, None
    text = _SPACE.sub(" ", text)
    until = list(_UNTIL.finditer(text))
    start_match = _FROM.search(text)
    if not until:
        if start_match:
            return normalise_date(text[start_match.end() :]), None
        if _only_opens(text):
            return normalise_date(text), None
        return None, deadline_in(text)
    cut = until[-1]
    deadline = deadline_in(text)
    head = text[start_match.end() if start_match else 0 : cut.start()]
    opening = normalise_date(head)
    if opening is None and deadline is not None:
        opening = _borrow_year(head, deadline)
    return opening, deadline


def _borrow_year(head: str, deadline: str) -> str | None:
    """The opening of a window written without its year, or without its month and year:
    "od 16 marca do 16 czerwca 2026", "od 1 do 30 września 2026 r.", "1–30.09.2026",
    "od lipca do września 2026"; of the year before when the window crosses a new year
    ("od 1 grudnia do 31 stycznia 2027")."""
    head = head.strip()
    if (month_only := _MONTH_WORDS.get(head.rstrip(".").lower())) and "Q" not in deadline:
        year = int(deadline[:4])
        if month_only > int(deadline[5:7]):
            year -= 1
        return f"{year}-{month_only:02d}"
    if day_only := re.fullmatch(rf"(\d{{1,2}}){_ORDINAL}\.?", head, re.I):
        # Only a day: the deadline's month, when the deadline names a day.
        if len(deadline) < 10 or "Q" in deadline:
            return None
        day, month = int(day_only[1]), int(deadline[5:7])
    else:
        match = re.search(
            rf"\b(\d{{1,2}}){_ORDINAL}(?:\s+(?:of\s+)?({_WORD})|\.(\d{{1,2}})\.?)\s*$", head, re.I
        )
        if not match:
            return None
        day = int(match[1])
        month = _MONTH_WORDS.get((match[2] or "").lower()) or (int(match[3]) if match[3] else 0)
        if not month:
            return None
    year = int(deadline[:4])
    if "Q" not in deadline and month > int(deadline[5:7]):
        year -= 1
    try:
        opening = date(year, month, day)
    except ValueError:
        return None
    return opening.isoformat() if opening <= period_start(deadline) or "Q" in deadline else None


# A call with no closing date: "nabór ciągły", "w trybie ciągłym", "do wyczerpania
# alokacji/środków", "bez terminu", "open-ended", "continuous (call)".
_ROLLING = re.compile(
    r"nab[oó]r\w*\s+ci[aą]g[lł]\w*|ci[aą]g[lł]\w*\s+nab[oó]r|w\s+trybie\s+ci[aą]g[lł]\w*"
    r"|do\s+(?:czasu\s+)?wyczerpania|bez\s+(?:okre[sś]lonego\s+)?terminu"
    r"|open[-\s]ended|continuous(?:ly)?\s+open|rolling\s+(?:call|basis)|continuous\s+call",
    re.I,
)


def rolling(text: str | None) -> bool:
    """Whether ``text`` says the call has no closing date: "nabór ciągły", "nabór prowadzony
    w trybie ciągłym", "do wyczerpania środków". Such a call has no deadline to store, and
    its text is not a deadline the source failed to write."""
    return bool(text) and _ROLLING.search(_SPACE.sub(" ", text or "")) is not None
