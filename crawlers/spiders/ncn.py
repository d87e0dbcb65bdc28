"""NCN (Narodowe Centrum Nauki): the open calls listed beside its schedule, and their pages.

The listing's dates ("31 lip") carry no year, so deadlines are read from each call page
("… trwa do 16 czerwca 2026 r. do godz. 16:00").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scrapy.http import Request, Response

from crawlers.dates import deadline_in, normalise_date
from crawlers.items import RawCall
from crawlers.spiders.base import CallSpider, LayoutChanged

LISTING_URL = "https://ncn.gov.pl/finansowanie-nauki/konkursy/harmonogram"
# One line of the body (a paragraph) that states when applications close.
_DEADLINE_LINE = re.compile(
    r"[^\n]*(?:nabór wniosków|składania wniosków|należy złożyć|trwa do)[^\n]*\d{4}[^\n]*", re.I
)
_BUDGET = re.compile(r"budżet konkursu[^.\n]*", re.I)


class NcnSpider(CallSpider):
    name = "ncn"
    title = "NCN (otwarte konkursy)"
    home_url = LISTING_URL
    language = "pl"
    start_urls = [LISTING_URL]

    def parse(self, response: Response) -> Iterator[Request]:
        block = response.css("#otwarte-konkursy")
        if not block:
            raise LayoutChanged("no #otwarte-konkursy block on the schedule page")
        links = block.css("a[href*='/ogloszenia/konkursy/']::attr(href)").getall()
        if not links and not self.may_be_empty:
            raise LayoutChanged("the #otwarte-konkursy block links to no call")
        for href in dict.fromkeys(links):
            yield self.request(response.urljoin(href), self.parse_call)

    def parse_call(self, response: Response) -> Iterator[RawCall]:
        title = " ".join(response.css("h1 ::text").getall()).strip()
        body = response.css(".field--name-body") or response.css("article")
        if not title or not body:
            raise LayoutChanged("call page without <h1> or body")
        text = "\n".join(t.strip() for t in body[0].css("::text").getall() if t.strip())
        deadlines = [
            value
            for sentence in _DEADLINE_LINE.findall(text)
            if (value := deadline_in(sentence)) is not None
        ]
        budget = _BUDGET.search(text)
        published = (
            response.css("time::attr(datetime)").get()
            or response.css(".field--name-created ::text").get()
        )
        yield RawCall(
            id=response.url.rstrip("/").rsplit("/", 1)[-1],
            title=title,
            url=response.url,
            description=body[0].get(),
            programme="NCN",
            call_identifier=title,
            # The last stated deadline is the call's (an earlier one may be a partner's).
            deadlines=sorted(set(deadlines))[-1:],
            opening=normalise_date(published),
            budget=budget[0] if budget else None,
        )
