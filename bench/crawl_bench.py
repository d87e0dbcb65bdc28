"""Crawl benchmark: the eu-portal spider over a mirror of 2,000+ synthesised topics.

    .venv/bin/python bench/crawl_bench.py [--topics 2000]

Prints topics per second and the crawl process's peak memory, next to the floor: a plain
loop of the same HTTP requests and ``json.loads`` over the same pages, in the same run.
The crawl is measured twice: the whole ``crawl()`` (process start, parse, validate, store
into a fresh SQLite file) and a second, unchanged crawl of the same pages.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from callradar.db import make_engine, upgrade  # noqa: E402
from crawlers.middlewares import mirror_url  # noqa: E402
from crawlers.mirror_server import MirrorServer  # noqa: E402
from crawlers.run import crawl  # noqa: E402
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
                started = time.perf_counter()
                (summary,) = crawl(["eu-portal"], server.url, engine)
                timings.append(time.perf_counter() - started)
                assert summary.ok and summary.seen == args.topics, summary
        finally:
            server.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"pages: {len(pages)}, topics: {args.topics}")
    print(f"floor (HTTP + json.loads): {floor:.2f} s, {args.topics / floor:,.0f} topics/s")
    for label, seconds in zip(
        ("first crawl (all new)", "second crawl (unchanged)"), timings, strict=True
    ):
        print(
            f"{label}: {seconds:.2f} s, {args.topics / seconds:,.0f} topics/s, "
            f"{seconds / floor:.1f}x the floor"
        )
    print(f"peak memory of the crawl process: {peak_mb:.0f} MB")


def _floor(mirror: str, pages: int) -> float:
    """The same POSTs, one after another, each answer parsed."""
    request = EuPortalSpider().page_request(1)
    started = time.perf_counter()
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
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
