"""NCN (Narodowe Centrum Nauki): the open calls listed beside every page, and their pages.

The block of open calls is found by its heading's words ("Otwarte konkursy", "Aktualnie
otwarte konkursy", "Open calls"), not only by an id: NCN's real Drupal 7 page names it
``block-block-16`` with an ``<h2>Aktualnie otwarte konkursy</h2>`` (tests/fixtures/real/),
a later theme an ``id="otwarte-konkursy"``. It may link an open call to a news page rather
than to ``/ogloszenia/konkursy/<slug>``; every link of the block on NCN's own site is read.

The listing's dates ("31 lip") carry no year, so deadlines are read from each call page
("Nabór wniosków potrwa do 16 września 2025 r. do godziny 14:00", "Termin składania
wniosków upływa 16 grudnia 2019 r.", "Zakończenie naboru wniosków: 15.06.2016 r.").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit

from parsel import Selector, SelectorList
from scrapy.http import Request, Response, TextResponse

from callradar.deadlines import parse_deadline
from crawlers.amounts import parse_amount
from crawlers.dates import every_deadline, normalise_date, period_in
from crawlers.items import RawCall
from crawlers.spiders.base import CallSpider, LayoutChanged, slug
from crawlers.spiders.polish import (
    clean,
    field,
    fold,
    labelled_fields,
    lines_of,
    link,
    main_heading,
    text_of,
)

LISTING_URL = "https://ncn.gov.pl/finansowanie-nauki/konkursy/harmonogram"
HOSTS = ("ncn.gov.pl", "www.ncn.gov.pl")
# Headings of the block of open calls, folded.
_OPEN_HEADINGS = (
    "otwarte konkursy",
    "konkursy otwarte",
    "aktualne konkursy",
    "trwajace konkursy",
    "open calls",
    "ongoing calls",
    "current calls",
    "calls open",
)
_HEADINGS = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5"
# Phrases that introduce the closing of applications.
_DEADLINE_WORDS = re.compile(
    r"nab[oó]r wniosk[oó]w|sk[lł]adani[ae] wniosk[oó]w|nale[zż]y z[lł]o[zż]y[cć]"
    # "Wnioski należy składać w systemie OSF do …", "można składać od … do …"
    r"|(?:nale[zż]y|mo[zż]na)\s+(?:je\s+)?sk[lł]ada[cć]"
    r"|trwa do|potrwa|up[lł]ywa|zako[nń]czenie naboru|zamkni[eę]cie naboru|deadline"
    r"|call (?:for proposals )?closes|submission|(?:be|are) submitted"
    r"|(?:is|are|remains?) open (?:from|until|till)",
    re.I,
)
_BUDGET_WORDS = re.compile(
    r"bud[zż]et konkursu|bud[zż]et obu konkurs[oó]w|[lł][aą]czny bud[zż]et|do podzia[lł]u"
    r"|do zdobycia|pula|call budget|total budget"
    # "Rada NCN ustala wysokość środków finansowych przeznaczonych na realizację projektów
    # … w ramach konkursu PRELUDIUM 17 w kwocie 30 mln zł." (NCN's announcements of 2019)
    r"|wysoko[sś][cć] [sś]rodk[oó]w finansowych przeznaczonych"
    # "Na finansowanie projektów w konkursie przeznaczono kwotę 600 000 000 zł."
    r"|przeznaczono",
    re.I,
)
# Words of a sentence about the results, whose dates are no deadline.
_RESULTS = re.compile(r"wynik|rozstrzygni|results|funding decision", re.I)
# The end of a sentence: ". " before a capital letter ("…2019 r. Ogłoszenie wyników").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ])")
_BODY = (
    ".field--name-body",
    ".field-name-body",
    "article .content",
    "article",
    "#main-content",
    "main",
    ".tresc",
)
_TITLE_SUFFIX = re.compile(r"\s*[|–-]\s*(?:Narodowe Centrum Nauki|National Science Centre).*$")


class NcnSpider(CallSpider):
    name = "ncn"
    title = "NCN (otwarte konkursy)"
    home_url = LISTING_URL
    language = "pl"
    start_urls = [LISTING_URL]

    def parse(self, response: Response) -> Iterator[Request]:
        block = open_calls_block(response)
        if block is None:
            raise LayoutChanged("no block of open calls ('Otwarte konkursy') on the page")
        links: dict[str, str] = {}
        for anchor in block.xpath(".//a[@href]"):
            url = link(response, anchor.attrib["href"]).split("#", 1)[0]
            label = clean(" ".join(anchor.xpath(".//text()").getall()))
            if urlsplit(url).hostname not in HOSTS:
                self.note(f"open call {label or url!r} is on another site ({url}); not read")
                continue
            links.setdefault(url, label)
        if not links and not self.may_be_empty:
            raise LayoutChanged("the block of open calls links to no call")
        for url, label in links.items():
            yield self.call_page(url, self.parse_call, cb_kwargs={"listed_as": label})

    def parse_call(self, response: Response, listed_as: str = "") -> Iterator[RawCall]:
        if not isinstance(response, TextResponse):
            # The block may link a call's announcement as a document (a PDF): there is no
            # page to read, and reading it as one failed the whole source.
            kind = (response.headers.get("Content-Type") or b"?").decode("latin-1")
            self.note(
                f"open call {listed_as or response.url!r} links to a document, not a page "
                f"({kind}: {response.url}); not read"
            )
            return
        found = next((found for css in _BODY if (found := response.css(css))), None)
        title = page_title(response) or listed_as
        if not title or found is None:
            raise LayoutChanged("call page without a title or a body")
        body = call_text(found)
        text = text_of(body)
        fields = labelled_fields(body)
        deadlines = deadlines_in(text, fields)
        opening = published(response, body, text)
        # The budget's sentence, or its table row ("Budżet konkursu | 600 000 000 zł"), whose
        # label alone is a line of the text.
        budget = next(
            (
                value
                for value in (
                    budget_in(text),
                    field(fields, "budzet", "alokacja", avoid=("maksymal", "minimal", "projekt")),
                )
                if parse_amount(value)
            ),
            None,
        )
        yield RawCall(
            id=call_id(response.url),
            title=title,
            url=response.url,
            description=body.get() or "",
            programme="NCN",
            call_identifier=title,
            status="open",
            deadlines=deadlines,
            opening=opening,
            budget=budget,
            # NCN publishes calls in English too, and its block of open calls may link one
            # ("…?language=en"): the page's own language, not the source's.
            language=response.xpath("/html/@lang").get(),
            extra={"listed_as": listed_as} if listed_as and listed_as != title else {},
        )


def open_calls_block(page: Response | Selector) -> Selector | None:
    """The element holding the links of the open calls, by id or by its heading's words."""
    by_id = page.css("#otwarte-konkursy, #open-calls")
    if by_id:
        return by_id[0]
    for heading in page.xpath(f"//*[{_HEADINGS}]"):
        words = fold(" ".join(heading.xpath(".//text()").getall()))
        if not any(h in words for h in _OPEN_HEADINGS):
            continue
        # What follows the heading up to the next heading; when the heading sits alone in
        # a title wrapper, what follows the wrapper.
        node = heading
        for _ in range(3):
            parts = []
            for sibling in node.xpath("following-sibling::*"):
                if sibling.xpath(f"self::*[{_HEADINGS}]"):
                    break
                parts.append(sibling.get())
            block = Selector(text="<div>" + "".join(parts) + "</div>")
            if block.xpath("//a[@href]"):
                return block
            parent = node.xpath("..")
            if not parent:
                break
            node = parent[0]
    return None


# Not the call's text when the body is a wider region: the page's heading, a field's
# visible label (NCN's stored pages read "Kod CSS i JS" before the announcement's date),
# text meant for screen readers only.
_NOT_TEXT = "h1, .field__label, .field-label, .element-invisible, .visually-hidden, nav"


def call_text(region: SelectorList[Selector]) -> SelectorList[Selector]:
    """A copy of the call's text region without its heading and fields' labels."""
    copy = Selector(text=region[0].get())
    for element in copy.css(_NOT_TEXT):
        element.drop()
    return copy.xpath("/html/body/*")


def page_title(response: Response) -> str:
    for css in ("h1#page-title", "h1.page-title"):
        title = clean(" ".join(response.css(f"{css} ::text").getall()))
        if title:
            return title
    return main_heading(response) or _TITLE_SUFFIX.sub("", clean(response.css("title::text").get()))


def deadlines_in(text: str, fields: list[tuple[str, str]]) -> list[str]:
    """The closing dates of the page's statement (a labelled field or a sentence) that
    states the last one: the call's cut-offs, one or several ("… do 15.03.2027, 17.09.2027
    i 18.02.2028"). An earlier statement's may be a partner agency's deadline."""
    found: list[list[str]] = []
    labelled = field(
        fields,
        "zakonczenie naboru",
        "termin skladania",
        "termin naboru",
        "nabor wnioskow",
        "deadline",
        avoid=("wewnetrzny", "wynik", "rozstrzygniecie"),
    )
    if labelled:
        found.append(every_deadline(labelled))
    for line in text.split("\n"):
        starts = [0] + [end.end() for end in _SENTENCE_END.finditer(line)]
        for match in _DEADLINE_WORDS.finditer(line):
            sentence = _SENTENCE_END.split(line[match.start() :], maxsplit=1)[0]
            if re.search(r"wewn[eę]trzn|internal", line[: match.start()][-40:], re.I):
                continue
            # "Wyniki: w terminie do 6 miesięcy od upływu terminu składania wniosków, nie
            # później niż w grudniu 2022 r." dates the results, not the applications.
            begin = max(start for start in starts if start <= match.start())
            if _RESULTS.search(line[begin : match.start()]):
                continue
            # Several cut-offs may be named at once: "… 15.03.2027, 17.09.2027 i 18.02.2028".
            found.append(every_deadline(sentence[:200]))
    stated = [values for values in found if values]
    if not stated:
        return []
    last = max(stated, key=lambda values: max(map(_sort_key, values)))
    return sorted(set(last), key=_sort_key)


def published(response: Response, body: SelectorList[Selector], text: str) -> str | None:
    """The day the call was announced: its page's date, or a labelled announcement."""
    # The call's own article: the block of open calls beside it, on every NCN page, dates
    # other calls.
    own = response.css("article") or response.css("main") or response.css("body")
    for value in (
        own.css("time::attr(datetime)").get(),
        own.xpath(".//*[contains(@property, 'dc:date')]/@content").get(),
        response.xpath("//head/meta[contains(@property, 'dc:date')]/@content").get(),
        " ".join(own.css(".field--name-created ::text, .dataaktualnosci ::text").getall()),
        field(labelled_fields(body), "ogloszenie konkursu", "data ogloszenia", "announced"),
    ):
        if value and (day := normalise_date(value)):
            return day
    # The announcement's date is the first short line of the text on NCN's call pages
    # ("16 czerwca 2025 r."), after a field's label or two; or a sentence "… trwa od 16
    # marca do …". Only a whole day counts: a line naming a month is not the date.
    for line in lines_of(body)[:5]:
        # "Nabór trwa do 15.06.2027 r." is as short, but a deadline.
        if _DEADLINE_WORDS.search(line) or re.search(r"\b(?:do|until|by)\b", line, re.I):
            continue
        if len(line) <= 30 and (day := normalise_date(line)) and len(day) >= 10:
            return day
    for line in text.split("\n"):
        if _DEADLINE_WORDS.search(line) and re.search(r"\bod\s+\d", line):
            start, _ = period_in(line)
            if start:
                return start
    return None


def budget_in(text: str) -> str | None:
    """The sentence stating the call's budget, from its words on (not a project's maximum:
    "W konkursie można uzyskać środki w wysokości maksymalnie 210 000 zł")."""
    match = _BUDGET_WORDS.search(text)
    if not match:
        return None
    line = text[match.start() :].split("\n")[0]
    return _SENTENCE_END.split(line, maxsplit=1)[0][:250]


def call_id(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return last if "/ogloszenia/konkursy/" in path else slug(path.strip("/"))


def _sort_key(value: str) -> tuple[date, str]:
    return parse_deadline(value).latest, value
