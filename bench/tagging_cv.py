"""Choosing the combiner's blend and thresholds by k-fold cross-validation on the TRAINING
examples (the development set is never read here).

For each fold the per-language pipelines are trained on the other folds (as `callradar tag
train` does, joined longer documents included) and run over the held-out fold, both as it
is and with each held-out example joined with other held-out ones (longer, call-like
documents). The rule matches and classifier probabilities of every held-out document are
kept, and every combination of the combiner's settings on a grid is scored on them. Settings
under which the held-out condensed real calls (those with a source URL) fall below
PRECISION_FLOOR are not chosen; of the rest, the best by micro-F1 over areas (both views
pooled) is printed with its figures, and beside it the best with overlapping phrases of two
areas counted the old way (the longest only).

    .venv/bin/python bench/tagging_cv.py [--folds 5] [--json bench/tagging_cv.json]
        [--features held_out.npz]  (saved on the first run, reused on the next)
        [--config other.cfg]       (cross-validate another training config)
        [--data DIR]               (another folder of training examples)
"""

from __future__ import annotations

import itertools
import json
import math
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import spacy
import typer

from callradar.taxonomy import AREA_CODES, DOMAINS, domain_of
from tagging.components import STRENGTHS, _by_label, _title_end, extension_key
from tagging.dataset import (
    BLIND_PREFIX,
    LABELS,
    TRANSLATED_PREFIX,
    LabelledCall,
    id_bucket,
    training_calls,
)
from tagging.language import SUPPORTED
from tagging.paths import CONFIG_PATH, DATA_DIR
from tagging.train import joined, train

AREA_LIST = sorted(AREA_CODES)
DOMAIN_LIST = [d.code for d in DOMAINS]

# The grid: the rules' share of the score, the weight of each distinct core phrase, of a core
# phrase repeated (the same words again), of each term, a bonus for a core phrase in the
# title, the classifier probability below which a lone core phrase (one distinct phrase, not
# in the title) is vetoed, and the thresholds for areas and for whole domains.
GRID: dict[str, list[Any]] = {
    "rule_share": [0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
    "core": [0.5, 0.75, 1.0, 1.5, 2.0],
    "repeat": [0.0, 0.25, 0.5],
    "term": [0.1, 0.25, 0.5],
    "title": [0.0, 0.5, 1.0],
    "veto": [0.0, 0.1, 0.2],
    # How overlapping matches of different codes count (tagging/components.py: OVERLAPS).
    "overlap": ["longest", "contained"],
    "threshold": [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7],
}

# Settings whose held-out condensed real calls (plain view) fall under this precision are not
# chosen: a member is told of a call only where it fits.
PRECISION_FLOOR = 0.7


# Areas F1 (pooled over the views) within this of the best count as a tie; ties are broken
# by the domains' F1.
TIE = 0.002


@dataclass
class Features:
    """Per held-out document and label: distinct core phrases matched, repeats of them,
    terms, a core phrase in the title (each counted with the overlapping matches of
    different codes resolved the "longest" way, and again the "contained" way: the `c_`
    arrays), classifier probability; and the gold labels."""

    core: np.ndarray
    repeat: np.ndarray
    term: np.ndarray
    title: np.ndarray
    c_core: np.ndarray
    c_repeat: np.ndarray
    c_term: np.ndarray
    c_title: np.ndarray
    prob: np.ndarray
    gold: np.ndarray

    def counts(self, overlap: str) -> tuple[np.ndarray, ...]:
        """Distinct core phrases, their repeats, terms, core phrase in the title."""
        if overlap == "longest":
            return self.core, self.repeat, self.term, self.title
        return self.c_core, self.c_repeat, self.c_term, self.c_title


KEYS = (
    "core",
    "repeat",
    "term",
    "title",
    "c_core",
    "c_repeat",
    "c_term",
    "c_title",
    "prob",
    "gold",
)


def _features(models: Path, calls: list[LabelledCall]) -> Features:
    n, m = len(calls), len(LABELS)
    arrays = {k: np.zeros((n, m)) for k in KEYS}
    for lang in SUPPORTED:
        nlp = spacy.load(models / lang)
        idx = [i for i, c in enumerate(calls) if (c.language or "en") == lang]
        texts = [calls[i].text for i in idx]
        for i, text, doc in zip(idx, texts, nlp.pipe(texts), strict=True):
            title_end = _title_end(text)
            found = doc.user_data.get(extension_key("callradar_matches")) or []
            for overlap, prefix in (("longest", ""), ("contained", "c_")):
                for label, spans in _by_label(found, overlap).items():
                    j = LABELS.index(label)
                    cores = [s for s in spans if s[5] == "core"]
                    distinct = len({tuple(t.norm for t in doc[s[0] : s[1]]) for s in cores})
                    arrays[prefix + "core"][i, j] = distinct
                    arrays[prefix + "repeat"][i, j] = len(cores) - distinct
                    arrays[prefix + "term"][i, j] = len(spans) - len(cores)
                    arrays[prefix + "title"][i, j] = any(
                        doc[s[1] - 1].idx + len(doc[s[1] - 1]) <= title_end for s in cores
                    )
            for j, label in enumerate(LABELS):
                arrays["prob"][i, j] = doc.cats.get(label, 0.0)
    for i, c in enumerate(calls):
        wanted = c.areas | c.domains
        arrays["gold"][i] = [label in wanted for label in LABELS]
    return Features(**arrays)


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


AREA_COLS = [LABELS.index(a) for a in AREA_LIST]


def _scores(f: Features, s: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The combiner's score of every (document, label), and whether it may assign it (has
    a phrase of its own, not a vetoed lone core phrase)."""
    core, repeat, term, title = f.counts(s.get("overlap", "longest"))
    strength = s["core"] * core + s["repeat"] * repeat + s["term"] * term + s["title"] * title
    score = s["rule_share"] * (1 - np.exp(-strength)) + (1 - s["rule_share"]) * f.prob
    lone = (core == 1) & (title == 0) & (f.prob < s["veto"])
    return score, (core + term > 0) & ~lone


def _predict(f: Features, s: dict[str, Any], threshold: float) -> np.ndarray:
    """The combiner's decision (tagging/components.py: AreaCombiner), vectorised."""
    score, allowed = _scores(f, s)
    return (score >= threshold) & allowed


def _area_counts(f: Features, pred: np.ndarray) -> tuple[float, float, float]:
    cols = [LABELS.index(a) for a in AREA_LIST]
    p, g = pred[:, cols], f.gold[:, cols].astype(bool)
    return float((p & g).sum()), float((p & ~g).sum()), float((~p & g).sum())


def _domain_f1(f: Features, pred: np.ndarray, domain_pred: np.ndarray) -> float:
    area_cols = [LABELS.index(a) for a in AREA_LIST]
    tp = fp = fn = 0
    for d in DOMAIN_LIST:
        j = LABELS.index(d)
        implied = pred[:, [c for c in area_cols if domain_of(LABELS[c]) == d]].any(axis=1)
        p = implied | domain_pred[:, j]
        g = f.gold[:, j].astype(bool)
        tp += (p & g).sum()
        fp += (p & ~g).sum()
        fn += (~p & g).sum()
    return _f1(tp, fp, fn)


def _stack(parts: list[Features]) -> Features:
    return Features(*(np.vstack([getattr(p, k) for p in parts]) for k in KEYS))


def main(
    folds: Annotated[int, typer.Option()] = 5,
    max_steps: Annotated[int | None, typer.Option()] = None,
    json_path: Annotated[Path | None, typer.Option("--json")] = None,
    features: Annotated[
        Path | None, typer.Option(help="save the held-out features here (.npz), or reuse them")
    ] = None,
    config: Annotated[Path, typer.Option(help="the training config to cross-validate")] = (
        CONFIG_PATH
    ),
    data: Annotated[
        Path, typer.Option(help="the folder of the training examples (train.jsonl, corrections)")
    ] = DATA_DIR,
) -> None:
    calls = training_calls(data)
    started = time.perf_counter()
    if features is not None and features.exists():
        saved = np.load(features)
        views = {v: Features(*(saved[f"{v}_{k}"] for k in KEYS)) for v in ("plain", "joined")}
    else:
        views = _cross_validate(calls, folds, max_steps, started, config)
        if features is not None:
            arrays = {f"{v}_{k}": getattr(f, k) for v, f in views.items() for k in KEYS}
            np.savez(features, **arrays)
    _choose(views, calls, folds, started, json_path)


def _fold(call: LabelledCall, folds: int) -> int:
    """The fold of an example, by a hash of its id, so that adding examples leaves the others
    in their folds; a translation (id TRANSLATED_PREFIX + the original's id) goes with its
    original, or the original would be scored by a model that learnt it in other words."""
    return id_bucket(call.id.removeprefix(TRANSLATED_PREFIX), folds)


def _cross_validate(
    calls: list[LabelledCall],
    folds: int,
    max_steps: int | None,
    started: float,
    config: Path = CONFIG_PATH,
) -> dict[str, Features]:
    plain: list[Features] = []
    long: list[Features] = []
    for k in range(folds):
        held = [c for c in calls if _fold(c, folds) == k]
        rest = [c for c in calls if _fold(c, folds) != k]
        with tempfile.TemporaryDirectory(prefix="callradar-cv-") as tmp:
            train(Path(tmp), calls=rest, max_steps=max_steps, config_path=config)
            plain.append(_features(Path(tmp), held))
            long.append(_features(Path(tmp), joined(held, seed=10 + k)[len(held) :]))
        print(f"fold {k + 1}/{folds} done ({time.perf_counter() - started:.0f} s)", flush=True)
    return {"plain": _stack(plain), "joined": _stack(long)}


def _subset(
    views: dict[str, Features],
    calls: list[LabelledCall],
    folds: int,
    keep: Callable[[LabelledCall], bool],
) -> Features:
    """The held-out plain examples `keep` selects, in the order the folds stacked them."""
    order = [i for k in range(folds) for i, c in enumerate(calls) if _fold(c, folds) == k]
    chosen = np.array([keep(calls[i]) for i in order])
    return Features(*(getattr(views["plain"], k)[chosen] for k in KEYS))


def _real(call: LabelledCall) -> bool:
    """A condensed real call: one with a source URL."""
    return call.url is not None


def _blind(call: LabelledCall) -> bool:
    """A real call gathered and labelled by someone who did not see the patterns or the
    models (their ids say so): the examples closest to the development set's."""
    return call.id.startswith(BLIND_PREFIX)


def _choose(
    views: dict[str, Features],
    calls: list[LabelledCall],
    folds: int,
    started: float,
    json_path: Path | None,
) -> None:
    real = _subset(views, calls, folds, _real)
    blind = _subset(views, calls, folds, _blind)
    scored: list[tuple[float, dict[str, Any]]] = []
    rejected = 0
    keys = [k for k in GRID if k != "threshold"]
    every = (*views.values(), real)
    golds = [f.gold[:, AREA_COLS].astype(bool) for f in every]
    for values in itertools.product(*(GRID[k] for k in keys)):
        s = dict(zip(keys, values, strict=True))
        if s["rule_share"] == 1.0 and (s["title"] or s["veto"]):
            continue
        title_alone = s["rule_share"] * (1 - math.exp(-(s["core"] + s["title"])))
        scores = [_scores(f, s) for f in every]
        for threshold in GRID["threshold"]:
            # A core phrase in the title assigns its area whatever the classifier says
            # (the tagger's contract, tests/tagging/test_tagger.py).
            if title_alone < threshold:
                continue
            counts = []
            for (score, allowed), gold in zip(scores, golds, strict=True):
                p = ((score >= threshold) & allowed)[:, AREA_COLS]
                counts.append(((p & gold).sum(), (p & ~gold).sum(), (~p & gold).sum()))
            tp, fp, _ = counts[-1]
            if tp + fp and tp / (tp + fp) < PRECISION_FLOOR:
                rejected += 1
                continue
            pooled = np.sum(counts[:-1], axis=0)
            scored.append((_f1(*pooled), {**s, "threshold": threshold}))
    assert scored, "no setting keeps the real calls' precision at the floor"
    settings, domain_best = _pick(views, scored)
    report: dict[str, object] = {
        "folds": folds,
        "examples": len(calls),
        "settings": {**settings, "domain_threshold": domain_best},
        "precision_floor": PRECISION_FLOOR,
        "settings_under_the_floor": rejected,
        "settings_scored": len(scored),
    }
    report.update(
        _figures(views, {"real_calls": real, "blind_calls": blind}, settings, domain_best)
    )
    # The same choice without each of this round's options, for comparison.
    for key, old in (("overlap", "longest"),):
        rest = [(f1, c) for f1, c in scored if c[key] == old]
        if rest and settings[key] != old:
            other, other_domain = _pick(views, rest)
            report[f"with_{key}_{old}"] = {
                "settings": {**other, "domain_threshold": other_domain},
                **_figures(views, {"real_calls": real, "blind_calls": blind}, other, other_domain),
            }
    report["seconds"] = round(time.perf_counter() - started)
    print(json.dumps(report, indent=2))
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _pick(
    views: dict[str, Features], scored: list[tuple[float, dict[str, Any]]]
) -> tuple[dict[str, Any], float]:
    """The areas' optimum is flat: settings within TIE of the best areas F1 are equivalent
    for areas, and among them the one whose domains (with the best whole-domain threshold
    for it) score highest is taken; then the higher areas F1, then grid order. Returns the
    settings and that whole-domain threshold."""
    top = max(f1 for f1, _ in scored)
    best: tuple[float, float, float, dict[str, Any]] | None = None
    for f1, candidate in scored:
        if f1 < top - TIE:
            continue
        for t in GRID["threshold"]:
            domains = sum(
                _domain_f1(
                    f, _predict(f, candidate, candidate["threshold"]), _predict(f, candidate, t)
                )
                for f in views.values()
            )
            if best is None or (round(domains, 9), f1) > (round(best[0], 9), best[1]):
                best = (domains, f1, t, candidate)
    assert best is not None
    return best[3], best[2]


def _figures(
    views: dict[str, Features],
    subsets: dict[str, Features],
    settings: dict[str, Any],
    domain_best: float,
) -> dict[str, object]:
    out: dict[str, object] = {f"{name}_count": len(f.gold) for name, f in subsets.items()}
    for name, f in {**views, **subsets}.items():
        pred = _predict(f, settings, settings["threshold"])
        tp, fp, fn = _area_counts(f, pred)
        out[name] = {
            "areas_p": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "areas_r": round(tp / (tp + fn), 3) if tp + fn else 1.0,
            "areas_f": round(_f1(tp, fp, fn), 3),
            "domains_f": round(_domain_f1(f, pred, _predict(f, settings, domain_best)), 3),
            "rules_only_areas_f": round(
                _f1(
                    *_area_counts(
                        f,
                        _predict(
                            f, {**settings, "rule_share": 1.0, "veto": 0.0}, settings["threshold"]
                        ),
                    )
                ),
                3,
            ),
        }
    return out


if __name__ == "__main__":
    assert STRENGTHS == ("core", "term")
    typer.run(main)
