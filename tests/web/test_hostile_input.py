"""Addresses and forms no page of ours makes: a clear error page, never a failure or JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import World, login, post


def test_malformed_ids_and_missing_fields_get_an_error_page(
    client: TestClient, world: World
) -> None:
    login(client, world.coordinator)
    response = client.get("/calls/not-a-number")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "No such page" in response.text or "Nie ma takiej strony" in response.text
    # The invitation form without its e-mail and role fields.
    response = post(client, "/users/invite", {})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    response = post(client, f"/consortia/{world.consortium_id}/status", {})
    assert response.status_code == 400
    login(client, world.member_a)
    response = post(client, "/my/calls/x/not-relevant")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
