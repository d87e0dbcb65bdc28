"""Notifications over real channels on loopback: SMTP (aiosmtpd), a webhook, the .eml folder."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callradar import db
from callradar.calls import CallRecord, upsert_call
from callradar.competence_map import CompetenceMap
from callradar.members import import_members, load_members, to_competence_map
from callradar.models import Call, Competence, Contact, Member, Notification
from callradar.settings import Settings, get_settings
from matching.channels import Channel, Channels, Envelope
from matching.feedback import mark_not_relevant, unsubscribe
from matching.outbox import enqueue_notifications, next_digest_at
from matching.review import confirm_call, dismiss_call
from matching.sender import send_due
from matching.store import match_calls
from tests.conftest import CliRun
from tests.matching.conftest import NOW, Mailbox, Webhook, add_call, add_member, settings_for

TODAY = NOW.date()
PIC = "Vouchers to test «photonic integrated circuits» in pilot lines."


def setup_cluster(engine: Engine, contacts: list[dict[str, object]], calls: int = 2) -> list[int]:
    """One member with the given contacts, and ``calls`` open calls that fit it."""
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"integrated-photonics": 3}, contacts=contacts)
        ids = []
        for i in range(calls):
            call = add_call(
                s,
                f"PIC-{i}",
                {"integrated-photonics": 0.9},
                evidence={"integrated-photonics": [PIC]},
                title=f"Photonic chips call {i}",
                url=f"https://portal.example/topic/PIC-{i}",
                budget=5_000_000,
                now=NOW,
            )
            ids.append(call.id)
    return ids


def run_pipeline(
    engine: Engine, settings: Settings, now: datetime = NOW, confirm: bool = True
) -> int:
    with db.session_scope(engine) as s:
        match_calls(s, settings=settings, today=now.date())
        if confirm:
            for call in s.scalars(select(Call).where(Call.review_status == "pending")):
                confirm_call(s, call)
        return enqueue_notifications(s, settings=settings, now=now).queued


def test_each_contact_gets_each_call_once_in_its_language(
    engine: Engine, smtp: tuple[Mailbox, int], webhook: Webhook, tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(
        engine,
        [
            {"name": "Anna Nowak", "email": "anna@lumen.example", "language": "pl"},
            {"name": "James Carter", "email": "james@lumen.example", "language": "en"},
            {"email": "chat@lumen.example", "language": "en", "notify": [webhook.url("team")]},
        ],
    )
    assert run_pipeline(engine, settings) == 6
    summary = send_due(engine, settings=settings, now=NOW)
    assert summary.sent == 6
    anna, james = mailbox.to("anna@lumen.example"), mailbox.to("james@lumen.example")
    assert len(anna) == len(james) == 2 and len(mailbox.messages) == 4
    assert {m["Subject"] for m in anna} == {
        f"Nowy nabór dla Lumen sp. z o.o.: Photonic chips call {i}" for i in range(2)
    }
    assert all(m["Subject"].startswith("New call for Lumen") for m in james)
    text = anna[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Fotonika zintegrowana (kluczowa kompetencja) — nabór dotyczy: photonic" in text
    assert "Termin: 2027-03-31 17:00 (Europe/Warsaw)" in text
    assert "Budżet: 5\u00a0000\u00a0000 EUR" in text
    assert "https://radar.example/calls/" in text
    with db.session_scope(engine) as s:
        tokens = {c.email: c.unsubscribe_token for c in s.scalars(select(Contact))}
    stop = f"https://radar.example/unsubscribe/{tokens['anna@lumen.example']}"
    assert stop in text and anna[0]["List-Unsubscribe"] == f"<{stop}>"
    html = anna[0].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert stop in html and 'lang="pl"' in html
    assert [p["path"] for p in webhook.posts] == ["/team", "/team"]
    assert all(p["title"].startswith("New call for") for p in webhook.posts)
    assert "Integrated photonics (core competence)" in webhook.posts[0]["message"]
    # Run again (and queue again): nothing more goes out.
    assert run_pipeline(engine, settings) == 0
    assert send_due(engine, settings=settings, now=NOW + timedelta(hours=1)).sent == 0
    assert len(mailbox.messages) == 4 and len(webhook.posts) == 2


def test_after_review_waits_for_confirmation_and_dismissed_calls_never_go(
    engine: Engine, tmp_path: Path
) -> None:
    after_review = settings_for(tmp_path)
    immediate = settings_for(tmp_path, notify_policy="immediate")
    ids = setup_cluster(engine, [{"email": "anna@lumen.example"}])
    assert run_pipeline(engine, after_review, confirm=False) == 0
    with db.session_scope(engine) as s:
        dismiss_call(s, s.get_one(Call, ids[0]))
    assert run_pipeline(engine, immediate, confirm=False) == 1
    with db.session_scope(engine) as s:
        queued = s.scalars(select(Notification.call_id)).all()
    assert queued == [ids[1]]


def test_digest_lists_new_calls_at_the_digest_hour(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(
        engine,
        [
            {"email": "daily@lumen.example", "digest": "daily", "language": "pl"},
            {"email": "weekly@lumen.example", "digest": "weekly", "language": "en"},
        ],
        calls=3,
    )
    run_pipeline(engine, settings)
    # NOW is Friday 10:00 in Warsaw: the daily digest goes Saturday 08:00, the weekly Monday.
    assert send_due(engine, settings=settings, now=NOW).sent == 0
    saturday = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    assert next_digest_at("daily", NOW, settings) == saturday
    assert send_due(engine, settings=settings, now=saturday).sent == 1
    (daily,) = mailbox.to("daily@lumen.example")
    assert daily["Subject"] == "callradar: 3 nabory dla Lumen sp. z o.o. (przegląd dzienny)"
    text = daily.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert all(f"Photonic chips call {i}" in text for i in range(3))
    assert text.count("Nowy nabór") == 3
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert send_due(engine, settings=settings, now=monday).sent == 1
    (weekly,) = mailbox.to("weekly@lumen.example")
    assert weekly["Subject"] == "callradar: 3 calls for Lumen sp. z o.o. (weekly digest)"


def test_messages_waiting_follow_a_contacts_new_rhythm(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(
        engine,
        [
            {"email": "soon@lumen.example", "digest": "weekly"},
            {"email": "later@lumen.example", "digest": "daily"},
        ],
        calls=1,
    )
    run_pipeline(engine, settings)
    with db.session_scope(engine) as s:
        for contact in s.scalars(select(Contact)):
            contact.digest = "immediate" if contact.email.startswith("soon") else "weekly"
    # Friday: the one now immediate waited for Monday's digest before.
    an_hour_later = NOW + timedelta(hours=1)
    run_pipeline(engine, settings, now=an_hour_later)
    assert send_due(engine, settings=settings, now=an_hour_later).sent == 1
    assert [m["To"] for m in mailbox.messages] == ["Contact 0 <soon@lumen.example>"]
    # The one now weekly got a "weekly digest" on Saturday before.
    saturday = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    assert send_due(engine, settings=settings, now=saturday).sent == 0
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert send_due(engine, settings=settings, now=monday).sent == 1
    assert "(przegląd tygodniowy)" in mailbox.to("later@lumen.example")[0]["Subject"]


def test_a_competition_listed_by_two_sources_is_told_once(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    with db.session_scope(engine) as s:
        add_member(
            s,
            "lumen",
            {"integrated-photonics": 3},
            contacts=[{"email": "anna@lumen.example", "digest": "daily"}],
        )
        # The same FENG competition on NCBR's and the European Funds portal's lists: linked.
        for source in ("ncbr", "fe-portal"):
            add_call(
                s,
                f"{source}-smart",
                {"integrated-photonics": 0.9},
                source=source,
                link_key="FENG.01.01-IP.01-003/26",
                title=f"Ścieżka SMART ({source})",
            )
        assert len({c.same_as_id or c.id for c in s.scalars(select(Call))}) == 1
    assert run_pipeline(engine, settings) == 1
    assert send_due(engine, settings=settings, now=NOW + timedelta(days=1)).sent == 1
    text = mailbox.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Ścieżka SMART (ncbr)" in text and "(fe-portal)" not in text
    # A change published only on the other source is a change of the competition the contact
    # heard of: told, once, as a change, not as news of another competition.
    later = NOW + timedelta(days=2)
    with db.session_scope(engine) as s:
        add_call(
            s,
            "fe-portal-smart",
            {},
            now=later,
            source="fe-portal",
            link_key="FENG.01.01-IP.01-003/26",
            title="Ścieżka SMART (fe-portal)",
            budget=1_000_000,
        )
    assert run_pipeline(engine, settings, now=later) == 1
    assert run_pipeline(engine, settings, now=later) == 0
    assert send_due(engine, settings=settings, now=later + timedelta(days=1)).sent == 1
    text = mailbox.messages[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Zmiana: budżet" in text and "Nowy nabór" not in text
    assert "Ścieżka SMART (fe-portal)" in text
    # Its later changes are told as those of any call told of.
    with db.session_scope(engine) as s:
        add_call(
            s,
            "fe-portal-smart",
            {},
            now=later + timedelta(days=3),
            source="fe-portal",
            link_key="FENG.01.01-IP.01-003/26",
            title="Ścieżka SMART (fe-portal)",
            budget=2_000_000,
        )
    assert run_pipeline(engine, settings, now=later + timedelta(days=3)) == 1


def test_a_copys_change_made_before_the_contact_heard_of_the_competition_is_no_news(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    _, port = smtp
    settings = settings_for(tmp_path, port)
    with db.session_scope(engine) as s:
        add_member(
            s,
            "lumen",
            {"integrated-photonics": 3},
            contacts=[{"email": "anna@lumen.example", "digest": "daily"}],
        )
        # The second source's copy changes (its budget) before anyone is told.
        for source, budget in (("ncbr", None), ("fe-portal", None), ("fe-portal", 1_000_000)):
            add_call(
                s,
                f"{source}-smart",
                {} if budget else {"integrated-photonics": 0.9},
                source=source,
                link_key="FENG.01.01-IP.01-003/26",
                budget=budget,
            )
    later = NOW + timedelta(hours=1)
    assert run_pipeline(engine, settings, now=later) == 1
    assert run_pipeline(engine, settings, now=later + timedelta(hours=1)) == 0


@pytest.mark.parametrize("marked", [0, 1], ids=["the copy queued", "the other copy"])
def test_not_relevant_on_one_copy_of_a_competition_holds_for_the_other(
    marked: int, engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    with db.session_scope(engine) as s:
        add_member(
            s,
            "lumen",
            {"integrated-photonics": 3},
            contacts=[{"email": "anna@lumen.example", "digest": "daily"}],
        )
        copies = [
            add_call(
                s,
                f"{source}-smart",
                {"integrated-photonics": 0.9},
                source=source,
                link_key="FENG.01.01-IP.01-003/26",
            )
            for source in ("ncbr", "fe-portal")
        ]
        s.flush()
        marked_id = copies[marked].id
    assert run_pipeline(engine, settings) == 1
    with db.session_scope(engine) as s:
        # In the portal, where both copies are listed, before the digest went.
        mark_not_relevant(s, "lumen", marked_id)
    assert run_pipeline(engine, settings) == 0
    assert send_due(engine, settings=settings, now=NOW + timedelta(days=1)).sent == 0
    assert mailbox.messages == []


def test_a_call_dismissed_by_mistake_then_confirmed_is_still_sent(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    [call_id] = setup_cluster(engine, [{"email": "anna@lumen.example", "digest": "daily"}], 1)
    run_pipeline(engine, settings)
    with db.session_scope(engine) as s:
        dismiss_call(s, s.get_one(Call, call_id))
    with db.session_scope(engine) as s:
        confirm_call(s, s.get_one(Call, call_id))
    # The dismissal cancelled the queued message; it once stayed cancelled for good.
    assert run_pipeline(engine, settings) == 1
    assert send_due(engine, settings=settings, now=NOW + timedelta(days=1)).sent == 1
    assert len(mailbox.messages) == 1
    assert run_pipeline(engine, settings) == 0


def test_a_match_gone_at_the_digest_hour_and_back_later_is_still_sent(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(engine, [{"email": "anna@lumen.example", "digest": "daily"}], calls=1)
    run_pipeline(engine, settings)

    def competence(code: str) -> None:
        with db.session_scope(engine) as s:
            s.get_one(Member, "lumen").competences = [Competence(code=code, level=3)]

    competence("sensors-mems")  # the member edits its profile; the call no longer fits
    run_pipeline(engine, settings)
    tomorrow = NOW + timedelta(days=1)
    assert send_due(engine, settings=settings, now=tomorrow).cancelled == 1
    competence("integrated-photonics")  # and back: the member was never told of the call
    assert run_pipeline(engine, settings, now=tomorrow) == 1
    assert send_due(engine, settings=settings, now=tomorrow + timedelta(days=1)).sent == 1
    assert len(mailbox.messages) == 1


def test_only_a_significant_change_notifies_again(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(engine, [{"email": "james@lumen.example", "language": "en"}], calls=1)
    run_pipeline(engine, settings)
    send_due(engine, settings=settings, now=NOW)
    base = {
        "id": "PIC-0",
        "title": "Photonic chips call 0",
        "url": "https://portal.example/topic/PIC-0",
        "budget": 5_000_000,
        "status": "open",
    }
    with db.session_scope(engine) as s:
        record = CallRecord(
            **base, description="Typo fixed.", deadlines=["2027-03-31T17:00:00+02:00"]
        )
        upsert_call(s, record, NOW)
    assert run_pipeline(engine, settings) == 0
    with db.session_scope(engine) as s:
        upsert_call(s, CallRecord(**base, deadlines=["2027-04-30T17:00:00+02:00"]), NOW)
    assert run_pipeline(engine, settings) == 1
    send_due(engine, settings=settings, now=NOW)
    assert [m["Subject"] for m in mailbox.messages] == [
        "New call for Lumen sp. z o.o.: Photonic chips call 0",
        "Call changed (deadline): Photonic chips call 0",
    ]
    assert "Deadline: 2027-04-30 17:00" in mailbox.messages[1].get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_a_failing_webhook_is_retried_with_back_off_and_holds_up_nothing(
    engine: Engine, smtp: tuple[Mailbox, int], webhook: Webhook, tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(
        engine,
        [{"email": "anna@lumen.example", "notify": ["email", webhook.url()]}],
        calls=1,
    )
    run_pipeline(engine, settings)
    webhook.status = 500
    first = send_due(engine, settings=settings, now=NOW)
    assert (first.sent, first.retry, len(mailbox.messages), webhook.posts) == (1, 1, 1, [])
    with db.session_scope(engine) as s:
        failed = s.scalars(select(Notification).where(Notification.channel != "email")).one()
        assert failed.status == "pending" and failed.attempts == 1
        assert failed.next_attempt_at is not None
        assert failed.next_attempt_at.replace(tzinfo=UTC) == NOW + timedelta(minutes=1)
        assert "127.0.0.1" in (failed.error or "")
    webhook.status = 200
    assert send_due(engine, settings=settings, now=NOW + timedelta(seconds=30)).sent == 0
    assert send_due(engine, settings=settings, now=NOW + timedelta(minutes=2)).sent == 1
    assert len(webhook.posts) == 1 and len(mailbox.messages) == 1


def test_a_webhook_into_the_servers_own_network_is_refused_when_sending(
    engine: Engine, smtp: tuple[Mailbox, int], webhook: Webhook, tmp_path: Path
) -> None:
    mailbox, port = smtp
    # Stored before webhooks were checked (or its host's address changed since): the
    # loopback receiver stands for a service on the server's own network.
    settings = settings_for(tmp_path, port, webhook_allowed_hosts="")
    setup_cluster(
        engine,
        [{"email": "anna@lumen.example", "notify": ["email", webhook.url()]}],
        calls=1,
    )
    run_pipeline(engine, settings)
    summary = send_due(engine, settings=settings, now=NOW)
    assert (summary.sent, summary.retry, len(mailbox.messages), webhook.posts) == (1, 1, 1, [])
    with db.session_scope(engine) as s:
        refused = s.scalars(select(Notification).where(Notification.channel != "email")).one()
    assert "refused, must use HTTPS" in (refused.error or "")
    assert "/hook" not in (refused.error or "")  # the URL's path may hold a token


class _Broken(Channels):
    """E-mail whose sending fails, for one address, in a way nobody foresaw."""

    def get(self, channel: str) -> Channel:
        real = super().get(channel)

        class Failing:
            def send(self, envelope: Envelope) -> None:
                if envelope.to_address == "anna@lumen.example":
                    raise RuntimeError("unforeseen")
                real.send(envelope)

            def close(self) -> None:
                real.close()

        return Failing()


def test_a_message_failing_unforeseen_is_retried_and_holds_up_no_one(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port, notify_max_attempts=2)
    setup_cluster(
        engine, [{"email": "anna@lumen.example"}, {"email": "james@lumen.example"}], calls=1
    )
    run_pipeline(engine, settings)
    first = send_due(engine, settings=settings, now=NOW, channels=_Broken(settings))
    assert (first.sent, first.retry) == (1, 1)
    assert [m["To"] for m in mailbox.messages] == ["Contact 1 <james@lumen.example>"]
    with db.session_scope(engine) as s:
        row = s.scalars(select(Notification).where(Notification.status != "sent")).one()
        assert (row.status, row.claimed_by) == ("pending", None)
        assert row.error == "RuntimeError: unforeseen"
        assert row.next_attempt_at == NOW + timedelta(minutes=1)
    later = NOW + timedelta(minutes=2)
    assert send_due(engine, settings=settings, now=later, channels=_Broken(settings)).failed == 1
    assert send_due(engine, settings=settings, now=later + timedelta(days=1)).sent == 0


def test_smtp_down_is_retried_and_fails_for_good_after_the_last_attempt(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    setup_cluster(engine, [{"email": "anna@lumen.example"}], calls=1)
    down = settings_for(tmp_path, port + 1 if port < 65535 else port - 1, notify_max_attempts=2)
    run_pipeline(engine, down)
    assert send_due(engine, settings=down, now=NOW).retry == 1
    up = settings_for(tmp_path, port)
    assert send_due(engine, settings=up, now=NOW + timedelta(minutes=2)).sent == 1
    assert len(mailbox.messages) == 1
    with db.session_scope(engine) as s:
        add_call(s, "PIC-9", {"integrated-photonics": 0.9}, now=NOW)
    run_pipeline(engine, down)
    send_due(engine, settings=down, now=NOW)
    assert send_due(engine, settings=down, now=NOW + timedelta(minutes=2)).failed == 1


def test_an_smtp_server_that_does_not_answer_is_tried_once_a_run(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Accepts connections and never greets: each message waited for its own time-out.
    monkeypatch.setattr("matching.channels.SMTP_TIMEOUT", 0.5)
    stalled = socket.create_server(("127.0.0.1", 0))
    settings = settings_for(tmp_path, stalled.getsockname()[1])
    setup_cluster(engine, [{"email": f"c{i}@lumen.example"} for i in range(3)], calls=1)
    run_pipeline(engine, settings)
    summary = send_due(engine, settings=settings, now=NOW)
    stalled.setblocking(False)
    tried = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            stalled.accept()[0].close()
            tried += 1
    stalled.close()
    assert (summary.retry, tried) == (3, 1)
    assert "not tried again in this run" in (summary.deliveries[-1].error or "")


def test_messages_not_tried_because_smtp_was_down_keep_their_attempts(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    """Only the message that found the server down used an attempt: the others, not tried
    in that run, were marked failed after a few runs of an outage as if each had been."""
    mailbox, port = smtp
    setup_cluster(engine, [{"email": f"c{i}@lumen.example"} for i in range(3)], calls=1)
    down = settings_for(tmp_path, port + 1 if port < 65535 else port - 1, notify_max_attempts=2)
    run_pipeline(engine, down)
    assert send_due(engine, settings=down, now=NOW).retry == 3
    with db.session_scope(engine) as s:
        rows = list(s.scalars(select(Notification).order_by(Notification.id)))
        assert [r.attempts for r in rows] == [1, 0, 0]
        assert all(r.status == "pending" and r.claimed_by is None for r in rows)
        assert "not tried again in this run" in (rows[1].error or "")
    # A second run in the outage: the first message's last attempt; the others still wait.
    second = send_due(engine, settings=down, now=NOW + timedelta(minutes=2))
    assert (second.failed, second.retry) == (1, 2)
    up = settings_for(tmp_path, port)
    assert send_due(engine, settings=up, now=NOW + timedelta(minutes=10)).sent == 2
    assert len(mailbox.messages) == 2


def test_without_smtp_emails_are_eml_files_written_once(engine: Engine, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    setup_cluster(engine, [{"email": "anna@lumen.example", "language": "pl"}])
    run_pipeline(engine, settings)
    assert send_due(engine, settings=settings, now=NOW).sent == 2
    assert send_due(engine, settings=settings, now=NOW).sent == 0
    files = sorted((tmp_path / "data" / "outbox").glob("*.eml"))
    assert len(files) == 2
    subjects = set()
    for file in files:
        with file.open("rb") as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        subjects.add(str(message["Subject"]))
        assert message["To"] == "Contact 0 <anna@lumen.example>"
    assert subjects == {f"Nowy nabór dla Lumen sp. z o.o.: Photonic chips call {i}" for i in (0, 1)}


@pytest.mark.parametrize("over_smtp", [True, False])
def test_non_ascii_addresses_and_odd_names_get_their_mail_and_hold_up_no_one(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path, over_smtp: bool
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port if over_smtp else None)
    # A non-ASCII local part once stopped the whole run (and every later run) at its message.
    setup_cluster(
        engine,
        [
            {"email": "żaneta@lumen.example"},
            {"email": "jan@łódź.example"},
            # A line break in a name (a workbook cell may hold one) stopped the run the same way.
            {"email": "a@b.pl", "name": "Anna\nNowak"},
        ],
        calls=1,
    )
    run_pipeline(engine, settings)
    assert send_due(engine, settings=settings, now=NOW).sent == 3
    if over_smtp:
        received = mailbox.messages
    else:
        received = []
        for file in (tmp_path / "data" / "outbox").glob("*.eml"):
            with file.open("rb") as f:
                received.append(email.message_from_binary_file(f, policy=email.policy.default))
    # The parser leaves a UTF-8 header's bytes as surrogates.
    addresses = [m["To"].addresses[0].addr_spec.encode(errors="surrogateescape") for m in received]
    assert sorted(a.decode() for a in addresses) == [
        "a@b.pl",
        "jan@xn--d-uga0v4h.example",  # the domain in IDNA, which every server takes
        "żaneta@lumen.example",
    ]
    assert "Anna Nowak <a@b.pl>" in [str(m["To"]) for m in received]


def test_not_relevant_and_unsubscribe_stop_messages(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    ids = setup_cluster(
        engine,
        [
            {"email": "anna@lumen.example", "digest": "daily"},
            {"email": "james@lumen.example", "digest": "daily"},
        ],
        calls=2,
    )
    run_pipeline(engine, settings)
    with db.session_scope(engine) as s:
        mark_not_relevant(s, "lumen", ids[0])
        james = s.scalars(select(Contact).where(Contact.email == "james@lumen.example")).one()
        assert unsubscribe(s, james.unsubscribe_token) is not None
        assert unsubscribe(s, "no-such-token") is None
    saturday = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    send_due(engine, settings=settings, now=saturday)
    assert [m["To"] for m in mailbox.messages] == ["Contact 0 <anna@lumen.example>"]
    text = mailbox.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Photonic chips call 1" in text and "Photonic chips call 0" not in text
    assert run_pipeline(engine, settings) == 0


@pytest.mark.usefixtures("settings_env")
def test_cli_notify_and_dry_run(cli: CliRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLRADAR_NOTIFY_POLICY", "immediate")
    get_settings.cache_clear()
    with db.session_scope() as s:
        add_member(
            s, "lumen", {"integrated-photonics": 3}, contacts=[{"email": "anna@lumen.example"}]
        )
        add_call(
            s, "PIC", {"integrated-photonics": 0.9}, deadlines=["2030-01-31"], now=datetime.now(UTC)
        )
    cli("match")
    dry = cli("notify", "--dry-run")
    assert "Dry run: 0 message(s) due" in dry.output  # nothing queued by a dry run
    sent = cli("notify")
    assert "Sent 1 message(s)" in sent.output and "Nowy nabór dla Lumen" in sent.output
    assert "Sent 0 message(s)" in cli("notify").output
    assert len(list((get_settings().resolved_outbox_dir).glob("*.eml"))) == 1


def test_a_contact_removed_and_added_again_keeps_its_history(
    engine: Engine, smtp: tuple[Mailbox, int], tmp_path: Path
) -> None:
    mailbox, port = smtp
    settings = settings_for(tmp_path, port)
    setup_cluster(
        engine, [{"email": "anna@lumen.example"}, {"email": "james@lumen.example"}], calls=2
    )
    run_pipeline(engine, settings)
    assert send_due(engine, settings=settings, now=NOW).sent == 4
    with db.session_scope(engine) as s:
        [lumen] = to_competence_map(load_members(s, ["lumen"])).members
        james = s.scalars(select(Contact).where(Contact.email == "james@lumen.example")).one()
        unsubscribe(s, james.unsubscribe_token)
        without_james = lumen.model_copy(update={"contacts": lumen.contacts[:1]})
        import_members(s, CompetenceMap(members=[without_james]))
    with db.session_scope(engine) as s:
        assert [c.email for c in load_members(s, ["lumen"])[0].contacts] == ["anna@lumen.example"]
    # A new call while James is off the list: he is not told of it.
    with db.session_scope(engine) as s:
        add_call(s, "PIC-NEW", {"integrated-photonics": 0.9}, title="Photonic chips call new")
    run_pipeline(engine, settings)
    assert send_due(engine, settings=settings, now=NOW).sent == 1
    assert len(mailbox.to("james@lumen.example")) == 2

    # Back on the list, as the member's file had him: the calls he heard of are not sent
    # again, and his earlier "stop these messages" holds.
    with db.session_scope(engine) as s:
        import_members(s, CompetenceMap(members=[lumen]))
    assert run_pipeline(engine, settings) == 0
    assert send_due(engine, settings=settings, now=NOW + timedelta(hours=1)).sent == 0
    with db.session_scope(engine) as s:
        james = s.scalars(select(Contact).where(Contact.email == "james@lumen.example")).one()
        assert james.unsubscribed
        james.unsubscribed = False
    # Subscribed again, he hears of the one call he has not been told of.
    assert run_pipeline(engine, settings) == 1
    send_due(engine, settings=settings, now=NOW + timedelta(hours=2))
    assert [m["Subject"] for m in mailbox.to("james@lumen.example")][2:] == [
        "Nowy nabór dla Lumen sp. z o.o.: Photonic chips call new"
    ]
