"""The digest flow: at the digest hour, send the daily and weekly digests that are due."""

from __future__ import annotations

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from callradar.db import upgrade
from matching.sender import SendSummary, send_due


@task(name="send", retries=2, retry_delay_seconds=[10, 60])
def send() -> SendSummary:
    return send_due()


@flow(name="digest")
def digest() -> SendSummary:
    """Send every outbox message that is due: at the digest hour, the digests."""
    # Served schedules and workers may be the first to touch a new database (no-op if current).
    upgrade()
    summary = send()
    create_markdown_artifact(
        f"# Digests\n\nsent {summary.sent}, to retry {summary.retry}, failed {summary.failed}\n",
        key="digest-run",
    )
    return summary
