"""Fixtures of the web tests: the app over the test database, and a small cluster in it."""

from __future__ import annotations

import re
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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
    Consortium,
    ConsortiumPartner,
    Contact,
    Match,
    Member,
    ProposalPack,
    ProposalPackMember,
    User,
)
from callradar.settings import Settings, get_settings
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
    member.contacts = [
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


@pytest.fixture
def world(engine: Engine, web_settings: Settings) -> World:
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
        consortium = Consortium(call_id=call.id, lead_id="lumen", status="forming")
        consortium.partners = [ConsortiumPartner(member_id="lumen")]
        session.add(consortium)
        session.flush()
        packs = web_settings.ensure_data_dir() / "packs"
        packs.mkdir()
        pack_path = packs / f"consortium-{consortium.id}-v1.zip"
        with zipfile.ZipFile(pack_path, "w") as archive:
            archive.writestr("proposal.txt", "draft")
        pack = ProposalPack(
            consortium_id=consortium.id,
            version=1,
            path=str(pack_path.relative_to(web_settings.data_dir)),
            sha256="0" * 64,
            template="default",
            members=[ProposalPackMember(member_id="lumen", role="lead")],
        )
        session.add(pack)
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
            consortium_id=consortium.id,
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
