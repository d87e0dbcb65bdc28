"""The ``callradar`` command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from callradar import calls as calls_service
from callradar import competence_map_io, db
from callradar import members as members_service
from callradar.calls_file import read_calls_jsonl
from callradar.demo import SAMPLE_CALLS, SAMPLE_MEMBERS, run_demo
from callradar.erasure import (
    Erased,
    ErasureRefused,
    NoRecords,
    forget_outbox_files,
    forget_person,
)
from callradar.errors import InputFileError
from callradar.settings import SettingsError, get_settings
from crawlers.cli import crawl_command
from flows.cli import run_command
from matching.cli import match_command, matches_app, notify_command, review_app
from proposals.cli import register as register_proposal_commands
from tagging.cli import app as tag_app
from web.cli import serve, users_app

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


class CallradarCommands(TyperGroup):
    """The ``callradar`` command: what is wrong with its environment ends any command with
    one line saying what, instead of a traceback from whichever step first met it."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except (SettingsError, db.DatabaseTooNewError) as exc:
            err_console.print(f"callradar: {exc}", markup=False, highlight=False)
            raise SystemExit(2) from None


app = typer.Typer(
    cls=CallradarCommands,
    help="Funding-call radar for a technology cluster.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
members_app = typer.Typer(help="The cluster's competence map.", no_args_is_help=True)
calls_app = typer.Typer(help="Stored calls; calls entered by hand.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(members_app, name="members")
app.add_typer(calls_app, name="calls")
app.command("crawl")(crawl_command)
app.add_typer(tag_app, name="tag")
app.command("match")(match_command)
app.add_typer(matches_app, name="matches")
app.add_typer(review_app, name="review")
app.command("notify")(notify_command)
register_proposal_commands(app)
app.command("serve")(serve)
app.add_typer(users_app, name="users")


@app.callback()
def check_settings() -> None:
    # Read before any command runs, so that every command stops on a bad setting alike.
    get_settings()


TEMPLATE_WORKBOOK = Path(__file__).parent / "data" / "members_template.xlsx"


@contextmanager
def refused_input() -> Iterator[None]:
    """Print a refused file's problems and exit 2; nothing was stored."""
    try:
        yield
    except InputFileError as exc:
        err_console.print(f"[bold red]{escape(str(exc.path))}: refused, nothing was imported[/]")
        for problem in exc.problems:
            err_console.print(f"  {exc.path}: {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None


@contextmanager
def written(file: Path) -> Iterator[None]:
    """A file that cannot be written (a folder, a missing folder, no permission) is the
    user's path to fix: say so and exit 2."""
    try:
        yield
    except OSError as exc:
        why = escape(exc.strerror or str(exc))
        err_console.print(f"[bold red]{escape(str(file))}: cannot write it ({why})[/]")
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database (empty or older) to the current schema."""
    settings = get_settings()
    db.upgrade()
    console.print(
        f"Database at [bold]{settings.resolved_database_url}[/] is at revision "
        f"[bold]{db.current_revision()}[/]."
    )


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision (none when it was never migrated)."""
    console.print(db.current_revision() or "none")


@members_app.command("import")
def members_import(
    file: Annotated[Path, typer.Argument(help="Competence map: .yaml/.yml or .xlsx")],
) -> None:
    """Upsert members by id from a competence map file; all or nothing."""
    db.upgrade()
    with refused_input():
        competence_map = competence_map_io.load(file)
    with db.session_scope() as session:
        summary = members_service.import_members(session, competence_map)
    console.print(
        f"Imported {file}: {len(summary.created)} new, {len(summary.updated)} updated member(s).",
        markup=False,
    )


@members_app.command("list")
def members_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """List the members of the competence map."""
    db.upgrade()
    with db.session_scope() as session:
        members = members_service.load_members(session)
        if as_json:
            typer.echo(
                json.dumps(
                    [members_service.member_summary(m) for m in members],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        table = Table(title=f"Members ({len(members)})")
        for column in ("id", "name", "kind", "city", "competences", "contacts", "mentor"):
            table.add_column(column)
        for m in members:
            competences = "\n".join(
                f"{c.code} ({c.level})"
                for c in sorted(m.competences, key=lambda c: (-c.level, c.code))
            )
            # Text, not markup: a name like "[/] Lab" is the member's, not a style tag.
            table.add_row(
                *map(
                    Text,
                    (
                        m.id,
                        m.name,
                        m.kind,
                        m.city or "",
                        competences,
                        str(len(m.contacts)),
                        "yes" if m.mentor else "",
                    ),
                )
            )
        console.print(table)


@members_app.command("export")
def members_export(
    file: Annotated[Path, typer.Argument(help="Where to write: .yaml/.yml or .xlsx")],
) -> None:
    """Write the stored competence map to a YAML file or an XLSX workbook."""
    if file.suffix.lower() not in {".yaml", ".yml", ".xlsx"}:
        err_console.print(f"[red]{escape(str(file))}: use a .yaml, .yml or .xlsx file name[/]")
        raise typer.Exit(2)
    db.upgrade()
    with db.session_scope() as session:
        members = members_service.load_members(session)
        with written(file):
            competence_map_io.write(members_service.to_competence_map(members), file)
    console.print(f"Wrote {len(members)} member(s) to {file}.", markup=False)


@members_app.command("template")
def members_template(
    file: Annotated[Path, typer.Argument(help="Where to write the empty .xlsx workbook")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists")] = False,
) -> None:
    """Write an empty competence map workbook to fill in."""
    with written(file):
        try:
            # "x": a workbook already filled in at that name is never replaced unasked.
            with file.open("wb" if force else "xb") as out:
                out.write(TEMPLATE_WORKBOOK.read_bytes())
        except FileExistsError:
            err_console.print(
                f"[bold red]{escape(str(file))}: already exists, left as it is "
                "(--force replaces it)[/]"
            )
            raise typer.Exit(2) from None
    console.print(
        f"Wrote the empty workbook {file} (sheets members, areas, contacts, projects).",
        markup=False,
    )


@members_app.command("forget")
def members_forget(
    address: Annotated[str, typer.Argument(help="The person's e-mail address")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before erasing")] = False,
) -> None:
    """Erase a person on request: the contact records left out of the competence map (name,
    address, chat URLs of the outbox), their web account and log-in failures, and the e-mails
    to them in the outbox folder. What was sent stays counted, with no one's data in it."""
    db.upgrade()
    if not yes and not typer.confirm(f"Erase every record of {address}? It cannot be undone"):
        raise typer.Exit(1)
    refusal: NoRecords | None = None
    with db.session_scope() as session:
        try:
            erased = forget_person(session, address)
        except NoRecords as exc:
            # Erased already (before its e-mail files were erased too), or never a contact:
            # the files addressed to them may still be there.
            erased, refusal = Erased(), exc
        except ErasureRefused as exc:
            err_console.print(f"[bold red]Nothing erased: {escape(str(exc))}[/]")
            raise typer.Exit(2) from None
    # Once the records are gone: a refusal or a failed commit leaves the files too.
    files, failed = forget_outbox_files(get_settings().resolved_outbox_dir, address)
    if refusal and not files and not failed:
        err_console.print(f"[bold red]Nothing erased: {escape(str(refusal))}[/]")
        raise typer.Exit(2)
    of = f" (of {', '.join(erased.members)})" if erased.members else ""
    console.print(
        f"Erased {address}: {erased.contacts} contact record(s){of}, {erased.messages} outbox "
        f"row(s), {erased.web_accounts} web account(s), {erased.login_failures} log-in "
        f"failure(s), {len(files)} e-mail file(s) in the outbox folder.",
        markup=False,
    )
    if failed:
        err_console.print(
            "[bold red]Could not delete these e-mails to them (delete them by hand): "
            f"{escape(', '.join(map(str, failed)))}[/]"
        )
        raise typer.Exit(1)


@calls_app.command("import")
def calls_import(
    file: Annotated[Path, typer.Argument(help="JSON Lines: one call a line")],
) -> None:
    """Add or update calls entered by hand; all or nothing."""
    from crawlers.run import source_names

    db.upgrade()
    with refused_input():
        records = read_calls_jsonl(file, crawled=source_names())
    counts = {outcome: 0 for outcome in calls_service.Outcome}
    with db.session_scope() as session:
        for record in records:
            counts[calls_service.upsert_call(session, record).outcome] += 1
    console.print(
        f"Imported {file}: {counts[calls_service.Outcome.NEW]} new, "
        f"{counts[calls_service.Outcome.CHANGED]} changed, "
        f"{counts[calls_service.Outcome.UNCHANGED]} unchanged call(s).",
        markup=False,
    )


@calls_app.command("list")
def calls_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    status: Annotated[
        str | None, typer.Option(help="Only calls of this status: forthcoming, open, closed")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only calls of this source")] = None,
) -> None:
    """List stored calls."""
    if status not in (None, "forthcoming", "open", "closed"):
        err_console.print(f"[red]--status {escape(status)}: use forthcoming, open or closed[/]")
        raise typer.Exit(2)
    db.upgrade()
    with db.session_scope() as session:
        calls = calls_service.list_calls(session, status=status, source=source)  # type: ignore[arg-type]
        zone = ZoneInfo(get_settings().timezone)
        summaries = [calls_service.call_summary(c, zone) for c in calls]
    if as_json:
        typer.echo(json.dumps(summaries, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Calls ({len(summaries)})")
    for column in ("source", "id", "title", "status", "deadlines", "programme"):
        table.add_column(column, overflow="fold")
    for s in summaries:
        # Text, not markup: scraped titles hold brackets ("[two-stage]", even "[/]").
        table.add_row(
            *map(
                Text,
                (
                    s["source"],
                    s["id"],
                    s["title"],
                    s["status"] or "",
                    "\n".join(s["deadlines"]),
                    s["programme"] or "",
                ),
            )
        )
    console.print(table)


@app.command()
def demo(
    members_file: Annotated[Path, typer.Option(help="Competence map to load")] = SAMPLE_MEMBERS,
    calls_file: Annotated[Path, typer.Option(help="Calls entered by hand (JSONL)")] = SAMPLE_CALLS,
) -> None:
    """The main job: the whole pipeline on recorded sources, with the embedded defaults."""
    with refused_input():
        status = run_demo(console, members_file, calls_file)
    raise typer.Exit(status)


app.command("run")(run_command)


@app.command("schedule")
def schedule() -> None:
    """Serve the flows on their schedules until interrupted.

    Starts a local Prefect server first unless PREFECT_API_URL names one.
    """
    from flows.deploy import serve_schedules

    db.upgrade()
    serve_schedules()


@app.command("deploy")
def deploy(
    pool: Annotated[str, typer.Option("--pool", help="The Prefect work pool (a process pool).")],
) -> None:
    """Register the flows' schedules on the Prefect server of PREFECT_API_URL, to be run by
    the workers of a process work pool (see "Running at scale" in the README)."""
    from prefect.settings import PREFECT_API_URL

    from flows.deploy import MissingWorkPool, deploy_to_pool

    if not PREFECT_API_URL.value():
        console.print("[red]PREFECT_API_URL is not set:[/] deployments need a Prefect server.")
        raise typer.Exit(2)
    try:
        ids = deploy_to_pool(pool)
    except MissingWorkPool as exc:
        console.print(f"[red]Not deployed:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    console.print(f"Registered {len(ids)} deployment(s) for work pool {pool!r}.")


# `python -m callradar.cli …` (a cron line, a checkout without the console script) ran
# nothing and exited 0: the daily run it was meant to start silently never happened.
if __name__ == "__main__":
    app()
