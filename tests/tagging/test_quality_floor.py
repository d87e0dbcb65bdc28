"""The shipped pipelines keep their measured quality on the development set: a floor a few
points under the figures in bench/RESULTS.md, so a careless pattern or model change fails
here rather than in a member's inbox."""

from __future__ import annotations

from tagging.dataset import read_labelled
from tagging.evaluate import evaluate
from tagging.paths import DEV_PATH
from tagging.tagger import Tagger

# The development set grew from 136 to 230 calls in the sixth round (another helper added
# real calls); on it the fifth round's models measure 0.721 / 0.826, precision 0.774, so the
# floors were lowered with the figures, not to make a change pass.
AREAS_FLOOR = 0.68  # measured 0.712 (sixth round, 230 calls); 0.762 on the old 136
DOMAINS_FLOOR = 0.79  # measured 0.816 (sixth round, 230 calls); 0.881 on the old 136
# measured 0.808 (0.812 on the old 136): a member is told of a call only where it fits
PRECISION_FLOOR = 0.77


def test_the_shipped_pipelines_hold_their_quality_on_the_development_set() -> None:
    metrics = evaluate(Tagger.load(), read_labelled(DEV_PATH, require_url=True))
    assert metrics.areas.f1 >= AREAS_FLOOR, metrics.as_dict()["areas_micro"]
    assert metrics.domains.f1 >= DOMAINS_FLOOR, metrics.as_dict()["domains_micro"]
    assert metrics.areas.precision >= PRECISION_FLOOR, metrics.as_dict()["areas_micro"]
