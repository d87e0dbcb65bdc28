"""The Scrapy way: `scrapy list` and `scrapy crawl SOURCE -O FILE` from the repository root,
through mirror mode, storing into the database as `callradar crawl` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select

from callradar.db import session_scope
from callradar.models import Call, SourceRun
from crawlers.mirror_server import MirrorServer
from tests.crawlers.recorded import FIXTURES

ROOT = Path(__file__).parents[2]
SCRAPY = str(Path(sys.executable).parent / "scrapy")


def test_scrapy_list_names_every_source() -> None:
    listed = subprocess.run([SCRAPY, "list"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert listed.stdout.split() == ["eu-portal", "fe-portal", "ncbr", "ncn", "parp"]


def scrapy_crawl(args: list[str], tmp_path: Path, db_url: str) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl ARGS`` from the repository root against the recorded sites."""
    server = MirrorServer(FIXTURES).start()
    env = {
        **os.environ,
        "CALLRADAR_MIRROR": server.url,
        "CALLRADAR_DATABASE_URL": db_url,
        "CALLRADAR_DATA_DIR": str(tmp_path / "data"),
    }
    try:
        return subprocess.run(
            [SCRAPY, "crawl", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        server.stop()


def test_scrapy_crawl_writes_its_items_and_stores_them(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    out = tmp_path / "ncn.jsonl"
    done = scrapy_crawl(["ncn", "-O", str(out)], tmp_path, db_url)
    assert done.returncode == 0, done.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert items and all(i["source"] == "ncn" and i["title"] and i["url"] for i in items)
    with session_scope(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Call).where(Call.source == "ncn"))
    assert stored == len(items)


def test_a_crawl_stopped_early_stores_nothing(tmp_path: Path, db_url: str, engine: Engine) -> None:
    """CLOSESPIDER_* stops a crawl part-way: its run fails saying why, nothing is stored."""
    done = scrapy_crawl(["parp", "-s", "CLOSESPIDER_PAGECOUNT=3"], tmp_path, db_url)
    assert done.returncode == 0, done.stderr[-2000:]
    with session_scope(engine) as session:
        run = session.scalars(select(SourceRun).where(SourceRun.source == "parp")).one()
        stored = session.scalar(select(func.count()).select_from(Call))
    assert not run.ok and run.message and "stopped early (closespider_pagecount)" in run.message
    assert stored == 0
