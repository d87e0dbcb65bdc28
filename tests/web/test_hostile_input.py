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


HUGE = str(10**25)  # beyond the database's 64-bit integers


def test_ids_too_large_for_the_database_are_no_such_page(
    client: TestClient, world: World
) -> None:
    login(client, world.coordinator)
    for path in (f"/calls/{HUGE}", f"/packs/{HUGE}/download", f"/not-relevant/x/{HUGE}"):
        assert client.get(path).status_code == 404, path
    for path in (
        *(f"/calls/{HUGE}/{action}" for action in ("confirm", "dismiss", "areas")),
        f"/consortia/{HUGE}/pack",
        f"/users/{HUGE}/resend",
        f"/not-relevant/x/{HUGE}",
    ):
        assert post(client, path).status_code == 404, path
    data = {"lead": "lumen", "status": "funded", "active": "false"}
    assert post(client, f"/calls/{HUGE}/consortium", data).status_code == 404
    assert post(client, f"/consortia/{HUGE}/status", data).status_code == 404
    assert post(client, f"/users/{HUGE}/active", data).status_code == 404
    # The consortium to change, named in a form field: a number too large, or a digit
    # that is no decimal digit (str.isdigit admits "²").
    post(client, f"/calls/{world.call_id}/confirm")
    for consortium in (HUGE, "²"):
        response = post(
            client, f"/calls/{world.call_id}/consortium", {**data, "consortium": consortium}
        )
        assert response.status_code == 400, consortium
    login(client, world.member_a)
    assert post(client, f"/my/calls/{HUGE}/not-relevant").status_code == 404


def test_review_desk_ignores_a_window_that_is_no_number(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    for within in ("²", "9" * 5000, "-7", "7.0"):
        response = client.get("/review", params={"within": within})
        assert response.status_code == 200, within[:10]
        assert "Photonic integrated circuits pilot line" in response.text


def test_a_message_about_a_long_input_still_fits_the_session_cookie(
    client: TestClient, world: World
) -> None:
    login(client, world.coordinator)
    response = post(client, "/users/invite", {"email": "x" * 5000, "role": "coordinator"})
    # Browsers drop a cookie over 4096 bytes silently, and the message with it.
    assert len(response.headers["set-cookie"]) < 4096
    page = client.get("/users").text
    assert "x" * 150 in page and "x" * 300 not in page


def test_error_pages_are_in_the_users_language(client: TestClient, world: World) -> None:
    login(client, world.member_a)  # reads English; the app's default is Polish
    assert "No such page." in client.get("/no/such/page").text
    assert "The form expired" in client.post("/my/calendar/renew").text
