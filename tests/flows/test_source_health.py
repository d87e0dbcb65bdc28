"""Source health: a broken source alerts the coordinator by e-mail and webhook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from callradar import db
from callradar.settings import get_settings
from crawlers.health import SourceProblem, source_problems
from crawlers.mirror_server import Fault, MirrorServer
from crawlers.run import crawl
from flows.source_health import source_health
from matching.alerts import AlertResult, alert_coordinator
from tests.flows.conftest import Webhook


def test_healthy_sources_raise_no_alert(mirror: MirrorServer, cluster: Path,
                                        engine: Engine) -> None:
    crawl(["ncn"], mirror.url, engine)
    crawl(["ncn"], mirror.url, engine)
    with db.session_scope(engine) as session:
        assert source_problems(session) == []


def test_a_source_failing_twice_alerts_by_e_mail_and_webhook(
    mirror: MirrorServer, cluster: Path, engine: Engine, webhook: Webhook,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two addresses: given as they are, they made every alert fail, the chat's too.
    monkeypatch.setenv("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example,boss@cluster.example")
    monkeypatch.setenv("CALLRADAR_ALERT_WEBHOOK", webhook.url)
    get_settings.cache_clear()
    crawl(["ncn"], mirror.url, engine)
    mirror.faults["/ncn.gov.pl/"] = Fault(503)
    crawl(["ncn"], mirror.url, engine)
    with db.session_scope(engine) as session:
        assert source_problems(session) == []  # one failure is not yet an alert
    crawl(["ncn"], mirror.url, engine)

    problems = source_health()

    assert [(p.source, p.problem) for p in problems] == [("ncn", "failed-twice")]
    alerts = sorted(f.read_text(encoding="utf-8") for f in (cluster / "outbox").glob("*.eml"))
    # One file each: they once had one name, and the second replaced the first.
    assert ["To: Coordinator <boss@" in alerts[0], "To: Coordinator <office@" in alerts[1]] == [
        True,
        True,
    ]
    assert all("ncn" in text and "failed twice" in text for text in alerts)
    [body] = webhook.bodies
    assert "ncn" in body["title"] and "failed twice in a row" in body["message"]


def test_a_source_that_returns_nothing_is_reported(mirror: MirrorServer, cluster: Path,
                                                   engine: Engine) -> None:
    mirror.faults["/www.parp.gov.pl/harmonogram-naborow"] = Fault(
        200, b"<html><body><main></main></body></html>", content_type="text/html"
    )
    crawl(["parp"], mirror.url, engine)
    with db.session_scope(engine) as session:
        problems = source_problems(session)
    assert [(p.source, p.problem) for p in problems] == [("parp", "empty")]


def test_a_sharp_drop_in_a_field_is_reported_as_a_probable_layout_change(
    mirror: MirrorServer, site: Path, cluster: Path, engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example")
    get_settings.cache_clear()
    crawl(["ncn"], mirror.url, engine)
    # The call pages still answer, but no longer say when applications close.
    for page in (site / "ncn.gov.pl/ogloszenia/konkursy").iterdir():
        page.write_text(
            page.read_text(encoding="utf-8").replace(
                "Nabór wniosków w systemie OSF trwa", "Zob. regulamin:"
            ),
            encoding="utf-8",
        )
    [summary] = crawl(["ncn"], mirror.url, engine)
    assert summary.ok, "a crawl that found calls is no failure"

    problems = source_health()

    assert [(p.source, p.problem) for p in problems] == [("ncn", "validation-drop")]
    assert "deadlines found on 0% of items (was 100%)" in problems[0].detail
    [alert] = list((cluster / "outbox").glob("*.eml"))
    assert "layout" in alert.read_text(encoding="utf-8")


def _alerts(cluster: Path) -> list[str]:
    return sorted(f.read_text(encoding="utf-8") for f in (cluster / "outbox").glob("*.eml"))


def _clear_outbox(cluster: Path) -> None:
    for sent in (cluster / "outbox").glob("*.eml"):
        sent.unlink()


def test_a_source_that_stays_broken_is_alerted_at_its_start_weekly_and_at_its_end(
    mirror: MirrorServer, cluster: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example")
    get_settings.cache_clear()
    settings = get_settings()
    day = datetime(2026, 12, 1, 8, tzinfo=UTC)
    crawl(["ncn"], mirror.url, engine)
    mirror.faults["/ncn.gov.pl/"] = Fault(503)

    def check(days: int) -> AlertResult:
        with db.session_scope(engine) as session:
            return alert_coordinator(
                session, source_problems(session), settings, now=day + timedelta(days=days)
            )

    crawl(["ncn"], mirror.url, engine)
    assert check(0) == AlertResult([], [])  # one failure is not yet a problem
    crawl(["ncn"], mirror.url, engine)
    assert [(p.source, p.problem) for p in check(1).alerted] == [("ncn", "failed-twice")]
    [first] = _alerts(cluster)
    assert "still so" not in first
    _clear_outbox(cluster)

    # Every check until the repeat is due finds the same problem and sends nothing.
    for days in range(2, 8):
        assert check(days).alerted == []
    assert _alerts(cluster) == []

    [repeated] = check(8).alerted
    [again] = _alerts(cluster)
    assert "ncn: failed twice in a row" in again
    assert "still so, first alerted 2026-12-02" in again
    _clear_outbox(cluster)

    del mirror.faults["/ncn.gov.pl/"]
    crawl(["ncn"], mirror.url, engine)
    recovered = check(9)
    assert recovered.alerted == [] and recovered.recovered == [("ncn", "failed-twice")]
    [over] = _alerts(cluster)
    assert "Subject: callradar: working again" in over
    assert "ncn: crawls without failing again (alerted since 2026-12-02)" in over
    _clear_outbox(cluster)

    assert check(10) == AlertResult([], [])
    assert _alerts(cluster) == []


def test_an_alert_that_reached_nobody_is_sent_at_the_next_check(
    mirror: MirrorServer, cluster: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No coordinator address and no coordinator user: the alert reaches nobody.
    monkeypatch.delenv("CALLRADAR_COORDINATOR_EMAIL", raising=False)
    get_settings.cache_clear()
    mirror.faults["/ncn.gov.pl/"] = Fault(503)
    crawl(["ncn"], mirror.url, engine)
    crawl(["ncn"], mirror.url, engine)
    with db.session_scope(engine) as session:
        unsent = alert_coordinator(session, source_problems(session), get_settings())
    assert unsent.recipients == [] and [p.problem for p in unsent.alerted] == ["failed-twice"]

    monkeypatch.setenv("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example")
    get_settings.cache_clear()
    with db.session_scope(engine) as session:
        sent = alert_coordinator(session, source_problems(session), get_settings())
    assert sent.recipients == ["office@cluster.example"]
    [alert] = _alerts(cluster)
    assert "still so" not in alert


def test_a_source_with_another_problem_now_is_not_working_again(
    mirror: MirrorServer, cluster: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example")
    get_settings.cache_clear()
    crawl(["ncn"], mirror.url, engine)  # the source's row
    failed = SourceProblem("ncn", "failed-twice", "HTTP 503", 1)
    empty = SourceProblem("ncn", "empty", "the source returned no calls", 2)
    with db.session_scope(engine) as session:
        assert alert_coordinator(session, [failed], get_settings()).alerted == [failed]
    _clear_outbox(cluster)
    with db.session_scope(engine) as session:
        then = alert_coordinator(session, [empty], get_settings())
    assert then.alerted == [empty] and then.recovered == []
    [alert] = _alerts(cluster)
    assert "returned nothing" in alert and "Working again" not in alert
    # Once it works, the open problem is the one said to be over.
    _clear_outbox(cluster)
    with db.session_scope(engine) as session:
        assert alert_coordinator(session, [], get_settings()).recovered == [("ncn", "empty")]
