"""``callradar users``: the first coordinator is made from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from callradar import db
from callradar.cli import app
from callradar.models import User
from callradar.settings import get_settings
from tests.conftest import CliRun
from tests.loopback import free_port
from web.passwords import verify_password


def test_users_add_sends_an_invitation(cli: CliRun, settings_env: Path) -> None:
    result = cli("users", "add", "Boss@Cluster.example", "--role", "coordinator")
    assert result.exit_code == 0, result.output
    assert "/password?token=" in result.output
    # The link points to this machine's loopback: the operator is told it works only here.
    assert "CALLRADAR_BASE_URL is unset" in result.output
    [mail] = (settings_env / "outbox").glob("*.eml")
    assert "boss@cluster.example" in mail.read_text()
    listing = cli("users", "list")
    assert listing.output.split()[:2] == ["boss@cluster.example", "coordinator"]
    assert "invited" in listing.output


def test_users_add_with_a_public_address_says_nothing_of_it(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLRADAR_BASE_URL", "https://radar.cluster.example")
    get_settings.cache_clear()
    result = cli("users", "add", "boss@cluster.example", "--role", "coordinator")
    assert "https://radar.cluster.example/password?token=" in result.output
    assert "CALLRADAR_BASE_URL" not in result.output


def test_users_add_with_a_password(cli: CliRun, settings_env: Path) -> None:
    args = ["users", "add", "boss@cluster.example", "--role", "coordinator", "--password"]
    result = CliRunner().invoke(app, args, input="long enough pw\nlong enough pw\n")
    assert result.exit_code == 0, result.output
    with db.session_scope() as session:
        user = session.scalar(select(User))
        assert user and verify_password(user.password_hash, "long enough pw")


def test_users_add_refuses_bad_input(cli: CliRun) -> None:
    assert cli("users", "add", "not-an-email").exit_code == 2
    result = cli("users", "add", "a@b.example", "--role", "member", "--member", "nope")
    assert result.exit_code == 2
    assert "There is no member nope" in result.output
    # The address is printed as typed, not read as Rich markup (which crashed on "[/]").
    result = cli("users", "add", "[/]@x.pl")
    assert result.exit_code == 2 and "[/]@x.pl" in result.output


def test_serve_answers_on_its_port(settings_env: Path, tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "callradar"), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=dict(os.environ),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as page:
                    assert page.status == 200
                    assert "csrf_token" in page.read().decode()
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "callradar serve never answered"
                time.sleep(0.3)
        # Pages need a log-in: the review desk sends a stranger to the log-in page.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/review")
        try:
            with urllib.request.urlopen(request, timeout=5) as page:
                assert page.url.endswith("/login") or "/login" in page.url
        except urllib.error.HTTPError as refused:
            assert refused.code in (401, 403)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout:
            server.stdout.close()
