"""Scrapy's log messages, without a record per scraped item nobody is shown.

Scrapy's root logger lets every record through and its handler drops those below
``LOG_LEVEL``, so the DEBUG "Scraped from …" record of each item was built (with the item)
and thrown away: a cost per item of every crawl. It is made only when DEBUG is shown.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure


class CallLogFormatter(LogFormatter):
    def __init__(self, log_items: bool) -> None:
        self.log_items = log_items

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        level = settings.get("LOG_LEVEL")
        numeric = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
        shown = settings.getbool("LOG_ENABLED") and isinstance(numeric, int)
        return cls(shown and numeric <= logging.DEBUG)

    def scraped(  # type: ignore[override]
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult | None:
        return super().scraped(item, response, spider) if self.log_items else None
