from __future__ import annotations

from callradar.taxonomy import AREA_CODES
from tagging.dataset import TRANSLATED_PREFIX, LabelledCall, read_labelled
from tagging.paths import TRAIN_PATH
from tagging.text import clean
from tagging.train import joined, split


def test_joined_documents_carry_the_union_of_their_codes() -> None:
    calls = [
        LabelledCall(str(i), f"title {i}", f"text {i}", frozenset({code} if code else set()))
        for i, code in enumerate(["lasers-optoelectronics", "", "rf-wireless", "", "photonics"])
    ]
    out = joined(calls, seed=3)
    assert out[: len(calls)] == calls and len(out) == 3 * len(calls)
    assert joined(calls, seed=3) == out
    for doc in out[len(calls) :]:
        parts = [c for c in calls if f"text {c.id}" in doc.description]
        assert len(parts) >= 2 and doc.codes == frozenset().union(*(c.codes for c in parts))


def test_checkpoint_hold_out_stays_put_when_examples_are_added() -> None:
    def calls(ids: range) -> list[LabelledCall]:
        return [LabelledCall(f"ex-{i}", "t", "d", frozenset()) for i in ids]

    kept, held = split(calls(range(700)))
    assert 60 <= len(held) <= 140 and len(kept) + len(held) == 700
    more_kept, more_held = split(calls(range(700, 900)) + calls(range(700)))
    assert {c.id for c in held} <= {c.id for c in more_held}
    assert {c.id for c in kept} <= {c.id for c in more_kept}


def test_cleaning_spaces_is_unchanged_by_the_fast_path() -> None:
    assert clean("a  b\tc\u00a0d e") == "a b c d e"
    assert clean("plain text, one space") == "plain text, one space"
    assert clean("x <b>y</b> &amp; z") == "x y & z"


def test_training_examples_include_real_calls_in_both_languages_and_for_every_area() -> None:
    """The classifier learns from condensed real calls (each with its origin URL), not only
    from one-sentence examples: in both languages, with plenty that fund no area at all, and
    for every area of the taxonomy."""
    examples = read_labelled(TRAIN_PATH)
    real = [c for c in examples if c.url and not c.id.startswith(TRANSLATED_PREFIX)]
    for lang in ("en", "pl"):
        in_lang = [c for c in real if c.language == lang]
        assert len(in_lang) >= 100, lang
        assert sum(not c.codes for c in in_lang) >= 50, lang
    for code in AREA_CODES:
        assert sum(code in c.areas for c in real) >= 5, code
    assert len({c.url for c in real}) == len(real)


def test_a_translated_example_keeps_its_originals_source_and_codes() -> None:
    examples = {c.id: c for c in read_labelled(TRAIN_PATH)}
    translated = [c for c in examples.values() if c.id.startswith(TRANSLATED_PREFIX)]
    assert translated
    for call in translated:
        original = examples[call.id.removeprefix(TRANSLATED_PREFIX)]
        assert (call.url, call.codes) == (original.url, original.codes)
        assert call.language != original.language and call.description != original.description
