"""Shared fixtures: a migrated database per test, on SQLite and (where set up) PostgreSQL.

PostgreSQL runs when CALLRADAR_TEST_POSTGRES_URL names a server (``make test`` starts one
where it can); with CALLRADAR_REQUIRE_POSTGRES=1 (CI) its absence is an error, not a skip.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

# Before anything imports Prefect: this test process's own Prefect home (its temporary
# server's database, settings and result storage), never the developer's or the repository's
# data folder. Set, not defaulted: pytest-xdist's workers inherit the controller's
# environment, and two workers' flows writing one home would share its files.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="callradar-prefect-")
# Every test process (each xdist worker and the controller) makes one: without this each run
# left its homes behind in the temporary folder.
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)

import pytest  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from typer.testing import CliRunner, Result  # noqa: E402

from callradar import db  # noqa: E402
from callradar.cli import app  # noqa: E402
from callradar.models import Base  # noqa: E402
from callradar.settings import get_settings  # noqa: E402

POSTGRES_URL = os.environ.get("CALLRADAR_TEST_POSTGRES_URL", "")
if os.environ.get("CALLRADAR_REQUIRE_POSTGRES") == "1" and not POSTGRES_URL:
    raise RuntimeError("CALLRADAR_REQUIRE_POSTGRES=1 but CALLRADAR_TEST_POSTGRES_URL is unset")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked slow (half a minute to two each) first, the rest in their order after them:
    pytest-xdist's workers then start on the long tests and even out their ends with the
    short ones, instead of one worker finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of its own for this test run, migrated once, dropped at the end."""
    admin = make_url(POSTGRES_URL)
    name = f"callradar_test_{uuid.uuid4().hex[:10]}"
    admin_engine = db.make_engine(admin.render_as_string(hide_password=False))
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.set(database=name).render_as_string(hide_password=False)
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    yield url
    with admin_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


def _empty_postgres(url: str) -> None:
    engine = db.make_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name != "technology_areas"]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    db.sync_reference_data(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per test process: each test gets a copy of it, since
    running every migration again took one to two seconds a test."""
    path = tmp_path_factory.mktemp("sqlite-template") / "callradar.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with engine.connect() as conn:
        # Everything into the main file, so that copying that file alone copies it all.
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    """The URL of a fresh copy of the migrated template in ``folder``."""
    path = folder / "callradar.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database at the current schema."""
    if request.param == "sqlite":
        yield sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        url = request.getfixturevalue("postgres_database")
        _empty_postgres(url)
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = db.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the settings (and so the CLI) at the test database and a temporary data folder."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CALLRADAR_DATABASE_URL", db_url)
    monkeypatch.setenv("CALLRADAR_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield data_dir
    db.get_engine().dispose()
    get_settings.cache_clear()
    db.get_engine.cache_clear()


CliRun = Callable[..., Result]


@pytest.fixture
def cli(settings_env: Path) -> CliRun:
    """Run ``callradar ARGS...`` in-process against the test database."""
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run
