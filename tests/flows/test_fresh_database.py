"""A scheduled flow may be the first thing to touch a new database (a worker's first run, or
`callradar schedule` before any command): each flow migrates it instead of failing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from callradar import db
from callradar.settings import get_settings
from flows.digest import digest
from flows.source_health import source_health


@pytest.fixture
def unmigrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("CALLRADAR_DATABASE_URL", url)
    monkeypatch.setenv("CALLRADAR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield url
    db.get_engine().dispose()
    get_settings.cache_clear()
    db.get_engine.cache_clear()


def test_digest_and_source_health_migrate_a_new_database(unmigrated: str) -> None:
    engine = db.make_engine(unmigrated)
    assert "notifications" not in inspect(engine).get_table_names()

    assert digest().sent == 0
    assert source_health() == []

    assert db.current_revision(engine) is not None
    engine.dispose()
