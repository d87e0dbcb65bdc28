"""Whole crawls through the real crawler, on loopback in mirror mode, into a test database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from callradar.db import session_scope
from callradar.models import Call, CallVersion, SourceRun
from crawlers.health import source_problems
from crawlers.mirror_server import Fault, MirrorServer
from crawlers.run import SourceSummary, UnknownSourceError, crawl
from tests.conftest import CliRun
from tests.crawlers.recorded import FIXTURES

HOSTS = [
    "api.tech.ec.europa.eu",
    "www.gov.pl",
    "www.parp.gov.pl",
    "ncn.gov.pl",
    "www.funduszeeuropejskie.gov.pl",
]
EXPECTED = {"eu-portal": 120, "fe-portal": 5, "ncbr": 48, "ncn": 3, "parp": 3}
EU_PAGE_2_REQUEST = (
    "/api.tech.ec.europa.eu/search-api/prod/rest/search"
    "?apiKey=SEDIA&text=***&pageSize=50&pageNumber=2"
)
EU_PAGE_3_REQUEST = EU_PAGE_2_REQUEST.replace("pageNumber=2", "pageNumber=3")
EU_PAGE_2 = (
    "api.tech.ec.europa.eu/search-api/prod/rest/search"
    "@apiKey=SEDIA&pageNumber=2&pageSize=50&text=***"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the recorded sites that a test may change."""
    root = tmp_path / "site"
    for host in HOSTS:
        shutil.copytree(FIXTURES / host, root / host)
    return root


@pytest.fixture
def mirror(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    monkeypatch.setenv("CALLRADAR_MIRROR_TIMEOUT", "1")
    server = MirrorServer(site).start()
    yield server
    server.stop()


def by_source(summaries: list[SourceSummary]) -> dict[str, SourceSummary]:
    return {s.source: s for s in summaries}


def stored(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as session:
        rows = session.execute(select(Call.source, func.count()).group_by(Call.source)).all()
    return {source: count for source, count in rows}


def version_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(CallVersion)) or 0


def test_crawl_store_recrawl_and_change(mirror: MirrorServer, site: Path, engine: Engine) -> None:
    first = by_source(crawl(None, mirror.url, engine))
    assert {s: (r.ok, r.seen, r.new, r.errors) for s, r in first.items()} == {
        s: (True, n, n, 0) for s, n in EXPECTED.items()
    }
    assert stored(engine) == EXPECTED
    paths = [r.path for r in mirror.log]
    assert sum("/rest/search?" in p for p in paths) == 3, "EU portal paged to its end"
    assert any("competition-search?" in p and "size=100" in p for p in paths)
    assert "/www.parp.gov.pl/robots.txt" in paths and "/ncn.gov.pl/robots.txt" in paths
    assert all("callradar" in r.headers.get("User-Agent", "") for r in mirror.log)
    with session_scope(engine) as session:
        fe = session.scalar(select(Call).where(Call.external_id == "sciezka-smart-konsorcja-2026"))
        ncbr = session.scalar(select(Call).where(Call.external_id == "feng0101ip0100326"))
        assert fe is not None and ncbr is not None
        # One call, two sources: the later-stored one points at the other.
        assert {fe.same_as_id, ncbr.same_as_id} - {None} == {min(fe.id, ncbr.id)}
        runs = session.scalars(select(SourceRun)).all()
        assert all(r.ok and r.field_stats["items"] for r in runs)
        eu_run = next(r for r in runs if r.source == "eu-portal")
        assert eu_run.field_stats["fields"]["deadlines"] == 1.0

    versions = version_count(engine)
    second = by_source(crawl(None, mirror.url, engine))
    assert all(s.ok and s.new == 0 and s.changed == 0 for s in second.values())
    assert {s: r.unchanged for s, r in second.items()} == EXPECTED
    assert version_count(engine) == versions

    # A moved deadline on page 2 of the portal; NCN pages lose their deadline sentences.
    page = site / EU_PAGE_2
    data = json.loads(page.read_text())
    topic = next(r for r in data["results"] if "status" in r["metadata"])
    topic["metadata"]["deadlineDate"] = ["2027-10-01T17:00:00.000+0000"]
    page.write_text(json.dumps(data))
    for call in (site / "ncn.gov.pl/ogloszenia/konkursy").iterdir():
        call.write_text(
            call.read_text().replace("Nabór wniosków w systemie OSF trwa", "Zob. regulamin:")
        )
    third = by_source(crawl(["eu-portal", "ncn"], mirror.url, engine))
    assert (third["eu-portal"].changed, third["eu-portal"].unchanged) == (1, 119)
    assert third["ncn"].ok and third["ncn"].changed == 3
    assert "probable layout change: deadlines found on 0% of items (was 100%)" in (
        third["ncn"].message or ""
    )
    with session_scope(engine) as session:
        changed = session.scalars(select(CallVersion).where(CallVersion.version == 2)).all()
        assert len(changed) == 4
        assert all("deadlines" in v.changed_fields for v in changed)


def test_failing_sources_keep_their_calls(mirror: MirrorServer, engine: Engine) -> None:
    crawl(None, mirror.url, engine)
    before = stored(engine)
    with session_scope(engine) as session:
        statuses = dict(session.execute(select(Call.external_id, Call.status)).all())
    mirror.faults.update(
        {
            EU_PAGE_2_REQUEST: Fault(500),
            "/ncn.gov.pl/finansowanie-nauki/": Fault(
                200, b"<html><body>Przerwa techniczna</body></html>", content_type="text/html"
            ),
            "/www.parp.gov.pl/harmonogram-naborow": Fault(200, b"", delay=3),
            "/www.funduszeeuropejskie.gov.pl/nabory-wnioskow/": Fault(
                200, b"", content_type="text/html"
            ),
            "/www.gov.pl/api/data/": Fault(
                200, b'{"content": [{"name": "FENG', content_type="application/json"
            ),
        }
    )
    result = by_source(crawl(None, mirror.url, engine))
    failed = {s for s, r in result.items() if not r.ok}
    assert failed == {"eu-portal", "ncn", "parp", "fe-portal"}
    assert "HTTP 500" in (result["eu-portal"].message or "")
    assert "https://api.tech.ec.europa.eu/search-api/prod/rest/search?" in (
        result["eu-portal"].message or ""
    )
    assert "LayoutChanged" in (result["ncn"].message or "")
    assert "timed out" in (result["parp"].message or "")
    assert "links to no call" in (result["fe-portal"].message or "")
    # NCBR's API answered garbage: the schedule page was read instead, and that is no failure.
    assert result["ncbr"].ok and "schedule page" in (result["ncbr"].message or "")
    assert result["ncbr"].new == 3
    assert all(r.new == r.changed == r.unchanged == 0 for s, r in result.items() if s in failed)
    after = stored(engine)
    assert {s: after[s] for s in failed} == {s: before[s] for s in failed}
    with session_scope(engine) as session:
        now = dict(session.execute(select(Call.external_id, Call.status)).all())
    # Nothing stored earlier was lost or marked closed because its source failed.
    assert {k: now[k] for k in statuses} == statuses


UNREADABLE_PAGE = Fault(
    200, b"<html><body><p>Strona w przebudowie</p></body></html>", content_type="text/html"
)


def test_a_call_page_that_cannot_be_read_costs_that_call_only(
    mirror: MirrorServer, engine: Engine
) -> None:
    """One call page in a layout no parser knows (or that trips a parser) is noted on the
    run with its address and reason; the source's other calls are stored."""
    mirror.faults["/www.funduszeeuropejskie.gov.pl/nabory/bony-na-innowacje"] = UNREADABLE_PAGE
    mirror.faults["/ncn.gov.pl/ogloszenia/konkursy/opus32"] = UNREADABLE_PAGE

    result = by_source(crawl(["fe-portal", "ncn"], mirror.url, engine))

    assert result["fe-portal"].ok and result["ncn"].ok
    assert stored(engine) == {"fe-portal": EXPECTED["fe-portal"] - 1, "ncn": EXPECTED["ncn"] - 1}
    assert result["fe-portal"].errors == result["ncn"].errors == 1
    assert "https://www.funduszeeuropejskie.gov.pl/nabory/bony-na-innowacje-dla-msp-2027/" in (
        result["fe-portal"].message or ""
    )
    assert "LayoutChanged: call page without a title" in (result["ncn"].message or "")


def test_most_call_pages_unreadable_is_a_failed_crawl(mirror: MirrorServer, engine: Engine) -> None:
    """A layout change of the call pages themselves: the few still read are not stored as
    the whole source, which fails and keeps its earlier calls."""
    crawl(["ncn"], mirror.url, engine)
    mirror.faults["/ncn.gov.pl/ogloszenia/konkursy/opus32"] = UNREADABLE_PAGE
    mirror.faults["/ncn.gov.pl/ogloszenia/konkursy/preludium26"] = UNREADABLE_PAGE

    [summary] = crawl(["ncn"], mirror.url, engine)

    assert not summary.ok
    assert "2 of 3 call pages could not be read" in (summary.message or "")
    assert stored(engine) == {"ncn": EXPECTED["ncn"]}


@pytest.mark.parametrize(
    "fault",
    [
        Fault(500),
        Fault(200, b'{"results": [{"metadata"', content_type="application/json"),
        Fault(200, b'{"message": "service unavailable"}', content_type="application/json"),
    ],
    ids=["http-500", "cut-json", "no-results"],
)
def test_a_listing_failing_part_way_is_a_failed_crawl_not_an_empty_source(
    mirror: MirrorServer, engine: Engine, fault: Fault
) -> None:
    crawl(["eu-portal"], mirror.url, engine)
    mirror.faults[EU_PAGE_3_REQUEST] = fault

    [summary] = crawl(["eu-portal"], mirror.url, engine)

    assert not summary.ok
    # Pages 1 and 2 listed 100 topics: the source is not empty, its crawl broke part-way.
    assert not (summary.message or "").startswith("no calls found"), summary.message
    with session_scope(engine) as session:
        assert [p.problem for p in source_problems(session)] == []
    assert stored(engine) == {"eu-portal": EXPECTED["eu-portal"]}


def test_transient_faults_are_retried_and_requests_keep_method_and_body(
    mirror: MirrorServer, engine: Engine
) -> None:
    # Page 2 of the portal answers 503 once, then (next crawl) times out once; both retried.
    mirror.faults[EU_PAGE_2_REQUEST] = Fault(503, times=1)
    first = by_source(crawl(["eu-portal"], mirror.url, engine))["eu-portal"]
    assert first.ok and first.new == EXPECTED["eu-portal"], first.message
    page_2 = [r for r in mirror.log if r.path == EU_PAGE_2_REQUEST]
    assert len(page_2) == 2, "one 503, then the retry that succeeded"

    mirror.log.clear()
    mirror.faults[EU_PAGE_2_REQUEST] = Fault(200, delay=3, times=1)
    second = by_source(crawl(["eu-portal"], mirror.url, engine))["eu-portal"]
    assert second.ok and second.unchanged == EXPECTED["eu-portal"], second.message
    assert len([r for r in mirror.log if r.path == EU_PAGE_2_REQUEST]) == 2

    # Mirror mode keeps the method and the body: the portal's query goes as multipart parts.
    searches = [r for r in mirror.log if "/rest/search?" in r.path]
    assert searches and all(r.method == "POST" for r in searches)
    assert all(b'name="query"' in r.body and b'name="sort"' in r.body for r in searches)
    assert all(b'"identifier"' in r.body for r in searches)


def test_unknown_source(engine: Engine) -> None:
    with pytest.raises(UnknownSourceError, match="known: eu-portal"):
        crawl(["nope"], None, engine)


def test_crawl_command(mirror: MirrorServer, cli: CliRun) -> None:
    ok = cli("crawl", "ncn", "parp", "--mirror", mirror.url)
    assert ok.exit_code == 0, ok.output
    assert "ncn" in ok.output and "parp" in ok.output and "ok" in ok.output
    mirror.faults["/ncn.gov.pl/"] = Fault(503)
    failed = cli("crawl", "ncn", "parp", "--mirror", mirror.url)
    assert failed.exit_code == 1
    assert "failed" in failed.output and "HTTP 503" in failed.output
    unknown = cli("crawl", "nope")
    assert unknown.exit_code == 2


def test_a_mirror_that_is_no_url_is_a_usage_error(cli: CliRun) -> None:
    # Before, every source's crawl process failed on it, one pydantic message each.
    for command in ("crawl", "run"):
        result = cli(command, "--mirror", "localhost:8765")
        assert result.exit_code == 2, result.output
        assert "Invalid value for '--mirror': 'localhost:8765' is not an http" in result.output
