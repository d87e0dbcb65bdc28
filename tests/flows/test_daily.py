"""The daily flow on recorded sources: end to end, idempotent, and safe against overlap."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import typer
from prefect.artifacts import Artifact
from prefect.client.schemas.objects import Artifact as StoredArtifact
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from callradar import db
from callradar.models import Call, CallVersion
from callradar.settings import get_settings
from crawlers.mirror_server import Fault, MirrorServer
from flows.cli import run_command
from flows.daily import daily, run_daily
from flows.lock import acquire, release
from flows.source_health import source_health
from tests.flows.conftest import QUICK, Webhook


def count(engine: Engine, model: type) -> int:
    with db.session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def eml_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "outbox").glob("*.eml"))


@pytest.mark.slow
def test_daily_end_to_end_then_nothing_to_do(
    mirror: MirrorServer, cluster: Path, engine: Engine
) -> None:
    first = run_daily(mirror=mirror.url, sources=QUICK)
    assert [s.source for s in first.sources] == QUICK
    assert all(s.ok and s.new > 0 for s in first.sources), first.sources
    assert first.tagged == sum(s.new for s in first.sources)
    assert first.matched > 0 and first.flagged > 0
    assert first.queued > 0 and first.sent > 0
    messages = eml_files(cluster)
    assert len(messages) == first.sent
    # The run summary as Prefect stores it: a row per source, the steps' counts.
    artifact = Artifact.get("daily-run")
    assert isinstance(artifact, StoredArtifact) and isinstance(artifact.data, str)
    for s in first.sources:
        assert f"| {s.source} | ok | {s.seen} | {s.new} | 0 | 0 | 0 |" in artifact.data
    assert f"| calls flagged for review | {first.flagged} |" in artifact.data
    assert f"| messages sent | {first.sent} |" in artifact.data
    versions = count(engine, CallVersion)

    second = run_daily(mirror=mirror.url, sources=QUICK)
    assert all(s.ok and s.new == 0 and s.changed == 0 for s in second.sources)
    assert (second.tagged, second.queued, second.sent) == (0, 0, 0)
    assert eml_files(cluster) == messages
    assert count(engine, CallVersion) == versions


def test_a_run_that_would_overlap_is_skipped(mirror: MirrorServer, cluster: Path,
                                             engine: Engine) -> None:
    holder = acquire(engine, "daily", ttl=timedelta(hours=1))
    try:
        report = run_daily(mirror=mirror.url, sources=["ncn"])
        assert report.skipped and "already running" in report.skipped
        assert count(engine, Call) == 0
        app = typer.Typer()
        app.command()(run_command)
        result = CliRunner().invoke(app, ["--mirror", mirror.url, "--source", "ncn"])
        assert result.exit_code == 3
    finally:
        release(engine, "daily", holder)
    assert run_daily(mirror=mirror.url, sources=["ncn"]).skipped is None


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


@pytest.mark.slow
def test_a_source_down_for_a_week_keeps_its_calls_then_alerts(
    mirror: MirrorServer, site: Path, cluster: Path, engine: Engine, webhook: Webhook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example")
    monkeypatch.setenv("CALLRADAR_ALERT_WEBHOOK", webhook.url)
    get_settings.cache_clear()
    run_daily(mirror=mirror.url, sources=["ncn", "parp"])
    before = ncn_calls(engine)
    assert before
    outages = [Fault(503), Fault(200, b"<html><body>Przerwa techniczna</body></html>",
                                 content_type="text/html; charset=utf-8")]
    card = site / "www.parp.gov.pl/component/grants/grants/sciezka-smart"

    for day in range(7):
        mirror.faults["/ncn.gov.pl/"] = outages[day % 2]
        if day == 3:  # meanwhile a PARP call's budget grows
            card.write_text(card.read_text(encoding="utf-8").replace(
                "1 000 000 000 zł", "1 200 000 000 zł"), encoding="utf-8")
        report = run_daily(mirror=mirror.url, sources=["ncn", "parp"])
        assert report.failed_sources == ["ncn"]
        [parp] = [s for s in report.sources if s.source == "parp"]
        assert parp.ok and parp.changed == (1 if day == 3 else 0), parp

    assert ncn_calls(engine) == before
    problems = source_health()
    assert [(p.source, p.problem) for p in problems] == [("ncn", "failed-twice")]
    alerts = [m for m in eml_files(cluster) if "office@cluster.example" in m.read_text("utf-8")]
    assert len(alerts) == 1 and "failed twice in a row" in alerts[0].read_text("utf-8")
    [body] = webhook.bodies
    assert "ncn" in body["title"] and "failed twice in a row" in body["message"]


def ncn_calls(engine: Engine) -> set[tuple[str, str | None, str]]:
    """Each of ncn's calls: its id, status and fingerprint (what a crawl would change)."""
    with db.session_scope(engine) as session:
        return {(c.external_id, c.status, c.fingerprint) for c in session.scalars(
            select(Call).where(Call.source == "ncn"))}


def test_a_crashed_source_is_printed_in_red_not_as_literal_tags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from flows.cli import print_report
    from flows.report import DailyReport

    print_report(DailyReport(crashed={"ncbr": "KeyError: '[/]'"}))
    out = capsys.readouterr().out
    assert "ncbr: KeyError: '[/]'" in out
    assert "[red]" not in out


def test_an_unknown_source_is_a_usage_error_before_anything_runs(settings_env: Path) -> None:
    app = typer.Typer()
    app.command()(run_command)
    result = CliRunner().invoke(app, ["--source", "ncn", "--source", "nope"])
    assert result.exit_code == 2, result.output
    assert "unknown source(s): nope; known: eu-portal, fe-portal, ncbr, ncn, parp" in result.output


def test_a_failing_step_is_reported_and_the_steps_after_it_run(
    mirror: MirrorServer, cluster: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken tagger (its models gone) used to stop the whole run: nothing was matched
    and no message went, digests and retries of earlier calls included."""
    import flows.daily

    def broken(session: object) -> object:
        raise FileNotFoundError("no trained tagging pipeline at tagging/models/en")

    monkeypatch.setattr(flows.daily, "tag_stored_calls", broken)
    monkeypatch.setattr(flows.daily, "tag_calls", flows.daily.tag_calls.with_options(retries=0))
    sent = []
    monkeypatch.setattr(flows.daily, "send", flows.daily.send.with_options(
        on_completion=[lambda *_: sent.append(True)]))
    state = daily(mirror=mirror.url, sources=["ncn"], return_state=True)
    # A Prefect server shows the run as failed, not completed.
    assert state.is_failed() and state.message == "failed: step tag"
    report = state.result(raise_on_failure=False)
    assert list(report.failed_steps) == ["tag"]
    assert "no trained tagging pipeline" in report.failed_steps["tag"]
    assert sent == [True]
    assert "## Failed steps" in report.markdown()

    app = typer.Typer()
    app.command()(run_command)
    result = CliRunner().invoke(app, ["--mirror", mirror.url, "--source", "ncn"])
    assert result.exit_code == 1, result.output
    assert "step tag failed" in result.output
