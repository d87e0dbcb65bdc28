"""EU Funding & Tenders Portal: open and forthcoming topics through the portal's search API.

Horizon Europe (the joint undertakings such as Chips JU, and the EIC, are Horizon topics)
and Digital Europe; topics (type 1), calls (type 2) and cascade calls (type 8). The API is
paged by identifier, one page at a time to the end; rows of one identifier are merged into
the richest one before any item is yielded.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from functools import lru_cache
from typing import Any

from scrapy.http import Request, TextResponse

from callradar.calls import Status
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
        total = int(data.get("totalResults", 0))
        results = data["results"]
        for row in results:
            identifier = _identifier(row)
            if identifier is None:
                self.note(f"page {number}: a result without identifier ({row.get('reference')})")
                continue
            kept = self.rows.get(identifier)
            if kept is None or _richness(row) > _richness(kept):
                self.rows[identifier] = row
        more = len(results) == PAGE_SIZE and number * PAGE_SIZE < total
        if more and (self.args.max_pages is None or number < self.args.max_pages):
            yield self.page_request(number + 1)
            return
        for identifier in sorted(self.rows):
            yield topic_item(identifier, self.rows[identifier])


def topic_item(identifier: str, row: dict[str, Any]) -> RawCall:
    """The call item of one search result row."""
    meta: dict[str, list[Any]] = row.get("metadata") or {}
    actions = _json(_first(meta, "actions")) or []
    action = actions[0] if actions and isinstance(actions[0], dict) else {}
    kind = _first(meta, "type") or "1"
    budget = _topic_budget(meta, identifier)
    return RawCall(
        id=identifier,
        title=_first(meta, "title") or row.get("summary") or row.get("content") or identifier,
        url=_public_url(kind, identifier, meta),
        description=_first(meta, "descriptionByte") or "",
        programme=_programme(identifier, _first(meta, "frameworkProgramme")),
        call_identifier=_first(meta, "callIdentifier"),
        type_of_action=_first(meta, "typesOfAction"),
        status=_status(meta, action),
        deadlines=list(meta.get("deadlineDate") or action.get("deadlineDates") or []),
        opening=_first(meta, "startDate") or action.get("plannedOpeningDate"),
        budget=budget["total"] if budget else None,
        currency="EUR" if budget else None,
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
            "cross_cutting_priorities": list(meta.get("crossCuttingPriorities") or []),
            "destination": _first(meta, "destinationDescription"),
            **({"expected_grants": budget["expected_grants"]} if budget else {}),
        },
    )


def _first(meta: dict[str, list[Any]], key: str) -> Any:
    values = meta.get(key) or []
    return values[0] if values else None


def _identifier(row: dict[str, Any]) -> str | None:
    meta = row.get("metadata") or {}
    value = _first(meta, "identifier") or _first(meta, "topicIdentifier")
    return str(value).strip() if value else None


def _richness(row: dict[str, Any]) -> tuple[bool, bool, int]:
    """Index stubs share identifiers with full rows; a status and a text make a row richer."""
    meta = row.get("metadata") or {}
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


def _status(meta: dict[str, list[Any]], action: dict[str, Any]) -> Status | None:
    code = _first(meta, "status") or str((action.get("status") or {}).get("id") or "")
    return STATUSES.get(str(code))


def _programme(identifier: str, framework: str | None) -> str | None:
    for prefix, label in PARTS_OF_HORIZON.items():
        if identifier.startswith(prefix):
            return label
    return PROGRAMMES.get(str(framework)) if framework else None


def _public_url(kind: str, identifier: str, meta: dict[str, list[Any]]) -> str:
    # The row's own url is sometimes the topicDetails JSON; the public page is built instead.
    if kind == "8" and _first(meta, "callccm2Id"):
        return CASCADE_PAGE.format(_first(meta, "callccm2Id"))
    if kind == "2" and _first(meta, "callIdentifier"):
        return PROSPECT_PAGE.format(_first(meta, "callIdentifier"))
    return TOPIC_PAGE.format(identifier)


def _topic_budget(meta: dict[str, list[Any]], identifier: str) -> dict[str, Any] | None:
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
    """Each topic's total budget and expected grants, summed over its actions and years."""
    if not isinstance(overview, dict):
        return {}
    budgets: dict[str, dict[str, Any]] = {}
    for entries in (overview.get("budgetTopicActionMap") or {}).values():
        for entry in entries or []:
            topic = str(entry.get("action", "")).split(" - ")[0].strip()
            budget = budgets.setdefault(topic, {"total": 0.0, "expected_grants": 0})
            budget["total"] += sum(
                float(v) for v in (entry.get("budgetYearMap") or {}).values() if v
            )
            budget["expected_grants"] += int(entry.get("expectedGrants") or 0)
    return budgets
