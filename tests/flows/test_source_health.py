"""Source health: a broken source alerts the coordinator by e-mail and webhook."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from callradar import db
from callradar.settings import get_settings
from crawlers.health import source_problems
from crawlers.mirror_server import Fault, MirrorServer
from crawlers.run import crawl
from flows.source_health import source_health
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
