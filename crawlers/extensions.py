"""Python's cyclic garbage collector tuned while crawlers run.

A crawl holds thousands of parsed rows and records while Scrapy makes and drops a few
coroutines, futures and deferreds per item: with the default threshold (700 new objects)
the collector ran hundreds of times a crawl of 2,000 topics, and each full collection
walked every object of the process (Scrapy, SQLAlchemy, pydantic and their modules):
together a quarter to a third of the crawl's time in ``bench/crawl_bench.py``. While any
crawler of the process runs, what exists at its start (modules, settings, the spider) is
frozen out of the collector's walks, and the youngest generation is collected after
``CALLRADAR_GC_THRESHOLD`` new objects; both are undone when the last crawler of the
process stops.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class CollectorTuning:
    running = 0
    saved_threshold: tuple[int, int, int] = gc.get_threshold()

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        threshold = crawler.settings.getint("CALLRADAR_GC_THRESHOLD")
        if threshold <= 0:
            raise NotConfigured("CALLRADAR_GC_THRESHOLD is not set")
        extension = cls(threshold)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        cls = type(self)
        if cls.running == 0:
            cls.saved_threshold = gc.get_threshold()
            _, middle, oldest = cls.saved_threshold
            gc.set_threshold(max(self.threshold, cls.saved_threshold[0]), middle, oldest)
        cls.running += 1
        gc.freeze()

    def engine_stopped(self) -> None:
        cls = type(self)
        cls.running -= 1
        if cls.running == 0:
            gc.set_threshold(*cls.saved_threshold)
            gc.unfreeze()
