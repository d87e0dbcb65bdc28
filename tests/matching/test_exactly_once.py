"""Exactly once: `send_due` run twice at the same time, and killed half-way then run again,
in separate processes against the same database and a real SMTP server on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select

from callradar import db
from callradar.models import Call, Notification, utcnow
from matching.outbox import enqueue_notifications
from matching.review import confirm_call
from matching.sender import send_due
from matching.store import match_calls
from tests.matching.conftest import Mailbox, add_call, add_member, settings_for

ROOT = Path(__file__).resolve().parents[2]
WORKER = "from matching.sender import send_due; print(send_due().sent, flush=True)"


def queue(engine: Engine, tmp_path: Path, port: int, contacts: int, calls: int) -> None:
    settings = settings_for(tmp_path, port)
    now = utcnow()
    with db.session_scope(engine) as s:
        add_member(
            s,
            "lumen",
            {"integrated-photonics": 3},
            contacts=[{"email": f"c{i}@lumen.example"} for i in range(contacts)],
        )
        for i in range(calls):
            add_call(
                s, f"PIC-{i}", {"integrated-photonics": 0.9}, deadlines=["2030-01-31"], now=now
            )
        match_calls(s, settings=settings, today=now.date())
        for call in s.scalars(select(Call)):
            confirm_call(s, call)
        assert enqueue_notifications(s, settings=settings, now=now).queued == contacts * calls


def worker(engine: Engine, tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CALLRADAR_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "CALLRADAR_DATA_DIR": str(tmp_path / "data"),
        "CALLRADAR_SMTP_HOST": "127.0.0.1",
        "CALLRADAR_SMTP_PORT": str(port),
        "CALLRADAR_SMTP_STARTTLS": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


def delivered(mailbox: Mailbox) -> Counter[tuple[str, str]]:
    return Counter((str(m["To"]), str(m["Subject"])) for m in mailbox.messages)


def statuses(engine: Engine) -> dict[str, int]:
    with db.session_scope(engine) as s:
        rows = s.execute(
            select(Notification.status, func.count()).group_by(Notification.status)
        ).all()
    return {status: count for status, count in rows}


def test_two_senders_at_once_send_each_message_once(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    mailbox.delay = 0.03
    mailbox.senders = 2
    queue(engine, tmp_path, port, contacts=15, calls=2)
    first, second = worker(engine, tmp_path, port), worker(engine, tmp_path, port)
    outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    assert first.returncode == second.returncode == 0
    sent = [int(o.split()[-1]) for o in outputs]
    # Both were sending at once (the server held the first message until the second came).
    assert sum(sent) == 30 and min(sent) > 0, sent
    counts = delivered(mailbox)
    assert len(counts) == 30 and set(counts.values()) == {1}
    assert statuses(engine) == {"sent": 30}


def test_a_sender_killed_half_way_leaves_nothing_lost_or_doubled(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    queue(engine, tmp_path, port, contacts=8, calls=1)
    # The server accepts three messages and stalls on the fourth, which the sender has
    # claimed and is handing over when it is killed.
    mailbox.stall_after = 3
    process = worker(engine, tmp_path, port)
    assert mailbox.stalled.wait(timeout=30)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert len(mailbox.messages) == 3
    assert statuses(engine) == {"sent": 3, "sending": 1, "pending": 4}
    mailbox.stall_after = None
    settings = settings_for(tmp_path, port, notify_lease_seconds=60)
    # Before the lease runs out the claimed message is left alone; after it, it is sent.
    assert send_due(engine, settings=settings).sent == 4
    assert statuses(engine) == {"sent": 7, "sending": 1}
    later = utcnow() + timedelta(seconds=61)
    assert send_due(engine, settings=settings, now=later).sent == 1
    assert send_due(engine, settings=settings, now=later).sent == 0
    counts = delivered(mailbox)
    assert len(counts) == 8 and set(counts.values()) == {1}
    assert statuses(engine) == {"sent": 8}
