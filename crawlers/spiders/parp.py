"""PARP: the schedule of calls (harmonogram naborów) and the call cards its tiles link to.

The schedule is a list of tiles ``<a href="…" class="schedule-main schedule-feng">`` grouped
by month: a title ``<p class="text-mm-18…">``, a short text ``<p class="text-cr-14 text-dark
mb-3">`` (or "Przejdź na stronę…" when the call is run by an operator elsewhere),
"Maksymalne dofinansowanie:" in a span followed by its value, date/label pairs
``<p class="m-0 text-cr-18…">DATE</p><p class="mb-3 text-cr-13…">rozpoczęcie/zakończenie
naboru</p>``, and for calls of several rounds "Koniec naboru: 31.08.2027" (markup as read by
RadarGrantow's parser, ids 71285540164 / 71645193336). Dates come as "30.09.2026" or only
a month ("05.2024", "12.2026").

A call with several rounds has a tile per round; tiles are merged by card and title (two
calls can share a card's address), each round's closing date is a deadline. Cards on
parp.gov.pl are read for the call's number, budget and text; a tile linking elsewhere (an
operator's site) is kept as the schedule shows it. Where the classes change, tiles are
found as links holding a closing-date label, and their fields by their label words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawlers.dates import (
    deadline_in,
    every_deadline,
    normalise_date,
    period_in,
    period_start,
    rolling,
)
from crawlers.items import RawCall
from crawlers.spiders.base import CALL_NUMBER, CallSpider, LayoutChanged, describe_failure, slug
from crawlers.spiders.polish import (
    clean,
    field,
    fold,
    labelled_fields,
    lines_of,
    link,
    main_heading,
    programme_code,
    status_word,
    text_of,
    window_sentence,
)

SCHEDULE_URL = "https://www.parp.gov.pl/harmonogram-naborow"
PROGRAMMES = {"feng": "FENG", "fers": "FERS", "fepw": "FEPW", "kpo": "KPO"}
_DATE_LIKE = re.compile(r"\b\d{1,2}\.\d{4}\b|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|\b\d{4}\b")
_START_WORDS = ("rozpocz", "start", "otwarc", "poczatek")
_END_WORDS = ("zakoncz", "zamkniec", "koniec rundy", "termin skladania")
_GENERIC_TITLES = ("parp - centrum rozwoju msp", "parp", "harmonogram naborow")


class ParpSpider(CallSpider):
    name = "parp"
    title = "PARP (harmonogram naborów)"
    home_url = SCHEDULE_URL
    language = "pl"
    start_urls = [SCHEDULE_URL]

    def parse(self, response: Response) -> Iterator[Request | RawCall]:
        tiles = schedule_tiles(response)
        calls: dict[tuple[str, str], dict[str, Any]] = {}
        for tile in tiles:
            href = tile.attrib.get("href")
            fields = read_tile(tile)
            if not href or not fields["title"]:
                continue
            card = link(response, href)
            call = calls.setdefault(
                (card, fold(fields["title"])), {**fields, "card": card, "rounds": []}
            )
            call["rounds"].append(fields["round"])
            call["final_end"] = call.get("final_end") or fields["final_end"]
        if not calls:
            # A theme that lists calls as plain links to their cards: the cards say the rest.
            calls = card_links(response)
            if calls:
                self.note(f"no schedule tiles found; read the {len(calls)} call cards it links")
        if not calls:
            raise LayoutChanged(
                "schedule page has no call tiles (a.schedule-main) nor links to call cards"
            )
        shared = _shared_cards(calls)
        for (card, _), call in calls.items():
            call["shared"] = card in shared
            call["id"] = _call_id(card, call["title"], call["shared"])
            if is_parp(card):
                yield self.call_page(
                    card,
                    self.parse_card,
                    errback=self.card_failed,
                    cb_kwargs={"tile": call},
                    # Scrapy's duplicate filter drops a second request of a URL unseen: the
                    # second call of a shared card would be lost.
                    dont_filter=card in shared,
                )
            else:
                # Run by an operator on its own site: the schedule says all PARP knows.
                yield self.call_item(card, call, None)

    def parse_card(self, response: Response, tile: dict[str, Any]) -> Iterator[RawCall]:
        if not isinstance(response, TextResponse):
            # A tile linking a document (the call's rules as a PDF) has no card to read;
            # read as a page, it failed the whole source.
            kind = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            self.note(f"call card is a document ({kind}: {response.url}); kept the schedule tile")
            yield self.call_item(response.url, tile, None)
            return
        yield self.call_item(response.url, tile, response)

    def card_failed(self, failure: Failure) -> Iterator[RawCall]:
        # The schedule alone still says what the call is and when it closes.
        self.note(f"call card unreadable ({describe_failure(failure)}); kept the schedule tile")
        request: Request = failure.request  # type: ignore[attr-defined]
        tile = request.cb_kwargs["tile"]
        yield self.call_item(tile["card"], tile, None)

    def call_item(self, url: str, tile: dict[str, Any], card: Response | None) -> RawCall:
        region = _card_region(card) if card is not None else None
        text = text_of(region) if region is not None else ""
        fields = labelled_fields(region) if region is not None else []
        # A card two calls share names what they have in common; each tile names its call.
        title = tile["title"] if tile.get("shared") else _card_title(card) or tile["title"]
        number = CALL_NUMBER.search(text) or CALL_NUMBER.search(tile["title"])
        rounds = [r for r in tile["rounds"] if r["start"] or r["end"]]
        # A round "closing" with "nabór ciągły" has no deadline to store.
        rolling_round = any(rolling(r["end"]) for r in rounds)
        ends = [r["end"] for r in rounds if r["end"] and not rolling(r["end"])]
        if tile.get("final_end") and tile["final_end"] not in ends:
            ends.append(tile["final_end"])
        opening = self.current_round_start(rounds)
        card_period = field(
            fields,
            "termin naboru",
            "nabor wnioskow",
            "termin skladania",
            "nabor trwa",
            "okres naboru",
            avoid=("status",),
        )
        if card_period:
            start, end = period_in(card_period)
            if not ends and end:
                # A window of several rounds closes once a round.
                ends = every_deadline(card_period)
            opening = opening or start
        card_start = field(fields, "rozpoczecie naboru", "data rozpoczecia", "poczatek naboru")
        card_end = field(
            fields,
            "zakonczenie naboru",
            "data zakonczenia",
            "koniec naboru",
            avoid=("ocen", "wynik", "rozstrzyg"),
        )
        open_ended = not ends and (rolling_round or rolling(card_end) or rolling(card_period))
        if card_end and not ends and not open_ended:
            ends = every_deadline(card_end) or [card_end]
        opening = opening or card_start
        if not ends and not open_ended and (sentence := window_sentence(text)):
            # A card stating its window in prose: "Wnioski będzie można składać od …".
            start, end = period_in(sentence)
            ends = [end] if end else []
            opening = opening or start
        budget = field(
            fields,
            "budzet",
            "alokacja",
            "kwota przeznaczona",
            "kwota srodkow",
            avoid=("maksymaln", "minimaln"),
        )
        status = status_word(field(fields, "status"))
        return RawCall(
            id=tile["id"],
            title=title,
            url=url,
            description=(region.get() if region is not None else "") or tile["summary"],
            programme=tile["programme"] or programme_code(number[0] if number else text[:2000]),
            call_identifier=number[0] if number else None,
            link_key=number[0] if number else None,
            status=status,
            deadlines=[deadline_in(e) or e for e in ends],
            opening=opening,
            budget=budget,
            extra={
                "max_funding": tile["max_funding"],
                "rounds": [{"start": r["start"], "end": r["end"]} for r in rounds],
                "call_end": tile.get("final_end"),
                "operator_site": not is_parp(url),
                **({"rolling": True} if open_ended else {}),
            },
        )

    def current_round_start(self, rounds: list[dict[str, str | None]]) -> str | None:
        """The opening of the round now open or next to open (the first round if all ended)."""
        today = self.today()
        for item in rounds:
            end = normalise_date(item["end"], end=True)
            if end is None or period_start(end) >= today:
                return item["start"]
        return rounds[0]["start"] if rounds else None


def is_parp(url: str) -> bool:
    """PARP's own site: www.parp.gov.pl and its programme hosts (cards are also published
    at feng.parp.gov.pl/component/grants/grants/<slug>); anything else is an operator's."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "parp.gov.pl" or host.endswith(".parp.gov.pl")


def schedule_tiles(page: Response | Selector) -> list[Selector]:
    """The schedule's tiles: by their class, else links holding a closing-date label."""
    tiles = page.css("a.schedule-main") or page.css("a[class*='schedule-']")
    if tiles:
        return list(tiles)
    found = []
    for anchor in page.xpath("//a[@href]"):
        words = fold(" ".join(anchor.xpath(".//text()").getall()))
        if (any(w in words for w in _END_WORDS) and _DATE_LIKE.search(words)) or any(
            _window(line) for line in lines_of(anchor)
        ):
            found.append(anchor)
    return found


def _window(line: str) -> tuple[str, str] | None:
    """(start, end) of a line that is only a window: "27.02.2018 - 26.07.2018" (PARP's
    block of calls of 2018, each call a link holding its window and its name)."""
    if len(line) > 60 or not _DATE_LIKE.search(line):
        return None
    start, end = period_in(line)
    return (start, end) if start and end else None


def card_links(page: Response) -> dict[tuple[str, str], dict[str, Any]]:
    """Calls of a schedule that only links their cards (``/component/grants/grants/<slug>``
    on a PARP host), each as a tile with a title and no dates."""
    calls: dict[tuple[str, str], dict[str, Any]] = {}
    for anchor in page.xpath("//a[@href]"):
        card = link(page, anchor.attrib["href"]).split("#", 1)[0]
        if not (is_parp(card) and re.search(r"/component/grants/grants/[^/?]+/?$", card)):
            continue
        # The catalogue's cards hold a heading and a short text (<a><div class="card">
        # <h2 class="text-black">…</h2><p class="text-black">…</p>, as a scraper of
        # parp.gov.pl/component/grants reads them): the heading is the title.
        heading = anchor.xpath("(.//h2|.//h3|.//h4|.//h5|.//strong)[1]//text()").getall()
        title = clean(" ".join(heading)) or clean(" ".join(anchor.xpath(".//text()").getall()))
        if not title or any(key[0] == card for key in calls):
            continue
        summary = clean(" ".join(anchor.xpath("(.//p)[1]//text()").getall())) if heading else ""
        calls[(card, fold(title))] = {
            "title": title,
            "summary": summary,
            "programme": programme_code(f"{title} {summary}"),
            "max_funding": None,
            "final_end": None,
            "card": card,
            "rounds": [],
        }
    return calls


def read_tile(tile: Selector) -> dict[str, Any]:
    """Title, summary, programme, maximum funding and the round's dates of one tile."""
    lines = lines_of(tile)
    title = clean(" ".join(tile.css("p[class*='text-mm-18'] ::text").getall()))
    if not title:
        title = clean(
            " ".join(tile.xpath("(.//h2|.//h3|.//h4|.//h5|.//strong)[1]//text()").getall())
        )
    if not title:
        title = next((line for line in lines if not _is_date(line) and ":" not in line), "")
    summary = clean(" ".join(tile.css("p.text-cr-14.text-dark ::text").getall()))
    if fold(summary).startswith("przejdz na strone"):
        summary = ""
    return {
        "title": title,
        "summary": summary,
        "programme": _programme(tile, lines),
        "max_funding": _after_label(lines, "maksymalne dofinansowanie", "maksymalna kwota"),
        "final_end": _after_label(lines, "koniec naboru"),
        "round": _round(tile, lines),
    }


def _round(tile: Selector, lines: list[str]) -> dict[str, str | None]:
    """The round's dates: each date is followed by a line saying what it is."""
    found: dict[str, str | None] = {"start": None, "end": None}
    pairs = [
        (
            clean(" ".join(p.css("::text").getall())),
            fold(" ".join(p.xpath("following-sibling::*[1]//text()").getall())),
        )
        for p in tile.css("p[class*='text-cr-18']")
    ]
    if not pairs:
        # "Rozpoczęcie naboru: 01.08.2026" on one line, or a date line and its label line.
        for line in lines:
            label, sep, value = line.partition(":")
            if sep and _is_date(value):
                pairs.append((value.strip(), fold(label)))
        if not pairs:
            pairs = [
                (a, fold(b))
                for a, b in zip(lines, lines[1:], strict=False)
                if ":" not in a and _is_date(a) and not _window(a)
            ]
        if not pairs:
            # A line that is the whole window: "27.02.2018 - 26.07.2018".
            window = next((w for w in map(_window, lines) if w), None)
            if window:
                found["start"], found["end"] = window
                return found
    for value, label in pairs:
        if any(w in label for w in _START_WORDS) and found["start"] is None:
            found["start"] = value
        elif any(w in label for w in _END_WORDS) and found["end"] is None:
            found["end"] = value
    return found


def _is_date(text: str) -> bool:
    return bool(text) and len(text) <= 40 and normalise_date(text) is not None


def _after_label(lines: list[str], *labels: str) -> str | None:
    """The value written after a label, on its line or on the next one."""
    for index, line in enumerate(lines):
        folded = fold(line)
        for label in labels:
            if label in folded:
                value = line[folded.index(label) + len(label) :].lstrip(" :")
                if not value and index + 1 < len(lines):
                    value = lines[index + 1]
                return value.strip() or None
    return None


def _programme(tile: Selector, lines: list[str]) -> str | None:
    for name in tile.attrib.get("class", "").split():
        code = PROGRAMMES.get(name.removeprefix("schedule-"))
        if code:
            return code
    # Else the tile's words, or the header of the group it is listed under
    # ("PO Inteligentny Rozwój" above PARP's 2018 links; a month's heading says none).
    above = tile.xpath(
        "preceding::*[self::h2 or self::h3 or self::h4 or contains(@class, 'header')][1]//text()"
    ).getall()
    return programme_code(" ".join(lines)) or programme_code(clean(" ".join(above)))


def _shared_cards(calls: dict[tuple[str, str], dict[str, Any]]) -> set[str]:
    seen: set[str] = set()
    shared: set[str] = set()
    for card, _ in calls:
        (shared if card in seen else seen).add(card)
    return shared


def _call_id(card: str, title: str, shared: bool) -> str:
    parts = urlsplit(card)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1] or slug(parts.hostname or "")
    if not is_parp(card):
        last = slug(f"{parts.hostname}-{last}")
    return f"{last}-{slug(title, 40)}" if shared else last


def _card_region(card: Response) -> Selector | None:
    for css in (".grant-content", "#content article", "article", "main", "#content", "body"):
        found = card.css(css)
        if found:
            return found[0]
    return None


def _card_title(card: Response | None) -> str:
    """The card's own heading; its <title> is the site's generic one."""
    if card is None:
        return ""
    title = main_heading(card)
    if title and fold(title) not in _GENERIC_TITLES:
        return title
    for css in (".grant-title", "article h2", "main h2"):
        title = clean(" ".join(card.css(f"{css} ::text").getall()))
        if title and fold(title) not in _GENERIC_TITLES:
            return title
    # Cards name their call in <title> before the site's name ("Program Akceleracyjny:
    # Startup Spark 2.0 - PARP - Centrum Rozwoju MŚP", as a scraper of the cards saw);
    # some carry only the site's name.
    title = _SITE_SUFFIX.sub("", clean(card.css("title::text").get()))
    return title if title and fold(title) not in _GENERIC_TITLES else ""


_SITE_SUFFIX = re.compile(r"(?:^|\s*[-|–]\s*)PARP\b.*$")
