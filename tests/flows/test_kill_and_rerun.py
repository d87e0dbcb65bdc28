"""Kill the daily flow part-way and run it again: nothing lost, duplicated or sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from callradar import db
from callradar.models import Call, Notification, SourceRun
from crawlers.mirror_server import MirrorServer
from flows.daily import daily
from tests.flows.conftest import QUICK

SCRIPT = (
    "import sys; from flows.daily import daily; "
    "daily(mirror=sys.argv[1], sources=sys.argv[2].split(','))"
)


def _finished_runs(engine: Engine) -> int:
    with db.session_scope(engine) as session:
        return session.scalar(
            select(func.count()).select_from(SourceRun).where(SourceRun.finished_at.is_not(None))
        ) or 0


def _sent(engine: Engine) -> int:
    with db.session_scope(engine) as session:
        return session.scalar(
            select(func.count()).select_from(Notification).where(Notification.status == "sent")
        ) or 0


@pytest.mark.parametrize("kill_when", ["crawled", "sending"])
def test_killed_and_run_again(
    kill_when: str, mirror: MirrorServer, cluster: Path, engine: Engine, db_url: str
) -> None:
    env = {**os.environ, "CALLRADAR_DATABASE_URL": db_url, "CALLRADAR_DATA_DIR": str(cluster)}
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, mirror.url, ",".join(QUICK)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if kill_when == "crawled" and _finished_runs(engine) >= 1:
                break
            if kill_when == "sending" and _sent(engine) >= 1:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the flow ended before it could be killed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    report = daily(mirror=mirror.url, sources=QUICK)

    assert report.skipped is None  # the killed run's lease did not block this one
    assert all(s.ok for s in report.sources)
    with db.session_scope(engine) as session:
        keys = Counter(session.execute(select(Call.source, Call.external_id)).all())
        rows = session.scalars(select(Notification)).all()
        stuck = [n for n in rows if n.status == "sending"]
    assert keys and max(keys.values()) == 1
    assert {source for source, _ in keys} == set(QUICK)
    once = Counter((n.contact_id, n.call_id, n.call_version, n.channel) for n in rows)
    assert max(once.values()) == 1
    # Rows claimed by the killed sender wait for their lease; none is lost.
    assert all(n.status in {"sent", "pending", "sending"} for n in rows)
    emails = list((cluster / "outbox").glob("*.eml"))
    sent_emails = [n for n in rows if n.status == "sent" and n.channel == "email"]
    assert len(emails) <= len(sent_emails) + len(stuck)
