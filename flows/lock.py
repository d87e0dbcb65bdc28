"""A lease in the database so that two runs of one job never overlap.

Prefect's deployment concurrency limit stops a second scheduled run, but ``callradar run``
started by hand (or on another machine) does not go through a deployment; the lease works
for both, on SQLite and PostgreSQL alike.

The holder renews its lease while it runs, so the lease can be short: a run killed on
another machine (where its process cannot be checked) blocks the job only until its last
renewal expires, not for a whole run's length.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from callradar.db import session_scope
from callradar.models import JobLock, utcnow

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

HOST = socket.gethostname()
logger = logging.getLogger(__name__)


class JobRunning(RuntimeError):
    """Another run of the same job holds the lease."""


def _holder() -> str:
    return f"{HOST}:{os.getpid()}"


def _holder_is_dead(holder: str) -> bool:
    """A holder on this machine whose process is gone left its lease behind (killed)."""
    host, _, pid = holder.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire(engine: Engine, name: str, ttl: timedelta, now: datetime | None = None) -> str:
    """Take the lease ``name`` or raise JobRunning; returns the holder id to release with."""
    now = now or utcnow()
    holder = _holder()
    with session_scope(engine) as session:
        lock = session.scalar(select(JobLock).where(JobLock.name == name))
        if lock is not None and lock.expires_at > now and not _holder_is_dead(lock.holder):
            raise JobRunning(
                f"{name} is already running ({lock.holder}, "
                f"since {lock.acquired_at:%Y-%m-%d %H:%M} UTC)"
            )
    try:
        with session_scope(engine) as session:
            if lock is None:
                session.add(
                    JobLock(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
                )
            else:
                # Only replace the lease we judged stale: a concurrent taker changes holder.
                taken = session.execute(
                    update(JobLock)
                    .where(
                        JobLock.name == name,
                        JobLock.holder == lock.holder,
                        JobLock.acquired_at == lock.acquired_at,
                    )
                    .values(holder=holder, acquired_at=now, expires_at=now + ttl)
                )
                if cast("CursorResult[Any]", taken).rowcount != 1:
                    raise JobRunning(f"{name} was started by another process just now")
    except IntegrityError:
        raise JobRunning(f"{name} was started by another process just now") from None
    return holder


def release(engine: Engine, name: str, holder: str) -> None:
    with session_scope(engine) as session:
        session.execute(delete(JobLock).where(JobLock.name == name, JobLock.holder == holder))


def renew(engine: Engine, name: str, holder: str, ttl: timedelta) -> bool:
    """Push the lease's expiry to ``ttl`` from now; False when it is no longer ours."""
    now = utcnow()
    with session_scope(engine) as session:
        renewed = session.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.holder == holder)
            .values(expires_at=now + ttl)
        )
        return cast("CursorResult[Any]", renewed).rowcount == 1


@contextmanager
def job_lock(engine: Engine, name: str, ttl: timedelta) -> Iterator[None]:
    """Hold the lease ``name`` for the block, renewed every third of ``ttl``; raises
    JobRunning when it is taken."""
    holder = acquire(engine, name, ttl)
    stop = threading.Event()
    renewer = threading.Thread(
        target=_keep_renewing, args=(engine, name, holder, ttl, stop), daemon=True
    )
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        release(engine, name, holder)


def _keep_renewing(
    engine: Engine, name: str, holder: str, ttl: timedelta, stop: threading.Event
) -> None:
    while not stop.wait(ttl.total_seconds() / 3):
        try:
            if not renew(engine, name, holder, ttl):
                logger.warning("lease %s of %s was taken over; not renewed", name, holder)
                return
        except SQLAlchemyError as exc:
            # A database that is briefly unreachable: the next renewal tries again, and
            # the lease lasts two more intervals meanwhile.
            logger.warning("lease %s not renewed: %s", name, exc)
