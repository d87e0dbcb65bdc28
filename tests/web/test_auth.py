"""Log-in, sessions, CSRF, rate limits, invitations and password resets."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import User
from callradar.settings import Settings
from tests.web.conftest import PASSWORD, World, csrf_of, login, post
from web import ratelimit, tokens
from web.app import SESSION_COOKIE, create_app

LINK = re.compile(r"(http://\S+/password\?token=\S+)")


def outbox_links(settings: Settings) -> list[str]:
    links = []
    for path in sorted((settings.data_dir / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        body = message.get_payload(decode=True)
        assert isinstance(body, bytes)
        links += LINK.findall(body.decode())
    return links


def test_log_in_and_out(client: TestClient, world: World) -> None:
    response = login(client, world.coordinator)
    assert response.status_code == 303
    assert response.headers["location"] == "/review"
    assert client.get("/review").status_code == 200
    post(client, "/logout")
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_a_copied_session_cookie_dies_at_log_out(client: TestClient, world: World) -> None:
    login(client, world.member_a)
    thief = TestClient(client.app)
    thief.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    assert thief.get("/my/calls").status_code == 200
    post(client, "/logout")
    assert thief.get("/my/calls", follow_redirects=False).status_code == 303


@pytest.fixture
def on_the_server(app: FastAPI) -> Iterator[TestClient]:
    """The app browsed on its own machine, where links to 127.0.0.1 (CALLRADAR_BASE_URL
    unset) lead to it."""
    with TestClient(
        app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)
    ) as test_client:
        yield test_client


def test_password_reset_requests_are_limited(
    on_the_server: TestClient, web_settings: Settings, world: World
) -> None:
    client = on_the_server
    for _ in range(ratelimit.MAX_PER_ACCOUNT + 3):
        post(client, "/forgot", {"email": world.member_a})
    assert len(outbox_links(web_settings)) == ratelimit.MAX_PER_ACCOUNT


def test_wrong_password_is_refused(client: TestClient, world: World) -> None:
    response = login(client, world.coordinator, "not the password")
    assert response.status_code == 401
    assert "Nieprawidłowy e-mail lub hasło" in response.text
    assert login(client, "nobody@nowhere.example").status_code == 401


def test_passwords_are_stored_as_argon2id(engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        hashes = list(session.scalars(select(User.password_hash)))
    assert hashes and all(h and h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in (h or "") for h in hashes)


def test_the_session_cookie_is_httponly_and_samesite(client: TestClient, world: World) -> None:
    cookie = login(client, world.coordinator).headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()


def test_the_session_cookie_is_secure_when_configured(
    engine: Engine, web_settings: Settings, world: World
) -> None:
    settings = web_settings.model_copy(update={"cookie_secure": True})
    with TestClient(create_app(engine, settings), base_url="https://testserver") as client:
        cookie = login(client, world.coordinator).headers["set-cookie"]
    assert "; secure" in cookie.lower()


def test_a_tampered_session_cookie_is_ignored(client: TestClient, world: World) -> None:
    login(client, world.member_a)
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(
        SESSION_COOKIE, value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    )
    assert client.get("/my/calls", follow_redirects=False).status_code == 303


def test_forms_need_the_csrf_token(client: TestClient, world: World) -> None:
    no_token = client.post(
        "/login", data={"email": world.coordinator, "password": PASSWORD}, follow_redirects=False
    )
    assert no_token.status_code == 403
    login(client, world.coordinator)
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(
            "/users/invite",
            data={"email": "new@x.example", "role": "coordinator", **data},
            follow_redirects=False,
        )
        assert response.status_code == 403
    assert (
        post(client, "/users/invite", {"email": "new@x.example", "role": "coordinator"}).status_code
        == 303
    )


def test_every_form_carries_the_csrf_token(client: TestClient, world: World) -> None:
    login(client, world.coordinator)
    pages = ["/review", f"/calls/{world.call_id}", "/members", "/users"]
    client.cookies.clear()
    login(client, world.member_a)
    pages_member = ["/my/calls", "/my/profile", "/my/calendar"]
    for who, paths in ((world.member_a, pages_member), (world.coordinator, pages)):
        client.cookies.clear()
        login(client, who)
        for path in paths:
            html = client.get(path).text
            for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S):
                assert 'name="csrf_token"' in form, (path, form[:200])


def test_log_in_refuses_to_redirect_elsewhere(client: TestClient, world: World) -> None:
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example"):
        token = csrf_of(client)
        response = client.post(
            "/login",
            data={
                "email": world.coordinator,
                "password": PASSWORD,
                "next": target,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/review"
        client.cookies.clear()


def test_failed_log_ins_are_limited_per_account(client: TestClient, world: World) -> None:
    for _ in range(ratelimit.MAX_PER_ACCOUNT):
        assert login(client, world.coordinator, "wrong password").status_code == 401
    blocked = login(client, world.coordinator)
    assert blocked.status_code == 429
    # Another account from the same address is not blocked by this one's failures.
    assert login(client, world.member_a).status_code == 303


def test_failed_log_ins_are_limited_per_address(client: TestClient, world: World) -> None:
    for i in range(ratelimit.MAX_PER_IP):
        login(client, f"guess{i}@nowhere.example", "wrong password")
    assert login(client, world.member_b).status_code == 429


def test_an_inactive_user_cannot_log_in_and_loses_its_session(
    client: TestClient, engine: Engine, world: World
) -> None:
    login(client, world.member_b)
    assert client.get("/my/calls").status_code == 200
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == world.member_b))
        assert user
        user.active = False
    assert client.get("/my/calls", follow_redirects=False).status_code == 303
    assert login(client, world.member_b).status_code == 401



def test_a_reactivated_user_logs_in_again(
    client: TestClient, engine: Engine, world: World
) -> None:
    member = TestClient(client.app)
    login(member, world.member_b)
    assert member.get("/my/calls").status_code == 200
    login(client, world.coordinator)
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == world.member_b))
        assert user
        user_id = user.id
    for active in ("false", "true"):
        post(client, f"/users/{user_id}/active", {"active": active})
    # A session opened before the account was turned off (on a laptop since lost, by
    # someone who left) came back to life with the account.
    assert member.get("/my/calls", follow_redirects=False).status_code == 303
    assert login(member, world.member_b).status_code == 303

def test_invitation_link_sets_the_password_once(
    client: TestClient, web_settings: Settings, world: World
) -> None:
    login(client, world.coordinator)
    response = post(
        client,
        "/users/invite",
        {"email": "Ewa@Volta.example", "role": "member", "member_id": "volta", "language": "en"},
    )
    assert response.status_code == 303
    assert "ewa@volta.example" in client.get("/users").text
    [link] = outbox_links(web_settings)
    client.cookies.clear()
    path = link.split("testserver", 1)[1]
    assert "Welcome to callradar" in client.get(path).text
    token = path.split("token=", 1)[1]
    short = post(client, "/password", {"token": token, "password": "short", "confirm": "short"})
    assert short.status_code == 400
    new = "a brand new password"
    done = post(client, "/password", {"token": token, "password": new, "confirm": new})
    assert done.status_code == 303
    assert login(client, "ewa@volta.example", new).headers["location"] == "/my/calls"
    client.cookies.clear()
    again = post(client, "/password", {"token": token, "password": new + "!", "confirm": new + "!"})
    assert again.status_code == 400
    assert client.get(path).status_code == 400


def test_a_deactivated_users_invitation_link_no_longer_works(
    client: TestClient, engine: Engine, web_settings: Settings, world: World
) -> None:
    login(client, world.coordinator)
    invitation = {"email": "ewa@volta.example", "role": "member", "member_id": "volta"}
    post(client, "/users/invite", invitation)
    [link] = outbox_links(web_settings)
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == "ewa@volta.example"))
        assert user
        user.active = False
    client.cookies.clear()
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 400
    new = "a brand new password"
    token = path.split("token=", 1)[1]
    answer = post(client, "/password", {"token": token, "password": new, "confirm": new})
    assert answer.status_code == 400
    assert login(client, "ewa@volta.example", new).status_code == 401


def test_password_reset_by_e_mail(
    on_the_server: TestClient, web_settings: Settings, world: World
) -> None:
    client = on_the_server
    old_session = TestClient(client.app)
    login(old_session, world.member_a)
    assert old_session.get("/my/calls").status_code == 200

    unknown = post(client, "/forgot", {"email": "nobody@nowhere.example"})
    known = post(client, "/forgot", {"email": world.member_a})
    assert unknown.headers["location"] == known.headers["location"] == "/login"
    [link] = outbox_links(web_settings)
    token = link.split("token=", 1)[1]
    new = "another good password"
    assert (
        post(client, "/password", {"token": token, "password": new, "confirm": new}).status_code
        == 303
    )
    assert login(client, world.member_a, new).status_code == 303
    assert login(TestClient(client.app), world.member_a, PASSWORD).status_code == 401
    # The new password ends every session opened with the old one.
    assert old_session.get("/my/calls", follow_redirects=False).status_code == 303



@pytest.mark.parametrize("base_url", [None, "http://radar.example"])
def test_a_reset_link_never_points_where_the_request_said(
    base_url: str | None, engine: Engine, web_settings: Settings, world: World
) -> None:
    # Anyone may send the reset form, and with any Host header: a link built on it sent the
    # member's token to the sender's server.
    settings = web_settings.model_copy(update={"base_url": base_url})
    with TestClient(
        create_app(engine, settings), base_url="http://127.0.0.1:8000", client=("127.0.0.1", 1)
    ) as client:
        token = csrf_of(client)
        client.post(
            "/forgot",
            data={"email": world.member_a, "csrf_token": token},
            headers={"host": "attacker.example"},
        )
    links = outbox_links(web_settings)
    # Without a public address the link could only lead to 127.0.0.1: none is sent to a
    # request that came by another address.
    assert [link.split("/password")[0] for link in links] == ([base_url] if base_url else [])


def test_without_a_public_address_a_reset_link_is_not_mailed_and_the_page_says_why(
    client: TestClient, web_settings: Settings, world: World
) -> None:
    # Reached by its public name, the app would mail a link to 127.0.0.1:8000, this server's
    # own loopback, which leads nowhere from the member's computer.
    assert web_settings.base_url is None
    assert "CALLRADAR_BASE_URL" in client.get("/forgot").text
    answer = post(client, "/forgot", {"email": world.member_a})
    assert outbox_links(web_settings) == []
    assert "CALLRADAR_BASE_URL" in client.get(answer.headers["location"]).text

    # Behind a reverse proxy passing its upstream's address (nginx's default Host) and the
    # visitor's in X-Forwarded-For, which uvicorn takes for the client's.
    with TestClient(
        client.app, base_url="http://127.0.0.1:8000", client=("203.0.113.9", 50000)
    ) as proxied:
        post(proxied, "/forgot", {"email": world.member_a})
    assert outbox_links(web_settings) == []

def test_switching_language_keeps_the_address_with_its_query(
    client: TestClient, engine: Engine, web_settings: Settings, world: World
) -> None:
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == world.member_b))  # reads Polish
        assert user
        token = tokens.LinkTokens(web_settings.resolved_secret_key()).make(
            user, tokens.Purpose.INVITE
        )
    page = client.get(f"/password?token={token}").text
    assert '<html lang="pl">' in page
    found = re.search(r'name="next" value="([^"]+)"', page)
    assert found and found[1] == f"/password?token={token}"
    switched = client.post(
        "/language",
        data={"lang": "en", "next": found[1], "csrf_token": csrf_of(client, found[1])},
    )
    # Still the password page of the link (not "the link is invalid"), now in English.
    assert switched.status_code == 200
    assert '<html lang="en">' in switched.text and 'name="token"' in switched.text


def test_expired_and_foreign_tokens_are_refused(
    client: TestClient,
    engine: Engine,
    web_settings: Settings,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == world.member_a))
        assert user
        signer = tokens.LinkTokens(web_settings.resolved_secret_key())
        reset = signer.make(user, tokens.Purpose.RESET)
        forged = tokens.LinkTokens("another key").make(user, tokens.Purpose.RESET)
    assert client.get(f"/password?token={reset}").status_code == 200
    assert client.get(f"/password?token={forged}").status_code == 400
    assert client.get(f"/password?token={reset[:-3]}xyz").status_code == 400
    monkeypatch.setitem(tokens.LIFETIME, tokens.Purpose.RESET, timedelta(seconds=-1))
    assert client.get(f"/password?token={reset}").status_code == 400


def test_pages_send_security_headers(client: TestClient) -> None:
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"



def test_private_pages_and_downloads_are_not_kept_in_caches(
    client: TestClient, world: World
) -> None:
    login(client, world.member_a)
    feed = re.search(r"/calendar/[^\"]+\.ics", client.get("/my/calendar").text)
    assert feed
    # Without it a browser showed them from its cache after log-out (Back), and a shared
    # cache could keep a pack, which carries a Last-Modified date, for the next user.
    for path in ("/my/calls", "/my/profile", f"/packs/{world.pack_id}/download", feed[0]):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("cache-control") == "no-store", path
    post(client, "/logout")
    assert client.get("/login").headers.get("cache-control") == "no-store"
    # The app's own style sheet may be kept.
    assert "no-store" not in client.get("/static/style.css").headers.get("cache-control", "")

def test_the_secret_key_is_generated_once_into_the_data_folder(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    key = settings.resolved_secret_key()
    assert len(key) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert Settings(_env_file=None, data_dir=tmp_path).resolved_secret_key() == key  # type: ignore[call-arg]
    assert Settings(_env_file=None, data_dir=tmp_path / "other").resolved_secret_key() != key  # type: ignore[call-arg]


def test_no_password_link_is_mailed_to_a_deactivated_user(
    client: TestClient, engine: Engine, web_settings: Settings, world: World
) -> None:
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == world.member_b))
        assert user
        user.active = False
        user_id = user.id
    login(client, world.coordinator)
    assert f'action="/users/{user_id}/resend"' not in client.get("/users").text
    # A link that says "invalid" when followed: the account must be turned on first.
    post(client, f"/users/{user_id}/resend")
    assert outbox_links(web_settings) == []
    assert "wyłączone" in client.get("/users").text
