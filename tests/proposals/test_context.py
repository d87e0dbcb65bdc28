"""The context: plain JSON data, deadlines with their time zone, long text shortened visibly."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime

import pytest

from proposals.calendar import deadlines_ics
from proposals.context import build_context, deadline_texts
from proposals.facts import DeadlineFacts
from proposals.safetext import LONG_WORD, docx_text
from proposals.sample import SAMPLE_CALL, SAMPLE_LEAD, SAMPLE_PARTNER, sample_context


def test_context_is_json_only_data() -> None:
    context = sample_context()
    assert json.loads(json.dumps(context)) == context
    assert [p["id"] for p in context["participants"]] == ["sample-lead", "sample-institute"]
    assert context["lead"]["role"] == "Coordinator"
    assert context["mentor"]["notes"][0]["name"] == "SAMPLE"
    assert context["consortium"]["uncovered"] == []


def test_context_is_pure() -> None:
    args = (SAMPLE_CALL, SAMPLE_LEAD, [SAMPLE_PARTNER], None)
    kwargs = {"template": "t", "version": 3, "today": date(2027, 1, 1)}
    assert build_context(*args, **kwargs) == build_context(*args, **kwargs)
    assert build_context(*args, **kwargs)["mentor"] is None


@pytest.mark.parametrize(
    ("value", "precision", "english", "polish"),
    [
        (
            "2026-06-16T17:00:00+02:00",
            "datetime",
            "16 June 2026, 17:00 (UTC+02:00); 17:00 Warsaw time (CEST)",
            "16 czerwca 2026, godz. 17:00 (UTC+02:00); 17:00 czasu warszawskiego",
        ),
        (
            "2027-01-12T17:00:00+00:00",
            "datetime",
            "12 January 2027, 17:00 (UTC+00:00); 18:00 Warsaw time (CET)",
            "12 stycznia 2027, godz. 17:00 (UTC+00:00); 18:00 czasu warszawskiego",
        ),
        (
            # A call entered by hand without an offset: CALLRADAR_TIMEZONE time, as in the
            # web app, the e-mails and the calendar feed.
            "2027-04-08T17:00:00",
            "datetime",
            "8 April 2027, 17:00 (UTC+02:00); 17:00 Warsaw time (CEST)",
            "8 kwietnia 2027, godz. 17:00 (UTC+02:00); 17:00 czasu warszawskiego",
        ),
        (
            "2026-06-16",
            "date",
            "16 June 2026 (time of day not given)",
            "16 czerwca 2026 (godzina nieznana)",
        ),
        (
            "2026-06",
            "month",
            "June 2026 (day not known yet)",
            "czerwiec 2026 (dzień jeszcze nieznany)",
        ),
        (
            "2027-Q1",
            "quarter",
            "Q1 2027 (January–March; date not known yet)",
            "I kwartał 2027 (data jeszcze nieznana)",
        ),
    ],
)
def test_deadline_texts(value: str, precision: str, english: str, polish: str) -> None:
    assert deadline_texts(DeadlineFacts(value, precision, date(2027, 1, 1))) == (english, polish)


def test_long_text_is_shortened_with_a_note_and_long_words_break() -> None:
    call = dataclasses.replace(SAMPLE_CALL, description="word " * 10_000)
    context = build_context(
        call, SAMPLE_LEAD, [], None, template="t", version=1, today=date(2027, 1, 1)
    )
    description = context["call"]["description"]
    assert len(description) < 20_200
    assert description.endswith(
        "[shortened: 49,999 characters in all; the full text is in call-text.txt]"
    )
    # The Polish drafts say it in Polish, with Polish digit grouping.
    assert context["call"]["description_pl"].endswith(
        "[skrócono: 49\u00a0999 znaków w całości; pełny tekst w pliku call-text.txt]"
    )
    lead = dataclasses.replace(SAMPLE_LEAD, description="słowo " * 2_000)
    member = build_context(
        SAMPLE_CALL, lead, [], None, template="t", version=1, today=date(2027, 1, 1)
    )["lead"]
    assert "[shortened: " in member["description"]
    assert "[skrócono: " in member["description_pl"] and "shortened" not in member["description_pl"]
    broken = docx_text("x" * 150)
    assert broken.replace("\u200b", "") == "x" * 150
    assert max(len(part) for part in broken.split("\u200b")) == LONG_WORD
    url = "https://example.org/" + "a" * 100
    assert docx_text(url) == url
    # A long id Word can wrap at its hyphens is left as it is, to be copied as it is.
    ncbr_id = "infostrateg-viii---zaawansowane-technologie-informacyjne-edycja-2"
    assert docx_text(ncbr_id) == ncbr_id
    assert "\u200b" in docx_text("a-" + "x" * 100)  # a long run between hyphens still breaks


def test_text_is_cleaned_of_what_a_document_cannot_hold() -> None:
    assert docx_text("a\x00b\x0bc\x07d\ud800e\u202eevil\u202c ok") == "abcdeevil ok"
    assert docx_text("שלום \u200fעולם 👍") == "שלום \u200fעולם 👍"


def test_a_level_through_a_domain_has_a_decimal_comma_in_polish() -> None:
    # A call tagged with the photonics domain: a member's area there counts 0.75 of its level.
    call = dataclasses.replace(SAMPLE_CALL, areas={"photonics": 0.8})
    lead = dataclasses.replace(SAMPLE_LEAD, competences={"integrated-photonics": 3})
    context = build_context(call, lead, [], None, template="t", version=1, today=date(2027, 1, 1))
    assert context["lead"]["contribution_text"] == "Photonics (2.25)"
    assert context["lead"]["contribution_text_pl"] == "Fotonika (2,25)"


def test_the_drafts_deadline_is_the_next_cut_off() -> None:
    cut_offs = (
        DeadlineFacts("2027-03-16", "date", date(2027, 3, 16)),
        DeadlineFacts("2027-07-15", "date", date(2027, 7, 15)),
    )
    call = dataclasses.replace(SAMPLE_CALL, deadlines=cut_offs)

    def deadline(today: date) -> tuple[str, str]:
        context = build_context(call, SAMPLE_LEAD, [], None, template="t", version=1, today=today)
        return context["call"]["deadline_text"], context["call"]["deadline_text_pl"]

    assert deadline(date(2027, 1, 10))[0].startswith("16 March 2027")
    assert deadline(date(2027, 3, 16))[0].startswith("16 March 2027")  # still that day
    assert deadline(date(2027, 4, 1)) == (
        "15 July 2027 (time of day not given)",
        "15 lipca 2027 (godzina nieznana)",
    )
    assert deadline(date(2027, 9, 1))[0].startswith("15 July 2027")  # the last, passed


def test_a_deadline_without_an_offset_is_local_time_in_the_packs_calendar() -> None:
    call = dataclasses.replace(
        SAMPLE_CALL, deadlines=(DeadlineFacts("2027-04-08T17:00:00", "datetime", date(2027, 4, 8)),)
    )
    ics = deadlines_ics(call, datetime(2027, 1, 1, tzinfo=UTC)).decode()
    assert "DTSTART:20270408T150000Z" in ics


def test_a_mentors_notes_hold_its_closest_projects_and_each_lesson_once() -> None:
    """A mentor with forty projects made notes of two hundred pages, the same advice again
    and again, the projects like the call among the rest."""
    like = SAMPLE_PARTNER.projects[0]
    other = dataclasses.replace(like, programme="Interreg", areas=("quantum-technologies",))
    replace = dataclasses.replace
    projects = (
        *(replace(other, title=f"other {i}", lessons="Same advice.") for i in range(30)),
        *(replace(like, title=f"close {i}", lessons=f"Close lesson {i}.") for i in range(12)),
    )
    mentor = dataclasses.replace(SAMPLE_PARTNER, mentor=True, projects=projects)
    context = build_context(
        SAMPLE_CALL, SAMPLE_LEAD, [], mentor, template="t", version=1, today=date(2027, 1, 1)
    )
    notes = context["mentor"]["notes"]
    assert len(notes) == 10 and all("close" in json.dumps(n) for n in notes)
    lessons = context["mentor"]["lessons"]
    assert len(lessons) == 10 and lessons[0].startswith("Close lesson")
    assert len(set(lessons)) == len(lessons)
