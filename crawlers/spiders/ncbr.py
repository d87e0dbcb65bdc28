"""NCBR competitions through gov.pl's competition-search JSON API; the schedule page if it fails.

The API pages unstably (rows repeat across pages whatever the sort), so rows are merged by
their ``path`` and the distinct count is checked against ``totalElements``; when short, the
listing is read once more at another page size. Its arrays (``typesOfApplicant``,
``thematicAreas``, ``dates`` …) come as JSON text inside strings (dgate ``sources/ncbr.py``,
id 70403366002); dates are Warsaw time with no zone.

The schedule page (``harmonogram-konkursow-<year>``) keeps its calls in ``<article>``:
``<h3>`` programme headings, each call a ``<details><summary>title</summary><ul><li>Label:
value</li>…`` (RadarGrantow's parser, id 71629362257). In a theme without ``<details>``
(an accordion, plain headings), each heading followed by a call's labelled dates is one.
Labels vary ("Zakończenie naboru", "Termin zakończenia naboru wniosków"), so they are
matched by their words, in lists, tables or paragraphs alike; values are dates in words,
quarters or months, "w trakcie ustalania".
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector, SelectorList
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from callradar.calls import Status
from crawlers.dates import WARSAW, deadline_in, every_deadline, normalise_date, period_in, rolling
from crawlers.items import RawCall
from crawlers.spiders.base import CALL_NUMBER, CallSpider, LayoutChanged, describe_failure, slug
from crawlers.spiders.polish import (
    clean,
    field,
    fold,
    labelled_fields,
    link,
    programme_code,
    status_word,
)

API_URL = (
    "https://www.gov.pl/api/data/competition-search?type=NCBR&language=pl&page={page}&size={size}"
)
SITE = "https://www.gov.pl"
SCHEDULE_URL = "https://www.gov.pl/web/ncbr/harmonogram-konkursow-{year}"
PAGE_SIZES = (50, 100)
# A listing of ~400 competitions; a walk this long is a loop, not a listing.
MAX_PAGES = 100
STATUSES: dict[str, Status] = {
    "ANNOUNCED": "forthcoming",
    "APPLICATIONS_IN_PROGRESS": "open",
    "APPLICATIONS_IN_EVALUATION": "closed",
    "FINISHED": "closed",
}


class NcbrSpider(CallSpider):
    name = "ncbr"
    title = "NCBR (gov.pl competition search)"
    home_url = "https://www.gov.pl/web/ncbr/konkursy"
    language = "pl"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records: dict[str, dict[str, Any]] = {}
        # Competitions listed without a ``path`` (no page, no id), by name: left out, told.
        self.pathless: set[str] = set()

    async def start(self) -> AsyncIterator[Request]:
        yield self.api_request(0, PAGE_SIZES[0])

    def api_request(self, page: int, size: int) -> Request:
        return self.request(
            API_URL.format(page=page, size=size),
            self.parse_api,
            errback=self.api_failed,
            cb_kwargs={"page": page, "size": size},
            headers={"Accept": "application/json"},
        )

    def parse_api(self, response: TextResponse, page: int, size: int) -> Iterator[Any]:
        try:
            data = response.json()
        except ValueError as exc:
            yield from self.fall_back(f"{response.url}: not JSON ({exc})")
            return
        content, total, last = _page_of(data)
        if content is None:
            yield from self.fall_back(f"{response.url}: no 'content' list in the answer")
            return
        for record in content:
            if isinstance(record, dict) and record.get("path"):
                self.records.setdefault(page_url(record["path"]), record)
            else:
                self.pathless.add(str(record.get("name") if isinstance(record, dict) else record))
        pages_read = page + 1
        if not content:
            # An empty page ends the listing even if it says it is not the last: paging on
            # would ask for empty page after empty page.
            last = True
        elif last is None:
            last = total is not None and pages_read * size >= total
        if (
            not last
            and pages_read < MAX_PAGES
            and (self.args.max_pages is None or pages_read < self.args.max_pages)
        ):
            yield self.api_request(page + 1, size)
            return
        total = total or 0
        read = len(self.records) + len(self.pathless)
        if read < total and size == PAGE_SIZES[0] and self.args.max_pages is None:
            # Unstable paging hid some rows; another page size shows them in other places.
            self.pathless.clear()
            yield self.api_request(0, PAGE_SIZES[1])
            return
        if read < total and self.args.max_pages is None:
            self.note(f"the API lists {total} competitions, {read} were read")
        for name in sorted(self.pathless):
            self.skip(name, "a competition without a path (no page to link to)")
        for path in sorted(self.records):
            record = self.records[path]
            if record.get("status") != "FINISHED":
                yield competition_item(record)

    def api_failed(self, failure: Failure) -> Iterator[Request]:
        yield from self.fall_back(describe_failure(failure))

    def fall_back(self, reason: str) -> Iterator[Request]:
        self.note(f"competition API unusable ({reason}); read the schedule page instead")
        self.records.clear()
        self.pathless.clear()
        yield self.request(SCHEDULE_URL.format(year=self.today().year), self.parse_schedule)

    def parse_schedule(self, response: Response) -> Iterator[RawCall]:
        region = response.css("article") or response.css("main") or response.css("body")
        entries = _details_entries(region) or _heading_entries(region)
        if not entries:
            raise LayoutChanged(
                "schedule page has no entries: no <details> in <article>, nor headings "
                "followed by a call's dates"
            )
        seen: dict[str, int] = {}
        for title, body, programme in entries:
            fields = labelled_fields(body)
            number = CALL_NUMBER.search(title)
            opening, deadlines = _schedule_dates(fields)
            own_page = next(
                (
                    url
                    for url in (link(response, h) for h in body.css("a::attr(href)").getall())
                    if "/web/ncbr/" in url
                ),
                None,
            )
            key = f"harmonogram-{slug(title)}"
            seen[key] = seen.get(key, 0) + 1
            yield RawCall(
                id=key if seen[key] == 1 else f"{key}-{seen[key]}",
                title=title,
                url=own_page or response.url,
                programme=programme,
                call_identifier=number[0] if number else None,
                link_key=number[0] if number else None,
                status=status_word(field(fields, "status")),
                deadlines=deadlines,
                opening=opening,
                budget=field(fields, "alokacja", "budzet", "kwota"),
                extra={
                    "announcement": field(fields, "ogloszenie", "publikacja"),
                    "programme_code": programme_code(f"{title} {programme or ''}"),
                    "from": "schedule",
                },
            )


_HEADINGS = "self::h2 or self::h3 or self::h4 or self::h5"


def _details_entries(region: SelectorList[Selector]) -> list[tuple[str, Selector, str | None]]:
    """(title, body, programme) of each ``<details>`` entry, as the schedule is written."""
    entries = []
    for entry in region.css("details"):
        title = clean(" ".join(entry.css("summary ::text").getall()))
        if not title:
            continue
        parts = entry.xpath("./*[not(self::summary)]").getall()
        body = Selector(text="<div>" + "".join(parts) + "</div>")
        heading = entry.xpath("preceding::*[self::h2 or self::h3 or self::h4][1]//text()")
        entries.append((title, body, clean(" ".join(heading.getall())) or None))
    return entries


def _heading_entries(region: SelectorList[Selector]) -> list[tuple[str, Selector, str | None]]:
    """Entries of a schedule in another theme: each call a heading (or an accordion's
    button) followed by its labelled dates, up to the next heading. Only headings whose
    text states a call's opening or closing count, so section titles and prose do not."""
    entries = []
    # A button inside a heading (an accordion's) is that heading, not a second entry.
    for heading in region.xpath(
        f".//*[({_HEADINGS} or self::button) and not(ancestor::*[{_HEADINGS}])]"
    ):
        title = clean(" ".join(heading.xpath(".//text()").getall()))
        if not title or title.endswith(":"):
            continue
        node = heading
        for _ in range(3):
            parts = []
            for sibling in node.xpath("following-sibling::*"):
                if sibling.xpath(f"self::*[{_HEADINGS}]") or sibling.xpath(f".//*[{_HEADINGS}]"):
                    break
                parts.append(sibling.get())
            body = Selector(text="<div>" + "".join(parts) + "</div>")
            if any(_schedule_dates(labelled_fields(body))):
                level = heading.xpath("name()").get() or "h3"
                higher = {
                    "h2": "self::h1",
                    "h3": "self::h2",
                    "h4": "self::h2 or self::h3",
                    "h5": "self::h2 or self::h3 or self::h4",
                }.get(level, _HEADINGS)
                above = heading.xpath(f"preceding::*[{higher}][1]//text()").getall()
                entries.append((title, body, clean(" ".join(above)) or None))
                break
            parent = node.xpath("..")
            if not parent or parent[0].xpath(f".//*[{_HEADINGS} or self::button]")[1:]:
                break
            node = parent[0]
    return entries


def _schedule_dates(fields: list[tuple[str, str]]) -> tuple[str | None, list[str]]:
    """(opening, deadlines) texts of a schedule entry: labelled apart or as one window;
    each of several cut-offs its closing names ("15.03.2027, 17.09.2027 i 18.02.2028")."""
    start = field(fields, "rozpoczecie", "otwarcie naboru", "start naboru", "poczatek naboru")
    end = field(fields, "zakonczenie", "zamkniecie naboru", "koniec naboru", "termin skladania")
    window = field(fields, "termin naboru", "nabor wnioskow", "okres naboru")
    if window and not (start and end):
        window_start, window_end = period_in(window)
        start = start or window_start
        end = end or window_end
    if end and deadline_in(end) is None and (rolling(end) or _UNDECIDED.search(fold(end))):
        # "nabór ciągły", "w trakcie ustalania": no closing date to store.
        end = None
    return start, (every_deadline(end) or [end]) if end else []


# A date the schedule has not fixed yet ("w trakcie ustalania", "do ustalenia", "TBD").
_UNDECIDED = re.compile(r"ustalan|do ustalenia|nie ustalon|zostanie okreslon|\btbd\b|\btba\b")


def competition_item(record: dict[str, Any]) -> RawCall:
    """The call item of one competition of the API."""
    url = page_url(record["path"])
    # Decoded before the number is cut off it: "…/26 &ndash; Ścieżka SMART".
    name = clean(unescape(str(record.get("name") or "")))
    number = CALL_NUMBER.search(name)
    title = name
    if number and name.startswith(number[0]):
        title = name[len(number[0]) :].lstrip(" -–—:") or name
    dates = _dates(record.get("dates"))
    end = _moment(record.get("applicationsEndDate")) or _dated(
        dates, "zakonczenie", "zamkniecie", "koniec", "termin skladania"
    )
    start = _moment(record.get("applicationsStartDate")) or _dated(
        dates, "rozpoczecie", "otwarcie", "start naboru", "poczatek"
    )
    raw_status = str(record.get("status") or "")
    status = STATUSES.get(raw_status) or status_word(raw_status.replace("_", " "))
    if status == "forthcoming" and start and normalise_date(str(start)):
        # "ANNOUNCED" lags behind the window it states: its opening date decides whether
        # the call is still forthcoming or already open (dgate reads it by the dates too).
        status = None
    return RawCall(
        id=urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1],
        title=title,
        url=url,
        description=str(record.get("description") or ""),
        programme=(number[0].split(".")[0] if number else None)
        or _first_of(_list(record.get("programmeTypes")))
        or "NCBR",
        call_identifier=number[0] if number else None,
        link_key=number[0] if number else None,
        status=status,
        deadlines=[str(end)] if end else [],
        opening=str(start) if start else None,
        budget=_budget(record.get("budget")),
        # NCBR states its allocations in złoty: a bare figure is PLN, not the default EUR.
        currency="PLN",
        extra={
            "ncbr_status": record.get("status"),
            "thematic_areas": _list(record.get("thematicAreas")),
            "types_of_applicant": _list(record.get("typesOfApplicant")),
            "sources_of_funding": _list(record.get("sourcesOfFunding")),
            "programme_types": _list(record.get("programmeTypes")),
            "announcement_date": _moment(record.get("announcementDate")),
            "results_date": _moment(record.get("resultsDate")),
            "dates": dates,
        },
    )


def _budget(value: Any) -> float | str | None:
    """The ``budget`` field: free text ("350 000 000 zł"), or a bare figure as a number or
    as text ("350000000"), which is złoty."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    return f"{text} zł" if re.fullmatch(r"\d[\d\s\u00a0.,]*", text) else text


def page_url(path: Any) -> str:
    """A competition's page: ``path`` is "/web/ncbr/<slug>", though a full URL or a path
    without its leading slash must not give "https://www.gov.plhttps//…" or a host
    "www.gov.plweb"."""
    return urljoin(SITE + "/", str(path).strip())


def _page_of(data: Any) -> tuple[list[Any] | None, int | None, bool | None]:
    """(rows, total, last) of a Spring page, whichever of its shapes the API answers in."""
    if isinstance(data, list):
        return data, len(data), True
    if not isinstance(data, dict):
        return None, None, None
    content = data.get("content")
    if content is None and isinstance(data.get("_embedded"), dict):
        content = next((v for v in data["_embedded"].values() if isinstance(v, list)), None)
    if not isinstance(content, list):
        return None, None, None
    page: dict[str, Any] = data["page"] if isinstance(data.get("page"), dict) else {}
    total = data.get("totalElements", page.get("totalElements"))
    last = data.get("last")
    if last is None and page.get("totalPages") is not None and page.get("number") is not None:
        last = int(page["number"]) + 1 >= int(page["totalPages"])
    try:
        total = int(total) if total is not None else None
    except (TypeError, ValueError):
        total = None
    return content, total, bool(last) if last is not None else None


def _list(value: Any) -> list[str]:
    """The API gives its arrays as JSON text inside a string ("[\"sme\", \"micro\"]")."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]


def _dates(value: Any) -> list[dict[str, Any]]:
    """The ``dates`` field: [{"name": "Ogłoszenie konkursu", "value": "2026-07-01T00:00:00"}].

    Its keys are read by meaning ("label"/"title"/"type" name a date, "date"/"dateValue"
    hold it) and a value may be epoch milliseconds, so a renamed key does not lose dates.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if isinstance(value, dict):
        # {"Ogłoszenie konkursu": "2026-07-01", …}
        value = [{"name": k, "value": v} for k, v in value.items()]
    if not isinstance(value, list):
        return []
    dates = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        name = str(next((entry[k] for k in _NAME_KEYS if entry.get(k)), ""))
        if entry.get("startDate") and entry.get("endDate"):
            # One entry for a window: its two ends named as the other entries name them.
            dates.append({"name": f"Rozpoczęcie: {name}", "value": _moment(entry["startDate"])})
            dates.append({"name": f"Zakończenie: {name}", "value": _moment(entry["endDate"])})
            continue
        when = next((entry[k] for k in _VALUE_KEYS if entry.get(k) not in (None, "")), None)
        dates.append({"name": name, "value": _moment(when)})
    return dates


_NAME_KEYS = ("name", "label", "title", "type", "description")
_VALUE_KEYS = ("value", "date", "dateValue", "dateTime", "startDate", "endDate")


def _moment(value: Any) -> str | None:
    """A date of the API as text: ISO as given; epoch milliseconds (or seconds) as Warsaw
    time, as the API's other dates are written."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        number = float(value)
        seconds = number / 1000 if number > 1e11 else number
        try:
            moment = datetime.fromtimestamp(seconds, WARSAW)
        except (OverflowError, OSError, ValueError):
            return None
        return moment.replace(tzinfo=None).isoformat()
    text = str(value).strip()
    return text or None


def _dated(dates: list[dict[str, Any]], *words: str) -> str | None:
    for entry in dates:
        if entry["value"] and any(w in fold(entry["name"]) for w in words):
            return str(entry["value"])
    return None


def _first_of(values: Any) -> str | None:
    if isinstance(values, list) and values:
        return str(values[0])
    return None
