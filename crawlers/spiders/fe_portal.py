"""funduszeeuropejskie.gov.pl: calls (nabory) of FENG and the other programmes.

Only what the server renders is read: the listing of calls ``/nabory-wnioskow/`` (paged with
``rel="next"`` or a "następna" link) and each call's page ``/nabory/<slug>/``. The search
(``/wyszukiwarka/…``) keeps its filters in the URL fragment and builds its results with
JavaScript, so it cannot be read without a browser; nor can anything the portal loads only by
script. No real page of the portal was available when this was written (SOURCES.md 2.4), so
a call's details are found by their labels' words in whatever markup holds them (a ``<dl>``,
a table, "Label: value" lines), and a page holding neither a title nor any of them is
reported as a changed layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response

from crawlers.dates import every_deadline, normalise_date, period_in, rolling
from crawlers.items import RawCall
from crawlers.spiders.base import CALL_NUMBER, CallSpider, LayoutChanged
from crawlers.spiders.polish import (
    clean,
    field,
    fold,
    labelled_fields,
    lines_of,
    link,
    main_heading,
    programme_code,
    section_fields,
    status_word,
    window_sentence,
)

LISTING_URL = "https://www.funduszeeuropejskie.gov.pl/nabory-wnioskow/"
HOSTS = ("www.funduszeeuropejskie.gov.pl", "funduszeeuropejskie.gov.pl")
_CALL_PATH = re.compile(r"^/nabory/[^/]+/?$")
_NEXT_WORDS = ("nastepna", "nastepne", "dalej", "next", "›", "»")


class FePortalSpider(CallSpider):
    name = "fe-portal"
    title = "Portal Funduszy Europejskich (nabory)"
    home_url = LISTING_URL
    language = "pl"

    start_urls = [LISTING_URL]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listed: set[str] = set()

    def parse(self, response: Response, page: int = 1) -> Iterator[Request]:
        calls: list[str] = []
        for href in response.css("a[href*='/nabory/']::attr(href)").getall():
            url = link(response, href).split("#", 1)[0]
            parts = urlsplit(url)
            if parts.hostname in HOSTS and _CALL_PATH.match(parts.path) and url not in calls:
                calls.append(url)
        if not calls and page == 1:
            raise LayoutChanged(f"listing page {page} links to no call (/nabory/<slug>/)")
        new = [url for url in calls if url not in self.listed]
        if not new and page > 1:
            # A page past the end: empty, or the last page again (as a site may render for
            # any number past it) still linking a next one. The listing ended before it.
            self.note(f"listing page {page} lists no call not already read; paging ended")
            return
        self.listed.update(new)
        for url in new:
            yield self.call_page(url, self.parse_call)
        next_page = next_page_of(response)
        if next_page and (self.args.max_pages is None or page < self.args.max_pages):
            yield self.request(next_page, self.parse, cb_kwargs={"page": page + 1})

    def parse_call(self, response: Response) -> Iterator[RawCall]:
        title = page_title(response)
        region = response.css("article") or response.css("main") or response.css("body")
        # "Label: value" details, then the sections a page answers its questions in (the
        # portal's call pages say who, what, when, own contribution, how to apply).
        fields = labelled_fields(region)
        sections = section_fields(region)
        if not title or not (fields or sections):
            raise LayoutChanged("call page without a title or a list of its details")
        number = field(fields, "numer naboru", "nr naboru", "numer konkursu", "identyfikator")
        text = " ".join(lines_of(region))
        # The call's number where it is labelled, in the title, or anywhere in the page.
        found = (
            CALL_NUMBER.search(number or "")
            or CALL_NUMBER.search(title)
            or CALL_NUMBER.search(text)
        )
        programme = field(fields, "program", avoid=("priorytet", "dzialanie"))
        start_text = field(fields, "data rozpoczecia", "rozpoczecie naboru", "poczatek naboru")
        end_text = field(
            fields, "data zakonczenia", "zakonczenie naboru", "koniec naboru", "nabor trwa do"
        )
        window = (
            field(
                fields,
                "termin skladania",
                "termin naboru",
                "nabor wnioskow",
                "okres naboru",
                "czas trwania naboru",
                "nabor trwa",
            )
            or _first_dated(field(sections, "kiedy", "termin"))
            or _unlabelled_window(lines_of(region))
            or window_sentence("\n".join(lines_of(region)))
        )
        opening, deadline = period_in(window) if window else (None, None)
        # A window of several rounds closes once a round.
        rounds = every_deadline(window)
        if start_text:
            opening = normalise_date(start_text) or opening
        if end_text and (labelled_ends := every_deadline(end_text)):
            deadline, rounds = labelled_ends[0], labelled_ends
        # "Nabór ciągły", "do wyczerpania alokacji": no closing date, and none is missing.
        open_ended = deadline is None and (rolling(end_text) or rolling(window))
        if open_ended:
            end_text = None
        if len(rounds) > 1:
            deadlines = rounds
        elif deadline:
            deadlines = [deadline]
        else:
            deadlines = [end_text] if end_text else []
        description = response.css(
            ".call-description, .nabor-opis, .field--name-body, article .text, .opis"
        ).get()
        if not description and (sections or response.css("article, main")):
            # A page of question sections, or a theme keeping the call's text in plain
            # paragraphs: the article (or main) is its text; without one, a call tagged on
            # its title alone matched nobody.
            description = region[0].get()
        yield RawCall(
            id=urlsplit(response.url).path.rstrip("/").rsplit("/", 1)[-1],
            title=title,
            url=response.url,
            description=description or "",
            programme=programme_code(programme)
            or programme_code(found[0] if found else title)
            or programme,
            call_identifier=found[0] if found else (number or None),
            link_key=found[0] if found else None,
            deadlines=deadlines,
            opening=opening,
            budget=field(fields, "budzet", "kwota przeznaczona", "alokacja", avoid=("maksymaln",)),
            status=status_word(field(fields, "status", "stan naboru"))
            or status_word(badge_text(response)),
            extra={
                "institution": field(fields, "instytucja"),
                "applicants": field(fields + sections, "dla kogo", "kto moze", "wnioskodawc"),
                "purpose": field(fields + sections, "na co", "co mozna sfinansowac"),
                "own_contribution": field(fields + sections, "wklad wlasny"),
                "programme_name": programme,
                **({"rolling": True} if open_ended else {}),
            },
        )


# Elements a theme shows a call's state in without a label ("Trwa nabór", "Zakończony"):
# a class word such as "status", "badge-status", "stan-naboru", "label-nabor".
_BADGE_CLASS = re.compile(r"^(?:[\w-]*-)?(?:status|badge|stan|label-nabor)(?:-[\w-]*)?$")
# A badge is a word or two; a wrapper whose class happens to match is not one.
_BADGE_MAX = 40


def badge_text(response: Response) -> str:
    """The text of the page's status badges."""
    found = []
    for element in response.xpath("//*[@class]"):
        if not any(_BADGE_CLASS.match(word) for word in element.attrib["class"].split()):
            continue
        text = clean(" ".join(element.xpath(".//text()").getall()))
        if text and len(text) <= _BADGE_MAX:
            found.append(text)
    return " ".join(found)


# "Nabór do 22.04.2024", "Nabór trwa do 30 września 2026 r." written without a colon.
_UNTIL_LINE = re.compile(r"\bnab[oó]r\s+(?:trwa\s+|wniosk[oó]w\s+)?(?:od\b|do\b)", re.I)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ])")


def _first_dated(text: str | None) -> str | None:
    """The first sentence of a section that states a date or an open-ended call: "Kiedy?"
    may go on about results ("Wyniki poznasz w lipcu 2026 r."), which is no deadline."""
    for sentence in _SENTENCE_END.split(text or ""):
        if rolling(sentence) or normalise_date(sentence):
            return sentence
    return None


def _unlabelled_window(lines: list[str]) -> str | None:
    return next((line for line in lines if _UNTIL_LINE.search(line) and len(line) <= 200), None)


def page_title(response: Response) -> str:
    """The call's heading; else the page's own title without the portal's name."""
    title = main_heading(response)
    if title:
        return title
    for value in (
        response.css("meta[property='og:title']::attr(content)").get(),
        response.css("title::text").get(),
    ):
        title = re.sub(r"\s*[|–-]\s*(?:Portal )?Fundusz[ey] Europejski\w*.*$", "", clean(value))
        if title:
            return title
    return ""


def next_page_of(response: Response) -> str | None:
    """The listing's next page: ``rel="next"``, or a pager link saying "następna"."""
    href = response.css("a[rel='next']::attr(href), link[rel='next']::attr(href)").get()
    if href:
        return link(response, href)
    for anchor in response.css(".pagination a, nav a, .pager a"):
        words = fold(" ".join(anchor.css("::text").getall()) + " " + anchor.attrib.get("title", ""))
        if any(w in words for w in _NEXT_WORDS) and anchor.attrib.get("href"):
            return link(response, anchor.attrib["href"])
    return None
