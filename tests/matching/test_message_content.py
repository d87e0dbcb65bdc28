"""What every message holds: escaped scraped text in HTML, the stop and not-relevant links."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from callradar.models import Call, CallDeadline, Contact, Match, Member
from matching.messages import build_item, render

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & more'


@pytest.mark.parametrize("language", ["pl", "en"])
def test_hostile_call_text_is_escaped_in_html_mail(language: str) -> None:
    call = Call(
        id=7,
        title="Pilot line " + HOSTILE,
        programme=HOSTILE,
        url="javascript:alert(1)",
        budget=None,
        currency=None,
        deadlines=[],
    )
    member = Member(id="lumen", name="Lumen " + HOSTILE)
    contact = Contact(
        name=HOSTILE, email="a@lumen.example", language=language, unsubscribe_token="tok"
    )
    match = Match(score=0.8, reasons=[HOSTILE], reasons_pl=[HOSTILE])
    item = build_item(
        call,
        match,
        contact,
        (),
        "https://radar.example",
        date(2027, 1, 1),
        ZoneInfo("Europe/Warsaw"),
    )
    message = render(contact, member, [item], "immediate", "https://radar.example")
    assert "<script>" not in message.html and "<img src=x" not in message.html
    assert "&lt;script&gt;" in message.html
    assert "javascript:" not in message.html and "javascript:" not in message.text
    # The text part is plain text: the title is there as written, for people to read.
    assert "Pilot line <script>" in message.text
    assert "\n" not in message.subject


@pytest.mark.parametrize("rhythm", ["immediate", "daily", "weekly"])
@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_message_carries_its_stop_link(rhythm: str, language: str) -> None:
    member = Member(id="lumen", name="Lumen")
    contact = Contact(
        name="Anna", email="a@lumen.example", language=language, unsubscribe_token="tok-123"
    )
    calls = [
        Call(id=n, title=f"Call {n}", url=None, budget=None, currency=None, deadlines=[])
        for n in (1, 2)
    ]
    items = [
        build_item(
            call,
            Match(score=0.5, reasons=["r"], reasons_pl=["r"]),
            contact,
            (),
            "https://radar.example",
            date(2027, 1, 1),
            ZoneInfo("Europe/Warsaw"),
        )
        for call in calls[: 1 if rhythm == "immediate" else 2]
    ]
    message = render(contact, member, items, rhythm, "https://radar.example")
    stop = "https://radar.example/unsubscribe/tok-123"
    # The text part is also what chat webhooks get.
    assert stop in message.text and f'href="{stop}"' in message.html
    assert "https://radar.example/not-relevant/tok-123/1" in message.text


@pytest.fixture
def server_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's own zone far from the cluster's."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("server_in_new_york")
def test_a_deadline_given_without_offset_is_the_clusters_local_time() -> None:
    # A call entered by hand with "2027-03-31T17:00": read as Warsaw time, as the web app
    # shows it, not converted from the server's own zone (it read 11:00 here, 19:00 on UTC).
    deadline = CallDeadline(value="2027-03-31T17:00:00", precision="datetime")
    deadline.latest = date(2027, 3, 31)
    call = Call(id=1, title="Call", url=None, budget=None, currency=None, deadlines=[deadline])
    contact = Contact(name="Anna", email="a@lumen.example", language="en", unsubscribe_token="t")
    item = build_item(
        call,
        Match(score=0.5, reasons=["r"], reasons_pl=["r"]),
        contact,
        (),
        "https://radar.example",
        date(2027, 1, 1),
        ZoneInfo("Europe/Warsaw"),
    )
    assert item.deadline == "2027-03-31 17:00 (Europe/Warsaw)"
