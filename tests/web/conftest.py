"""Fixtures of the web tests: the app over the test database, and a small cluster in it."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine

from callradar.db import session_scope
from callradar.models import (
    Call,
    CallDeadline,
    CallTag,
    CallVersion,
    Competence,
    Contact,
    Match,
    Member,
    User,
)
from callradar.settings import Settings, get_settings
from proposals import pack as pack_module
from proposals.pack import build_pack
from web import passwords
from web.app import create_app
from web.passwords import hash_password

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Scraped text as hostile as sources get: markup, a script, an attribute breaking out.
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & more'


@pytest.fixture(autouse=True)
def quick_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the smallest cost: the tests log in hundreds of times."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", hasher)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", hasher.hash("no such account"))


@pytest.fixture
def web_settings(settings_env: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings from the environment, as the app reads them: proposals' pack builder
    reads them too, so both must agree on the data folder."""
    monkeypatch.setenv("CALLRADAR_SECRET_KEY", "test-secret-key-of-the-web-tests")
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture
def app(engine: Engine, web_settings: Settings) -> FastAPI:
    return create_app(engine, web_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@dataclass(frozen=True)
class World:
    coordinator: str
    member_a: str
    member_b: str
    call_id: int
    other_call_id: int
    consortium_id: int
    pack_id: int


def _member(member_id: str, name: str, codes: dict[str, int]) -> Member:
    member = Member(
        id=member_id,
        name=name,
        kind="sme",
        city="Wrocław",
        keywords=["silicon nitride"],
        roles=["partner"],
        description=f"{name} does photonics.",
    )
    member.competences = [Competence(code=c, level=lvl) for c, lvl in codes.items()]
    member.all_contacts = [
        Contact(
            name="Anna Nowak",
            email=f"anna@{member_id}.example",
            notify=["email"],
            unsubscribe_token=secrets.token_urlsafe(16),
        )
    ]
    return member


def _call(external_id: str, title: str, description: str, deadline: date) -> Call:
    call = Call(
        source="manual",
        external_id=external_id,
        ref=external_id.upper(),
        title=title,
        description=description,
        url="https://example.org/call",
        programme="Horizon Europe",
        status="open",
        fingerprint="f" * 64,
        flagged=True,
        review_status="pending",
    )
    call.deadlines = [CallDeadline(value=deadline.isoformat(), precision="date", latest=deadline)]
    call.versions = [
        CallVersion(
            version=1,
            fingerprint="e" * 64,
            snapshot={"deadlines": ["2026-01-01"], "status": "forthcoming"},
            changed_fields=[],
        ),
        CallVersion(
            version=2,
            fingerprint="f" * 64,
            snapshot={"deadlines": [deadline.isoformat()], "status": "open"},
            changed_fields=["deadlines", "status"],
        ),
    ]
    call.version = 2
    return call


@pytest.fixture(scope="session")
def world_zip() -> dict[str, bytes]:
    """The world's pack documents, rendered by the first world and reused by the others:
    rendering them (~0.25 s) for each of the ~125 worlds would add half a minute to the suite."""
    return {}


def _render_once(cache: dict[str, bytes]) -> Callable[..., bytes]:
    render = pack_module._zip

    def zip_once(*args: Any) -> bytes:
        if "pack" not in cache:
            cache["pack"] = render(*args)
        return cache["pack"]

    return zip_once


@pytest.fixture
def world(engine: Engine, web_settings: Settings, world_zip: dict[str, bytes]) -> World:
    """A coordinator, two members each with a user, a flagged call matched to member A,
    another call matched to member B, and a consortium led by A with a generated pack."""
    soon = datetime.now(UTC).date() + timedelta(days=20)
    with session_scope(engine) as session:
        session.add_all(
            [
                _member("lumen", "Lumen Photonics", {"integrated-photonics": 3}),
                _member("volta", "Volta Power", {"power-electronics": 3}),
            ]
        )
        session.flush()
        call = _call(
            "HORIZON-CL4-2027-PIC",
            "Photonic integrated circuits pilot line",
            "The call funds photonic integrated circuits and silicon photonics.\n" + HOSTILE,
            soon,
        )
        call.tags = [
            CallTag(
                code="integrated-photonics",
                score=0.91,
                evidence=["photonic integrated circuits", "silicon photonics"],
            )
        ]
        other = _call("FENG-POWER-1", "Power converters for rail", "Wide-bandgap power.", soon)
        session.add_all([call, other])
        session.flush()
        session.add_all(
            [
                Match(
                    call_id=call.id,
                    member_id="lumen",
                    score=0.87,
                    reasons=["integrated photonics (level 3)"],
                ),
                Match(
                    call_id=other.id,
                    member_id="volta",
                    score=0.8,
                    reasons=["power electronics (level 3)"],
                    reasons_pl=["energoelektronika (poziom 3)"],
                ),
            ]
        )
        # Recorded and stored by the builder the app uses, so the world holds what the app
        # makes; every world's pack is the same, so only its rendering is shared.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pack_module, "_zip", _render_once(world_zip))
            pack = build_pack(session, call.external_id, "lumen", source=call.source).pack
        users = [
            User(email="coordinator@cluster.example", role="coordinator"),
            User(email="anna@lumen.example", role="member", member_id="lumen", language="en"),
            User(email="piotr@volta.example", role="member", member_id="volta"),
        ]
        for user in users:
            user.password_hash = hash_password(PASSWORD)
        session.add_all(users)
        session.flush()
        return World(
            coordinator=users[0].email,
            member_a=users[1].email,
            member_b=users[2].email,
            call_id=call.id,
            other_call_id=other.id,
            consortium_id=pack.consortium_id,
            pack_id=pack.id,
        )


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match[1]


def login(client: TestClient, email: str, password: str = PASSWORD) -> Response:
    token = csrf_of(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def post(
    client: TestClient, path: str, data: dict[str, str] | None = None, **kwargs: object
) -> Response:
    """A form post carrying the session's CSRF token, as the app's own pages send it."""
    token = csrf_of(client, "/")
    return client.post(
        path, data={**(data or {}), "csrf_token": token}, follow_redirects=False, **kwargs
    )  # type: ignore[arg-type]
