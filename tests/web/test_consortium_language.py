"""The consortium suggestion, its rule checks and the pack refusals in the user's language."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import Call, Member, User
from tests.web.conftest import World, login, post

POLISH = (
    # The lead and why
    "deklaruje gotowość do koordynowania projektu",
    "ma kompetencje: Fotonika zintegrowana (poziom 3)",
    # The rules, checked on the team
    "Horizon Europe RIA: co najmniej trzy niezależne podmioty prawne",
    "co najmniej 3 niezależne podmioty prawne: zespół liczy 1 podmiot",
    "kraje zespołu spełniające warunek: PL",
    "Potrzeba jeszcze dwóch partnerów z innych krajów",
)
ENGLISH = (
    "willing to coordinate",
    "covers Integrated photonics (level 3)",
    "Horizon Europe RIA: at least three independent legal entities",
    "at least 3 independent legal entities: the team has one entity",
    "eligible countries in the team: PL",
    "Two partners from other countries",
)


def _a_ria_call_led_by_lumen(engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        call = session.get(Call, world.call_id)
        assert call is not None
        call.type_of_action = "HORIZON Research and Innovation Actions"
        call.review_status = "confirmed"
        lumen = session.get(Member, "lumen")
        assert lumen is not None
        lumen.roles = ["coordinator", "partner"]
        lumen.country = "PL"


def _speaks(engine: Engine, email: str, language: str) -> None:
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        user.language = language


def test_a_polish_coordinator_reads_the_suggestion_in_polish(
    client: TestClient, engine: Engine, world: World
) -> None:
    _a_ria_call_led_by_lumen(engine, world)
    login(client, world.coordinator)  # no language chosen: Polish
    page = html.unescape(client.get(f"/calls/{world.call_id}").text)
    for text in POLISH:
        assert text in page
    for text in ENGLISH:
        assert text not in page


def test_an_english_coordinator_reads_it_in_english(
    client: TestClient, engine: Engine, world: World
) -> None:
    _a_ria_call_led_by_lumen(engine, world)
    _speaks(engine, world.coordinator, "en")
    login(client, world.coordinator)
    page = html.unescape(client.get(f"/calls/{world.call_id}").text)
    for text in ENGLISH:
        assert text in page
    for text in POLISH:
        assert text not in page


def test_notes_and_uncovered_areas_in_polish(
    client: TestClient, engine: Engine, world: World
) -> None:
    # Nobody is willing to coordinate (both members are partners only).
    with session_scope(engine) as session:
        call = session.get(Call, world.call_id)
        assert call is not None
        call.review_status = "confirmed"
    login(client, world.coordinator)
    page = html.unescape(client.get(f"/calls/{world.call_id}").text)
    assert "Żaden członek nie deklaruje gotowości do koordynowania projektu" in page
    assert "callradar nie zna zasad tworzenia konsorcjów w tym programie" in page
    assert "No member is willing" not in page


def test_a_pack_refusal_is_said_in_the_users_language(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.coordinator)
    post(client, f"/calls/{world.call_id}/confirm")
    refused = post(client, f"/calls/{world.call_id}/consortium", {"lead": "nobody"})
    page = html.unescape(refused.text)
    assert "Nie wygenerowano pakietu: nieznany identyfikator członka: 'nobody'" in page
    assert "unknown member" not in page

    _speaks(engine, world.coordinator, "en")
    client.cookies.clear()
    login(client, world.coordinator)
    refused = post(client, f"/calls/{world.call_id}/consortium", {"lead": "nobody"})
    page = html.unescape(refused.text)
    assert "No pack was generated: unknown member(s) 'nobody'" in page
