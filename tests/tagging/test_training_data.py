from __future__ import annotations

from tagging.dataset import LabelledCall
from tagging.text import clean
from tagging.train import joined


def test_joined_documents_carry_the_union_of_their_codes() -> None:
    calls = [
        LabelledCall(str(i), f"title {i}", f"text {i}", frozenset({code} if code else set()))
        for i, code in enumerate(["lasers-optoelectronics", "", "rf-wireless", "", "photonics"])
    ]
    out = joined(calls, seed=3)
    assert out[: len(calls)] == calls and len(out) == 3 * len(calls)
    assert joined(calls, seed=3) == out
    for doc in out[len(calls):]:
        parts = [c for c in calls if f"text {c.id}" in doc.description]
        assert len(parts) >= 2 and doc.codes == frozenset().union(*(c.codes for c in parts))


def test_cleaning_spaces_is_unchanged_by_the_fast_path() -> None:
    assert clean("a  b\tc\u00a0d e") == "a b c d e"
    assert clean("plain text, one space") == "plain text, one space"
    assert clean("x <b>y</b> &amp; z") == "x y & z"
