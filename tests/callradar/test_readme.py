"""The README's configuration table lists every setting there is, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from callradar.settings import Settings

README = Path(__file__).parents[2] / "README.md"
TEST_ONLY = {"CALLRADAR_TEST_POSTGRES_URL", "CALLRADAR_REQUIRE_POSTGRES"}


def test_every_setting_is_in_the_readme_table() -> None:
    rows = re.findall(r"^\| `(CALLRADAR_[A-Z_]+)` \|", README.read_text(encoding="utf-8"), re.M)
    settings = {f"CALLRADAR_{name.upper()}" for name in Settings.model_fields}
    assert settings - set(rows) == set(), "settings missing from the README"
    assert set(rows) - settings - TEST_ONLY == set(), "README rows that are no setting"
