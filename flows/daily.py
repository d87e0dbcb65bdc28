"""The daily flow: crawl every source, tag, match, flag, and send what is due.

Thin over the packages' plain functions; each step is a task that Prefect retries on
transient faults (a locked database, a killed subprocess). A failed source is reported,
not retried: Scrapy already retried its requests with back-off. A step that still fails is
reported and the steps after it run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from callradar.db import get_engine, session_scope, upgrade
from crawlers.run import SourceSummary, crawl, source_names
from flows.lock import JobRunning, job_lock
from flows.report import DailyReport
from matching.outbox import enqueue_notifications
from matching.sender import send_due
from matching.store import flag_calls, match_calls
from tagging.store import tag_stored_calls

if TYPE_CHECKING:
    from prefect.futures import PrefectFuture
    from prefect.task_runners import TaskRunner

RETRIES = 2
RETRY_DELAYS: list[float] = [10, 60]
# Renewed every 5 minutes while the run lasts; a killed run's lease is taken over at once on
# the same machine, and 15 minutes after its last renewal from another one.
LEASE = timedelta(minutes=15)


@task(name="crawl", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS)
def crawl_source(source: str, mirror: str | None) -> SourceSummary:
    (summary,) = crawl([source], mirror)
    return summary


@task(name="tag", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS)
def tag_calls() -> int:
    with session_scope() as session:
        return tag_stored_calls(session).tagged


@task(name="match", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS)
def match_and_flag() -> tuple[int, int]:
    with session_scope() as session:
        matched = match_calls(session).calls
        flagged = flag_calls(session).flagged
    return matched, flagged


@task(name="enqueue", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS)
def enqueue() -> int:
    with session_scope() as session:
        return enqueue_notifications(session).queued


@task(name="send", retries=RETRIES, retry_delay_seconds=RETRY_DELAYS)
def send() -> tuple[int, int, int]:
    summary = send_due()
    return summary.sent, summary.retry, summary.failed


# Prefect types flow(task_runner=...) as TaskRunner[PrefectFuture], which its own
# ThreadPoolTaskRunner (a TaskRunner of a PrefectFuture subclass, invariant) is not.
_RUNNER = cast("TaskRunner[PrefectFuture[Any]]", ThreadPoolTaskRunner(max_workers=2))


@flow(name="daily", task_runner=_RUNNER)
def daily(
    mirror: str | None = None, sources: list[str] | None = None
) -> DailyReport | State[DailyReport]:
    """Crawl ``sources`` (all when none), then tag, match, flag and notify.

    The run ends Failed, its report attached, when a source or a step failed: a Prefect
    server's dashboard and automations then show it. Call it through `run_daily` for the
    report either way.
    """
    logger = get_run_logger()
    engine = get_engine()
    # A worker or a served schedule may be the first to touch a new database: migrate it, as
    # every command does (a no-op at the current schema), before the lease table is needed.
    upgrade(engine)
    try:
        with job_lock(engine, "daily", LEASE):
            report = run_steps(mirror, sources)
    except JobRunning as exc:
        logger.warning("not started: %s", exc)
        report = DailyReport(skipped=str(exc))
    create_markdown_artifact(report.markdown(), key="daily-run", description="Daily run")
    failed = report.failed_sources + [f"step {name}" for name in report.failed_steps]
    if failed:
        return Failed(message=f"failed: {', '.join(failed)}", data=report)
    return report


def run_daily(mirror: str | None = None, sources: list[str] | None = None) -> DailyReport:
    """Run the daily flow in this process and return its report, also when the run ended
    Failed because a source or a step failed; a crash of the flow itself is raised."""
    state = daily(mirror=mirror, sources=sources, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return cast(DailyReport, result)


_Result = TypeVar("_Result")


def _step(report: DailyReport, name: str, run: Callable[[], _Result], nothing: _Result) -> _Result:
    """Run a step's task; if it failed (after its retries), note why and go on. The steps
    after it still have work of their own: matching on the tags there are, sending the
    digests and retries already queued. Left out, a broken tagger stopped every message."""
    try:
        return run()
    except Exception as exc:
        get_run_logger().error("step %s failed: %s", name, exc)
        report.failed_steps[name] = f"{type(exc).__name__}: {exc}"
        return nothing


def run_steps(mirror: str | None, sources: list[str] | None) -> DailyReport:
    report = DailyReport()
    futures = {name: crawl_source.submit(name, mirror) for name in sources or source_names()}
    for name, future in futures.items():
        future.wait()
        if future.state.is_completed():
            report.sources.append(future.result())
        else:
            report.crashed[name] = str(future.result(raise_on_failure=False))
    report.tagged = _step(report, "tag", tag_calls, 0)
    report.matched, report.flagged = _step(report, "match", match_and_flag, (0, 0))
    report.queued = _step(report, "enqueue", enqueue, 0)
    report.sent, report.retry, report.failed = _step(report, "send", send, (0, 0, 0))
    return report
