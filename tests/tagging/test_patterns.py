from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from callradar.errors import InputFileError
from callradar.taxonomy import AREA_CODES
from tagging.components import PATTERNS_DIR, area_patterns, read_patterns
from tagging.paths import MODELS_DIR


def test_every_area_has_english_and_polish_patterns() -> None:
    for lang in ("en", "pl"):
        labels = {p["label"] for p in read_patterns(PATTERNS_DIR / f"{lang}.jsonl")}
        assert labels >= AREA_CODES, AREA_CODES - labels


def test_a_bad_pattern_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"label": "chip-design", "pattern": "RISC-V", "id": "core"}\n'
        '{"label": "not-an-area", "pattern": "x", "id": "core"}\n'
    )
    with pytest.raises(InputFileError) as refused:
        read_patterns(path)
    assert [str(p) for p in refused.value.problems] == [
        "line 2: unknown area or domain code 'not-an-area'"
    ]


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_shipped_pipeline_has_the_current_patterns(lang: str) -> None:
    """The pattern files are the source; retrain (`callradar tag train`) after editing them."""
    nlp = spacy.load(MODELS_DIR / lang)
    shipped = nlp.get_pipe("area_rules").patterns
    assert sorted(map(str, shipped)) == sorted(map(str, area_patterns(lang)))


def test_hyphenated_phrases_also_match_written_apart() -> None:
    patterns = area_patterns("en")
    listed = {(p["label"], p["pattern"], p["id"]) for p in patterns}
    assert ("integrated-photonics", "chip-scale photonics", "core") in listed
    assert ("integrated-photonics", "chip scale photonics", "core") in listed
    assert ("chip-design", "RISC V", "core") in listed
    # Each phrase once, though a file may list both spellings.
    assert len(listed) == len(patterns)
