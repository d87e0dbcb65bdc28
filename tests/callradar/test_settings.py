import os
import subprocess
import sys
from pathlib import Path

import pytest

from callradar.settings import Settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("CALLRADAR_DATA_DIR", "CALLRADAR_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.data_dir == tmp_path / "data"
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'data' / 'callradar.db'}"
    assert settings.mirror is None


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CALLRADAR_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("CALLRADAR_DATABASE_URL", "postgresql+psycopg://u:p@db/callradar")
    monkeypatch.setenv("CALLRADAR_MIRROR", "http://127.0.0.1:8765")
    settings = Settings()
    assert settings.data_dir == tmp_path / "elsewhere"
    assert settings.resolved_database_url == "postgresql+psycopg://u:p@db/callradar"
    assert settings.mirror == "http://127.0.0.1:8765"


def test_bad_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLRADAR_DATA_DIR", "")
    monkeypatch.setenv("CALLRADAR_MIRROR", "not a url")
    with pytest.raises(ValueError, match="mirror"):
        Settings()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CALLRADAR_TIMEZONE", "Europe/Warsw", "'Europe/Warsw' is not a time zone"),
        ("CALLRADAR_DATABASE_URL", "callradar.db", "not a database URL"),
        ("CALLRADAR_COORDINATOR_EMAIL", "office@cluster.example; boss", "not an e-mail"),
    ],
)
def test_a_setting_that_would_fail_later_is_refused_at_once(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    # Before, a misspelt zone failed only when notify sent a digest, and a bad URL at the
    # first query, deep inside whatever command ran.
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        Settings()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CALLRADAR_TIMEZONE", "Mars/Olympus", "'Mars/Olympus' is not a time zone"),
        ("CALLRADAR_SMTP_PORT", "abc", "a valid integer"),
        # A folder that cannot be made: under a file.
        ("CALLRADAR_DATA_DIR", "{tmp}/a-file/data", "cannot make the folder"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_for_every_command(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    # A new process: the settings were read when the command line was imported, and a
    # bad one was a pydantic traceback before any command ran.
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parents[2]),
        "CALLRADAR_DATA_DIR": str(tmp_path / "data"),
        name: value.format(tmp=tmp_path),
    }
    env.pop("CALLRADAR_DATABASE_URL", None)
    for command in (["calls", "list"], ["db", "current"]):
        result = subprocess.run(
            [sys.executable, "-c", "from callradar.cli import app; app()", *command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith(f"callradar: bad setting {name}: ") and message in line
