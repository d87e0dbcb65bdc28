"""Is each source still working? The checks behind the coordinator's "a source broke" alert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from callradar.models import SourceRun
from crawlers.pipelines import NO_CALLS
from crawlers.source_runs import last_good_field_stats
from crawlers.validation import layout_warnings

Problem = Literal["failed-twice", "empty", "validation-drop"]


@dataclass(frozen=True, slots=True)
class SourceProblem:
    source: str
    problem: Problem
    detail: str
    run_id: int


def source_problems(session: Session) -> list[SourceProblem]:
    """What is wrong with each crawled source, judged on its last finished runs: failed
    twice in a row, returned nothing, or far fewer items with a field than before."""
    sources = session.scalars(select(SourceRun.source).distinct().order_by(SourceRun.source))
    problems: list[SourceProblem] = []
    for source in sources:
        last_two = list(
            session.scalars(
                select(SourceRun)
                .where(SourceRun.source == source, SourceRun.finished_at.is_not(None))
                .order_by(SourceRun.id.desc())
                .limit(2)
            )
        )
        if not last_two:
            continue
        last = last_two[0]
        if len(last_two) == 2 and not any(run.ok for run in last_two):
            problems.append(
                SourceProblem(source, "failed-twice", last.message or "the crawl failed", last.id)
            )
        elif (last.message or "").startswith(NO_CALLS) or (last.ok and last.seen == 0):
            problems.append(
                SourceProblem(
                    source, "empty", last.message or "the source returned no calls", last.id
                )
            )
        if last.ok:
            previous = last_good_field_stats(session, source, last.id)
            for warning in layout_warnings(previous, last.field_stats):
                problems.append(SourceProblem(source, "validation-drop", warning, last.id))
    return problems
