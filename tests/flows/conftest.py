"""Fixtures of the flow tests: one Prefect test harness for the run, the recorded sites on
loopback, and a database holding the sample competence map."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from prefect.settings import PREFECT_API_URL
from prefect.testing.utilities import prefect_test_harness
from sqlalchemy import Engine

from callradar import competence_map_io, db
from callradar.demo import RECORDED_SITES, SAMPLE_MEMBERS
from callradar.members import import_members
from callradar.settings import get_settings
from crawlers.mirror_server import MirrorServer
from tests.conftest import sqlite_copy

# The quicker sources: together they cover an API, a schedule page and call pages.
QUICK = ["ncn", "parp", "eu-portal"]


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite only: the flows add no SQL of their own, and the steps they run are tested on
    PostgreSQL in their packages; running these minutes-long tests twice would not pay."""
    return sqlite_copy(sqlite_template, tmp_path)


@pytest.fixture(scope="session", autouse=True)
def prefect() -> Iterator[str]:
    """One Prefect server for the whole run; its API URL, for flows run in subprocesses."""
    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A copy of the recorded sites that a test may change."""
    root = tmp_path / "site"
    shutil.copytree(RECORDED_SITES, root, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return root


@pytest.fixture
def mirror(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MirrorServer]:
    monkeypatch.setenv("CALLRADAR_MIRROR_TIMEOUT", "2")
    server = MirrorServer(site).start()
    yield server
    server.stop()


@pytest.fixture
def cluster(settings_env: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample members in the test database, messages sent at once; the data folder."""
    monkeypatch.setenv("CALLRADAR_NOTIFY_POLICY", "immediate")
    get_settings.cache_clear()
    with db.session_scope(engine) as session:
        import_members(session, competence_map_io.load(SAMPLE_MEMBERS))
    return settings_env


@dataclass
class Webhook:
    """A chat webhook on loopback: its Apprise URL and the JSON bodies it received."""

    url: str
    bodies: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook(url="")

    class Receive(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            hook.bodies.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            """Quiet: what arrived is in ``bodies``."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receive)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook.url = f"json://127.0.0.1:{server.server_address[1]}/alerts"
    yield hook
    server.shutdown()
    server.server_close()
