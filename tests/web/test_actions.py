"""The coordinator's actions on a call, and the members' "not relevant" and stop links."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import Call, CallTag, Consortium, Contact, Match, ProposalPack, Source
from tests.web.conftest import World, csrf_of, login, post


def _call(engine: Engine, call_id: int) -> tuple[str, str | None, list[tuple[str, str]]]:
    with session_scope(engine) as session:
        call = session.get(Call, call_id)
        assert call
        tags = sorted((t.code, t.origin) for t in call.tags)
        return call.review_status, call.review_reason, tags


def test_only_the_coordinator_reviews(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.member_a)
    for action in ("confirm", "dismiss", "areas", "consortium"):
        response = post(
            client, f"/calls/{world.call_id}/{action}", {"reason": "x", "lead": "lumen"}
        )
        assert response.status_code == 403, action
    assert post(client, f"/consortia/{world.consortium_id}/pack").status_code == 403
    assert _call(engine, world.call_id)[0] == "pending"


def test_confirm_and_dismiss(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.coordinator)
    assert post(client, f"/calls/{world.call_id}/confirm").status_code == 303
    assert _call(engine, world.call_id)[0] == "confirmed"
    post(client, f"/calls/{world.other_call_id}/dismiss", {"reason": " "})
    assert _call(engine, world.other_call_id)[0] == "pending"
    post(client, f"/calls/{world.other_call_id}/dismiss", {"reason": "Rail is not our field"})
    assert _call(engine, world.other_call_id)[:2] == ("dismissed", "Rail is not our field")
    assert "Power converters" not in client.get("/review").text
    assert post(client, "/calls/999999/confirm").status_code == 404


def test_correct_the_areas(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.coordinator)
    data = {"codes": ["sensors-mems", "photonics", "made-up"]}
    assert post(client, f"/calls/{world.call_id}/areas", data).status_code == 303  # type: ignore[arg-type]
    assert _call(engine, world.call_id)[2] == [
        ("photonics", "coordinator"),
        ("sensors-mems", "coordinator"),
    ]


def test_build_a_consortium_and_generate_packs(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.coordinator)
    post(client, f"/calls/{world.call_id}/confirm")
    page = client.get(f"/calls/{world.call_id}").text
    assert 'id="build-consortium"' in page
    response = post(
        client, f"/calls/{world.call_id}/consortium", {"lead": "volta", "partners": "lumen"}
    )
    assert response.status_code == 303
    with session_scope(engine) as session:
        consortium = session.scalar(select(Consortium).where(Consortium.lead_id == "volta"))
        assert consortium and [p.member_id for p in consortium.partners] == ["lumen"]
        consortium_id = consortium.id
    assert post(client, f"/consortia/{consortium_id}/pack").status_code == 303
    with session_scope(engine) as session:
        packs = list(
            session.scalars(select(ProposalPack).where(ProposalPack.consortium_id == consortium_id))
        )
        assert [p.version for p in packs] == [1, 2]
        pack_id = packs[-1].id
    download = client.get(f"/packs/{pack_id}/download")
    assert download.status_code == 200
    assert any(n.endswith(".docx") for n in zipfile.ZipFile(BytesIO(download.content)).namelist())
    post(client, f"/consortia/{consortium_id}/status", {"status": "submitted"})
    with session_scope(engine) as session:
        assert session.get(Consortium, consortium_id).status == "submitted"  # type: ignore[union-attr]
    # Both members of the new consortium now see its packs; each downloads them.
    for member in (world.member_a, world.member_b):
        client.cookies.clear()
        login(client, member)
        assert client.get(f"/packs/{pack_id}/download").status_code == 200


def _consortia_and_packs(engine: Engine, call_id: int) -> tuple[int, int]:
    with session_scope(engine) as session:
        consortia = session.scalars(select(Consortium).where(Consortium.call_id == call_id)).all()
        return len(consortia), sum(len(c.packs) for c in consortia)


def test_no_consortium_for_a_call_not_confirmed(
    client: TestClient, engine: Engine, world: World
) -> None:
    before = _consortia_and_packs(engine, world.call_id)
    login(client, world.coordinator)
    # A page left open while the call was still pending (or dismissed since).
    for change in ({"lead": "volta"}, {"consortium": str(world.consortium_id), "lead": "lumen"}):
        response = post(client, f"/calls/{world.call_id}/consortium", change)
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert '<p class="flash error" role="status">Najpierw potwierdź nabór' in page
    assert _consortia_and_packs(engine, world.call_id) == before


def _what_a_member_sees(client: TestClient, call_id: int) -> tuple[int, bool, bool]:
    """The call page's status, and whether My calls and the calendar feed show the call."""
    title = "Photonic integrated circuits pilot line"
    page = client.get("/my/calendar").text
    feed = re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', page)
    assert feed
    return (
        client.get(f"/calls/{call_id}").status_code,
        title in client.get("/my/calls").text,
        title in client.get(feed[1]).text,
    )


def test_members_do_not_see_a_dismissed_call(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_a)
    assert _what_a_member_sees(client, world.call_id) == (200, True, True)
    post(client, "/logout")
    login(client, world.coordinator)
    post(client, f"/calls/{world.call_id}/dismiss", {"reason": "Not for the cluster"})
    post(client, "/logout")
    login(client, world.member_a)
    assert _what_a_member_sees(client, world.call_id) == (404, False, False)


def test_a_bad_consortium_is_refused_with_the_reason(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    post(client, f"/calls/{world.call_id}/confirm")
    refused = post(client, f"/calls/{world.call_id}/consortium", {"lead": "nobody"})
    # The coordinator reads Polish: the reason too (tests/web/test_consortium_language.py).
    assert refused.status_code == 400 and "nieznany identyfikator członka" in refused.text


def test_a_member_marks_its_match_not_relevant(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_a)
    assert post(client, f"/my/calls/{world.other_call_id}/not-relevant").status_code == 404
    assert post(client, f"/my/calls/{world.call_id}/not-relevant").status_code == 303
    with session_scope(engine) as session:
        feedback = {m: f for m, f in session.execute(select(Match.member_id, Match.feedback))}
    assert feedback == {"lumen": "not-relevant", "volta": None}


def test_the_links_of_messages_work_without_logging_in(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        token = session.scalar(
            select(Contact.unsubscribe_token).where(Contact.member_id == "volta")
        )
    assert client.get(f"/not-relevant/{token}/{world.other_call_id}").status_code == 200
    # Member A's call, through member B's token: not shown (nor done, below).
    assert client.get(f"/not-relevant/{token}/{world.call_id}").status_code == 404
    assert client.post(f"/not-relevant/{token}/{world.call_id}").status_code == 404
    assert client.post(f"/not-relevant/{token}/{world.other_call_id}").status_code == 200
    assert client.get("/unsubscribe/not-a-token").status_code == 404
    # One-click unsubscribe (RFC 8058): a bare POST from the mail client.
    one_click = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    with session_scope(engine) as session:
        contact = session.scalar(select(Contact).where(Contact.member_id == "volta"))
        assert contact and contact.unsubscribed
        match = session.scalar(select(Match).where(Match.member_id == "volta"))
        assert match and match.feedback == "not-relevant"


def test_a_removed_contacts_links_no_longer_speak_for_the_member(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        contact = session.scalar(select(Contact).where(Contact.member_id == "volta"))
        assert contact
        # Left out of the member's profile: someone who left the company, whose old
        # messages still hold the links.
        contact.removed = True
        token = contact.unsubscribe_token
    assert client.get(f"/not-relevant/{token}/{world.other_call_id}").status_code == 404
    assert client.post(f"/not-relevant/{token}/{world.other_call_id}").status_code == 404
    with session_scope(engine) as session:
        match = session.scalar(select(Match).where(Match.member_id == "volta"))
        assert match and match.feedback is None
    # Stopping the messages is still theirs to do: it holds should they be given again.
    assert client.post(f"/unsubscribe/{token}").status_code == 200


def test_the_links_of_messages_open_in_the_contacts_language(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        contact = session.scalar(select(Contact).where(Contact.member_id == "volta"))
        assert contact
        # Told in English; whoever follows the link has no session, and the app's
        # default is Polish.
        contact.language = "en"
        token = contact.unsubscribe_token
    assert "Not a relevant call" in client.get(f"/not-relevant/{token}/{world.other_call_id}").text
    assert "Thank you, noted." in client.post(f"/not-relevant/{token}/{world.other_call_id}").text
    assert "Stop these messages" in client.get(f"/unsubscribe/{token}").text
    # A language chosen on the page stays chosen.
    client.post("/language", data={"lang": "pl", "csrf_token": csrf_of(client)})
    assert "Rezygnacja z wiadomości" in client.get(f"/unsubscribe/{token}").text


def test_a_decision_on_one_listing_of_a_competition_holds_for_the_other(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        session.add(Source(name="ncbr", title="NCBR"))
        session.flush()
        copy = Call(
            source="ncbr",
            external_id="PIC-NCBR",
            ref="PIC-NCBR",
            same_as_id=world.call_id,
            title="PIC pilot line (NCBR)",
            fingerprint="a" * 64,
            flagged=True,
        )
        session.add(copy)
        session.flush()
        copy_id = copy.id
    login(client, world.coordinator)
    post(client, f"/calls/{copy_id}/confirm", {"reason": "fits the cluster"})
    assert _call(engine, world.call_id)[:2] == ("confirmed", "fits the cluster")
    # Dismissed from the other listing's page: no listing of it may still reach members.
    post(client, f"/calls/{world.call_id}/dismiss", {"reason": "out of scope"})
    assert _call(engine, copy_id)[:2] == ("dismissed", "out of scope")
    assert "PIC pilot line" not in client.get("/review").text


def test_areas_corrected_on_one_listing_of_a_competition_hold_for_the_other(
    client: TestClient, engine: Engine, world: World
) -> None:
    with session_scope(engine) as session:
        session.add(Source(name="ncbr", title="NCBR"))
        session.flush()
        copy = Call(
            source="ncbr",
            external_id="PIC-NCBR",
            ref="PIC-NCBR",
            same_as_id=world.call_id,
            title="PIC pilot line (NCBR)",
            fingerprint="a" * 64,
            flagged=True,
        )
        copy.tags = [CallTag(code="integrated-photonics", score=0.8, evidence=[])]
        session.add(copy)
        session.flush()
        copy_id = copy.id
    login(client, world.coordinator)
    # Not photonics at all: matched through the other listing, members would still be told.
    post(client, f"/calls/{world.call_id}/areas", {"codes": "sensors-mems"})
    assert _call(engine, copy_id)[2] == [("sensors-mems", "coordinator")]
