"""Scraped text in e-mails: escaped in the HTML part, kept readable in the text part."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from callradar.models import Call, Contact, Match, Member
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
