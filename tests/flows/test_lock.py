"""The daily job's lease: renewed while held, released after, taken over once stale."""

from __future__ import annotations

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
        time.sleep(2.5)
        later = lease(engine, "daily")
        assert later is not None and later.holder == first.holder
        # Renewed at least once: it would have expired by now otherwise.
        assert later.expires_at > first.expires_at
    assert lease(engine, "daily") is None


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
