"""The daily flow killed like a machine dies (the flow process with its crawl worker, SIGKILL)
while crawling, while tagging and while sending, then run again: every call there once, with
one version, and every message received once by a real SMTP server on loopback.

The outbox folder cannot show a message sent twice (a re-sent .eml replaces its file), so
the messages go over SMTP here and the server's receipts are counted.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, func, select

from callradar import db
from callradar.models import Call, CallVersion, Contact, JobLock, Notification, SourceRun
from callradar.settings import get_settings
from crawlers.mirror_server import Fault, MirrorServer
from flows.daily import run_daily
from matching.outbox import IMMEDIATE
from tests.loopback import free_port

SCRIPT = (
    "import sys; from flows.daily import run_daily; "
    "run_daily(mirror=sys.argv[1], sources=sys.argv[2].split(','))"
)
# A schedule page and a paged API; ncbr's calls give the immediate contacts messages.
SOURCES = ["ncn", "ncbr"]
NCBR_API = "/www.gov.pl/api/data/"
# Long enough that the sender is surely killed while it waits for the server's answer.
HOLD_SECONDS = 120
# Generous for a loaded 2-core machine: the flow process starts Prefect, Scrapy and spaCy.
PHASE_TIMEOUT = 180


class HoldingInbox:
    """An SMTP server's handler that keeps what it accepts and, once ``hold_after``
    messages are in, leaves the next one unanswered (the sender is then killed mid-send)."""

    def __init__(self) -> None:
        self.accepted: list[EmailMessage] = []
        self.hold_after: int | None = None
        self.holding = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.hold_after is not None and len(self.accepted) >= self.hold_after:
            self.holding.set()
            await asyncio.sleep(HOLD_SECONDS)
            return "451 4.3.0 try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.accepted.append(message)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[HoldingInbox]:
    inbox = HoldingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CALLRADAR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CALLRADAR_SMTP_PORT", str(port))
    monkeypatch.setenv("CALLRADAR_SMTP_STARTTLS", "false")
    # Rows claimed by a killed sender are sent again by the next run, not 10 minutes later.
    monkeypatch.setenv("CALLRADAR_NOTIFY_LEASE_SECONDS", "1")
    get_settings.cache_clear()
    yield inbox
    controller.stop()


def scalar(engine: Engine, query: Any) -> int:
    with db.session_scope(engine) as session:
        return int(session.scalar(query) or 0)


def run_and_kill(mirror: MirrorServer, api_url: str, until: Callable[[], bool]) -> None:
    """Start the daily flow in a process group of its own; SIGKILL the whole group (the flow
    and its crawl worker) as soon as ``until()`` holds."""
    env = {**os.environ, "PREFECT_API_URL": api_url}
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, mirror.url, ",".join(SOURCES)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + PHASE_TIMEOUT
    try:
        while not until():
            if process.poll() is not None:
                raise AssertionError(
                    f"the flow ended (status {process.returncode}) before the kill point: "
                    + (process.stderr.read().decode()[-2000:] if process.stderr else "")
                )
            assert time.monotonic() < deadline, "the kill point was never reached"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        # Reaped, as a worker reaps its flow runs: a zombie would still look alive.
        process.wait()
        if process.stderr:
            process.stderr.close()


@pytest.mark.slow
def test_killed_while_crawling_tagging_and_sending_then_run_again(
    mirror: MirrorServer, cluster: Path, engine: Engine, smtp: HoldingInbox, prefect: str
) -> None:
    def runs_since(first_id: int, finished: bool) -> int:
        query = select(func.count()).select_from(SourceRun).where(SourceRun.id > first_id)
        if finished:
            query = query.where(SourceRun.finished_at.is_not(None))
        return scalar(engine, query)

    def last_run_id() -> int:
        return scalar(engine, select(func.max(SourceRun.id)))

    # 1. While crawling: one source stored, the other still being crawled (NCBR's API
    # answers nothing until the kill: the two crawls are quick enough to end together).
    first = last_run_id()
    mirror.faults[NCBR_API] = Fault(200, b"", delay=60)
    run_and_kill(mirror, prefect, lambda: runs_since(first, finished=True) >= 1)
    del mirror.faults[NCBR_API]
    assert runs_since(first, finished=True) < len(SOURCES)
    # 2. Right after crawling: every source stored, tagging under way (it commits once,
    # at its end, so a kill before then leaves every call untagged).
    first = last_run_id()
    run_and_kill(mirror, prefect, lambda: runs_since(first, finished=True) == len(SOURCES))
    assert scalar(engine, select(func.count()).select_from(Call)) > 0
    assert scalar(engine, select(func.count()).where(Call.tagged_fingerprint.is_not(None))) == 0
    # 3. While sending: two messages accepted, the third waiting for the server's answer.
    smtp.hold_after = 2
    run_and_kill(mirror, prefect, smtp.holding.is_set)
    assert len(smtp.accepted) == 2
    assert scalar(engine, select(func.count()).select_from(JobLock)) == 1, (
        "the killed run's lease should be left behind, to be taken over"
    )

    smtp.hold_after = None
    time.sleep(1)  # the killed sender's claim on the unanswered message expires
    report = run_daily(mirror=mirror.url, sources=SOURCES)

    assert report.skipped is None, "the killed run's lease blocked the next run"
    assert [s.source for s in report.sources] == SOURCES and all(s.ok for s in report.sources)
    with db.session_scope(engine) as session:
        stored = Counter(source for (source,) in session.execute(select(Call.source)))
        calls = list(session.scalars(select(Call)))
        versions = Counter(
            call_id for (call_id,) in session.execute(select(CallVersion.call_id))
        )
        immediate = list(session.scalars(
            select(Notification).join(Contact).where(Contact.digest == IMMEDIATE)
        ))
    # Nothing lost: every call the sources list is stored; none twice, none with a second
    # version (the recorded sites did not change).
    assert stored == {s.source: s.new + s.changed + s.unchanged for s in report.sources}
    assert all(versions[c.id] == 1 for c in calls)
    assert all(c.tagged_fingerprint == c.fingerprint and c.matched_key for c in calls)
    # Every message due went out, each received exactly once.
    assert immediate and all(n.status == "sent" for n in immediate)
    ids = Counter(m["Message-ID"] for m in smtp.accepted)
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    assert len(smtp.accepted) == len(immediate)
