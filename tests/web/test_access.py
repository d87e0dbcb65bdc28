"""Roles are checked on every request: who may see and do what."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import CSRF, World, login, post

COORDINATOR_PAGES = ["/review", "/indicators", "/sources", "/members", "/users", "/members/export"]
MEMBER_PAGES = ["/my/calls", "/my/profile", "/my/packs", "/my/calendar"]


def test_anonymous_visitors_are_sent_to_log_in(client: TestClient) -> None:
    for path in ["/", *COORDINATOR_PAGES, *MEMBER_PAGES, "/calls/1"]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path


def test_anonymous_visitors_cannot_download_a_pack(client: TestClient, world: World) -> None:
    response = client.get(f"/packs/{world.pack_id}/download", follow_redirects=False)
    assert response.status_code == 303


def test_a_member_cannot_open_the_coordinators_pages(client: TestClient, world: World) -> None:
    login(client, world.member_a)
    for path in COORDINATOR_PAGES:
        assert client.get(path).status_code == 403, path
    response = post(client, "/users/invite", {"email": "x@y.example", "role": "coordinator"})
    assert response.status_code == 403


def test_the_coordinator_has_no_member_portal(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    for path in MEMBER_PAGES:
        assert client.get(path).status_code == 403, path


def test_a_member_sees_its_own_match_and_not_anothers_call(
    client: TestClient, world: World
) -> None:
    login(client, world.member_a)
    own = client.get(f"/calls/{world.call_id}")
    assert own.status_code == 200
    assert "integrated photonics (level 3)" in own.text
    assert client.get(f"/calls/{world.other_call_id}").status_code == 404
    assert client.get("/calls/999999").status_code == 404
    calls = client.get("/my/calls").text
    assert "Photonic integrated circuits pilot line" in calls
    assert "Power converters for rail" not in calls


def test_a_member_downloads_only_its_own_packs(client: TestClient, world: World) -> None:
    login(client, world.member_a)
    response = client.get(f"/packs/{world.pack_id}/download")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
    assert f"/packs/{world.pack_id}/download" in client.get("/my/packs").text

    client.cookies.clear()
    login(client, world.member_b)
    assert client.get(f"/packs/{world.pack_id}/download").status_code == 404
    assert client.get("/packs/999999/download").status_code == 404
    assert f"/packs/{world.pack_id}/download" not in client.get("/my/packs").text


def test_the_coordinator_downloads_any_pack(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    assert client.get(f"/packs/{world.pack_id}/download").status_code == 200


def test_a_member_sees_only_its_own_reasons_on_a_call(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    assert "Lumen Photonics" in client.get(f"/calls/{world.call_id}").text
    client.cookies.clear()
    login(client, world.member_a)
    # Without the form token: a random token contains "v2" about once in a hundred pages.
    page = CSRF.sub("", client.get(f"/calls/{world.call_id}").text)
    # The review state and the versions are the coordinator's business.
    assert "v2" not in page
    assert "Volta" not in page


def test_reasons_are_shown_in_the_users_language(client: TestClient, world: World) -> None:
    login(client, world.member_b)  # Polish
    page = client.get("/my/calls").text
    assert "energoelektronika (poziom 3)" in page
    assert "power electronics (level 3)" not in page
    client.cookies.clear()
    login(client, world.member_a)  # English; its match has no Polish reasons at all
    assert "integrated photonics (level 3)" in client.get("/my/calls").text
