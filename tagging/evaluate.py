"""Precision, recall and F1 of the tagger against labelled calls."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from callradar.taxonomy import AREAS, DOMAINS
from tagging.dataset import LabelledCall
from tagging.result import CallText, TagResult
from tagging.tagger import Tagger


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: bool, predicted: bool) -> None:
        self.tp += gold and predicted
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "p": round(self.precision, 3),
            "r": round(self.recall, 3),
            "f": round(self.f1, 3),
            "support": self.tp + self.fn,
        }


@dataclass(slots=True)
class Metrics:
    per_area: dict[str, Counts] = field(default_factory=lambda: {a.code: Counts() for a in AREAS})
    areas: Counts = field(default_factory=Counts)
    domains: Counts = field(default_factory=Counts)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "areas_micro": self.areas.as_dict(),
            "domains_micro": self.domains.as_dict(),
            "per_area": {code: c.as_dict() for code, c in self.per_area.items()},
        }


def score(calls: Iterable[LabelledCall], results: Iterable[TagResult]) -> Metrics:
    """Compare each call's gold areas and domains with the tagger's."""
    metrics = Metrics()
    for call, result in zip(calls, results, strict=True):
        predicted = {a.code for a in result.areas}
        for code, counts in metrics.per_area.items():
            gold = code in call.areas
            counts.add(gold, code in predicted)
            metrics.areas.add(gold, code in predicted)
        for domain in DOMAINS:
            metrics.domains.add(domain.code in call.domains, domain.code in result.domains)
        if predicted != call.areas:
            metrics.errors.append(
                f"{call.id}: expected {sorted(call.areas)}, got {sorted(predicted)}"
                f" ({call.title[:70]})"
            )
    return metrics


def evaluate(tagger: Tagger, calls: list[LabelledCall]) -> Metrics:
    """Tag the calls (their language detected, as in production) and score the result."""
    texts = [CallText(c.id, c.title, c.description) for c in calls]
    return score(calls, tagger.tag_many(texts))
