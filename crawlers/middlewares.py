"""Downloader middlewares and the add-on of mirror mode; retries with back-off; the charset
of Polish pages that do not say theirs.

Mirror mode (DESIGN.md): with ``CALLRADAR_MIRROR=http://127.0.0.1:PORT`` every request to
``https://HOST/PATH?QUERY`` goes to ``http://127.0.0.1:PORT/HOST/PATH?QUERY`` instead, same
method and body. Spiders never see the mirror: responses come back under their real URL, so
links join, ids and stored URLs are the real ones.
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

ORIGINAL_URL = "callradar_original_url"


def mirror_url(url: str, mirror: str) -> str:
    """``https://HOST/PATH?QUERY`` as served by the mirror at ``mirror``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror.rstrip('/')}/{parts.netloc}{path}{query}"


class MirrorMiddleware:
    """Sends every request to the mirror and gives the response back its real URL."""

    def __init__(self, mirror: str) -> None:
        self.mirror = mirror
        self.prefix = mirror.rstrip("/") + "/"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mirror = crawler.settings.get("CALLRADAR_MIRROR")
        if not mirror:
            raise NotConfigured
        return cls(mirror)

    def process_request(self, request: Request) -> Request | None:
        # Judged by the URL, not by the meta: a redirect's request copies the meta of the
        # mirrored one it follows, yet its URL is the site's and must be mirrored too.
        if request.url.startswith(self.prefix):
            return None
        # The request already passed the duplicate filter and robots.txt under its real URL;
        # its mirrored copy must pass neither again.
        return request.replace(
            url=mirror_url(request.url, self.mirror),
            dont_filter=True,
            meta={**request.meta, ORIGINAL_URL: request.url, "dont_obey_robotstxt": True},
        )

    def process_response(self, request: Request, response: Response) -> Response:
        original = request.meta.get(ORIGINAL_URL)
        if original is None:
            return response
        location = response.headers.get("Location")
        if location is None:
            return response.replace(url=original)
        # Scrapy joins a redirect's Location to the request's URL, the mirror's: a relative
        # one ("/nowy-adres") would lose the site's host. Made absolute on the site, it is
        # followed, and mirrored, as any request to the site.
        headers = response.headers.copy()
        headers["Location"] = urljoin(original, location.decode("latin-1"))
        return response.replace(url=original, headers=headers)


class MirrorMode:
    """Add-on: a crawl against a mirror on loopback needs no throttling and no HTTP cache."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("CALLRADAR_MIRROR"):
            return
        # "project" priority so that these win over settings.py but not over ``-s``.
        for name, value in {
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "HTTPCACHE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "DOWNLOAD_TIMEOUT": settings.getfloat("CALLRADAR_MIRROR_TIMEOUT"),
            "RETRY_BACKOFF_BASE": 0.05,
        }.items():
            settings.set(name, value, priority="project")


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, timeouts, dropped connections), each after a growing pause.

    The pause holds the request's download slot, so the whole site is given a rest, not
    only this URL: 1 s, 2 s, 4 s … with ``RETRY_BACKOFF_BASE = 1``, at most
    ``RETRY_BACKOFF_MAX``.
    """

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._pause(request)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._pause(request)
        return result

    async def _pause(self, request: Request) -> None:
        attempt = request.meta.get("retry_times", 0)
        await sleep(min(self.cap, self.base * 2**attempt))


# Bytes ISO-8859-2 keeps for control characters and Windows-1250 for "ś", "ź", "Ś", "Ź", "Š"…,
# and ISO-8859-2's "ą", "ś", "ź" (Windows-1250's "±", "¶", "Ľ").
_WINDOWS_1250_ONLY = re.compile(rb"[\x80-\x9f]")
_ISO_8859_2_LETTERS = re.compile(rb"[\xb1\xb6\xbc]")


class PolishCharsetMiddleware:
    """A page that is not UTF-8 and declares no other charset is read as the Polish
    8-bit charset its bytes fit, Windows-1250 or ISO-8859-2; a page in UTF-8 is read as
    UTF-8 whatever 8-bit charset its server declares.

    Scrapy's guess for such a page is any 8-bit charset (Windows-1257 for a Polish one),
    and a page wrongly declared UTF-8 loses every Polish letter: "zł", month names and
    "ogłasza" no longer match, so budgets and deadlines go unread. The other way round, a
    server's default header ("charset=ISO-8859-1") in front of a UTF-8 page made "Nabór"
    "NabÃ³r": Polish text in an 8-bit charset is practically never valid UTF-8.
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        try:
            response.body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if response.body.isascii() or codecs.lookup(response.encoding).name == "utf-8":
                return response
            return response.replace(encoding="utf-8")
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        declared = http_content_type_encoding(content_type) or html_body_declared_encoding(
            response.body
        )
        if declared not in (None, "utf-8"):
            return response
        return response.replace(encoding=polish_encoding(response.body))


def polish_encoding(body: bytes) -> str:
    """Windows-1250 or ISO-8859-2, whichever the bytes of a Polish text fit."""
    if _WINDOWS_1250_ONLY.search(body) is None and _ISO_8859_2_LETTERS.search(body):
        return "iso8859-2"
    return "cp1250"
