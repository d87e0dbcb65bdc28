from __future__ import annotations

import pytest

from tagging.tagger import Tagger


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger.load()
