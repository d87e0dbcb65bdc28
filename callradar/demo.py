"""The demo: the whole pipeline on recorded sources, with the embedded defaults.

Recorded sites from the repository are served on loopback and crawled in mirror mode; the
sample competence map is loaded; the daily flow crawls, tags, matches, flags and notifies;
messages land in the outbox folder as .eml files. Nothing reaches the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from callradar import competence_map_io, db
from callradar import members as members_service
from callradar.calls import Outcome, upsert_calls
from callradar.calls_file import read_calls_jsonl
from callradar.settings import get_settings

DATA = Path(__file__).parent / "data"
SAMPLE_MEMBERS = DATA / "sample_members.yaml"
SAMPLE_CALLS = DATA / "sample_calls.jsonl"
RECORDED_SITES = Path(__file__).parent.parent / "tests" / "fixtures"
DEMO_COORDINATOR = "coordinator@cluster.example"
DEMO_MEMBER = ("anna.nowak@lumen.example", "lumen-photonics")


@dataclass(frozen=True, slots=True)
class DemoLinks:
    coordinator: str | None
    member: str | None


def run_demo(console: Console, members_file: Path = SAMPLE_MEMBERS,
             calls_file: Path = SAMPLE_CALLS, sites: Path = RECORDED_SITES) -> int:
    """Run the demo and print what happened; returns the exit status (1: a source failed)."""
    # The demo shows messages going out; with the default policy they wait for review.
    os.environ.setdefault("CALLRADAR_NOTIFY_POLICY", "immediate")
    get_settings.cache_clear()
    settings = get_settings()
    with console.status("Migrating the database…"):
        db.upgrade()
    console.print(f"Database: [bold]{settings.resolved_database_url}[/]")

    from crawlers.run import source_names

    competence_map = competence_map_io.load(members_file)
    manual = read_calls_jsonl(calls_file, crawled=source_names())
    with db.session_scope() as session:
        imported = members_service.import_members(session, competence_map)
        results = upsert_calls(session, manual)
    new_manual = sum(r.outcome is Outcome.NEW for r in results)
    console.print(
        f"Competence map {members_file.name}: {len(imported.created)} new, "
        f"{len(imported.updated)} updated member(s). Calls entered by hand: "
        f"{len(manual)} ({new_manual} new)."
    )

    # Prefect, Scrapy and spaCy load here, not when the command line starts.
    from crawlers.mirror_server import MirrorServer
    from flows.cli import print_report
    from flows.daily import run_daily

    server = MirrorServer(sites).start()
    try:
        console.print(f"Recorded sites from {sites} served at {server.url} (mirror mode).")
        with console.status(
            "Running the daily flow: crawling 5 sources, tagging, matching, notifying… "
            "(the first run starts Prefect's local server, about 15 s)"
        ):
            report = run_daily(mirror=server.url)
    finally:
        server.stop()
    print_report(report)

    links = _demo_users()
    outbox = settings.resolved_outbox_dir
    messages = sorted(outbox.glob("*.eml")) if outbox.is_dir() else []
    console.print()
    console.print(f"[bold]Messages:[/] {len(messages)} e-mail file(s) in {outbox} "
                  "(open one in a mail program, or read it as text).")
    console.print("[bold]Web app:[/] callradar serve, then open http://127.0.0.1:8000")
    if links.coordinator:
        console.print(f"  the coordinator sets a password at: {links.coordinator}")
    if links.member:
        console.print(f"  a member (Lumen Photonics) sets a password at: {links.member}")
    console.print("[bold]Prefect:[/] the run's summary is an artifact in "
                  f"{os.environ.get('PREFECT_HOME')}; schedules: callradar schedule")
    return 1 if report.failed_sources or report.failed_steps else 0


def _demo_users() -> DemoLinks:
    """A coordinator and one member's user for the web app, each with an invitation link
    (made once: a later demo run leaves existing users as they are)."""
    from web.accounts import Purpose, create_user, find_user, send_link

    settings = get_settings()
    links: list[str | None] = []
    base = settings.link_base_url
    for email, role, member in (
        (DEMO_COORDINATOR, "coordinator", None),
        (DEMO_MEMBER[0], "member", DEMO_MEMBER[1]),
    ):
        with db.session_scope() as session:
            if find_user(session, email) is not None:
                links.append(None)
                continue
            user = create_user(session, email, role, member, "pl")
            session.flush()
            link, _ = send_link(settings, user, Purpose.INVITE, base)
            links.append(link)
    return DemoLinks(*links)
