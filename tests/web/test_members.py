"""The competence map pages and a member's own profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from callradar import competence_map_io
from callradar.db import session_scope
from callradar.members import load_members
from callradar.models import Contact, Member, User
from callradar.settings import Settings
from tests.web.conftest import World, csrf_of, login, post
from web import accounts


def test_search_by_area_and_keyword(client: TestClient, world: World) -> None:
    login(client, world.coordinator)

    def names(query: str) -> list[str]:
        return re.findall(r"<strong>([^<]+)</strong>", client.get(f"/members?{query}").text)

    assert names("") == ["Lumen Photonics", "Volta Power"]
    assert names("area=photonics") == ["Lumen Photonics"]
    assert names("area=power-electronics") == ["Volta Power"]
    assert names("q=volta") == ["Volta Power"]
    assert names("q=silicon+nitride") == ["Lumen Photonics", "Volta Power"]
    # Both are in Wrocław: found with or without its Polish letter.
    assert names("q=Wrocław") == names("q=wroclaw") == ["Lumen Photonics", "Volta Power"]


def test_export_and_import_round_trip(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.coordinator)
    exported = client.get("/members/export?format=yaml")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    xlsx = client.get("/members/export?format=xlsx")
    assert xlsx.content.startswith(b"PK")
    changed = exported.text.replace("name: Volta Power", "name: Volta Power S.A.")
    response = client.post(
        "/members/import",
        data={"csrf_token": csrf_of(client, "/members")},
        files={"file": ("map.yaml", changed.encode(), "application/yaml")},
        follow_redirects=True,
    )
    assert "nowych 0, zaktualizowanych 2" in response.text
    assert "Volta Power S.A." in response.text


def test_a_bad_file_is_refused_whole(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.coordinator)
    bad = (
        "members:\n  - id: volta\n    name: Renamed\n    kind: sme\n"
        "    areas: {power-electornics: 3}\n"
    )
    response = client.post(
        "/members/import",
        data={"csrf_token": csrf_of(client, "/members")},
        files={"file": ("map.yaml", bad.encode(), "application/yaml")},
    )
    assert response.status_code == 400
    assert "map.yaml: line 5" in response.text
    assert "power-electornics" in response.text
    with session_scope(engine) as session:
        assert session.get(Member, "volta").name == "Volta Power"  # type: ignore[union-attr]
    wrong_type = client.post(
        "/members/import",
        data={"csrf_token": csrf_of(client, "/members")},
        files={"file": ("map.exe", b"MZ", "application/octet-stream")},
        follow_redirects=True,
    )
    assert "map.exe" in wrong_type.text


def test_export_is_readable_by_the_importer(
    client: TestClient, world: World, tmp_path: Path
) -> None:
    login(client, world.coordinator)
    path = tmp_path / "map.xlsx"
    path.write_bytes(client.get("/members/export?format=xlsx").content)
    assert [m.id for m in competence_map_io.load(path).members] == ["lumen", "volta"]


def _profile_form(client: TestClient) -> dict[str, str]:
    return _profile_form_of(client.get("/my/profile").text)


def _profile_form_of(html: str) -> dict[str, str]:
    """What a browser would send from the profile page as it is shown."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        named = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        # An unticked box is not sent, as a browser would not send it.
        if named and value and 'type="checkbox"' not in tag:
            fields[named[1]] = value[1]
    for name, body in re.findall(r'<select name="([^"]+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)<', body)
        fields[name] = (chosen[1] if chosen[1] is not None else chosen[2]) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        fields[name] = body
    return fields


def test_a_member_edits_its_own_profile(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    assert form["area-integrated-photonics"] == "3"
    form.update(
        {
            "area-sensors-mems": "2",
            "area-integrated-photonics": "0",
            "keywords": "lidar\nsilicon nitride",
            "trl_min": "3",
            "trl_max": "6",
            "contact-0-digest": "weekly",
            "contact-1-name": "Jan Kowalski",
            "contact-1-email": "jan@lumen.example",
            "contact-1-notify": "email",
        }
    )
    response = client.post("/my/profile", data=form, follow_redirects=False)
    assert response.status_code == 303
    with session_scope(engine) as session:
        [member] = load_members(session, ["lumen"])
        assert {c.code: c.level for c in member.competences} == {"sensors-mems": 2}
        assert member.keywords == ["lidar", "silicon nitride"]
        assert (member.trl_min, member.trl_max) == (3, 6)
        assert [(c.email, c.digest) for c in member.contacts] == [
            ("anna@lumen.example", "weekly"),
            ("jan@lumen.example", "daily"),
        ]
        # The other member is untouched.
        [other] = load_members(session, ["volta"])
        assert {c.code for c in other.competences} == {"power-electronics"}


def test_a_bad_profile_is_refused_with_reasons(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    form.update({"contact-0-email": "not-an-address", "trl_min": "7", "trl_max": "2"})
    response = client.post("/my/profile", data=form)
    assert response.status_code == 400
    assert "contacts[0].email" in response.text
    assert "runs backwards" in response.text
    with session_scope(engine) as session:
        emails = list(session.scalars(select(Contact.email).where(Contact.member_id == "lumen")))
    assert emails == ["anna@lumen.example"]


def test_a_webhook_to_the_servers_own_network_is_refused(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    form["contact-0-notify"] = "email jsons://169.254.169.254/latest/meta-data"
    response = client.post("/my/profile", data=form)
    assert response.status_code == 400
    assert "contacts[0].notify" in response.text and "link-local" in response.text
    with session_scope(engine) as session:
        channels = list(session.scalars(select(Contact.notify).where(Contact.member_id == "lumen")))
    assert channels == [["email"]]


def test_a_readiness_range_that_is_no_range_is_refused(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    # "²" passes str.isdigit but not int(); half a range used to be dropped silently.
    for low, high in (("²", "5"), ("3", "")):
        form.update({"description": "Changed", "trl_min": low, "trl_max": high})
        response = client.post("/my/profile", data=form)
        assert response.status_code == 400, (low, high)
        assert "trl[" in response.text
    with session_scope(engine) as session:
        member = session.get(Member, "lumen")
        assert member and member.description == "Lumen Photonics does photonics."


def test_control_characters_typed_into_a_profile_do_not_break_the_export(
    client: TestClient, engine: Engine, world: World, tmp_path: Path
) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    # As pasted from a PDF or a terminal: a vertical tab, a bell, an escape sequence.
    form.update({"description": "Lasers\x0b and\x07 \x1b[31mLiDAR", "keywords": "lidar\x00"})
    assert client.post("/my/profile", data=form, follow_redirects=False).status_code == 303
    with session_scope(engine) as session:
        member = session.get(Member, "lumen")
        assert member
        assert (member.description, member.keywords) == ("Lasers and [31mLiDAR", ["lidar"])
    login(client, world.coordinator)
    response = client.get("/members/export?format=xlsx")
    assert response.status_code == 200
    path = tmp_path / "map.xlsx"
    path.write_bytes(response.content)
    [lumen] = [m for m in competence_map_io.load(path).members if m.id == "lumen"]
    assert lumen.description == "Lasers and [31mLiDAR"


def test_a_profile_post_missing_the_pages_fields_changes_nothing(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    without_contacts = {k: v for k, v in form.items() if not k.startswith("contact-")}
    for data in ({}, without_contacts):
        assert post(client, "/my/profile", data).status_code == 400
    with session_scope(engine) as session:
        [member] = load_members(session, ["lumen"])
        assert [c.email for c in member.contacts] == ["anna@lumen.example"]
        assert {c.code for c in member.competences} == {"integrated-photonics"}
        assert member.description == "Lumen Photonics does photonics."


def test_text_wider_than_its_database_column_is_refused_naming_the_field(
    client: TestClient, engine: Engine, world: World
) -> None:
    # PostgreSQL refuses a contact name over its column's 200 characters (SQLite stores it):
    # the member must hear which field, not get a failure.
    login(client, world.member_a)
    form = _profile_form(client)
    form["contact-0-name"] = "Anna " + "N" * 200
    response = client.post("/my/profile", data=form)
    assert response.status_code == 400
    assert "contacts[0].name" in response.text and "at most 200 characters" in response.text
    with session_scope(engine) as session:
        assert session.scalars(select(Contact.name)).all() == ["Anna Nowak", "Anna Nowak"]


def test_removing_a_contact(client: TestClient, engine: Engine, world: World) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    form["contact-0-remove"] = "1"
    assert client.post("/my/profile", data=form, follow_redirects=False).status_code == 303
    with session_scope(engine) as session:
        # Off the member's list, kept aside with its notification history.
        assert session.get_one(Member, "lumen").contacts == []
        [kept] = session.scalars(select(Contact).where(Contact.member_id == "lumen"))
        assert kept.removed


def test_coordinator_invites_need_a_known_member(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    page = post(
        client, "/users/invite", {"email": "x@y.example", "role": "member", "member_id": "nope"}
    )
    assert page.status_code == 303
    assert "Nie ma członka nope" in client.get("/users").text
    dup = post(
        client,
        "/users/invite",
        {"email": world.member_a.upper(), "role": "member", "member_id": "lumen"},
    )
    assert dup.status_code == 303
    assert "już istnieje" in client.get("/users").text


def test_a_refused_profile_keeps_what_was_chosen(client: TestClient, world: World) -> None:
    login(client, world.member_a)
    form = _profile_form(client)
    form.update({"trl_min": "3", "trl_max": "6", "contact-0-email": "not-an-address"})
    response = client.post("/my/profile", data=form)
    assert response.status_code == 400
    # Shown unchosen, the range was lost: saving the corrected form erased it.
    again = _profile_form_of(response.text)
    assert (again["trl_min"], again["trl_max"]) == ("3", "6")
    assert again["contact-0-email"] == "not-an-address"


def test_an_invitation_sent_twice_at_once_is_made_once(
    client: TestClient, engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, world.coordinator)
    invite = {"email": "jan@volta.example", "role": "member", "member_id": "volta"}
    assert post(client, "/users/invite", invite).status_code == 303
    # A double click: the second request looked before the first one's user was stored,
    # and its insert then failed on the unique address (a server error).
    looked: list[str] = []
    find_user = accounts.find_user

    def late_look(session: Session, email: str) -> User | None:
        looked.append(email)
        return None if len(looked) == 1 else find_user(session, email)

    monkeypatch.setattr(accounts, "find_user", late_look)
    again = post(client, "/users/invite", invite)
    assert again.status_code == 303
    assert "już istnieje" in client.get("/users").text
    with session_scope(engine) as session:
        emails = list(session.scalars(select(User.email).where(User.email == invite["email"])))
    assert emails == [invite["email"]]


def test_an_invitation_is_not_mailed_with_a_link_to_the_servers_own_loopback(
    app: FastAPI, web_settings: Settings, world: World
) -> None:
    """CALLRADAR_BASE_URL unset, behind a reverse proxy passing its upstream's address as
    Host (nginx's default): the link would point to 127.0.0.1, this server itself."""
    with TestClient(
        app, base_url="http://127.0.0.1:8000", client=("203.0.113.9", 50000)
    ) as proxied:
        login(proxied, world.coordinator)
        invitation = {"email": "ewa@volta.example", "role": "member", "member_id": "volta"}
        post(proxied, "/users/invite", invitation)
        page = proxied.get("/users").text
    assert "CALLRADAR_BASE_URL" in page and "ewa@volta.example" in page
    assert list((web_settings.data_dir / "outbox").glob("*.eml")) == []
