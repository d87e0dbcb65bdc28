"""The daily job's lease (flows/lock.py): renewed while held, released after, taken over
once stale, and taken by one of two racing runs; on SQLite and PostgreSQL (the flow tests
run on SQLite only)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import JobLock, utcnow
from flows.lock import JobRunning, acquire, job_lock, release, renew


def lease(engine: Engine, name: str) -> JobLock | None:
    with session_scope(engine) as session:
        found = session.scalar(select(JobLock).where(JobLock.name == name))
        if found is not None:
            session.expunge(found)
        return found


def test_a_held_lease_is_renewed_and_released(engine: Engine) -> None:
    ttl = timedelta(seconds=1.5)
    with job_lock(engine, "daily", ttl):
        first = lease(engine, "daily")
        assert first is not None
        # Renewed every ttl/3; on a loaded machine the renewer may be late, so wait for it.
        deadline = time.monotonic() + 30
        while True:
            later = lease(engine, "daily")
            assert later is not None and later.holder == first.holder
            if later.expires_at > first.expires_at or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert later.expires_at > first.expires_at, "the lease was never renewed"
    assert lease(engine, "daily") is None


def test_of_two_runs_starting_at_once_one_gets_the_lease(engine: Engine) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        start.wait()
        try:
            acquire(engine, "daily", timedelta(minutes=15))
            outcomes.append("took it")
        except JobRunning:
            outcomes.append("refused")

    racers = [threading.Thread(target=run) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(outcomes) == ["refused", "took it"]


def test_a_lease_of_another_machine_blocks_until_it_expires(engine: Engine) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        session.add(JobLock(name="daily", holder="elsewhere:4242", acquired_at=now,
                            expires_at=now + timedelta(minutes=15)))
    with pytest.raises(JobRunning, match="elsewhere:4242"):
        acquire(engine, "daily", timedelta(minutes=15))
    # Its holder stopped renewing: once expired, the next run takes it over.
    later = now + timedelta(minutes=16)
    holder = acquire(engine, "daily", timedelta(minutes=15), now=later)
    assert not renew(engine, "daily", "elsewhere:4242", timedelta(minutes=15))
    assert renew(engine, "daily", holder, timedelta(minutes=15))
    release(engine, "daily", holder)
    assert lease(engine, "daily") is None
