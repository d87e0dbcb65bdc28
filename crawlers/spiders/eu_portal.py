"""EU Funding & Tenders Portal: open and forthcoming topics through the portal's search API.

Horizon Europe (the joint undertakings such as Chips JU, and the EIC, are Horizon topics)
and Digital Europe; topics (type 1), calls (type 2) and cascade calls (type 8). The API is
paged by identifier, one page at a time to the end; rows of one identifier are merged into
the richest one before any item is yielded.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from html import unescape
from typing import Any

from scrapy.http import Request, TextResponse

from callradar.calls import Status
from callradar.deadlines import BRUSSELS, midnight_day
from crawlers.items import RawCall
from crawlers.multipart import json_parts_body
from crawlers.spiders.base import CallSpider, LayoutChanged

SEARCH_URL = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities"
TOPIC_PAGE = PORTAL + "/topic-details/{}"
CASCADE_PAGE = PORTAL + "/competitive-calls-cs/{}"
PROSPECT_PAGE = PORTAL + "/prospect-details/{}PROSPECTSEN"

FORTHCOMING, OPEN, CLOSED = "31094501", "31094502", "31094503"
STATUSES: dict[str, Status] = {FORTHCOMING: "forthcoming", OPEN: "open", CLOSED: "closed"}
STATUS_NAMES: dict[str, Status] = {"forthcoming": "forthcoming", "open": "open", "closed": "closed"}
PROGRAMMES = {"43108390": "Horizon Europe", "43152860": "Digital Europe Programme"}
# Narrower labels the tagger and the matcher can use, read off the topic identifier.
PARTS_OF_HORIZON = {
    "HORIZON-JU-CHIPS": "Horizon Europe – Chips JU",
    "HORIZON-EIC": "Horizon Europe – EIC",
}

QUERY = {
    "bool": {
        "must": [
            {"terms": {"type": ["1", "2", "8"]}},
            {"terms": {"status": [FORTHCOMING, OPEN]}},
            {"term": {"programmePeriod": "2021 - 2027"}},
            {"terms": {"frameworkProgramme": list(PROGRAMMES)}},
        ]
    }
}
# Sorting by identifier keeps paging deterministic; the default relevance sort shuffles ties.
SORT = {"field": "identifier", "order": "ASC"}
PAGE_SIZE = 50


class EuPortalSpider(CallSpider):
    name = "eu-portal"
    title = "EU Funding & Tenders Portal"
    home_url = PORTAL + "/calls-for-proposals"
    language = "en"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: dict[str, dict[str, Any]] = {}
        self.received = 0

    async def start(self) -> AsyncIterator[Request]:
        yield self.page_request(1)

    def page_request(self, number: int) -> Request:
        # The parts must be JSON *files*: as form fields the API answers 500, and in the URL
        # the query is silently ignored.
        body, content_type = json_parts_body(
            {
                "query": json.dumps(QUERY),
                "languages": json.dumps(["en"]),
                "sort": json.dumps(SORT),
            }
        )
        url = f"{SEARCH_URL}?apiKey=SEDIA&text=***&pageSize={PAGE_SIZE}&pageNumber={number}"
        return self.request(
            url,
            self.parse_page,
            method="POST",
            body=body,
            headers={"Content-Type": content_type, "Accept": "application/json"},
            cb_kwargs={"number": number},
        )

    def parse_page(self, response: TextResponse, number: int) -> Iterator[RawCall | Request]:
        data = response.json()
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise LayoutChanged("search API answer has no 'results' list")
        total = _int(data.get("totalResults"))
        results = data["results"]
        self.received += len(results)
        known = len(self.rows)
        for row in results:
            if not isinstance(row, dict):
                self.note(f"page {number}: a result that is not an object ({str(row)[:60]!r})")
                continue
            identifier = _identifier(row)
            if identifier is None:
                self.note(f"page {number}: a result without identifier ({row.get('reference')})")
                continue
            kept = self.rows.get(identifier)
            if kept is None or _richness(row) > _richness(kept):
                self.rows[identifier] = row
        self.held = len(self.rows)
        # Without a readable total, a short page ends the listing, or a full one adding no
        # topic (an API answering the same page for any number would be paged for ever).
        more = (
            len(results) == PAGE_SIZE
            and len(self.rows) > known
            and (total is None or number * PAGE_SIZE < total)
        )
        if more and (self.args.max_pages is None or number < self.args.max_pages):
            yield self.page_request(number + 1)
            return
        if self.args.max_pages is None and total is not None and self.received < total:
            # The listing ended on a short or empty page before its stated total: what was
            # read is stored, and the coordinator told that some topics may be missing.
            self.note(
                f"the search API stated {total} results, {self.received} were received "
                f"(page {number} ended the listing with {len(results)})"
            )
        # Handed on now: if none of them makes an item, the crawl found no calls after all.
        self.held = 0
        for identifier in sorted(self.rows):
            try:
                item = topic_item(identifier, self.rows[identifier])
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                # A row in a shape not foreseen costs that topic only, not the crawl's others.
                self.skip(identifier, f"{type(exc).__name__}: {exc}")
                continue
            yield item


def topic_item(identifier: str, row: dict[str, Any]) -> RawCall:
    """The call item of one search result row."""
    meta = _metadata(row)
    actions = _json(_first(meta, "actions")) or []
    if isinstance(actions, dict):
        actions = [actions]
    action = actions[0] if isinstance(actions, list) and actions else {}
    if not isinstance(action, dict):
        action = {}
    kind = str(_first(meta, "type") or "1")
    budget = _topic_budget(meta, identifier)
    total = budget["total"] if budget else None
    return RawCall(
        id=identifier,
        title=_title(meta, row) or identifier,
        url=_public_url(kind, identifier, meta),
        description=_first(meta, "descriptionByte") or "",
        programme=_programme(identifier, _first(meta, "frameworkProgramme")),
        call_identifier=_first(meta, "callIdentifier"),
        type_of_action=_first(meta, "typesOfAction"),
        status=_status(meta, action),
        deadlines=[
            text
            for text in map(
                _date_text, _values(meta, "deadlineDate") or _values(action, "deadlineDates")
            )
            if text
        ],
        opening=_date_text(_first(meta, "startDate") or action.get("plannedOpeningDate")),
        budget=total,
        currency="EUR" if total is not None else None,
        language=_first(meta, "language") or "en",
        extra={
            "reference": row.get("reference"),
            "type": kind,
            "record_shape": "legacy"
            if "/data/topicDetails/" in (row.get("url") or "")
            else "current",
            "call_title": _first(meta, "callTitle"),
            "deadline_model": _first(meta, "deadlineModel"),
            "keywords": _strings(meta.get("keywords")),
            "tags": _strings(meta.get("tags")),
            "cross_cutting_priorities": _values(meta, "crossCuttingPriorities"),
            "destination": _first(meta, "destinationDescription"),
            **({"expected_grants": budget["expected_grants"]} if budget else {}),
        },
    )


def _title(meta: dict[str, Any], row: dict[str, Any]) -> str | None:
    """The topic's title, else the row's summary or content: the first that holds text once
    decoded (a title of a space or "&nbsp;" is none, and refused the topic)."""
    for value in (_first(meta, "title"), row.get("summary"), row.get("content")):
        if isinstance(value, str) and unescape(value).strip():
            return value
    return None


def _metadata(row: dict[str, Any]) -> dict[str, Any]:
    meta = row.get("metadata")
    return meta if isinstance(meta, dict) else {}


def _values(meta: dict[str, Any], key: str) -> list[Any]:
    """A metadata field's values: a list, though a scalar sent bare is one value (read as a
    list, a title would give its first letter and a deadline its characters)."""
    values = meta.get(key)
    if values is None or values == "":
        return []
    return values if isinstance(values, list) else [values]


def _first(meta: dict[str, Any], key: str) -> Any:
    values = _values(meta, key)
    return values[0] if values else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_text(value: Any) -> str | None:
    """A date of the API as text: ISO as given, epoch milliseconds (as topicDetails and
    older records write deadlines) as a UTC moment; either at midnight, UTC or Brussels
    time, as the day it is.

    The API writes a day as its midnight: a topic whose ``actions`` blob says
    "deadlineDates": ["2027-04-08"] has "deadlineDate": "2027-04-08T00:00:00.000+0000". Read
    as a moment, it was shown as 02:00 Warsaw time, while the portal closes at 17:00
    Brussels time; Brussels' midnight written in UTC ("2027-04-07T22:00:00.000+0000") was
    even the day before. The day is all such a value says."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            moment = datetime.fromtimestamp(float(value) / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(_OFFSET.sub(r"\1:\2", text))
        except ValueError:
            return text or None
        if moment.tzinfo is None:
            return text
    day = midnight_day(moment, UTC, BRUSSELS)
    return day.isoformat() if day else moment.isoformat()


# The API's offsets have no colon ("+0000"), which fromisoformat of Python 3.11 accepts
# only with one.
_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def _identifier(row: dict[str, Any]) -> str | None:
    meta = _metadata(row)
    value = _first(meta, "identifier") or _first(meta, "topicIdentifier")
    return str(value).strip() if value else None


def _richness(row: dict[str, Any]) -> tuple[bool, bool, int]:
    """Index stubs share identifiers with full rows; a status and a text make a row richer."""
    meta = _metadata(row)
    return (
        bool(meta.get("status")),
        bool(meta.get("descriptionByte")),
        sum(map(bool, meta.values())),
    )


def _json(value: Any) -> Any:
    """A JSON blob the API sends as a string, or None when it is absent or cut short."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return None


def _strings(values: list[Any] | None) -> list[str]:
    """Keywords: a list of strings, or in older records one JSON-encoded list."""
    values = values or []
    if len(values) == 1 and isinstance(values[0], str) and values[0].startswith("["):
        decoded = _json(values[0])
        if isinstance(decoded, list):
            return [str(v) for v in decoded]
    return [str(v) for v in values]


def _status(meta: dict[str, Any], action: dict[str, Any]) -> Status | None:
    given = action.get("status")
    # The action's status is {"id": 31094502, "abbreviation": "Open"}, or either alone.
    if isinstance(given, dict):
        given = given.get("id") or given.get("abbreviation")
    code = str(_first(meta, "status") or given or "")
    return STATUSES.get(code) or STATUS_NAMES.get(code.strip().lower())


def _programme(identifier: str, framework: str | None) -> str | None:
    for prefix, label in PARTS_OF_HORIZON.items():
        if identifier.startswith(prefix):
            return label
    return PROGRAMMES.get(str(framework)) if framework else None


def _public_url(kind: str, identifier: str, meta: dict[str, Any]) -> str:
    # The row's own url is sometimes the topicDetails JSON; the public page is built instead.
    if kind == "8" and _first(meta, "callccm2Id"):
        return CASCADE_PAGE.format(_first(meta, "callccm2Id"))
    if kind == "2" and _first(meta, "callIdentifier"):
        return PROSPECT_PAGE.format(_first(meta, "callIdentifier"))
    return TOPIC_PAGE.format(identifier)


def _topic_budget(meta: dict[str, Any], identifier: str) -> dict[str, Any] | None:
    """This topic's budget: budgetOverview lists every topic of the call, keyed by action."""
    overview = _first(meta, "budgetOverview")
    if isinstance(overview, str):
        return _budgets_of_call(overview).get(identifier)
    return _budgets(overview).get(identifier)


# Every topic of a call carries the same overview of all its topics: decoded once a call,
# not once a topic (a call of 40 topics would otherwise decode it 40 times).
@lru_cache(maxsize=64)
def _budgets_of_call(overview: str) -> dict[str, dict[str, Any]]:
    return _budgets(_json(overview))


def _budgets(overview: Any) -> dict[str, dict[str, Any]]:
    """Each topic's total budget and expected grants, summed over its actions and years.

    A figure that is not a number ("24 000 000", "n/a") is left out of the sum, and a topic
    with no figure at all has no total (None, not 0 EUR)."""
    if not isinstance(overview, dict):
        return {}
    actions = overview.get("budgetTopicActionMap")
    if not isinstance(actions, dict):
        return {}
    budgets: dict[str, dict[str, Any]] = {}
    for entries in actions.values():
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            topic = str(entry.get("action", "")).split(" - ")[0].strip()
            budget = budgets.setdefault(topic, {"total": None, "expected_grants": 0})
            years = entry.get("budgetYearMap")
            for figure in map(_figure, years.values() if isinstance(years, dict) else []):
                if figure is not None:
                    budget["total"] = (budget["total"] or 0.0) + figure
            budget["expected_grants"] += _int(entry.get("expectedGrants")) or 0
    return budgets


def _figure(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
