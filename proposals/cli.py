"""The proposal commands: ``consortium suggest``, ``templates check``, ``pack``, ``packs list``.

Each is a thin shell over a plain function of ``proposals``; ``register`` adds them to the
``callradar`` command line.
"""

from __future__ import annotations

import json
import shlex
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from callradar import db
from callradar.models import MAX_ROW_ID, Member
from callradar.settings import get_settings
from proposals.catalogue import PROPOSAL_TEMPLATES, TEMPLATES_DIR
from proposals.consortium import Choice, Suggestion, suggest_consortium
from proposals.errors import ProposalError
from proposals.lint import check_templates
from proposals.pack import build_pack, list_packs, packs_for_member
from proposals.wording import say

console = Console(soft_wrap=True, highlight=False)
err_console = Console(stderr=True, soft_wrap=True, highlight=False)

consortium_app = typer.Typer(help="Consortia for calls.", no_args_is_help=True)
templates_app = typer.Typer(help="The proposal pack's Word templates.", no_args_is_help=True)
packs_app = typer.Typer(help="Stored proposal packs.", no_args_is_help=True)

SourceOption = Annotated[
    str | None, typer.Option(help="The call's source, when two sources share the id")
]


class Language(StrEnum):
    EN = "en"
    PL = "pl"


# The words of the printed suggestion around its sentences, in English and Polish.
_WORDS = {
    "call": ("Call", "Nabór"),
    "family": ("Programme family", "Rodzina programów"),
    "action": ("type of action", "rodzaj działania"),
    "Lead": ("Lead", "Lider"),
    "Partner": ("Partner", "Partner"),
    "Mentor": ("Mentor", "Mentor"),
    "none": ("none", "brak"),
    "rules": ("Consortium rules", "Zasady konsorcjum"),
    "met": ("met", "spełniona"),
    "not met": ("NOT MET", "NIESPEŁNIONA"),
    "pack": ("To make the pack", "Pakiet wniosku"),
}


def _fail(exc: ProposalError, language: str = "en") -> typer.Exit:
    word = "błąd" if language == "pl" else "error"
    err_console.print(f"[bold red]{word}:[/] {escape(exc.text(language))}", markup=True)
    return typer.Exit(2)


@consortium_app.command("suggest")
def consortium_suggest(
    call_id: Annotated[str, typer.Argument(help="The call's id at its source")],
    source: SourceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    language: Annotated[
        Language, typer.Option(help="The language of the reasons and rules: en or pl.")
    ] = Language.EN,
) -> None:
    """Suggest a lead, partners and a mentor for a call, and check the consortium rules."""
    db.upgrade()
    try:
        with db.session_scope() as session:
            suggestion = suggest_consortium(session, call_id, source)
    except ProposalError as exc:
        raise _fail(exc, language) from None
    if as_json:
        typer.echo(json.dumps(suggestion.to_dict(language), ensure_ascii=False, indent=2))
        return
    _print_suggestion(suggestion, language)


def _print_suggestion(s: Suggestion, language: str = "en") -> None:
    def out(line: str) -> None:
        console.print(line, markup=False)

    def word(key: str) -> str:
        return _WORDS[key][1 if language == "pl" else 0]

    def reasons(choice: Choice) -> None:
        for reason in choice.why:
            out(f"  - {reason.text(language)}")

    out(f"{word('call')} {s.call.id} ({s.call.source}): {s.call.title}")
    out(f"{word('family')}: {s.kind.family.value}; {word('action')}: {s.kind.action.value}")
    for title, choice in (("Lead", s.lead), ("Mentor", s.mentor)):
        if choice is None:
            out(f"{word(title)}: {word('none')}")
            continue
        out(f"{word(title)}: {choice.member.id} ({choice.member.name})")
        reasons(choice)
        if title == "Lead":
            for partner in s.partners:
                out(f"{word('Partner')}: {partner.member.id} ({partner.member.name})")
                reasons(partner)
    out(f"{word('rules')}: {s.rules.about.text(language)}")
    for check in s.rules.checks:
        mark = word("met" if check.met else "not met")
        out(f"  [{mark}] {check.requirement.text(language)}: {check.finding.text(language)}")
    for line in (*s.rules.needs, *s.uncovered, *s.notes):
        out(f"! {line.text(language)}")
    if s.lead is not None:
        # Quoted: a call entered by hand may have an id such as "NEWSLETTER 2026/11 (b)".
        command = ["callradar", "pack", s.call.id, "--lead", s.lead.member.id]
        for partner in s.partners:
            command += ["--partner", partner.member.id]
        if s.mentor:
            command += ["--mentor", s.mentor.member.id]
        out(f"{word('pack')}: {shlex.join(command)} --out DIR")


@templates_app.command("check")
def templates_check(
    directory: Annotated[
        # A mistyped folder is a usage error, not six "missing" templates whose advice
        # (rebuild them) would overwrite the shipped ones.
        Path,
        typer.Option("--dir", help="Folder of the templates", exists=True, file_okay=False),
    ] = TEMPLATES_DIR,
) -> None:
    """Lint every template: broken tags, unknown fields, a sample fill; exit 1 on errors."""
    reports = check_templates(directory)
    for report in reports:
        status = "ok" if report.ok else "ERRORS"
        console.print(f"{report.path.name}: {status}", markup=False)
        for error in report.errors:
            console.print(f"  error: {error}", markup=False)
        for warning in report.warnings:
            console.print(f"  warning: {warning}", markup=False)
    if not all(r.ok for r in reports):
        raise typer.Exit(1)


def pack_command(
    call_id: Annotated[str, typer.Argument(help="The call's id at its source")],
    lead: Annotated[str, typer.Option(help="The member that coordinates")],
    out: Annotated[Path, typer.Option(help="Folder to write the .zip to", file_okay=False)],
    partner: Annotated[
        list[str] | None, typer.Option(help="A partner member (repeat the option)")
    ] = None,
    mentor: Annotated[
        str | None, typer.Option(help="The mentor member (default: the best-fitting one)")
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(help=f"Proposal template: {', '.join(PROPOSAL_TEMPLATES)}"),
    ] = None,
    consortium: Annotated[
        int | None,
        typer.Option(
            help="The call's consortium to change (default: the newest still forming)",
            min=1,
            max=MAX_ROW_ID,
        ),
    ] = None,
    new_consortium: Annotated[
        bool,
        typer.Option(
            "--new-consortium",
            help="Start another consortium for the call (the lead's own, if it leads one)",
        ),
    ] = False,
    source: SourceOption = None,
) -> None:
    """Build the next proposal pack (.zip) of a call's consortium and print its path.

    As in the web app, the consortium still forming is changed, even its lead: the pack is its
    next version and the earlier ones are kept.
    """
    if consortium is not None and new_consortium:
        raise typer.BadParameter("give --consortium or --new-consortium, not both")
    db.upgrade()
    try:
        with db.session_scope() as session:
            result = build_pack(
                session,
                call_id,
                lead,
                partner or [],
                mentor,
                consortium=consortium,
                new_consortium=new_consortium,
                source=source,
                template=template,
                out_dir=out,
            )
    except ProposalError as exc:
        raise _fail(exc) from None
    info = result.pack
    err_console.print(
        f"Pack version {info.version} of consortium {info.consortium_id}, template "
        f"{info.template} ({result.template_reason}); mentor: {info.mentor_id or 'none'} "
        f"({result.mentor_reason}); stored at {info.path}",
        markup=False,
    )
    typer.echo(str(result.file))


@packs_app.command("list")
def packs_list(
    member: Annotated[
        str | None, typer.Option(help="Only packs of consortia this member belongs to")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """List stored proposal packs, newest first."""
    db.upgrade()
    with db.session_scope() as session:
        # A mistyped member id listed nothing, as if the member had no packs.
        if member is not None and session.get(Member, member) is None:
            raise _fail(ProposalError(say("error.unknown_members", ids=[member])))
        packs = packs_for_member(session, member) if member else list_packs(session)
    if as_json:
        typer.echo(json.dumps([p.to_dict() for p in packs], ensure_ascii=False, indent=2))
        return
    zone = ZoneInfo(get_settings().timezone)
    table = Table(title=f"Proposal packs ({len(packs)})")
    columns = ("call", "consortium", "version", "lead", "partners", "mentor", "template", "made")
    for column in (*columns, "file"):
        table.add_column(column, overflow="fold")
    for p in packs:
        # Text, not markup: a call id entered by hand may hold brackets.
        table.add_row(
            *map(
                Text,
                (
                    p.call_id,
                    str(p.consortium_id),
                    str(p.version),
                    p.lead_id,
                    ", ".join(p.partner_ids),
                    p.mentor_id or "",
                    p.template,
                    f"{p.created_at.astimezone(zone):%Y-%m-%d %H:%M}",
                    p.path.name,
                ),
            )
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(consortium_app, name="consortium")
    app.add_typer(templates_app, name="templates")
    app.add_typer(packs_app, name="packs")
    app.command("pack")(pack_command)
