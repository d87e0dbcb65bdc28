"""Tagging benchmark: accuracy on the development set, the lemmatiser's effect, throughput
against spaCy's bare tokenizer, and the trained pipelines' size and load time.

    .venv/bin/python bench/tagging_bench.py [--json bench/tagging_results.json]
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from pathlib import Path
from typing import Annotated

import spacy
import typer

from tagging.cli import print_metrics
from tagging.dataset import read_labelled
from tagging.evaluate import evaluate
from tagging.normalise import MODES
from tagging.paths import DEV_PATH, MODELS_DIR
from tagging.result import CallText
from tagging.tagger import Tagger

# Enough words for a stable rate on one core without making the benchmark slow.
_THROUGHPUT_DOCS = 2000
_LONG_DOCS = 200
_ROUNDS = 5


def _throughput(tagger: Tagger, calls: list[CallText]) -> dict[str, float]:
    """Words per second of the bare tokenizer and of the whole tagger on the same texts,
    each timed _ROUNDS times in alternation (other work on the machine shifts both alike);
    medians reported. The tagger includes cleaning, language detection and all components."""
    texts = [f"{c.title}\n\n{c.description}" for c in calls]
    blank = spacy.blank("en")
    words = sum(len(doc) for doc in blank.tokenizer.pipe(texts))  # also warms its cache
    for _ in tagger.tag_many(calls):
        pass
    tokenizer_rates, tagger_rates = [], []
    for _ in range(_ROUNDS):
        started = time.perf_counter()
        for _ in blank.tokenizer.pipe(texts):
            pass
        tokenizer_rates.append(words / (time.perf_counter() - started))
        started = time.perf_counter()
        for _ in tagger.tag_many(calls):
            pass
        tagger_rates.append(words / (time.perf_counter() - started))
    ratios = sorted(t / k for t, k in zip(tagger_rates, tokenizer_rates, strict=True))
    return {
        "docs": len(calls),
        "words": words,
        "tokenizer_words_per_s": round(statistics.median(tokenizer_rates)),
        "tagger_words_per_s": round(statistics.median(tagger_rates)),
        "tagger_share_of_tokenizer": round(statistics.median(ratios), 3),
    }


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main(json_path: Annotated[Path | None, typer.Option("--json")] = None) -> None:
    dev = read_labelled(DEV_PATH, require_url=True)
    report: dict[str, object] = {"machine": f"{platform.python_version()}, {platform.machine()}"}

    started = time.perf_counter()
    tagger = Tagger.load()
    report["load_s"] = round(time.perf_counter() - started, 2)
    report["size_mb"] = {lang: round(_size_mb(MODELS_DIR / lang), 1) for lang in tagger.pipelines}

    metrics = evaluate(tagger, dev)
    print_metrics(metrics)
    report["dev"] = metrics.as_dict()
    report["dev_calls"] = {lang: sum(c.language == lang for c in dev) for lang in ("en", "pl")}

    # The lemmatiser's effect: the same pipelines with words only lower-cased, or lemmatised
    # without the Polish stemmer; scored on all calls and on the Polish ones alone.
    polish = [c for c in dev if c.language == "pl"]
    effect: dict[str, dict[str, float]] = {}
    for mode in MODES:
        variant = tagger if mode == "lemma+stem" else Tagger.load(normalisation=mode)
        effect[mode] = {
            "areas_f": round(evaluate(variant, dev).areas.f1, 3),
            "domains_f": round(evaluate(variant, dev).domains.f1, 3),
            "pl_areas_f": round(evaluate(variant, polish).areas.f1, 3),
            "pl_domains_f": round(evaluate(variant, polish).domains.f1, 3),
        }
    report["normalisation"] = effect

    short = [CallText(f"{c.id}-{i}", c.title, c.description) for i in range(
        _THROUGHPUT_DOCS // len(dev) + 1) for c in dev][:_THROUGHPUT_DOCS]
    report["throughput"] = _throughput(tagger, short)
    # Real calls run to hundreds or thousands of words, where per-call costs weigh less:
    # call-length documents made of 12 development calls of one language each.
    long_calls = []
    for lang in ("en", "pl"):
        group = [c for c in dev if c.language == lang]
        for i in range(_LONG_DOCS // 2):
            parts = [group[(i * 7 + j) % len(group)] for j in range(12)]
            body = "\n\n".join(f"{c.title}\n{c.description}" for c in parts)
            long_calls.append(CallText(f"long-{lang}-{i}", parts[0].title, body))
    report["throughput_call_length"] = _throughput(tagger, long_calls)
    print(json.dumps({k: v for k, v in report.items() if k != "dev"}, indent=2))
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)
