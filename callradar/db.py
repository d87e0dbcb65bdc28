"""The database engine, sessions, and migrating a database to the current schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from callradar import taxonomy
from callradar.models import Source, TechnologyArea
from callradar.settings import get_settings

if TYPE_CHECKING:
    from alembic.config import Config

MANUAL_SOURCE = "manual"

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while a flow writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created and WAL switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    settings.ensure_data_dir()
    return make_engine(settings.resolved_database_url)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session committed on success and rolled back on any error: all or nothing."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> Config:
    # Alembic is imported only when migrating: every crawl worker imports this module, and
    # most never migrate.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


class DatabaseTooNewError(Exception):
    """The database was migrated by a newer callradar, to a schema this one does not know."""


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Migrate the database (empty or older) to ``revision`` and sync the taxonomy into it."""
    from alembic import command
    from alembic.util import CommandError

    engine = engine or get_engine()
    config = alembic_config(engine)
    try:
        command.upgrade(config, revision)
    except CommandError:
        # Looked into only when Alembic failed: reading the revisions again costs time.
        _refuse_unknown_revision(engine, config)
        raise
    if revision == "head":
        sync_reference_data(engine)


def _refuse_unknown_revision(engine: Engine, config: Config) -> None:
    from alembic.script import ScriptDirectory

    if not inspect(engine).has_table("alembic_version"):
        return
    with engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    unknown = [str(rev) for rev in stored if rev not in known]
    if unknown:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseTooNewError(
            f"the database {where} is at revision {', '.join(unknown)}, newer than this "
            "callradar knows: upgrade callradar (the database was left as it is)"
        ) from None


def sync_reference_data(engine: Engine) -> None:
    """Make the taxonomy table and the ``manual`` source match callradar.taxonomy.

    The taxonomy lives in code (it is a contract); the table mirrors it so that tags and
    competences can reference area codes with foreign keys.
    """
    with session_scope(engine) as session:
        for domain in taxonomy.DOMAINS:
            session.merge(
                TechnologyArea(
                    code=domain.code,
                    domain=domain.code,
                    is_domain=True,
                    name_en=domain.name_en,
                    name_pl=domain.name_pl,
                    description=domain.description,
                )
            )
        for area in taxonomy.AREAS:
            session.merge(
                TechnologyArea(
                    code=area.code,
                    domain=area.domain,
                    is_domain=False,
                    name_en=area.name_en,
                    name_pl=area.name_pl,
                    description=area.description,
                )
            )
        if session.get(Source, MANUAL_SOURCE) is None:
            session.add(Source(name=MANUAL_SOURCE, title="Entered by hand"))


def current_revision(engine: Engine | None = None) -> str | None:
    engine = engine or get_engine()
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
