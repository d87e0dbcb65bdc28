"""Changing a call's consortium makes the next version of its pack, keeping the earlier ones,
and each member downloads exactly the versions it was part of."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import Call, Consortium, ProposalPack
from callradar.settings import Settings
from tests.web.conftest import World, login, post


def _confirm(engine: Engine, call_id: int) -> None:
    with session_scope(engine) as session:
        call = session.get(Call, call_id)
        assert call is not None
        call.review_status = "confirmed"


def _consortia(engine: Engine, call_id: int) -> list[tuple[int, str, list[str], list[int]]]:
    """(id, lead, partners, pack versions) of each consortium of the call."""
    with session_scope(engine) as session:
        return [
            (
                c.id,
                c.lead_id,
                sorted(p.member_id for p in c.partners),
                [p.version for p in c.packs],
            )
            for c in session.scalars(
                select(Consortium).where(Consortium.call_id == call_id).order_by(Consortium.id)
            )
        ]


def _packs(engine: Engine, consortium_id: int) -> dict[int, tuple[int, str]]:
    """version: (pack id, stored path)"""
    with session_scope(engine) as session:
        return {
            p.version: (p.id, p.path)
            for p in session.scalars(
                select(ProposalPack).where(ProposalPack.consortium_id == consortium_id)
            )
        }


def test_changing_the_consortium_makes_its_next_pack_version(
    client: TestClient, engine: Engine, world: World, web_settings: Settings
) -> None:
    _confirm(engine, world.call_id)
    login(client, world.coordinator)
    page = html.unescape(client.get(f"/calls/{world.call_id}").text)
    # The consortium being formed is the one the form changes, its members preselected.
    assert "Zmień konsorcjum" in page
    assert f'<option value="{world.consortium_id}" selected>' in page
    assert '<option value="lumen" selected>' in page

    # A new lead and a partner: the same consortium, version 2; version 1 is kept.
    changed = {"consortium": str(world.consortium_id), "lead": "volta", "partners": "lumen"}
    assert post(client, f"/calls/{world.call_id}/consortium", changed).status_code == 303
    assert "Pakiet gotowy (wersja 2)." in client.get(f"/calls/{world.call_id}").text
    assert post(client, f"/calls/{world.call_id}/consortium", changed).status_code == 303
    assert _consortia(engine, world.call_id) == [
        (world.consortium_id, "volta", ["lumen"], [1, 2, 3])
    ]
    packs = _packs(engine, world.consortium_id)
    assert len({path for _, path in packs.values()}) == 3
    for _, path in packs.values():
        assert (web_settings.data_dir / path).is_file()

    # A new consortium beside it, led by lumen; the first cannot then be given lumen as lead.
    post(client, f"/calls/{world.call_id}/consortium", {"consortium": "", "lead": "lumen"})
    consortia = _consortia(engine, world.call_id)
    assert [(c[1], c[3]) for c in consortia] == [("volta", [1, 2, 3]), ("lumen", [1])]
    retaken = {"consortium": str(world.consortium_id), "lead": "lumen"}
    page = html.unescape(post(client, f"/calls/{world.call_id}/consortium", retaken).text)
    lumens = consortia[1][0]
    assert f"konsorcjum nr {lumens} tego naboru ma już lidera 'lumen'" in page
    assert _consortia(engine, world.call_id) == consortia

    # A consortium of another call cannot be changed from this one.
    _confirm(engine, world.other_call_id)
    other = {"consortium": str(world.consortium_id), "lead": "lumen"}
    assert post(client, f"/calls/{world.other_call_id}/consortium", other).status_code == 400

    # Lumen led version 1 and is a partner of 2 and 3; volta joined at version 2.
    client.cookies.clear()
    login(client, world.member_b)
    assert client.get(f"/packs/{packs[1][0]}/download").status_code == 404
    for version in (2, 3):
        assert client.get(f"/packs/{packs[version][0]}/download").status_code == 200
    mine = client.get("/my/packs").text
    assert "Pobierz pakiet, wersja 3" in mine and "Pobierz pakiet, wersja 1<" not in mine
    client.cookies.clear()
    login(client, world.member_a)
    for version in (1, 2, 3):
        assert client.get(f"/packs/{packs[version][0]}/download").status_code == 200


def test_a_member_dropped_from_a_consortium_keeps_the_versions_it_was_in(
    client: TestClient, engine: Engine, world: World
) -> None:
    _confirm(engine, world.call_id)
    login(client, world.coordinator)
    post(
        client,
        f"/calls/{world.call_id}/consortium",
        {"consortium": str(world.consortium_id), "lead": "volta"},
    )
    client.cookies.clear()
    login(client, world.member_a)  # lumen, the lead of version 1 only
    assert client.get(f"/packs/{world.pack_id}/download").status_code == 200
    page = client.get("/my/packs").text
    assert "Download the pack, version 1" in page
    assert "version 2" not in page


def test_a_refused_build_comes_back_with_the_choices_and_the_error_at_its_field(
    client: TestClient, engine: Engine, world: World
) -> None:
    _confirm(engine, world.call_id)
    login(client, world.coordinator)
    path = f"/calls/{world.call_id}/consortium"
    assert post(client, path, {"lead": "volta", "consortium": ""}).status_code == 303
    volta = _consortia(engine, world.call_id)[1][0]
    # Lumen leads the world's consortium still forming: it cannot lead Volta's too.
    response = post(
        client, path, {"lead": "lumen", "partners": "volta", "consortium": str(volta)}
    )
    assert response.status_code == 400
    page = html.unescape(response.text)
    form = page[page.index('id="build-consortium"') :]
    lead_field = form[form.index('<select name="lead"') : form.index("<fieldset")]
    assert '<option value="lumen" selected>' in lead_field
    assert f"konsorcjum nr {world.consortium_id}" in lead_field  # the error, at the lead
    assert f'<option value="{volta}" selected>' in form
    assert '<input type="checkbox" name="partners" value="volta" checked>' in form
    # Nothing was changed.
    assert [c[1] for c in _consortia(engine, world.call_id)] == ["lumen", "volta"]
