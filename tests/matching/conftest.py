"""Fixtures of the matching tests: a real SMTP server and a real webhook receiver on
loopback, and builders of members, contacts and tagged calls in the test database."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from callradar.calls import CallRecord, upsert_call
from callradar.models import Call, CallTag, Competence, Contact, Member
from callradar.settings import Settings

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the loopback SMTP server accepted."""

    messages: list[EmailMessage] = field(default_factory=list)
    # Set to N: the (N+1)-th message is never accepted (the server stalls), as if the
    # sender were killed while handing it over.
    stall_after: int | None = None
    stalled: threading.Event = field(default_factory=threading.Event)
    # Seconds the server takes to accept each message.
    delay: float = 0.0
    # Set to N: no message is accepted until N senders (connections) are handing one over,
    # so parallel senders surely overlap.
    senders: int = 0
    peers: set[Any] = field(default_factory=set)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        box = self.mailbox
        if box.stall_after is not None and len(box.messages) >= box.stall_after:
            box.stalled.set()
            await asyncio.sleep(3600)
        box.peers.add(session.peer)
        waited = 0.0
        while len(box.peers) < box.senders and waited < 60:
            await asyncio.sleep(0.05)
            waited += 0.05
        if box.delay:
            await asyncio.sleep(box.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        box.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(_Handler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


@dataclass
class Webhook:
    """What the loopback webhook receiver got; answers ``status`` to every request."""

    port: int
    posts: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook(port=0)

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if hook.status == 200:
                hook.posts.append({"path": self.path, **json.loads(body)})
            self.send_response(hook.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()


def settings_for(tmp_path: Any, smtp_port: int | None = None, **values: Any) -> Settings:
    base: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "smtp_host": "127.0.0.1" if smtp_port else None,
        "smtp_port": smtp_port or 587,
        "smtp_starttls": False,
        "mail_from": "callradar <radar@cluster.example>",
        "base_url": "https://radar.example",
        # The loopback webhook receiver, as an operator allows an internal chat server.
        "webhook_allowed_hosts": "127.0.0.1",
    }
    base.update(values)
    return Settings(**base)


def add_member(
    session: Session,
    member_id: str,
    areas: dict[str, int],
    *,
    kind: str = "sme",
    city: str = "Wrocław",
    country: str = "PL",
    keywords: list[str] | None = None,
    contacts: list[dict[str, Any]] | None = None,
) -> Member:
    member = Member(
        id=member_id,
        name=f"{member_id.title()} sp. z o.o.",
        kind=kind,
        city=city,
        country=country,
        keywords=keywords or [],
        roles=["partner"],
    )
    member.competences = [Competence(code=code, level=level) for code, level in areas.items()]
    for position, spec in enumerate(contacts or []):
        member.all_contacts.append(
            Contact(
                position=position,
                name=spec.get("name", f"Contact {position}"),
                email=spec["email"],
                language=spec.get("language", "pl"),
                notify=spec.get("notify", ["email"]),
                digest=spec.get("digest", "immediate"),
                unsubscribe_token=secrets.token_urlsafe(24),
            )
        )
    session.add(member)
    session.flush()
    return member


def add_call(
    session: Session,
    external_id: str,
    tags: dict[str, float],
    *,
    now: datetime = NOW,
    evidence: dict[str, list[str]] | None = None,
    **fields: Any,
) -> Call:
    record = CallRecord(
        id=external_id,
        title=fields.pop("title", f"Call {external_id}"),
        deadlines=fields.pop("deadlines", ["2027-03-31T17:00:00+02:00"]),
        status=fields.pop("status", "open"),
        **fields,
    )
    call = upsert_call(session, record, now=now).call
    for code, score in tags.items():
        session.add(
            CallTag(
                call_id=call.id, code=code, score=score, evidence=(evidence or {}).get(code, [])
            )
        )
    session.flush()
    session.refresh(call)
    return call
