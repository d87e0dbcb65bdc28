"""PARP: the schedule of calls (harmonogram naborów) and the call cards its tiles link to.

The schedule shows one tile per round of a call, so a call with two rounds appears twice;
tiles are merged by the card they link to, and each round's closing date is a deadline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawlers.dates import deadline_in, normalise_date, period_start
from crawlers.items import RawCall
from crawlers.spiders.base import CALL_NUMBER, CallSpider, LayoutChanged, describe_failure

SCHEDULE_URL = "https://www.parp.gov.pl/harmonogram-naborow"
PROGRAMMES = {"feng": "FENG", "fers": "FERS", "fepw": "FEPW"}
_BUDGET = re.compile(r"(?:budżet|alokacja|kwota przeznaczona)[^:]{0,60}:\s*([^\n]+)", re.I)
_PERIOD = re.compile(
    r"(?:termin|nabór wniosków|składanie wniosków)[^:\n]{0,60}:?\s*([^\n]*\d{4}[^\n]*)", re.I
)


class ParpSpider(CallSpider):
    name = "parp"
    title = "PARP (harmonogram naborów)"
    home_url = SCHEDULE_URL
    language = "pl"
    start_urls = [SCHEDULE_URL]

    def parse(self, response: Response) -> Iterator[Request]:
        tiles = response.css("a.schedule-main")
        if not tiles:
            raise LayoutChanged("schedule page has no a.schedule-main tiles")
        calls: dict[str, dict[str, Any]] = {}
        for tile in tiles:
            href = tile.attrib.get("href")
            if not href:
                continue
            card = response.urljoin(href)
            call = calls.setdefault(card, {**_tile(tile), "card": card, "rounds": []})
            call["rounds"].append(_round(tile))
        for card, call in calls.items():
            yield self.request(
                card, self.parse_card, errback=self.card_failed, cb_kwargs={"tile": call}
            )

    def parse_card(self, response: Response, tile: dict[str, Any]) -> Iterator[RawCall]:
        yield self.call_item(response.url, tile, response)

    def card_failed(self, failure: Failure) -> Iterator[RawCall]:
        # The schedule alone still says what the call is and when it closes.
        self.note(f"call card unreadable ({describe_failure(failure)}); kept the schedule tile")
        request: Request = failure.request  # type: ignore[attr-defined]
        yield self.call_item(request.cb_kwargs["tile"]["card"], request.cb_kwargs["tile"], None)

    def call_item(
        self, url: str, tile: dict[str, Any], card: Selector | Response | None
    ) -> RawCall:
        text = _card_text(card) if card is not None else ""
        title = (card.css("h1 ::text").get("").strip() if card is not None else "") or tile["title"]
        number = CALL_NUMBER.search(text) or CALL_NUMBER.search(tile["title"])
        rounds = [r for r in tile["rounds"] if r["start"] or r["end"]]
        ends = [r["end"] for r in rounds if r["end"]]
        period = _PERIOD.search(text)
        if not ends and period and deadline_in(period[1]):
            ends = [period[1]]
        budget = _BUDGET.search(text)
        description = card.css("div.grant-content, article").get() if card is not None else None
        return RawCall(
            id=url.rstrip("/").rsplit("/", 1)[-1],
            title=title,
            url=url,
            description=description or tile["summary"],
            programme=tile["programme"],
            call_identifier=number[0] if number else None,
            link_key=number[0] if number else None,
            deadlines=ends,
            opening=self.current_round_start(rounds),
            budget=budget[1] if budget else None,
            extra={
                "max_funding": tile["max_funding"],
                "rounds": [{"start": r["start"], "end": r["end"]} for r in rounds],
            },
        )

    def current_round_start(self, rounds: list[dict[str, str | None]]) -> str | None:
        """The opening of the round now open or next to open (the first round if all ended)."""
        today = self.today()
        for item in rounds:
            end = normalise_date(item["end"])
            if end is None or period_start(end) >= today:
                return item["start"]
        return rounds[0]["start"] if rounds else None


def _tile(tile: Selector) -> dict[str, Any]:
    classes = tile.attrib.get("class", "").split()
    programme = next(
        (
            PROGRAMMES[c.removeprefix("schedule-")]
            for c in classes
            if c.removeprefix("schedule-") in PROGRAMMES
        ),
        None,
    )
    funding = " ".join(
        " ".join(
            tile.xpath(".//p[contains(., 'Maksymalne dofinansowanie')]//text()").getall()
        ).split()
    )
    return {
        "title": " ".join(tile.css("p[class*='text-mm-18'] ::text").getall()).strip(),
        "summary": " ".join(tile.css("p.text-cr-14 ::text").getall()).strip(),
        "programme": programme,
        "max_funding": funding.partition(":")[2].strip() or None,
    }


def _round(tile: Selector) -> dict[str, str | None]:
    """The round's dates: each date <p> is followed by a <p> saying what it is."""
    found: dict[str, str | None] = {"start": None, "end": None}
    for date_p in tile.css("p[class*='text-cr-18']"):
        label = " ".join(date_p.xpath("following-sibling::p[1]//text()").getall()).lower()
        value = " ".join(date_p.css("::text").getall()).strip()
        if "rozpocz" in label:
            found["start"] = value
        elif "zakończ" in label or "zakoncz" in label:
            found["end"] = value
    return found


def _card_text(card: Selector | Response) -> str:
    region = card.css("main") or card.css("article") or card.css("body")
    if not region:
        return ""
    blocks = region[0].xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
    return "\n".join(line.strip() for line in blocks if line.strip())
