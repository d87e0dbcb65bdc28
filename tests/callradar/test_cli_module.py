"""`python -m callradar.cli`, as a cron line or a checkout without the console script runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    env = {**os.environ, "CALLRADAR_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("CALLRADAR_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "callradar.cli", "db", "upgrade"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # It once ran nothing and exited 0.
    assert done.returncode == 0, done.stderr
    assert "is at revision" in done.stdout
    assert (tmp_path / "callradar.db").is_file()
