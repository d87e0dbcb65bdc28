"""Commands: `callradar match`, `matches list|not-relevant`, `review confirm|dismiss`, `notify`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from callradar import db
from callradar.models import Member
from callradar.settings import get_settings
from matching.feedback import MatchNotFound, mark_not_relevant
from matching.outbox import enqueue_notifications
from matching.review import CallNotFound, confirm_call, dismiss_call, find_call
from matching.sender import Delivery, send_due
from matching.store import flag_calls, list_matches, match_calls

matches_app = typer.Typer(help="Matches of calls and members.", no_args_is_help=True)
review_app = typer.Typer(help="The coordinator's review of flagged calls.", no_args_is_help=True)

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

CallRef = Annotated[
    str, typer.Argument(help="The call: its source's id, SOURCE:ID, or #DATABASE_ID")
]


@contextmanager
def _not_found() -> Iterator[None]:
    try:
        yield
    except (CallNotFound, MatchNotFound) as exc:
        err_console.print(f"[red]{escape(str(exc))}[/]", highlight=False)
        raise typer.Exit(2) from None


def match_command(
    all_calls: Annotated[
        bool, typer.Option("--all", help="Recompute every call, not only new and changed ones.")
    ] = False,
) -> None:
    """(Re)compute matches for new and changed calls, and flag calls for review."""
    db.upgrade()
    with db.session_scope() as session:
        summary = match_calls(session, force=all_calls)
        flags = flag_calls(session)
    console.print(
        f"Matched {summary.calls} call(s) ({summary.skipped} unchanged): "
        f"{summary.created} new, {summary.updated} updated, {summary.removed} removed match(es); "
        f"{flags.flagged} call(s) flagged for review, {flags.unflagged} unflagged."
    )


@matches_app.command("list")
def matches_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    member: Annotated[str | None, typer.Option(help="Only this member's matches")] = None,
    call: Annotated[str | None, typer.Option(help="Only this call's matches")] = None,
) -> None:
    """List matches, best first."""
    db.upgrade()
    with db.session_scope() as session, _not_found():
        call_id = find_call(session, call).id if call else None
        # A mistyped member id listed nothing, as if the member had no matches.
        if member is not None and session.get(Member, member) is None:
            raise MatchNotFound(f"no member with id {member!r}")
        rows = list_matches(session, member_id=member, call_id=call_id)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Matches ({len(rows)})")
    for column in ("score", "member", "call", "reasons"):
        table.add_column(column, overflow="fold")
    for row in rows:
        reasons = "\n".join(str(r) for r in row["reasons"])  # type: ignore[attr-defined]
        if row["feedback"]:
            reasons += f"\n[{row['feedback']}]"
        # Text, not markup: "[not-relevant]" and scraped words in reasons are not style tags.
        table.add_row(
            *map(Text, (f"{row['score']:.2f}", str(row["member_id"]), str(row["call_id"]), reasons))
        )
    console.print(table)


@matches_app.command("not-relevant")
def matches_not_relevant(
    member: Annotated[str, typer.Argument(help="The member's id")],
    call: CallRef,
) -> None:
    """Record a member's word that a call is not relevant to it: it is not sent again."""
    db.upgrade()
    with db.session_scope() as session, _not_found():
        found = find_call(session, call)
        mark_not_relevant(session, member, found.id)
    console.print(f"{call} marked not relevant for {member}.", markup=False)


@review_app.command("confirm")
def review_confirm(
    call: CallRef,
    reason: Annotated[str | None, typer.Option(help="Why, for the record")] = None,
) -> None:
    """Confirm a call: its matched members are told of it."""
    db.upgrade()
    with db.session_scope() as session, _not_found():
        confirm_call(session, find_call(session, call), reason)
    console.print(f"{call} confirmed.", markup=False)


@review_app.command("dismiss")
def review_dismiss(
    call: CallRef,
    reason: Annotated[str | None, typer.Option(help="Why, for the record")] = None,
) -> None:
    """Dismiss a call: it is never sent to members."""
    db.upgrade()
    with db.session_scope() as session, _not_found():
        dismiss_call(session, find_call(session, call), reason)
    console.print(f"{call} dismissed.", markup=False)


def notify_command(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; send and change nothing.")
    ] = False,
) -> None:
    """Queue messages for matched calls (as the notify policy allows) and send what is due."""
    db.upgrade()
    settings = get_settings()
    if not dry_run:
        with db.session_scope() as session:
            queued = enqueue_notifications(session, settings=settings)
        console.print(f"Queued {queued.queued} message item(s).")

    def show(delivery: Delivery) -> None:
        line = f"{delivery.outcome}: {delivery.contact} via {_channel_name(delivery.channel)} — "
        line += f"{delivery.subject}"
        if delivery.error:
            line += f" ({delivery.error})"
        console.print(line, markup=False, highlight=False)

    summary = send_due(settings=settings, dry_run=dry_run, on_delivery=show)
    if dry_run:
        console.print(f"Dry run: {len(summary.deliveries)} message(s) due; nothing was sent.")
        return
    where = "" if settings.smtp_host else f" (e-mails as .eml in {settings.resolved_outbox_dir})"
    console.print(
        f"Sent {summary.sent} message(s){where}; {summary.retry} to retry later, "
        f"{summary.failed} failed for good, {summary.cancelled} no longer due."
    )


def _channel_name(channel: str) -> str:
    return channel if channel == "email" else channel.split("://", 1)[0] + "://…"
