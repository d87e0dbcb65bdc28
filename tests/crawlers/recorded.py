"""Spiders run on recorded pages without a network: responses at their real URLs.

``follow`` plays the part of Scrapy's engine for parse tests: it answers each request a
spider makes with the file mirror mode would serve for it, and collects the items.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request, Response, TextResponse

from crawlers.items import RawCall
from crawlers.middlewares import mirror_url
from crawlers.mirror_server import file_key

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture_path(url: str) -> Path:
    """The recorded file mirror mode serves for ``url``."""
    return FIXTURES / file_key(mirror_url(url, ""))


def file_response(url: str, request: Request | None = None) -> Response:
    """The recorded response of ``url``, as Scrapy would hand it to a callback."""
    body = fixture_path(url).read_bytes()
    request = request or Request(url)
    if body.lstrip()[:1] in (b"{", b"["):
        return TextResponse(url, body=body, encoding="utf-8", request=request)
    return HtmlResponse(url, body=body, encoding="utf-8", request=request)


def follow(start: Iterable[Any]) -> list[RawCall]:
    """Every item reached from ``start`` (requests and items) through recorded responses."""
    items: list[RawCall] = []
    pending = list(start)
    while pending:
        result = pending.pop(0)
        if isinstance(result, RawCall):
            items.append(result)
            continue
        assert isinstance(result, Request), result
        response = file_response(result.url, result)
        pending.extend(result.callback(response, **result.cb_kwargs) or [])
    return items
