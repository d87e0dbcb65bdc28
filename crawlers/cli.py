"""``callradar crawl``: crawl sources and print what each one brought."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from callradar.settings import mirror_address

if TYPE_CHECKING:
    from crawlers.run import SourceSummary

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def mirror_option(value: str | None) -> str | None:
    """--mirror checked as CALLRADAR_MIRROR is, before any source is crawled (not once per
    source inside each crawl process)."""
    try:
        return mirror_address(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def crawl_command(
    sources: list[str] = typer.Argument(  # noqa: B008 - typer's way of declaring arguments
        None, help="Sources (spider names) to crawl; all when none is named."
    ),
    mirror: str | None = typer.Option(
        None,
        "--mirror",
        help="Mirror mode: send every request to this recorded-site server.",
        callback=mirror_option,
    ),
) -> None:
    """Crawl funding sources into the database and print a summary per source.

    Exits with status 1 when a source failed (its earlier calls are kept), 2 on an
    unknown source name.
    """
    # Scrapy is imported here, not at the top: it takes seconds every other command would pay.
    from crawlers.run import UnknownSourceError, crawl

    try:
        summaries = crawl(sources or None, mirror)
    except UnknownSourceError as exc:
        err_console.print(f"[bold red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from None
    console.print(summary_table(summaries))
    for summary in summaries:
        if summary.message:
            style = "red" if not summary.ok else "yellow"
            for line in summary.message.splitlines():
                console.print(f"[{style}]{summary.source}:[/] ", end="")
                console.print(line, markup=False, highlight=False)
    if any(not s.ok for s in summaries):
        raise typer.Exit(1)


def summary_table(summaries: list[SourceSummary]) -> Table:
    """The per-source table: items seen, new, changed, unchanged, errors, and the outcome."""
    table = Table(title="Crawl")
    table.add_column("source")
    for column in ("seen", "new", "changed", "unchanged", "errors"):
        table.add_column(column, justify="right")
    table.add_column("result")
    for s in summaries:
        result = "[green]ok[/]" if s.ok else "[bold red]failed[/]"
        table.add_row(
            s.source,
            *(str(v) for v in (s.seen, s.new, s.changed, s.unchanged, s.errors)),
            result,
        )
    return table
