"""funduszeeuropejskie.gov.pl: calls (nabory) of FENG and the other programmes.

Only what the server renders is read: the listing of calls ``/nabory-wnioskow/`` (paged with
``rel="next"``) and each call's page ``/nabory/<slug>/``. The search (``/wyszukiwarka/…``)
keeps its filters in the URL fragment and builds its results with JavaScript, so it cannot
be read without a browser; nor can anything the portal loads only by script.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response

from callradar.calls import Status
from crawlers.dates import deadline_in, normalise_date
from crawlers.items import RawCall
from crawlers.spiders.base import CALL_NUMBER, CallSpider, LayoutChanged

LISTING_URL = "https://www.funduszeeuropejskie.gov.pl/nabory-wnioskow/"
PROGRAMME_CODES = {
    "Fundusze Europejskie dla Nowoczesnej Gospodarki": "FENG",
    "Fundusze Europejskie dla Rozwoju Społecznego": "FERS",
    "Fundusze Europejskie dla Polski Wschodniej": "FEPW",
    "Fundusze Europejskie na Infrastrukturę, Klimat, Środowisko": "FENIKS",
}


class FePortalSpider(CallSpider):
    name = "fe-portal"
    title = "Portal Funduszy Europejskich (nabory)"
    home_url = LISTING_URL
    language = "pl"
    start_urls = [LISTING_URL]

    def parse(self, response: Response, page: int = 1) -> Iterator[Request]:
        links = response.css("a[href*='/nabory/']::attr(href)").getall()
        calls = [h for h in dict.fromkeys(links) if h.rstrip("/").count("/") >= 2]
        if not calls:
            raise LayoutChanged(f"listing page {page} links to no call (/nabory/<slug>/)")
        for href in calls:
            yield self.request(response.urljoin(href), self.parse_call)
        next_page = response.css("a[rel='next']::attr(href)").get()
        if next_page and (self.args.max_pages is None or page < self.args.max_pages):
            yield self.request(
                response.urljoin(next_page), self.parse, cb_kwargs={"page": page + 1}
            )

    def parse_call(self, response: Response) -> Iterator[RawCall]:
        title = " ".join(response.css("h1 ::text").getall()).strip()
        fields = _fields(response)
        if not title or not fields:
            raise LayoutChanged("call page without <h1> or a list of its details")
        number = fields.get("numer naboru") or ""
        found = CALL_NUMBER.search(number) or CALL_NUMBER.search(title)
        programme = fields.get("program") or ""
        period = fields.get("termin składania wniosków") or fields.get("nabór wniosków") or ""
        start, until, _ = period.partition(" do ")
        description = response.css(".call-description, .nabor-opis, article .text").get()
        yield RawCall(
            id=response.url.rstrip("/").rsplit("/", 1)[-1],
            title=title,
            url=response.url,
            description=description or "",
            programme=PROGRAMME_CODES.get(programme, programme or None),
            call_identifier=found[0] if found else (number or None),
            link_key=found[0] if found else None,
            deadlines=[d for d in [deadline_in(period) if until else None] if d],
            opening=normalise_date(start) if start else None,
            budget=fields.get("budżet naboru") or fields.get("kwota przeznaczona na nabór"),
            status=_status(fields.get("status naboru")),
            extra={"institution": fields.get("instytucja"), "applicants": fields.get("dla kogo")},
        )


def _fields(response: Response) -> dict[str, Any]:
    """The call's details, written as a <dl> of <dt>label</dt><dd>value</dd>."""
    fields: dict[str, Any] = {}
    for dt in response.css("dl dt"):
        label = " ".join(dt.css("::text").getall()).strip().rstrip(":").lower()
        value = " ".join(" ".join(dt.xpath("following-sibling::dd[1]//text()").getall()).split())
        if label:
            fields[label] = value
    return fields


def _status(text: str | None) -> Status | None:
    if not text:
        return None
    text = text.lower()
    if "zaplanowany" in text or "planowany" in text:
        return "forthcoming"
    if "trwa" in text or "otwarty" in text:
        return "open"
    if "zakończony" in text or "zamknięty" in text:
        return "closed"
    return None
