"""Addresses and forms no page of ours makes: a clear error page, never a failure or JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import Call, User
from tests.web.conftest import PASSWORD, World, login, post


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




def test_a_nul_character_is_no_server_error(
    client: TestClient, engine: Engine, world: World
) -> None:
    # PostgreSQL's driver fails on NUL in any query parameter: each of these was a server
    # error there. An address with one names no page; a query with one is a bad request;
    # what was pasted into a form is cleaned, as the profile's text is.
    addresses = ("/calendar/a%00b.ics", "/unsubscribe/a%00b", f"/not-relevant/a%00/{world.call_id}")
    for path in addresses:
        assert client.get(path).status_code == 404, path
    assert client.post("/unsubscribe/a%00b").status_code == 404
    pasted = world.member_a.replace("@", "\x00@")
    assert post(client, "/forgot", {"email": pasted}).status_code == 303
    assert post(client, "/login", {"email": pasted, "password": "wrong"}).status_code == 401
    assert post(client, "/login", {"email": pasted, "password": PASSWORD}).status_code == 303
    login(client, world.coordinator)
    for query in ({"source": "man\x00ual"}, {"programme": "Horizon\x00"}):
        assert client.get("/review", params=query).status_code == 400, query
    dismiss = post(client, f"/calls/{world.call_id}/dismiss", {"reason": "not ours\x00"})
    assert dismiss.status_code == 303
    invite = {"email": "jan@volta.example", "role": "member", "member_id": "volta\x00"}
    assert post(client, "/users/invite", invite).status_code == 303
    with session_scope(engine) as session:
        call = session.get(Call, world.call_id)
        assert call is not None and call.review_reason == "not ours"
        user = session.scalar(select(User).where(User.email == "jan@volta.example"))
        assert user is not None and user.member_id == "volta"
