"""Crawling sources into the database, as one plain typed function for the CLI, flows and tests."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from sqlalchemy import Engine

from callradar.db import current_revision, get_engine, session_scope, upgrade
from callradar.models import SourceRun, utcnow
from callradar.settings import get_settings
from crawlers.source_runs import ensure_source, start_run

if TYPE_CHECKING:
    from crawlers.spiders.base import CallSpider

# A whole crawl of every source takes minutes; this only stops a process that hung.
WORKER_TIMEOUT = 4 * 3600


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """What one source's crawl did: items seen, calls new/changed/unchanged, errors."""

    source: str
    ok: bool
    seen: int
    new: int
    changed: int
    unchanged: int
    errors: int
    message: str | None
    run_id: int


class UnknownSourceError(ValueError):
    """A source name that no spider has."""


def source_names() -> list[str]:
    """The sources that can be crawled: the spiders' names."""
    return sorted(_spider_loader().list())


def checked_sources(sources: list[str] | None) -> list[str]:
    """``sources`` without repeats (all sources when None or empty); UnknownSourceError
    names any that no spider has."""
    known = source_names()
    names = list(dict.fromkeys(sources or known))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UnknownSourceError(
            f"unknown source(s): {', '.join(unknown)}; known: {', '.join(known)}"
        )
    return names


def crawl(
    sources: list[str] | None = None, mirror: str | None = None, engine: Engine | None = None
) -> list[SourceSummary]:
    """Crawl ``sources`` (all when None or empty) and store their calls; one summary a source.

    Each source's run is recorded as a SourceRun. A source that fails (unreachable, 5xx,
    garbage, a changed layout) stores nothing and keeps every call it had; the others are
    stored as usual. ``mirror`` is mirror mode's URL (default: CALLRADAR_MIRROR).
    The crawl runs in a subprocess, so the database must be a file or a server.
    """
    names = checked_sources(sources)
    loader = _spider_loader()
    engine = engine or get_engine()
    if current_revision(engine) is None:
        upgrade(engine)
    with session_scope(engine) as session:
        run_ids = {}
        for name in names:
            spider = cast("type[CallSpider]", loader.load(name))
            ensure_source(session, name, spider.title, spider.home_url)
            run_ids[name] = start_run(session, name).id
    failure = _run_worker(run_ids, mirror or get_settings().mirror, engine)
    with session_scope(engine) as session:
        summaries = []
        for name, run_id in run_ids.items():
            run = session.get(SourceRun, run_id)
            assert run is not None
            if run.finished_at is None and failure:
                run.message = f"the crawl process failed: {failure}"
                run.finished_at = utcnow()
                run.errors = max(run.errors, 1)
            summaries.append(
                SourceSummary(
                    source=name,
                    ok=run.ok,
                    seen=run.seen,
                    new=run.new,
                    changed=run.changed,
                    unchanged=run.unchanged,
                    errors=run.errors,
                    message=run.message,
                    run_id=run.id,
                )
            )
    return summaries


def _spider_loader() -> SpiderLoader:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    return SpiderLoader.from_settings(get_project_settings())


def _run_worker(run_ids: dict[str, int], mirror: str | None, engine: Engine) -> str | None:
    """Run the crawl process; None when it exited cleanly, else what went wrong."""
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "crawlers.settings",
        "CALLRADAR_DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    if mirror:
        env["CALLRADAR_MIRROR"] = mirror
    else:
        env.pop("CALLRADAR_MIRROR", None)
    command = [sys.executable, "-m", "crawlers.worker"]
    command += [f"{name}={run_id}" for name, run_id in run_ids.items()]
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=WORKER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return f"no end after {WORKER_TIMEOUT} s"
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return f"exit status {done.returncode}: {tail}"
    return None
