"""The web app's commands: ``callradar serve`` and ``callradar users``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select

from callradar import db
from callradar.models import User
from callradar.settings import Settings, get_settings
from matching.channels import DeliveryError
from web.accounts import AccountError, check_password, create_user, send_link, set_password
from web.i18n import translate
from web.tokens import Purpose

users_app = typer.Typer(help="Users of the web app.", no_args_is_help=True)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def loopback_links_warning(settings: Settings) -> str | None:
    """What to tell the operator when e-mailed links (invitations, password resets, members'
    messages) can only point to this machine's loopback."""
    if settings.base_url:
        return None
    return (
        f"CALLRADAR_BASE_URL is unset: links in e-mails point to {settings.link_base_url}, "
        "which opens the web app only on this machine, and password resets are not mailed "
        "to anyone browsing it by another address. Set CALLRADAR_BASE_URL to the app's "
        "public address."
    )


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the web app (the review desk and the members' portal) with uvicorn."""
    import uvicorn

    from web.app import create_app

    db.upgrade()
    settings = get_settings()
    console.print(f"callradar on [bold]{settings.base_url or f'http://{host}:{port}'}[/]")
    if warning := loopback_links_warning(settings):
        err_console.print(warning, style="yellow", markup=False)
    # Behind a reverse proxy on this machine, uvicorn takes the client's address from
    # X-Forwarded-For (it trusts 127.0.0.1 by default): log-in rate limits need it.
    uvicorn.run(create_app(db.get_engine(), settings), host=host, port=port, proxy_headers=True)


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="The user's e-mail address (the log-in)")],
    role: Annotated[str, typer.Option(help="coordinator or member")] = "member",
    member: Annotated[
        str | None, typer.Option(help="The member (organisation id) a member's user belongs to")
    ] = None,
    language: Annotated[str, typer.Option(help="pl or en")] = "pl",
    password: Annotated[
        bool, typer.Option("--password", help="Set the password now (asked twice) instead")
    ] = False,
) -> None:
    """Add a user and send an invitation link (or set the password at once with --password)."""
    db.upgrade()
    settings = get_settings()
    try:
        with db.session_scope() as session:
            user = create_user(session, email, role, member, language)
            if password:
                secret = typer.prompt("Password", hide_input=True)
                check_password(secret, typer.prompt("Repeat the password", hide_input=True))
                set_password(user, secret)
    except AccountError as exc:
        err_console.print(translate("en", exc.key, **exc.params), style="red", markup=False)
        raise typer.Exit(2) from None
    if password:
        console.print(f"Added {role} {user.email}; they can log in now.")
        return
    base = settings.link_base_url
    try:
        link, where = send_link(settings, user, Purpose.INVITE, base)
    except DeliveryError as exc:
        err_console.print(
            f"[red]Added {role} {user.email}, but the invitation was not sent: "
            f"{exc}[/]\nSend a new one with the web app's Users page."
        )
        raise typer.Exit(1) from None
    console.print(f"Added {role} {user.email}. Invitation sent ({where}).")
    console.print(f"The link to set the password (valid 7 days, works once):\n{link}")
    if warning := loopback_links_warning(settings):
        err_console.print(
            f"{warning} Or send the invitation again from the web app's Users page: its links "
            "use the address the page is browsed at.",
            style="yellow",
            markup=False,
        )


@users_app.command("list")
def users_list() -> None:
    """List the users of the web app."""
    db.upgrade()
    with db.session_scope() as session:
        for user in session.scalars(select(User).order_by(User.role, User.email)):
            state = (
                "inactive" if not user.active else "invited" if user.password_hash is None else ""
            )
            console.print(
                f"{user.email}\t{user.role}\t{user.member_id or ''}\t{user.language}\t{state}",
                markup=False,
                highlight=False,
            )
