"""The web app in a real browser: Debian's Chromium driven by Playwright, against uvicorn.

The coordinator logs in, confirms a flagged call, builds a consortium and generates a pack;
a member logs in, sees the match and downloads the pack; another member cannot.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import Contact, Member
from tests.web.conftest import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Set it to a folder to keep the screenshots of the main pages (to look at them).
SCREENSHOTS = os.environ.get("CALLRADAR_SCREENSHOTS")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(app: FastAPI, db_url: str) -> Iterator[str]:
    if not db_url.startswith("sqlite"):
        pytest.skip("the browser flow runs once, on SQLite; every rule runs on both databases")
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def shot(page: object, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def log_in(browser: object, base: str, email: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="pl-PL")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit] >> nth=-1")
    page.wait_for_load_state()
    return page


def test_coordinator_and_members_in_the_browser(
    server: str, browser: object, world: World, tmp_path: Path
) -> None:
    expect = sync_api.expect
    page = log_in(browser, server, world.coordinator)
    expect(page.locator("h1")).to_have_text("Przegląd naborów")
    shot(page, "review")
    page.click("text=Photonic integrated circuits pilot line")
    expect(page.locator("mark.evidence").first).to_be_visible()
    page.click("#confirm")
    expect(page.locator(".flash.ok")).to_contain_text("Nabór potwierdzony")
    form = page.locator("#build-consortium")
    form.locator("select[name=lead]").select_option("lumen")
    for box in form.locator("input[name=partners]").all():
        box.uncheck()
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash.ok")).to_contain_text("Pakiet gotowy (wersja 2)")
    shot(page, "call")
    for path in ("indicators", "members", "sources", "users"):
        page.goto(f"{server}/{path}")
        shot(page, path)

    member = log_in(browser, server, world.member_a)
    expect(member.locator("h1")).to_have_text("My calls")
    expect(member.locator("table.list")).to_contain_text("Photonic integrated circuits pilot line")
    expect(member.locator("table.list")).to_contain_text("integrated photonics (level 3)")
    shot(member, "my_calls")
    member.click("text=My packs")
    with member.expect_download() as download_info:
        member.click("text=Download the pack, version 2")
    saved = tmp_path / "pack.zip"
    download_info.value.save_as(saved)
    assert any(n.endswith(".docx") for n in zipfile.ZipFile(saved).namelist())
    shot(member, "my_packs")
    pack_url = member.locator("a[href^='/packs/']").first.get_attribute("href")
    member.goto(f"{server}/my/profile")
    shot(member, "my_profile")

    other = log_in(browser, server, world.member_b)
    expect(other.locator("h1")).to_have_text("Moje nabory")
    expect(other.locator("main")).not_to_contain_text("Photonic integrated circuits")
    other.goto(f"{server}/my/packs")
    expect(other.locator("main")).not_to_contain_text("Pobierz pakiet")
    response = other.goto(f"{server}{pack_url}")
    assert response is not None and response.status == 404


def test_a_profile_with_an_international_address_can_be_saved(
    server: str, browser: object, engine: Engine, world: World
) -> None:
    # The competence map accepts a contact address with letters beyond ASCII before the @;
    # a type="email" field refuses it, and the browser then would not send the profile.
    with session_scope(engine) as session:
        contact = session.scalar(select(Contact).where(Contact.member_id == "lumen"))
        assert contact
        contact.email = "józef@lumen.example"
    page = log_in(browser, server, world.member_a)
    page.goto(f"{server}/my/profile")
    page.fill("textarea[name=description]", "Lasers for lidar.")
    page.click("form.profile button[type=submit]")
    sync_api.expect(page.locator(".flash.ok")).to_contain_text("Profile saved")
    with session_scope(engine) as session:
        member = session.get(Member, "lumen")
        assert member and member.description == "Lasers for lidar."
        assert [c.email for c in member.contacts] == ["józef@lumen.example"]
