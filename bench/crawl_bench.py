"""Crawl benchmark: the eu-portal spider over a mirror of 2,000+ synthesised topics.

    .venv/bin/python bench/crawl_bench.py [--topics 2000]

Prints topics per second and the crawl process's peak memory, next to the floor: a plain
loop of the same HTTP requests and ``json.loads`` over the same pages, in the same run. Each
time is printed with the CPU time the crawling side spent in it (the mirror server's threads
left out, on both sides), which a machine shared with other work disturbs much less than
the wall-clock time.
Two ways of crawling are measured, each twice (all topics new into a fresh SQLite file,
then the same pages unchanged):

- ``callradar crawl`` as users run it: ``crawl()``, which starts a worker process that
  imports Scrapy and the project, crawls, parses, validates and stores;
- the crawl itself: the same spider, pipelines and storing run by Scrapy in this process,
  timed from the crawl's start to its end, without the process start and imports.

A third reference shows what Scrapy costs by itself: a spider with Scrapy's default
settings that makes the same requests one after another and yields each topic's
``json.loads`` row as its item, with no item pipeline (nothing cleaned, validated or
stored), in the same process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typing import Any  # noqa: E402

from scrapy import Request, Spider  # noqa: E402
from scrapy.crawler import Crawler, CrawlerProcess  # noqa: E402
from scrapy.http import TextResponse  # noqa: E402
from scrapy.utils.project import get_project_settings  # noqa: E402
from twisted.internet.defer import Deferred  # noqa: E402

from callradar.db import make_engine, session_scope, upgrade  # noqa: E402
from crawlers.middlewares import mirror_url  # noqa: E402
from crawlers.mirror_server import MirrorServer  # noqa: E402
from crawlers.run import crawl  # noqa: E402
from crawlers.source_runs import ensure_source, start_run  # noqa: E402
from crawlers.spiders.eu_portal import EuPortalSpider  # noqa: E402
from tests.fixtures.build_fixtures import eu_page_name, eu_portal_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--topics", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        pages = eu_portal_pages(args.topics)
        for number, page in enumerate(pages, start=1):
            target = site / eu_page_name(number)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(page, separators=(",", ":")))
        server = MirrorServer(site).start()
        try:
            floor = _floor(server.url, len(pages))
            engine = make_engine(f"sqlite:///{tmp}/bench.db")
            upgrade(engine)
            timings = []
            for _ in range(2):
                started, cpu = time.perf_counter(), _cpu_with_children()
                (summary,) = crawl(["eu-portal"], server.url, engine)
                timings.append((time.perf_counter() - started, _cpu_with_children() - cpu))
                assert summary.ok and summary.seen == args.topics, summary
            rows = sum(len(page["results"]) for page in pages)
            in_process, bare = _in_process(
                server.url, f"sqlite:///{tmp}/in-process.db", args.topics, len(pages), rows
            )
        finally:
            server.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {len(pages)}, topics: {args.topics}")
    floor_s, floor_cpu = floor
    print(
        f"floor (HTTP + json.loads): {floor_s:.2f} s ({floor_cpu:.2f} s CPU), "
        f"{args.topics / floor_s:,.0f} topics/s"
    )
    labels = ("all new", "unchanged")
    for way, runs in (("callradar crawl", timings), ("the crawl itself", in_process)):
        for label, (seconds, cpu) in zip(labels, runs, strict=True):
            print(
                f"{way}, {label}: {seconds:.2f} s, {args.topics / seconds:,.0f} topics/s, "
                f"{seconds / floor_s:.1f}x the floor; CPU {cpu:.2f} s, "
                f"{cpu / floor_cpu:.1f}x the floor's"
            )
    seconds, cpu = bare
    print(
        f"Scrapy alone (same requests, each topic's row an item, no pipeline): {seconds:.2f} s, "
        f"{args.topics / seconds:,.0f} topics/s, {seconds / floor_s:.1f}x the floor; "
        f"CPU {cpu:.2f} s, {cpu / floor_cpu:.1f}x the floor's"
    )
    print(f"peak memory of the crawl process: {peak_mb:.0f} MB")
    print(f"peak memory of this process (mirror, floor, in-process crawls): {own_mb:.0f} MB")


def _cpu_with_children() -> float:
    """CPU seconds of this thread and of finished child processes (the crawl worker)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.thread_time() + children.ru_utime + children.ru_stime


class BareSpider(Spider):
    """Scrapy by itself: the eu-portal spider's requests, one page after another, each
    topic's row yielded as it was parsed."""

    name = "bare"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "HTTPCACHE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {},
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
        "ADDONS": {},
        "LOG_FORMATTER": "scrapy.logformatter.LogFormatter",
    }

    def __init__(self, mirror: str, pages: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mirror, self.pages = mirror, pages
        self.template = EuPortalSpider().page_request(1)

    async def start(self) -> Any:
        yield self.page(1)

    def page(self, number: int) -> Request:
        url = self.template.url.replace("pageNumber=1", f"pageNumber={number}")
        return Request(
            mirror_url(url, self.mirror),
            self.parse,
            method="POST",
            body=self.template.body,
            headers=self.template.headers,
            cb_kwargs={"number": number},
        )

    def parse(self, response: TextResponse, number: int) -> Any:  # type: ignore[override]
        yield from json.loads(response.body)["results"]
        if number < self.pages:
            yield self.page(number + 1)


def _in_process(
    mirror: str, database_url: str, topics: int, pages: int, rows: int
) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """Two crawls, one after the other, in this process's reactor, then Scrapy alone
    (`BareSpider`): (seconds, CPU seconds of the reactor's thread) each."""
    os.environ["SCRAPY_SETTINGS_MODULE"] = "crawlers.settings"
    engine = make_engine(database_url)
    upgrade(engine)
    settings = get_project_settings()
    settings.set("CALLRADAR_MIRROR", mirror, priority="cmdline")
    settings.set("CALLRADAR_DATABASE_URL", database_url, priority="cmdline")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    process = CrawlerProcess(settings)
    timings: list[tuple[float, float]] = []

    def next_crawl(_: object = None) -> Deferred[None] | None:
        if len(timings) == 3:
            return None
        if len(timings) == 2:
            started = (time.perf_counter(), time.thread_time())
            bare = process.create_crawler(BareSpider)
            done = process.crawl(bare, mirror=mirror, pages=pages)
            done.addCallback(lambda _: _bare_finished(bare, started))
            return done
        with session_scope(engine) as session:
            ensure_source(session, "eu-portal", EuPortalSpider.title, EuPortalSpider.home_url)
            run_id = start_run(session, "eu-portal").id
        started = (time.perf_counter(), time.thread_time())
        crawler = process.create_crawler("eu-portal")
        done = process.crawl(crawler, run_id=run_id)
        done.addCallback(lambda _: _finished(crawler, started))
        done.addCallback(next_crawl)
        return done

    def _finished(crawler: Crawler, started: tuple[float, float]) -> None:
        timings.append((time.perf_counter() - started[0], time.thread_time() - started[1]))
        assert crawler.stats is not None
        items = crawler.stats.get_value("callradar/items")
        assert items == topics and not crawler.spider.problems, crawler.spider.problems  # type: ignore[union-attr]

    def _bare_finished(crawler: Crawler, started: tuple[float, float]) -> None:
        timings.append((time.perf_counter() - started[0], time.thread_time() - started[1]))
        assert crawler.stats is not None
        assert crawler.stats.get_value("item_scraped_count") == rows

    next_crawl()
    process.start()
    return timings[:2], timings[2]


def _floor(mirror: str, pages: int) -> tuple[float, float]:
    """The same POSTs, one after another, each answer parsed: (seconds, CPU seconds)."""
    request = EuPortalSpider().page_request(1)
    started, cpu = time.perf_counter(), time.thread_time()
    for number in range(1, pages + 1):
        url = request.url.replace("pageNumber=1", f"pageNumber={number}")
        http = urllib.request.Request(
            mirror_url(url, mirror),
            data=request.body,
            method="POST",
            headers={"Content-Type": request.headers["Content-Type"].decode()},
        )
        with urllib.request.urlopen(http) as answer:
            json.loads(answer.read())
    return time.perf_counter() - started, time.thread_time() - cpu


if __name__ == "__main__":
    main()
