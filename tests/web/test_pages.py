"""What the pages show: escaped scraped text, highlighted evidence, filters, languages."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import (
    Call,
    CallDeadline,
    CallTag,
    Consortium,
    Contact,
    Match,
    Member,
    Notification,
    ProposalPack,
    Source,
    SourceRun,
)
from tests.web.conftest import HOSTILE, World, _call, login, post
from web import calendar_feed, i18n, review_queue
from web.highlight import highlight
from web.render import TEMPLATES_DIR


def test_highlighting_escapes_first_then_marks() -> None:
    text = 'Build <b>silicon photonics</b> & "PICs"; silicon\nphotonics again. Photonicsx'
    html = str(highlight(text, ["silicon photonics", "<b>", "photonics"]))
    assert "<b>" not in html
    assert '&lt;<mark class="evidence">b&gt;</mark>' not in html
    assert '<mark class="evidence">&lt;b&gt;silicon photonics</mark>' in html
    assert '<mark class="evidence">silicon\nphotonics</mark>' in html
    assert "&amp; &#34;PICs&#34;" in html
    # A phrase does not light up inside a longer word.
    assert "Photonicsx" in html



def test_the_taggers_evidence_sentences_light_up_their_marked_phrases() -> None:
    # As the tagger stores evidence: the sentence, its matched phrases marked «…». Looked
    # for whole, with its marks, no sentence was ever found in the text: nothing lit up.
    text = "Pilot lines for Silicon Photonics.\nThe call funds photonic\nintegrated circuits."
    evidence = [
        "The call funds «photonic integrated circuits».",
        "Pilot lines for «Silicon Photonics».",
    ]
    html = str(highlight(text, evidence))
    assert '<mark class="evidence">Silicon Photonics</mark>' in html
    assert '<mark class="evidence">photonic\nintegrated circuits</mark>' in html
    assert "«" not in html

def test_scraped_text_is_escaped_on_every_page(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        call = session.get(Call, world.call_id)
        assert call
        call.title = "Pilot line " + HOSTILE
        call.programme = HOSTILE
        call.url = "javascript:alert(1)"
        session.add(SourceRun(source="manual", ok=False, message=HOSTILE, field_stats={}))
    login(client, world.coordinator)
    for path in ("/review", f"/calls/{world.call_id}", "/sources"):
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;" in html, path
    assert 'href="javascript:' not in client.get(f"/calls/{world.call_id}").text
    # The member it matched sees the same text, escaped, on its own pages and feed.
    post(client, "/logout")
    login(client, world.member_a)
    for path in ("/my/calls", "/my/calendar"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, path
    assert "&lt;script&gt;" in client.get("/my/calls").text
    assert 'href="javascript:' not in client.get("/my/calls").text


def test_my_calls_lists_open_calls_by_nearest_deadline_then_the_closed(
    client: TestClient, engine: Engine, world: World
) -> None:
    today = datetime.now(UTC).date()
    # (title, days to its deadline, match score): the closed call scores highest, and is
    # still listed, after every open one.
    extra = [("Later call", 60, 0.6), ("Sooner call", 5, 0.5), ("Closed call", -3, 0.99)]
    with session_scope(engine) as session:
        for title, days, score in extra:
            call = _call(f"EXTRA-{days}", title, "Photonics.", today + timedelta(days=days))
            session.add(call)
            session.flush()
            session.add(Match(call_id=call.id, member_id="lumen", score=score, reasons=["x"]))
    login(client, world.member_a)
    page = client.get("/my/calls")
    assert page.status_code == 200
    order = ["Sooner call", "Photonic integrated circuits pilot line", "Later call", "Closed call"]
    places = [page.text.index(title) for title in order]
    assert places == sorted(places), order


def test_the_call_page_shows_evidence_areas_versions_and_matches(
    client: TestClient, world: World
) -> None:
    login(client, world.coordinator)
    html = client.get(f"/calls/{world.call_id}").text
    assert '<mark class="evidence">photonic integrated circuits</mark>' in html
    assert '<mark class="evidence">silicon photonics</mark>' in html
    assert "Fotonika zintegrowana" in html and "0.91" in html
    assert re.search(r"<del>2026-01-01</del> → <ins>\d{4}-\d{2}-\d{2}</ins>", html)
    assert "Lumen Photonics" in html and "integrated photonics (level 3)" in html



def test_a_calls_versions_are_told_in_the_coordinators_language(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        call = session.get(Call, world.call_id)
        assert call
        call.versions[1].snapshot = {**call.versions[1].snapshot, "budget": 2_000_000.0}
        call.versions[1].changed_fields = ["deadlines", "status", "budget"]
    login(client, world.coordinator)  # reads Polish
    page = html.unescape(client.get(f"/calls/{world.call_id}").text)
    versions = page[page.index('<ol class="versions"') :]
    # Field names and statuses were the stored English words ("deadlines", "forthcoming").
    assert "<strong>Terminy</strong>" in versions
    assert "<strong>Stan naboru</strong>" in versions
    assert "<del>zapowiedziany</del> → <ins>otwarty</ins>" in versions
    assert "<del>—</del> → <ins>2\u00a0000\u00a0000</ins>" in versions

def test_review_desk_filters_and_search(client: TestClient, engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        late = session.get(Call, world.other_call_id)
        assert late
        late.deadlines[0].latest = datetime.now(UTC).date() + timedelta(days=80)
        late.source = "manual"
        late.programme = "FENG"
        session.add(CallTag(call_id=late.id, code="power-electronics", score=0.7))
    login(client, world.coordinator)

    def titles(query: str) -> list[str]:
        html = client.get(f"/review?{query}").text
        return re.findall(r'<a href="/calls/\d+">([^<]+)</a>', html)

    both = titles("")
    assert both == ["Photonic integrated circuits pilot line", "Power converters for rail"]
    assert titles("within=30") == ["Photonic integrated circuits pilot line"]
    assert titles("area=electronics") == ["Power converters for rail"]
    assert titles("area=power-electronics") == ["Power converters for rail"]
    assert titles("programme=FENG") == ["Power converters for rail"]
    assert titles("q=converters") == ["Power converters for rail"]
    assert titles("status=closed") == []
    assert titles("review=confirmed") == []
    assert titles("sort=newest") == list(reversed(both))
    assert titles("within=nonsense&area=nonsense") == both


def test_review_search_folds_polish_case_and_takes_wildcards_literally(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        call = session.get(Call, world.other_call_id)
        assert call
        call.title = "Przekształtniki dla kolei: ŁÓDŹ, Gdańsk"
    login(client, world.coordinator)

    def titles(q: str) -> list[str]:
        html = client.get("/review", params={"q": q}).text
        return re.findall(r'<a href="/calls/\d+">([^<]+)</a>', html)

    # Typed without Polish letters too, as on a keyboard without them.
    for q in ("łódź", "ŁÓDŹ", "GDAŃSK", "przekształtniki", "lodz", "Gdansk", "przeksztaltniki"):
        assert titles(q) == ["Przekształtniki dla kolei: ŁÓDŹ, Gdańsk"], q
    for q in ("_", "%", "kolei_"):
        assert titles(q) == [], q


def test_review_desk_says_when_its_list_is_cut(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A year of crawling flags more calls than the desk lists (LIMIT); here, two and one.
    monkeypatch.setattr(review_queue, "LIMIT", 1)
    login(client, world.coordinator)
    client.post("/language", data={"lang": "en", "csrf_token": _token(client, "/review")})
    html = client.get("/review").text
    assert "Calls: 2; the first 1 are shown" in html
    assert len(re.findall(r'<a href="/calls/\d+">', html)) == 1
    assert "Calls: 1<" in client.get("/review", params={"q": "converters"}).text


def test_pages_follow_the_users_language(client: TestClient, world: World) -> None:
    assert "Logowanie" in client.get("/login").text
    login(client, world.member_a)  # this user reads English
    assert "My calls" in client.get("/my/calls").text
    client.post(
        "/language",
        data={"lang": "pl", "next": "/my/calls", "csrf_token": _token(client, "/my/calls")},
    )
    assert "Moje nabory" in client.get("/my/calls").text


def _token(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match
    return match[1]


def test_every_message_key_used_exists() -> None:
    used: set[str] = set()
    for path in [*TEMPLATES_DIR.glob("*.html"), *Path(i18n.__file__).parent.rglob("*.py")]:
        used |= set(re.findall(r"""_\(\s*["']([a-z_]+\.[a-z_.\-]+[a-z])["']""", path.read_text()))
    assert used - set(i18n.MESSAGES) == set()
    prefixes = {
        "call.status.": ("open", "forthcoming", "closed"),
        "review.status.": ("pending", "confirmed", "dismissed", "all"),
        "consortium.status.": ("forming", "submitted", "funded", "rejected", "withdrawn"),
        "kind.": ("sme", "large", "research", "university", "other"),
        "digest.": ("immediate", "daily", "weekly"),
        "role.": ("coordinator", "member"),
        "feedback.not_relevant.": ("title", "ask", "submit", "done"),
        "feedback.unsubscribe.": ("title", "ask", "submit", "done"),
    }
    for prefix, values in prefixes.items():
        for value in values:
            assert prefix + value in i18n.MESSAGES


def test_indicators_count_per_year_and_month(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        consortium = session.get(Consortium, world.consortium_id)
        assert consortium
        consortium.status = "funded"
        contact = session.scalars(select(Member)).first()
        assert contact
        session.add(
            Notification(
                call_id=world.call_id,
                member_id="lumen",
                contact_id=contact.contacts[0].id,
                call_version=1,
                channel="email",
                status="sent",
                sent_at=datetime.now(UTC),
            )
        )
    login(client, world.coordinator)
    html = client.get("/indicators").text
    assert html.count("<svg") == 5
    year = datetime.now(UTC).year
    assert f"<th>{year}</th>" in html
    assert 'class="goal"' in html
    assert "dofinansowane 1" in html  # the bar's tooltip


def test_sources_page_shows_the_last_run(client: TestClient, engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        session.add(
            SourceRun(
                source="manual",
                ok=True,
                seen=3,
                new=1,
                field_stats={"items": 3, "fields": {"title": 1.0, "deadlines": 0.333}},
            )
        )
    login(client, world.coordinator)
    html = client.get("/sources").text
    assert "deadlines 33%" in html and "title 100%" in html


def test_moments_are_shown_in_the_apps_time_zone(
    client: TestClient, engine: Engine, world: World
) -> None:
    # Stored in UTC; in Warsaw (CET, UTC+1) it is already the next day.
    with session_scope(engine) as session:
        pack = session.get(ProposalPack, world.pack_id)
        assert pack is not None
        pack.created_at = datetime(2027, 1, 31, 23, 30, tzinfo=UTC)
    login(client, world.member_a)
    assert "2027-02-01 00:30" in client.get("/my/packs").text
    client.cookies.clear()
    login(client, world.coordinator)
    assert "2027-02-01 00:30" in client.get(f"/calls/{world.call_id}").text


def test_calendar_feed(client: TestClient, world: World) -> None:
    login(client, world.member_a)
    url = re.search(
        r'value="(http://testserver/calendar/[^"]+\.ics)"', client.get("/my/calendar").text
    )
    assert url
    client.cookies.clear()
    feed = client.get(url[1].removeprefix("http://testserver"))
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Photonic integrated circuits pilot line" in feed.text
    assert "Power converters" not in feed.text
    assert "\r\n" in feed.text and "BEGIN:VEVENT" in feed.text
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    login(client, world.member_a)
    client.post("/my/calendar/renew", data={"csrf_token": _token(client, "/my/calendar")})
    assert client.get(url[1].removeprefix("http://testserver")).status_code == 404


def test_head_is_answered_as_get_without_the_body(client: TestClient, world: World) -> None:
    page = client.head("/login")
    assert page.status_code == 200 and page.content == b""
    assert page.headers["content-type"].startswith("text/html")
    assert int(page.headers["content-length"]) == len(client.get("/login").content)
    # Who may see what is decided as for GET.
    assert client.head("/review", follow_redirects=False).status_code == 303
    login(client, world.coordinator)
    assert client.head("/review").status_code == 200
    assert client.head("/no-such-page").status_code == 404


def test_a_deadline_given_without_offset_is_local_time_in_the_feed() -> None:
    """As the e-mails and pages show it: a call entered by hand with "2027-03-31T17:00"."""
    moment = CallDeadline(
        id=1, value="2027-03-31T17:00:00", precision="datetime", latest=date(2027, 3, 31)
    )
    call = Call(id=1, title="Hand-entered call", url=None, deadlines=[moment])
    body = calendar_feed.feed([call], "callradar", "http://testserver", ZoneInfo("Europe/Warsaw"))
    assert "DTSTART:20270331T150000Z" in body  # 17:00 Warsaw summer time, not 17:00 UTC


def test_a_deadline_on_the_last_day_there_is_still_makes_a_feed() -> None:
    """A "no end date" placeholder stored before such deadlines were refused."""
    last = CallDeadline(id=1, value="9999-12-31", precision="date", latest=date.max)
    call = Call(id=1, title="Open-ended call", url="https://example.org/c", deadlines=[last])
    body = calendar_feed.feed([call], "callradar", "http://testserver", ZoneInfo("Europe/Warsaw"))
    assert "DTSTART;VALUE=DATE:99991231" in body and "DTEND;VALUE=DATE:99991231" in body


def test_a_competition_two_sources_list_is_one_call_to_the_member(
    client: TestClient, engine: Engine, world: World
) -> None:
    today = datetime.now(UTC).date()
    with session_scope(engine) as session:
        # The same competition as the world's call, as a second source lists it.
        copy = _call("PIC-COPY", "PIC pilot line (second listing)", "Photonics.", today)
        copy.same_as_id = world.call_id
        session.add(copy)
        session.flush()
        session.add(Match(call_id=copy.id, member_id="lumen", score=0.9, reasons=["x"]))
        copy_id = copy.id
    login(client, world.member_a)
    page = client.get("/my/calls").text
    assert page.count('href="/calls/') == 1
    feed_url = re.search(r"/calendar/[^\"]+\.ics", client.get("/my/calendar").text)
    assert feed_url
    assert client.get(feed_url[0]).text.count("BEGIN:VEVENT") == 1
    # "Not relevant" on one listing holds for the competition: it was still listed, and
    # in the calendar, through the other.
    post(client, f"/my/calls/{copy_id}/not-relevant")
    page = client.get("/my/calls").text
    assert page.count('href="/calls/') == 1
    assert 'action="/my/calls/' not in page
    assert "BEGIN:VEVENT" not in client.get(feed_url[0]).text


def test_a_budget_is_written_as_in_messages_and_packs(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        call = session.get(Call, world.call_id)
        assert call
        call.budget, call.currency = 12_500_000, "PLN"
    login(client, world.coordinator)  # reads Polish
    # "12,500,000" reads as a decimal fraction in Polish; the e-mails and packs group
    # thousands with (non-breaking) spaces.
    assert "12\u00a0500\u00a0000 PLN" in client.get(f"/calls/{world.call_id}").text


def _second_listing(engine: Engine, world: World) -> int:
    """The world's call as a second source lists it, linked to it as one competition."""
    soon = datetime.now(UTC).date() + timedelta(days=20)
    with session_scope(engine) as session:
        session.add(Source(name="fe-portal", title="European Funds portal"))
        session.flush()
        copy = _call("FENG.01.01-IP.01-003/26", "PIC pilot line (European Funds)", "PICs.", soon)
        copy.source = "fe-portal"
        copy.same_as_id = world.call_id
        session.add(copy)
        session.flush()
        return copy.id


def test_the_review_desk_lists_a_competition_once_with_both_sources(
    client: TestClient, engine: Engine, world: World
) -> None:
    copy_id = _second_listing(engine, world)
    login(client, world.coordinator)
    for query in ("", "?source=fe-portal", "?source=manual", "?q=European+Funds"):
        page = client.get(f"/review{query}").text
        rows = [row for row in page.split("<tr>")[2:] if f'href="/calls/{copy_id}"' in row]
        assert len(rows) == 1, query
        # One row, both listings reachable and both sources named.
        assert f'href="/calls/{world.call_id}"' in rows[0], query
        assert "fe-portal" in rows[0] and "manual" in rows[0], query
        assert page.count(f'href="/calls/{world.call_id}"') == 1, query
    assert "Naborów: 2" in client.get("/review").text  # the competition and the other call
    # Each listing's page leads to the other.
    assert f'href="/calls/{copy_id}"' in client.get(f"/calls/{world.call_id}").text
    assert f'href="/calls/{world.call_id}"' in client.get(f"/calls/{copy_id}").text


def test_a_member_sees_a_competition_as_its_latest_message_told_it(
    client: TestClient, engine: Engine, world: World
) -> None:
    """The other source alone moved the deadline, and the member was told so: its calls and
    calendar show that listing, not the first-stored one with the deadline as it was."""
    moved = datetime.now(UTC).date() + timedelta(days=40)
    with session_scope(engine) as session:
        copy = _call("PIC-COPY", "PIC pilot line (second listing)", "Photonics.", moved)
        copy.same_as_id = world.call_id
        session.add(copy)
        session.flush()
        session.add(Match(call_id=copy.id, member_id="lumen", score=0.9, reasons=["x"]))
        contact = session.scalar(select(Contact).where(Contact.member_id == "lumen"))
        assert contact is not None
        told = datetime.now(UTC) - timedelta(days=3)
        later = told + timedelta(days=1)
        for call_id, version, when in ((world.call_id, 2, told), (copy.id, 2, later)):
            session.add(
                Notification(
                    call_id=call_id,
                    member_id="lumen",
                    contact_id=contact.id,
                    call_version=version,
                    channel="email",
                    status="sent",
                    created_at=when,
                    sent_at=when,
                )
            )
        copy_id = copy.id
    login(client, world.member_a)
    page = client.get("/my/calls").text
    assert f'href="/calls/{copy_id}"' in page and f'href="/calls/{world.call_id}"' not in page
    feed_url = re.search(r"/calendar/[^\"]+\.ics", client.get("/my/calendar").text)
    assert feed_url
    assert f"DTSTART;VALUE=DATE:{moved:%Y%m%d}" in client.get(feed_url[0]).text


def test_a_calendar_address_on_the_servers_own_loopback_is_not_handed_out(
    app: FastAPI, world: World
) -> None:
    """CALLRADAR_BASE_URL unset, behind a reverse proxy passing its upstream's address as
    Host: the member's calendar program could never fetch http://127.0.0.1:8000/…"""
    with TestClient(
        app, base_url="http://127.0.0.1:8000", client=("203.0.113.9", 50000)
    ) as proxied:
        login(proxied, world.member_a)
        page = proxied.get("/my/calendar").text
    assert "127.0.0.1" not in page and "CALLRADAR_BASE_URL" in page
