"""``callradar run``: the daily flow once, now."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from crawlers.cli import mirror_option
from flows.report import DailyReport

console = Console(soft_wrap=True)


def run_command(
    mirror: Annotated[
        str | None,
        typer.Option(
            "--mirror", help="Crawl recorded sites served at this URL.", callback=mirror_option
        ),
    ] = None,
    sources: Annotated[
        list[str] | None, typer.Option("--source", help="Crawl only this source (repeatable).")
    ] = None,
) -> None:
    """Run the daily flow once, now, and print its summary.

    Exits 1 when a source or a step failed (after all other work is done), 3 when another run of the
    daily flow was going on.
    """
    # Prefect, Scrapy and spaCy are imported here: together they take seconds.
    from callradar.db import upgrade
    from crawlers.run import UnknownSourceError, checked_sources
    from flows.daily import run_daily

    # As `callradar crawl` does: a misspelt source is a usage error, not a source that crashed
    # while the rest of the run went on.
    try:
        checked_sources(sources)
    except UnknownSourceError as exc:
        console.print(f"[bold red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from None
    upgrade()
    report = run_daily(mirror=mirror, sources=sources or None)
    print_report(report)
    if report.skipped:
        raise typer.Exit(3)
    if report.failed_sources or report.failed_steps:
        raise typer.Exit(1)


def print_report(report: DailyReport) -> None:
    if report.skipped:
        console.print(f"[yellow]Not run:[/] {report.skipped}")
        return
    table = Table(title="Sources")
    for column in ("source", "status", "seen", "new", "changed", "unchanged", "errors"):
        table.add_column(column, justify="right" if column not in ("source", "status") else "left")
    for s in report.sources:
        status = "ok" if s.ok else "[red]failed[/]"
        table.add_row(
            s.source, status, *(str(n) for n in (s.seen, s.new, s.changed, s.unchanged, s.errors))
        )
    for source, why in report.crashed.items():
        table.add_row(source, "[red]crashed[/]", "", "", "", "", "")
        console.print(f"[red]{escape(source)}:[/] {escape(why)}")
    console.print(table)
    for s in report.sources:
        if s.message and not s.ok:
            console.print(f"[red]{s.source}:[/] ", end="")
            console.print(s.message, markup=False, highlight=False)
    for step, why in report.failed_steps.items():
        console.print(f"[red]step {escape(step)} failed:[/] {escape(why)}")
    console.print(
        f"Tagged {report.tagged} call(s); matched {report.matched}; flagged {report.flagged} "
        f"for review; queued {report.queued} message(s), sent {report.sent}, "
        f"to retry {report.retry}, failed {report.failed}."
    )
