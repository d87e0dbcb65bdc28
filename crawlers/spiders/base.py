"""What every call spider shares: typed arguments, requests with an errback, a health record.

A spider only parses. It reports trouble in two lists the pipelines read when it closes:
``problems`` (the crawl of this source failed: a page could not be fetched, or its layout
was not what the parser knows) and ``notes`` (worth telling the coordinator, not a failure).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any, ClassVar

import scrapy
from pydantic import BaseModel, ConfigDict, Field
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from callradar.settings import get_settings
from callradar.text import ascii_letters
from crawlers.middlewares import ORIGINAL_URL
from crawlers.pipelines import STATS_PREFIX


class SpiderArgs(BaseModel):
    """Arguments a call spider takes (``scrapy crawl NAME -a run_id=3 -a max_pages=2``)."""

    model_config = ConfigDict(extra="forbid")

    run_id: int | None = Field(default=None, ge=1, description="The SourceRun row to fill in.")
    max_pages: int | None = Field(
        default=None, ge=1, description="Stop paging a listing after this many pages."
    )


class LayoutChanged(Exception):
    """A page does not look the way the spider's parser expects."""


class CallSpider(scrapy.Spider):
    """Base of the call spiders."""

    title: ClassVar[str]
    home_url: ClassVar[str]
    language: ClassVar[str]
    # A source that legitimately lists no calls at times says so; the others fail on none.
    may_be_empty: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = SpiderArgs.model_validate(kwargs)
        super().__init__(*args)
        self.problems: list[str] = []
        self.notes: list[str] = []
        # Set when a page could not be fetched at all (as opposed to read).
        self.unreachable = False
        # Calls read from the source's answers but not yet yielded as items (a spider that
        # merges a whole listing first counts them here): a crawl that fails after reading
        # some broke part-way; the source is not empty.
        self.held = 0
        # Calls' own pages asked for, and those of them that answered but could not be read.
        self.call_pages = 0
        self.unreadable_call_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CallSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_spider_error, signal=signals.spider_error)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for url in self.start_urls:
            yield self.request(url, self.parse)

    def request(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> Request:
        """A request whose failure is recorded as this source's problem."""
        kwargs.setdefault("errback", self.on_request_failed)
        return Request(url, callback=callback, **kwargs)

    def on_request_failed(self, failure: Failure) -> None:
        """Record a request that failed for good (after the retries)."""
        self.unreachable = True
        self.fail(describe_failure(failure))

    def call_page(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> Request:
        """A request of one call's own page: a page that cannot be read costs that call only
        (see ``_on_spider_error``), and one that is gone is noted (``call_page_failed``)."""
        kwargs.setdefault("errback", self.call_page_failed)
        kwargs["meta"] = {**kwargs.get("meta", {}), CALL_PAGE: True}
        self.call_pages += 1
        return self.request(url, callback, **kwargs)

    def call_page_failed(self, failure: Failure) -> None:
        """A listed call's own page that failed: gone (404, 410), it is a call withdrawn
        while the listing still links it, noted and left out, the other calls read; any
        other failure is the source's problem, as for any request."""
        if failure.check(HttpError) and failure.value.response.status in _GONE:
            self.note(f"call page gone ({describe_failure(failure)}); call left out")
            return
        self.on_request_failed(failure)

    def _on_spider_error(self, failure: Failure, response: Response, spider: scrapy.Spider) -> None:
        if spider is not self:
            return
        error = failure.value
        if response.meta.get(CALL_PAGE):
            # One call's page in a layout no parser knows, or that trips one: that call is
            # left out, the others stored; most of them so is a failure (``closing_problems``).
            self.unreadable_call_pages += 1
            self.skip(response.url, f"{type(error).__name__}: {error}")
            return
        self.fail(f"{response.url}: {type(error).__name__}: {error}")

    def closing_problems(self) -> list[str]:
        """Problems only the whole crawl shows: most calls' pages unreadable is a layout
        change, not a few odd calls; the calls still read are not the source's calls."""
        if self.unreadable_call_pages * 2 > self.call_pages:
            return [
                f"{self.unreadable_call_pages} of {self.call_pages} call pages could not be "
                "read: probable layout change"
            ]
        return []

    def fail(self, message: str) -> None:
        self.problems.append(message)
        self.logger.error(message)

    def note(self, message: str) -> None:
        self.notes.append(message)
        self.logger.warning(message)

    def skip(self, record: str, reason: str) -> None:
        """A record that could not be read: left out, the others of the crawl kept."""
        self.note(f"record {record!r} skipped: {reason}")
        stats = self.crawler.stats if hasattr(self, "crawler") else None
        if stats is not None:
            stats.inc_value(f"{STATS_PREFIX}/invalid")

    def today(self) -> date:
        return get_settings().today()


# Request meta key marking a call's own page (as opposed to a listing).
CALL_PAGE = "callradar_call_page"
# HTTP statuses of a page that no longer exists.
_GONE = frozenset({404, 410})


def describe_failure(failure: Failure) -> str:
    """'GET https://…: HTTP 500' — the real URL, also when the request went to a mirror."""
    request: Request = failure.request  # type: ignore[attr-defined]
    url = request.meta.get(ORIGINAL_URL, request.url)
    if failure.check(HttpError):
        reason = f"HTTP {failure.value.response.status}"
    elif failure.check(DownloadTimeoutError, TimeoutError, TCPTimedOutError):
        reason = "timed out"
    elif failure.check(IgnoreRequest):
        reason = str(failure.value) or "request ignored"
    else:
        reason = f"{type(failure.value).__name__}: {failure.getErrorMessage()}"
    return f"{request.method} {url}: {reason}"


def slug(text: str, limit: int = 80) -> str:
    """A lower-case ASCII id from a title ("Ścieżka SMART" → "sciezka-smart")."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_letters(text).lower()).strip("-")[:limit].rstrip("-")


# A Polish cohesion-policy call number: FENG.01.01-IP.02-001/26, FERS.01.05-IP.08-001/24 …
CALL_NUMBER = re.compile(r"\b[A-Z]{2,6}\.\d{2}\.\d{2}-[A-Z0-9]{2,4}\.\d{2}-\d{3}/\d{2}\b")
