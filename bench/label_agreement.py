"""How far two people labelling the same development calls agree, next to the tagger.

A second labeller labelled a random sample of the development calls blind (from the call's
text and DESIGN.md's taxonomy alone, without the first labels or any model):
`tagging/data/dev_second_labels.jsonl`. This prints, on that sample, the second labels
scored against the development labels as if they were a tagger's output (precision, recall
and F1 per area and micro-averaged over areas and domains: the ceiling a tagger can expect
when the labels themselves disagree this much), and the shipped tagger scored against
each labeller.

    .venv/bin/python bench/label_agreement.py [--second FILE]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from callradar.taxonomy import AREAS, domain_of  # noqa: E402
from tagging.dataset import LabelledCall, read_labelled  # noqa: E402
from tagging.evaluate import Metrics, evaluate, score  # noqa: E402
from tagging.paths import DEV_PATH, MODELS_DIR, SECOND_LABELS_PATH  # noqa: E402
from tagging.result import AreaTag, TagResult  # noqa: E402
from tagging.tagger import Tagger  # noqa: E402


def second_labels(path: Path, dev: list[LabelledCall]) -> list[LabelledCall]:
    """The development calls of the sample with the second labeller's codes."""
    by_id = {call.id: call for call in dev}
    calls = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        first = by_id[row["id"]]
        calls.append(
            LabelledCall(
                first.id,
                first.title,
                first.description,
                frozenset(row["codes"]),
                first.language,
                first.url,
            )
        )
    return calls


def as_result(call: LabelledCall) -> TagResult:
    """A labeller's codes in the shape of the tagger's output."""
    return TagResult(
        call.id,
        call.language,
        areas=[AreaTag(code, 1.0) for code in sorted(call.areas)],
        domains=sorted({domain_of(code) for code in call.codes}),
    )


def line(name: str, metrics: Metrics) -> str:
    a, d = metrics.areas, metrics.domains
    return (
        f"{name:<46} areas P {a.precision:.3f} R {a.recall:.3f} F1 {a.f1:.3f} "
        f"(support {a.tp + a.fn}) | domains F1 {d.f1:.3f}"
    )


def main(
    second: Annotated[Path, typer.Option(help="The second labeller's codes.")] = SECOND_LABELS_PATH,
    models: Annotated[Path, typer.Option(help="Trained pipelines to load.")] = MODELS_DIR,
) -> None:
    dev = read_labelled(DEV_PATH)
    other = second_labels(second, dev)
    ids = {call.id for call in other}
    first = [call for call in dev if call.id in ids]
    first.sort(key=lambda call: call.id)
    other.sort(key=lambda call: call.id)
    agreement = score(first, map(as_result, other))
    print(f"sample: {len(first)} of {len(dev)} development calls")
    print(line("second labeller against the development labels", agreement))
    tagger = Tagger.load(models)
    print(line("tagger against the development labels", evaluate(tagger, first)))
    print(line("tagger against the second labeller", evaluate(tagger, other)))
    print("per area, second labeller against the development labels (support):")
    for area in AREAS:
        counts = agreement.per_area[area.code]
        print(f"  {area.code:<30} F1 {counts.f1:.3f} ({counts.tp + counts.fn})")
    print("calls whose areas differ:")
    for error in agreement.errors:
        print(f"  {error}")


if __name__ == "__main__":
    typer.run(main)
