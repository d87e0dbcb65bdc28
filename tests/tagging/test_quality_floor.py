"""The shipped pipelines keep their measured quality on the development set: a floor a few
points under the figures in bench/RESULTS.md, so a careless pattern or model change fails
here rather than in a member's inbox."""

from __future__ import annotations

from tagging.dataset import read_labelled
from tagging.evaluate import evaluate
from tagging.paths import DEV_PATH
from tagging.tagger import Tagger

# Measured on the 230 development calls (session 6: 2,012 training examples, the combiner
# re-chosen by cross-validation). The precision floor came down from 0.77 in session 5 with
# a decision, not to make a change pass: the combiner's settings are chosen under a
# real-call precision of 0.7 instead of 0.8 (bench/tagging_cv.py), trading precision for
# recall, as the figure is F1.
AREAS_FLOOR = 0.70  # measured 0.733 (0.736 in session 5)
DOMAINS_FLOOR = 0.83  # measured 0.860 (0.837 in session 5)
PRECISION_FLOOR = 0.70  # measured 0.709 (0.744 in session 5)
RECALL_FLOOR = 0.72  # measured 0.758 (0.727 in session 5)


def test_the_shipped_pipelines_hold_their_quality_on_the_development_set() -> None:
    metrics = evaluate(Tagger.load(), read_labelled(DEV_PATH, require_url=True))
    assert metrics.areas.f1 >= AREAS_FLOOR, metrics.as_dict()["areas_micro"]
    assert metrics.domains.f1 >= DOMAINS_FLOOR, metrics.as_dict()["domains_micro"]
    assert metrics.areas.precision >= PRECISION_FLOOR, metrics.as_dict()["areas_micro"]
    assert metrics.areas.recall >= RECALL_FLOOR, metrics.as_dict()["areas_micro"]
