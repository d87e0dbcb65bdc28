"""How the combiner counts phrases of different areas that overlap (`overlap`, chosen by
bench/tagging_cv.py): "contained" keeps each area's own phrases and drops only a phrase lying
inside a longer phrase of another area."""

from __future__ import annotations

import random

from tagging.components import _by_label, _longest_first, _uncontained, extension_key
from tagging.tagger import Tagger

_MATCHES = extension_key("callradar_matches")


def _reference(found: list[tuple[int, int, int, int, str, str]]) -> set[tuple[int, int, str]]:
    """`_uncontained` as its docstring says, by brute force."""
    own = []
    for label in {m[4] for m in found}:
        own += _longest_first([m for m in found if m[4] == label])
    return {
        (m[0], m[1], m[4])
        for m in own
        if not any(
            o[0] <= m[0] and m[1] <= o[1] and o[1] - o[0] > m[1] - m[0] for o in own if o != m
        )
    }


def test_a_phrase_is_dropped_only_inside_a_longer_phrase_of_another_area() -> None:
    rng = random.Random(5)
    labels = ["integrated-photonics", "optical-imaging-sensing", "sensors-mems", "photonics"]
    for _ in range(500):
        raw = set()
        for _ in range(rng.randint(1, 10)):
            start = rng.randrange(20)
            label = rng.choice(labels)
            raw.add((start, start + rng.randint(1, 3), hash(label) % 97, 0, label, "core"))
        found = sorted(raw)
        got = _uncontained(found)
        assert {(m[0], m[1], m[4]) for m in got} == _reference(found)
        assert got == [m for m in found if m in got]  # in the order of `found`


def test_overlapping_phrases_of_two_areas_both_count() -> None:
    nlp = Tagger.load().pipelines["en"]
    doc = nlp("Integrated photonic sensors for water quality monitoring.")
    found = doc.user_data[_MATCHES]
    contained = _by_label(found, "contained")
    assert {"integrated-photonics", "optical-imaging-sensing"} <= set(contained)
    # The "sensors" inside "photonic sensors" is optical sensing, not sensors and MEMS.
    assert "sensors-mems" not in contained
    assert "optical-imaging-sensing" not in _by_label(found, "longest")
