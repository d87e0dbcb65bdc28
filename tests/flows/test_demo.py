"""The main job, `callradar demo`: the whole pipeline on the recorded sites, then again
with nothing new to store, tag or send."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from callradar import db
from callradar.demo import DEMO_COORDINATOR
from callradar.models import Call, CallVersion, Member
from tests.conftest import CliRun


def count(engine: Engine, model: type) -> int:
    with db.session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.slow
def test_demo_runs_the_pipeline_then_finds_nothing_new(
    cli: CliRun, settings_env: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo sets this for its own process; scoped here so other tests keep the default.
    monkeypatch.setenv("CALLRADAR_NOTIFY_POLICY", "immediate")
    first = cli("demo")
    assert first.exit_code == 0, first.output
    for source in ("eu-portal", "fe-portal", "ncbr", "ncn", "parp"):
        assert re.search(rf"{source}\W+ok\b", first.output), f"{source} not ok"
    assert "14 new, 0 updated member(s)" in first.output
    assert "/password?token=" in first.output
    messages = sorted((settings_env / "outbox").glob("*.eml"))
    assert messages, "the demo sends messages to the outbox"
    calls, versions = count(engine, Call), count(engine, CallVersion)
    assert calls > 100 and count(engine, Member) == 14

    second = cli("demo")
    assert second.exit_code == 0, second.output
    assert "0 new, 14 updated member(s)" in second.output
    assert "Tagged 0 call(s)" in second.output and "queued 0 message(s), sent 0" in second.output
    # Users made by the first run are kept, with no new invitation.
    assert "/password?token=" not in second.output
    assert DEMO_COORDINATOR not in second.output
    assert sorted((settings_env / "outbox").glob("*.eml")) == messages
    assert (count(engine, Call), count(engine, CallVersion)) == (calls, versions)
