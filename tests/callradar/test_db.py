from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, select, text
from typer.testing import CliRunner

from callradar import db, taxonomy
from callradar.cli import app
from callradar.models import Base, Member, Source, TechnologyArea
from callradar.settings import get_settings
from tests.conftest import CliRun


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_taxonomy_and_manual_source_are_seeded(engine: Engine) -> None:
    with db.session_scope(engine) as session:
        codes = set(session.scalars(select(TechnologyArea.code)))
        assert codes == set(taxonomy.ALL_CODES)
        assert session.get(Source, "manual") is not None


def test_upgrade_is_repeatable_and_migrates_an_older_database(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    assert db.current_revision(engine) is None
    db.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO members (id, name, kind, country, description, keywords, roles, mentor,"
            " created_at, updated_at) VALUES ('old-member', 'Old', 'sme', 'PL', '', '[]', '[]',"
            " 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
        )
    db.upgrade(engine)
    head = db.current_revision(engine)
    assert head == ScriptDirectory.from_config(db.alembic_config(engine)).get_current_head()
    db.upgrade(engine)
    assert db.current_revision(engine) == head
    with db.session_scope(engine) as session:
        member = session.get(Member, "old-member")
        assert member is not None and member.created_at.tzinfo is not None


def test_a_downgrade_on_sqlite_keeps_the_rows_of_other_tables(tmp_path: Path) -> None:
    """A batch migration copies the table and drops the old one; with foreign keys on, the
    drop cascaded to every member's contacts, competences and projects."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'down.db'}")
    db.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO members (id, name, kind, country, description, keywords, roles, mentor,"
            " created_at, updated_at) VALUES ('m', 'M', 'sme', 'PL', '', '[]', '[]', 0,"
            " '2026-01-01', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO contacts (member_id, position, name, email, language, notify, digest,"
            " unsubscribe_token, unsubscribed, removed) VALUES ('m', 0, 'A', 'a@x.example',"
            " 'pl', '[\"email\"]', 'daily', 't', 0, 0)"
        )
    command.downgrade(db.alembic_config(engine), "0006_contact_removed")
    assert db.current_revision(engine) == "0006_contact_removed"
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_db_commands_on_a_new_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLRADAR_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.setenv("CALLRADAR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    runner = CliRunner()
    try:
        assert runner.invoke(app, ["db", "current"]).output.strip() == "none"
        upgraded = runner.invoke(app, ["db", "upgrade"])
        head = ScriptDirectory.from_config(db.alembic_config(db.get_engine())).get_current_head()
        assert upgraded.exit_code == 0 and str(head) in upgraded.output
        assert runner.invoke(app, ["db", "current"]).output.strip() == head
    finally:
        db.get_engine().dispose()
        get_settings.cache_clear()
        db.get_engine.cache_clear()


def test_a_database_migrated_by_a_newer_callradar_is_a_clear_error(
    engine: Engine, cli: CliRun
) -> None:
    head = db.current_revision(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    try:
        with pytest.raises(db.DatabaseTooNewError) as error:
            db.upgrade(engine)
        assert "revision 0099_from_the_future" in str(error.value)
        assert "upgrade callradar" in str(error.value)

        result = cli("calls", "list")
        assert result.exit_code == 2
        [line] = result.stderr.splitlines()
        assert line.startswith("callradar: the database ") and "0099_from_the_future" in line
        # Nothing was changed: the database is left for the newer callradar.
        assert db.current_revision(engine) == "0099_from_the_future"
    finally:
        # The PostgreSQL database is one per test process, emptied between tests, not
        # migrated again: the tests after this one need it at this code's head.
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
