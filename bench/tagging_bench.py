"""Tagging benchmark: accuracy on the development set, the lemmatiser's effect, throughput
against spaCy's bare tokenizer, and the trained pipelines' size and load time.

    .venv/bin/python bench/tagging_bench.py [--json bench/tagging_results.json]
    .venv/bin/python bench/tagging_bench.py --throughput-only [--json bench/tagging_throughput.json]
"""

from __future__ import annotations

import gc
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import spacy
import typer
from spacy import __version__ as spacy_version
from spacy.tokenizer import Tokenizer

from tagging.cli import print_metrics
from tagging.dataset import LabelledCall, read_labelled
from tagging.evaluate import evaluate
from tagging.language import quick_language
from tagging.lemmas import TRIES_DIR
from tagging.normalise import MODES
from tagging.paths import DEV_PATH, MODELS_DIR, TRAIN_PATH
from tagging.result import CallText
from tagging.tagger import Tagger, keep_caching_after_line_breaks
from tagging.text import call_document, clean

# Enough words for a stable rate on one core without making the benchmark slow.
_THROUGHPUT_DOCS = 2000
# Call-length documents: real EU topic descriptions run to 300-1,500 words.
_LONG_DOCS = 200
_LONG_WORDS = (300, 1500)
_ROUNDS = 7
# Each unseen-calls round loads a fresh tagger (a second or two).
_UNSEEN_ROUNDS = 5


def _timed(run: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run, with the cyclic collector off during it."""
    gc.collect()
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        gc.enable()

def _same_text_calls(calls: list[CallText]) -> list[tuple[CallText, str]]:
    """Each call with its text already as the tagger makes it (cleaned title, blank line,
    cleaned description), so that the tagger tags exactly the string the bare tokenizer
    is given: nothing cleaned away, nothing cut."""
    out = []
    for call in calls:
        title, description = clean(call.title), clean(call.description)
        text, notes = call_document(title, description)
        assert not notes and text == (f"{title}\n\n{description}" if title else description)
        out.append((CallText(call.id, title, description), text))
    return out


def _throughput(
    tagger: Tagger, stock: dict[str, Tokenizer], calls: list[CallText]
) -> dict[str, object]:
    """Words per second of spaCy's bare tokenizer and of the whole tagger (cleaning,
    language detection and every component) on the same texts.

    - Same strings: each call's text is given to the tagger already clean (see
      `_same_text_calls`), and the bare tokenizer gets that text.
    - The bare tokenizer: `stock[lang]`, spaCy's own tokenizer of `spacy.blank(lang)` for
      the text's language, kept for the whole run so that it has seen every text the
      tagger has (the development texts first). spaCy's tokenizer caches how it split
      each chunk between spaces and stops caching for the rest of a text once it meets a
      special case, so a tokenizer with another history can be 15 times slower or faster
      on the same words. The tagger's own tokenizer (which keeps caching after line
      breaks, see `keep_caching_after_line_breaks`) is timed too, against the same stock
      one, to show what part of the difference is the tokenizer's.
    - Same count: words are whitespace-separated words of the text, for all.
    - Same conditions: all warmed on every text first, then timed in alternation,
      _ROUNDS times, with the cyclic garbage collector off for all (the tagger turns it
      off during a batch anyway); the medians of the rates and of the per-round ratios
      are reported, by wall clock and by process CPU time (other work on the machine
      slows the wall clock of both, the CPU time less)."""
    pairs = _same_text_calls(calls)
    tagged = {r.id: r for r in tagger.tag_many([call for call, _ in pairs])}  # also warms
    by_language: dict[str, list[str]] = {}
    for call, text in pairs:
        language = tagged[call.id].language
        if language is not None:
            by_language.setdefault(language, []).append(text)
    kept = [call for call, _ in pairs if tagged[call.id].language is not None]
    texts = [text for group in by_language.values() for text in group]
    words = sum(len(text.split()) for text in texts)
    tokens = 0
    for language, group in by_language.items():
        tokens += sum(len(doc) for doc in stock[language].pipe(group))  # also warms

    def tokenize(tokenizers: dict[str, Tokenizer]) -> Callable[[], None]:
        def run() -> None:
            for language, group in by_language.items():
                tokenizer = tokenizers[language]
                for text in group:
                    tokenizer(text)

        return run

    def tag() -> None:
        for _ in tagger.tag_many(kept):
            pass

    own = {lang: nlp.tokenizer for lang, nlp in tagger.pipelines.items()}
    runs = {"tokenizer": tokenize(stock), "tagger": tag, "tagger_tokenizer": tokenize(own)}
    rates: dict[str, list[float]] = {f"{n}_{c}": [] for n in runs for c in ("wall", "cpu")}
    for _ in range(_ROUNDS):
        for name, run in runs.items():
            wall, cpu = _timed(run)
            rates[f"{name}_wall"].append(words / wall)
            rates[f"{name}_cpu"].append(words / cpu)
    result: dict[str, object] = {
        "docs": len(texts),
        "docs_by_language": {lang: len(group) for lang, group in by_language.items()},
        "words": words,
        "spacy_tokens": tokens,
        "words_per_doc": round(words / len(texts)),
    }
    for clock in ("wall", "cpu"):
        base = rates[f"tokenizer_{clock}"]
        result[f"tokenizer_words_per_s_{clock}"] = round(statistics.median(base))
        for name in ("tagger", "tagger_tokenizer"):
            name_rates = rates[f"{name}_{clock}"]
            ratios = [t / k for t, k in zip(name_rates, base, strict=True)]
            result[f"{name}_words_per_s_{clock}"] = round(statistics.median(name_rates))
            result[f"{name}_share_of_tokenizer_{clock}"] = round(statistics.median(ratios), 3)
    result["meets_40_percent"] = bool(result["tagger_share_of_tokenizer_cpu"] >= 0.4
                                      and result["tagger_share_of_tokenizer_wall"] >= 0.4)
    return result


def _unseen_throughput(dev: list[LabelledCall], train: list[LabelledCall]) -> dict[str, object]:
    """Words per second on calls neither side has seen: each round loads a fresh tagger and
    makes fresh spaCy tokenizers, shows both the development texts (so that common words
    are known, as in a running tagger), then times one pass of each over call-length texts
    made of training texts only: every chunk of text new to both tokenizers' caches the
    first time it comes, and every new word a new lexeme (for the tagger a lemma look-up).
    The two go first in turn; medians of the rounds' ratios, as in `_throughput`."""
    calls = _call_length_calls(train)
    rates: dict[str, list[float]] = {f"{n}_{c}": [] for n in ("tokenizer", "tagger")
                                     for c in ("wall", "cpu")}
    words = 0
    for round_ in range(_UNSEEN_ROUNDS):
        tagger = Tagger.load()
        stock = {lang: spacy.blank(lang).tokenizer for lang in tagger.pipelines}
        for _ in tagger.tag_many([CallText(c.id, c.title, c.description) for c in dev]):
            pass
        for labelled in dev:
            stock[labelled.language or "en"](labelled.text)
        kept: list[tuple[CallText, str, str]] = []
        for call, text in _same_text_calls(calls):
            language = tagger.detector.detect(text).language
            if language is not None:
                kept.append((call, text, language))
        words = sum(len(text.split()) for _, text, _ in kept)

        def tag(kept: list[tuple[CallText, str, str]] = kept, tagger: Tagger = tagger) -> None:
            for _ in tagger.tag_many([call for call, _, _ in kept]):
                pass

        def tokenize(kept: list[tuple[CallText, str, str]] = kept,
                     stock: dict[str, Tokenizer] = stock) -> None:
            for _, text, language in kept:
                stock[language](text)

        runs: list[tuple[str, Callable[[], None]]] = [("tokenizer", tokenize), ("tagger", tag)]
        for name, run in runs if round_ % 2 == 0 else runs[::-1]:
            wall, cpu = _timed(run)
            rates[f"{name}_wall"].append(words / wall)
            rates[f"{name}_cpu"].append(words / cpu)
    result: dict[str, object] = {"docs": len(calls), "words": words, "rounds": _UNSEEN_ROUNDS}
    for clock in ("wall", "cpu"):
        base, tagged = rates[f"tokenizer_{clock}"], rates[f"tagger_{clock}"]
        result[f"tokenizer_words_per_s_{clock}"] = round(statistics.median(base))
        result[f"tagger_words_per_s_{clock}"] = round(statistics.median(tagged))
        result[f"tagger_share_of_tokenizer_{clock}"] = round(
            statistics.median(t / k for t, k in zip(tagged, base, strict=True)), 3)
    return result


def _line_break_effect(calls: list[CallText]) -> dict[str, int]:
    """Words per second of two new English tokenizers, spaCy's own and one without the
    whitespace special cases (as the tagger's), over the English call-length texts with
    single line breaks: the first pass (every word new) and the best of three more. spaCy's
    stops caching a text's chunks at its first line break."""
    texts = [text for call, text in _same_text_calls(calls) if quick_language(text) == "en"]
    words = sum(len(text.split()) for text in texts)
    result: dict[str, int] = {"texts": len(texts), "words": words}
    for name in ("spacy", "without_whitespace_special_cases"):
        nlp = spacy.blank("en")
        if name != "spacy":
            keep_caching_after_line_breaks(nlp)
        passes = []
        for _ in range(4):
            started = time.process_time()
            for text in texts:
                nlp.tokenizer(text)
            passes.append(time.process_time() - started)
        result[f"{name}_first_pass_words_per_s"] = round(words / passes[0])
        result[f"{name}_later_words_per_s"] = round(words / min(passes[1:]))
    return result


def _call_length_calls(sources: list[LabelledCall], *, lines: bool = False) -> list[CallText]:
    """Call-length documents (300-1,500 words, drawn evenly) made of development and
    training texts of one language, whole texts in paragraphs (title, description) until
    the length is reached; about two English to one Polish, as in the development set.
    With `lines`, paragraphs and each part's title and description are separated by
    single line breaks (as cleaned list markup leaves them), not blank lines."""
    separator = "\n" if lines else "\n\n"
    rng = random.Random(7)
    by_language = {lang: [c for c in sources if c.language == lang] for lang in ("en", "pl")}
    calls = []
    for i in range(_LONG_DOCS):
        group = by_language["pl" if i % 3 == 2 else "en"]
        target = rng.randint(*_LONG_WORDS)
        parts: list[str] = []
        count = 0
        while count < target:
            source = rng.choice(group)
            parts.append(f"{source.title}{separator}{source.description}")
            count += len(parts[-1].split())
        title, _, body = parts[0].partition(separator)
        calls.append(CallText(f"long-{i}", title, separator.join([body, *parts[1:]])))
    return calls


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main(
    json_path: Annotated[Path | None, typer.Option("--json")] = None,
    throughput_only: Annotated[
        bool,
        typer.Option(
            "--throughput-only", help="skip accuracy and normalisation (--json: speed only)"
        ),
    ] = False,
) -> None:
    dev = read_labelled(DEV_PATH, require_url=True)
    report: dict[str, object] = {
        "machine": f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, spaCy {spacy_version}"
    }

    # The first load on a machine also builds the lemma tries (tagging/lemmas.py).
    report["lemma_tries_built_before_load"] = (TRIES_DIR / "pl.dic").is_file()
    started = time.perf_counter()
    tagger = Tagger.load()
    report["load_s"] = round(time.perf_counter() - started, 2)
    report["size_mb"] = {lang: round(_size_mb(MODELS_DIR / lang), 1) for lang in tagger.pipelines}

    if not throughput_only:
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
    report["load_average"] = os.getloadavg()
    # spaCy's own tokenizers, for the whole run; they first see the development texts as
    # the tagger did when it was evaluated.
    stock = {lang: spacy.blank(lang).tokenizer for lang in tagger.pipelines}
    for call in dev:
        stock[call.language or "en"](call.text)
    report["throughput"] = _throughput(tagger, stock, short)
    # Real calls run to hundreds or thousands of words, where per-call costs weigh less.
    sources = dev + read_labelled(TRAIN_PATH)
    report["throughput_call_length"] = _throughput(tagger, stock, _call_length_calls(sources))
    report["line_breaks"] = _line_break_effect(_call_length_calls(sources, lines=True))
    # Calls neither the tagger nor the tokenizer has seen (cold caches, new words).
    report["throughput_unseen"] = _unseen_throughput(dev, read_labelled(TRAIN_PATH))
    report["load_average_after"] = os.getloadavg()
    for key, label in (("throughput", "development texts"),
                       ("throughput_call_length", "call-length texts")):
        t = report[key]
        assert isinstance(t, dict)
        print(f"{label}: {t['docs']} docs, {t['words_per_doc']} words each; spaCy's tokenizer "
              f"{t['tokenizer_words_per_s_cpu']:,} words/s, tagger {t['tagger_words_per_s_cpu']:,}"
              f" (CPU time): {t['tagger_share_of_tokenizer_cpu']:.0%} of the tokenizer "
              f"({t['tagger_share_of_tokenizer_wall']:.0%} by wall clock; the tagger's own "
              f"tokenizer {t['tagger_tokenizer_share_of_tokenizer_cpu']:.0%}); 40% "
              f"{'met' if t['meets_40_percent'] else 'not met'}")
    u = report["throughput_unseen"]
    assert isinstance(u, dict)
    print(f"unseen call-length texts: {u['docs']} docs made of training texts, each round a "
          f"fresh tagger and tokenizers shown the development texts first; spaCy's tokenizer "
          f"{u['tokenizer_words_per_s_cpu']:,} words/s, tagger {u['tagger_words_per_s_cpu']:,}"
          f" (CPU time): {u['tagger_share_of_tokenizer_cpu']:.0%} of the tokenizer "
          f"({u['tagger_share_of_tokenizer_wall']:.0%} by wall clock)")
    print(f"line breaks: {report['line_breaks']}")
    print(json.dumps({k: v for k, v in report.items() if k != "dev"}, indent=2))
    if json_path is not None:
        json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    typer.run(main)
