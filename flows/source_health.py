"""The source-health flow: alert the coordinator when a source broke."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from callradar.db import session_scope, upgrade
from callradar.settings import get_settings
from crawlers.health import SourceProblem, source_problems
from matching.alerts import AlertResult, alert_coordinator


@task(name="check", retries=2, retry_delay_seconds=[10, 60])
def check() -> list[SourceProblem]:
    with session_scope() as session:
        return source_problems(session)


@task(name="alert", retries=2, retry_delay_seconds=[10, 60])
def alert(problems: list[SourceProblem]) -> AlertResult:
    with session_scope() as session:
        return alert_coordinator(session, problems, get_settings())


@flow(name="source-health")
def source_health() -> list[SourceProblem]:
    """Check every source's last runs and alert the coordinator about the broken ones (a
    problem that lasts: again after CALLRADAR_ALERT_REPEAT_DAYS) and those working again."""
    logger = get_run_logger()
    # Served schedules and workers may be the first to touch a new database (no-op if current).
    upgrade()
    problems = check()
    result = alert(problems)
    for error in result.errors:
        logger.error("alert not delivered: %s", error)
    if (result.alerted or result.recovered) and not result.recipients and not result.errors:
        logger.error("no coordinator to alert: set CALLRADAR_COORDINATOR_EMAIL")
    return problems
