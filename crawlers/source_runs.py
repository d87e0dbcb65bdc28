"""SourceRun rows: the record of each crawl of each source, shared by crawl() and the pipeline."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callradar.models import Source, SourceRun


def ensure_source(session: Session, name: str, title: str, url: str | None) -> None:
    """The Source row of a spider, created or brought up to date."""
    source = session.get(Source, name)
    if source is None:
        session.add(Source(name=name, title=title, url=url))
    else:
        source.title, source.url = title, url
    session.flush()


def start_run(session: Session, source: str) -> SourceRun:
    """A run that counts as failed until its crawl reports back."""
    run = SourceRun(source=source, ok=False, message="the crawl did not finish")
    session.add(run)
    session.flush()
    return run


def last_good_field_stats(session: Session, source: str, before_run: int) -> dict[str, Any] | None:
    """The field figures of the source's last successful run before ``before_run``."""
    return session.scalar(
        select(SourceRun.field_stats)
        .where(SourceRun.source == source, SourceRun.ok.is_(True), SourceRun.id < before_run)
        .order_by(SourceRun.id.desc())
        .limit(1)
    )
