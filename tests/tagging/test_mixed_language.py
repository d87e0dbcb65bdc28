"""A call written in two languages (a Polish call quoting an English summary, say): tagged
in the language most of it is in, from both parts where the patterns allow, and each
repeated sentence given as evidence once."""

from __future__ import annotations

import pytest

from tagging.result import CallText
from tagging.tagger import Tagger

EN = (
    "The call funds photonic integrated circuits and silicon photonics pilot lines for "
    "datacom transceivers. "
)
PL = (
    "Konkurs finansuje projekty badawcze w zakresie układów scalonych i technologii "
    "półprzewodnikowych dla przemysłu. "
)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.load()


@pytest.mark.parametrize(("text", "language"), [(EN * 3 + PL, "en"), (PL * 3 + EN, "pl")])
def test_a_mixed_call_is_tagged_in_its_main_language(
    tagger: Tagger, text: str, language: str
) -> None:
    result = tagger.tag(CallText("mixed", "Pilot lines / Linie pilotażowe", text, None))
    assert result.skipped is None
    assert result.language == language
    codes = {a.code for a in result.areas}
    assert "integrated-photonics" in codes
    for area in result.areas:
        assert len(area.evidence) == len(set(area.evidence)), area.evidence
