"""Forgetting a person on request: nothing in the database names them afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, String, Text, select

from callradar import db
from callradar.models import Base, Call, Contact, LoginFailure, Notification, User
from tests.conftest import CliRun

MAP = """members:
  - id: lumen
    name: Lumen sp. z o.o.
    kind: sme
    contacts:
      - {{name: Anna Nowak, email: Anna.Nowak@lumen.example, notify: [email]}}
{more}"""
ANNA = "- {name: Anna Nowak, email: Anna.Nowak@lumen.example, notify: [email]}"
JAMES = "      - {name: James Carter, email: james@lumen.example, notify: [email]}\n"
WEBHOOK = "jsons://chat.lumen.example/hooks/anna-secret"


def _import(cli: CliRun, tmp_path: Path, with_anna: bool) -> None:
    text = MAP.format(more=JAMES)
    if not with_anna:
        text = text.replace(f"      {ANNA}\n", "")
    path = tmp_path / "members.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output


def _trail(engine: Engine) -> None:
    """What a contact leaves behind: messages sent (one to her chat URL) and failed (its
    error quoting her address), a web account, failed log-ins."""
    moment = datetime(2026, 11, 2, 9, tzinfo=UTC)
    with db.session_scope(engine) as session:
        anna = session.scalars(select(Contact).where(Contact.name == "Anna Nowak")).one()
        session.add(
            Call(id=1, source="manual", external_id="c1", ref="C1", title="A call", fingerprint="f")
        )
        session.flush()
        rows = [
            ("email", "sent", None),
            (WEBHOOK, "sent", None),
            ("email", "failed", "SMTP refused <Anna.Nowak@lumen.example>"),
        ]
        for version, (channel, status, error) in enumerate(rows, 1):
            session.add(
                Notification(
                    call_id=1,
                    member_id="lumen",
                    contact_id=anna.id,
                    call_version=version,
                    channel=channel,
                    status=status,
                    error=error,
                    sent_at=moment if status == "sent" else None,
                )
            )
        session.add(User(email="anna.nowak@lumen.example", role="member", member_id="lumen"))
        session.add(LoginFailure(email="anna.nowak@lumen.example", ip="10.0.0.1"))
        session.add(LoginFailure(email="reset:anna.nowak@lumen.example", ip="10.0.0.1"))


def _everything(engine: Engine) -> str:
    """Every text cell of every table, lower-cased."""
    cells: list[str] = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text)]
            if columns:
                for row in conn.execute(select(*columns)):
                    cells.extend(str(v).lower() for v in row if v is not None)
    return "\n".join(cells)


def test_a_removed_contact_is_forgotten_everywhere(
    cli: CliRun, tmp_path: Path, engine: Engine
) -> None:
    _import(cli, tmp_path, with_anna=True)
    _trail(engine)
    _import(cli, tmp_path, with_anna=False)
    assert "anna.nowak@lumen.example" in _everything(engine)

    result = cli("members", "forget", "ANNA.NOWAK@lumen.example", "--yes")

    assert result.exit_code == 0, result.output
    assert "1 contact record(s) (of lumen), 3 outbox row(s), 1 web account(s), 2 log-in" in (
        " ".join(result.stdout.split())
    )
    left = _everything(engine)
    for trace in ("anna", "nowak", "anna-secret"):
        assert trace not in left, trace
    assert "james@lumen.example" in left  # her colleague is untouched
    with db.session_scope(engine) as session:
        statuses = sorted(session.scalars(select(Notification.status)))
        assert statuses == ["failed", "sent", "sent"]  # what was sent stays counted
        erased = session.scalars(select(Contact).where(Contact.name == "(erased)")).one()
        assert erased.unsubscribed and erased.removed and erased.notify == []
    # Her address in the file again later is a new contact, not the erased one.
    _import(cli, tmp_path, with_anna=True)
    with db.session_scope(engine) as session:
        assert len(list(session.scalars(select(Contact)))) == 3


def test_a_contact_still_in_the_map_is_not_erased(
    cli: CliRun, tmp_path: Path, engine: Engine
) -> None:
    _import(cli, tmp_path, with_anna=True)
    _trail(engine)
    before = _everything(engine)

    result = cli("members", "forget", "anna.nowak@lumen.example", "--yes")

    assert result.exit_code == 2
    assert "still a contact of lumen" in " ".join(result.output.split())
    assert _everything(engine) == before


def test_an_unknown_address_is_an_error_and_the_question_can_be_declined(
    cli: CliRun, tmp_path: Path, engine: Engine
) -> None:
    _import(cli, tmp_path, with_anna=False)
    result = cli("members", "forget", "nobody@example.org", "--yes")
    assert result.exit_code == 2
    assert "no contact and no web account" in result.output
    before = _everything(engine)
    from typer.testing import CliRunner

    from callradar.cli import app

    declined = CliRunner().invoke(app, ["members", "forget", "james@lumen.example"], input="n\n")
    assert declined.exit_code == 1
    assert _everything(engine) == before


def test_the_last_coordinator_is_not_erased(cli: CliRun, tmp_path: Path, engine: Engine) -> None:
    with db.session_scope(engine) as session:
        session.add(User(email="office@cluster.example", role="coordinator"))
    result = cli("members", "forget", "office@cluster.example", "--yes")
    assert result.exit_code == 2
    assert "last active coordinator" in " ".join(result.output.split())
    with db.session_scope(engine) as session:
        session.add(User(email="deputy@cluster.example", role="coordinator"))
    assert cli("members", "forget", "office@cluster.example", "--yes").exit_code == 0


def _write_eml(folder: Path, name: str, to_name: str, to_address: str) -> Path:
    from callradar.settings import get_settings
    from matching.channels import Envelope, OutboxFolder
    from matching.messages import Message

    message = Message(subject="New call", text=f"Dear {to_name}", html="<p>Hi</p>", language="en")
    envelope = Envelope(message, to_name, to_address, key=name, stop_link="http://x/stop")
    OutboxFolder(folder, get_settings()).send(envelope)
    return folder / f"callradar-{name}.eml"


def test_her_emails_in_the_outbox_folder_go_too(
    cli: CliRun, tmp_path: Path, engine: Engine, settings_env: Path
) -> None:
    """Without an SMTP server, messages are .eml files in the outbox folder: outside the
    database, they kept her name and address after she was forgotten."""
    _import(cli, tmp_path, with_anna=True)
    _import(cli, tmp_path, with_anna=False)
    outbox = settings_env / "outbox"
    hers = [
        _write_eml(outbox, "a1", "Anna Nowak", "Anna.Nowak@lumen.example"),
        _write_eml(outbox, "a2", "Anna Nowak", "anna.nowak@LUMEN.example"),
    ]
    james = _write_eml(outbox, "j1", "James Carter", "james@lumen.example")
    # Not addressed to her, though her address is in it: a colleague's message stays.
    mention = _write_eml(
        outbox, "j2", "James Carter (cc Anna.Nowak@lumen.example)", "james@lumen.example"
    )
    damaged = outbox / "callradar-broken.eml"
    damaged.write_bytes(b"\xff\xfe not a message")
    other = outbox / "notes.txt"
    other.write_text("To: Anna.Nowak@lumen.example\n", encoding="utf-8")

    result = cli("members", "forget", "anna.nowak@lumen.example", "--yes")

    assert result.exit_code == 0, result.output
    assert "2 e-mail file(s) in the outbox folder" in " ".join(result.stdout.split())
    assert not any(path.exists() for path in hers)
    assert james.exists() and mention.exists() and damaged.exists() and other.exists()


def test_her_emails_left_from_an_earlier_erasure_go_too(
    cli: CliRun, tmp_path: Path, engine: Engine, settings_env: Path
) -> None:
    """Erased before her e-mail files were: the command still finds and deletes them."""
    _import(cli, tmp_path, with_anna=True)
    _import(cli, tmp_path, with_anna=False)
    assert cli("members", "forget", "anna.nowak@lumen.example", "--yes").exit_code == 0
    left = _write_eml(settings_env / "outbox", "a1", "Anna Nowak", "anna.nowak@lumen.example")

    result = cli("members", "forget", "anna.nowak@lumen.example", "--yes")

    assert result.exit_code == 0, result.output
    assert "0 contact record(s), 0 outbox row(s)" in result.stdout
    assert "1 e-mail file(s) in the outbox folder" in " ".join(result.stdout.split())
    assert not left.exists()
    # With nothing anywhere, it says so.
    again = cli("members", "forget", "anna.nowak@lumen.example", "--yes")
    assert again.exit_code == 2 and "no contact and no web account" in again.output
