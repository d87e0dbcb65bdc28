"""The daily flow on recorded sources: end to end, idempotent, and safe against overlap."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from callradar import db
from callradar.models import Call, CallVersion
from crawlers.mirror_server import Fault, MirrorServer
from flows.cli import run_command
from flows.daily import daily
from flows.lock import acquire, release
from tests.flows.conftest import QUICK


def count(engine: Engine, model: type) -> int:
    with db.session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def eml_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "outbox").glob("*.eml"))


def test_daily_end_to_end_then_nothing_to_do(
    mirror: MirrorServer, cluster: Path, engine: Engine
) -> None:
    first = daily(mirror=mirror.url, sources=QUICK)
    assert [s.source for s in first.sources] == QUICK
    assert all(s.ok and s.new > 0 for s in first.sources), first.sources
    assert first.tagged == sum(s.new for s in first.sources)
    assert first.matched > 0 and first.flagged > 0
    assert first.queued > 0 and first.sent > 0
    messages = eml_files(cluster)
    assert len(messages) == first.sent
    markdown = first.markdown()
    for source in QUICK:
        assert f"| {source} | ok |" in markdown
    versions = count(engine, CallVersion)

    second = daily(mirror=mirror.url, sources=QUICK)
    assert all(s.ok and s.new == 0 and s.changed == 0 for s in second.sources)
    assert (second.tagged, second.queued, second.sent) == (0, 0, 0)
    assert eml_files(cluster) == messages
    assert count(engine, CallVersion) == versions


def test_a_run_that_would_overlap_is_skipped(mirror: MirrorServer, cluster: Path,
                                             engine: Engine) -> None:
    holder = acquire(engine, "daily", ttl=timedelta(hours=1))
    try:
        report = daily(mirror=mirror.url, sources=["ncn"])
        assert report.skipped and "already running" in report.skipped
        assert count(engine, Call) == 0
        app = typer.Typer()
        app.command()(run_command)
        result = CliRunner().invoke(app, ["--mirror", mirror.url, "--source", "ncn"])
        assert result.exit_code == 3
    finally:
        release(engine, "daily", holder)
    assert daily(mirror=mirror.url, sources=["ncn"]).skipped is None


def test_run_exits_non_zero_when_a_source_failed_after_the_rest_is_done(
    mirror: MirrorServer, cluster: Path, engine: Engine
) -> None:
    mirror.faults["/www.parp.gov.pl/"] = Fault(503)
    app = typer.Typer()
    app.command()(run_command)
    result = CliRunner().invoke(app, ["--mirror", mirror.url, "--source", "ncn",
                                      "--source", "parp"])
    assert result.exit_code == 1, result.output
    assert "parp" in result.output and "failed" in result.output
    with db.session_scope(engine) as session:
        calls = list(session.scalars(select(Call)))
    # The other work went on: ncn's calls were stored, tagged and matched.
    assert calls and {c.source for c in calls} == {"ncn"}
    assert all(c.tagged_fingerprint == c.fingerprint and c.matched_key for c in calls)


@pytest.mark.parametrize("days", [7])
def test_a_source_down_for_a_week_keeps_its_calls(
    mirror: MirrorServer, cluster: Path, engine: Engine, days: int
) -> None:
    daily(mirror=mirror.url, sources=["ncn", "parp"])
    with db.session_scope(engine) as session:
        before = {(c.external_id, c.status) for c in session.scalars(
            select(Call).where(Call.source == "ncn"))}
    assert before
    mirror.faults["/ncn.gov.pl/"] = Fault(503)
    for _ in range(days):
        report = daily(mirror=mirror.url, sources=["ncn", "parp"])
        assert report.failed_sources == ["ncn"]
    with db.session_scope(engine) as session:
        after = {(c.external_id, c.status) for c in session.scalars(
            select(Call).where(Call.source == "ncn"))}
    assert after == before
