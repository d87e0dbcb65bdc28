"""Training the per-language pipelines with `spacy train` from the checked-in config."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train

import tagging.components  # noqa: F401  (registers the config's functions and factories)
from tagging.dataset import LabelledCall, id_bucket, to_docbin, training_calls
from tagging.language import SUPPORTED
from tagging.paths import CONFIG_PATH, DATA_DIR, MODELS_DIR

# spaCy picks the best checkpoint on a held-out corpus; about one training example in n is
# held out for that, so the development set stays unseen. Which one is decided by a hash of
# its id, not its position: adding examples leaves the others where they were.
_HOLD_OUT_EVERY = 7


def _held_out(call: LabelledCall) -> bool:
    return id_bucket(call.id, _HOLD_OUT_EVERY) == 0


def split(calls: list[LabelledCall]) -> tuple[list[LabelledCall], list[LabelledCall]]:
    held_out = [c for c in calls if _held_out(c)]
    kept = [c for c in calls if not _held_out(c)]
    return kept, held_out


# Real calls run to hundreds of words and mix their areas with eligibility rules and
# boilerplate, while the training examples are a sentence or two each. So that the
# classifier's pooled features learn to survive that dilution, each training example is
# also joined with other examples (one to three, drawn at random, often ones with no
# area) into longer documents labelled with the union of their codes.
_JOINED_PER_EXAMPLE = 2
_JOIN_MAX_OTHERS = 3


def joined(calls: list[LabelledCall], seed: int = 0) -> list[LabelledCall]:
    """`calls` plus longer documents made by joining each with a few others."""
    rng = random.Random(seed)
    extra: list[LabelledCall] = []
    for call in calls:
        for j in range(_JOINED_PER_EXAMPLE):
            others = [c for c in rng.sample(calls, _JOIN_MAX_OTHERS + 1) if c is not call]
            parts = [call, *others[: rng.randint(1, _JOIN_MAX_OTHERS)]]
            rng.shuffle(parts)
            extra.append(
                LabelledCall(
                    id=f"{call.id}+{j}",
                    title=parts[0].title,
                    description="\n\n".join(
                        f"{p.title}. {p.description}" if k else p.description
                        for k, p in enumerate(parts)
                    ),
                    codes=frozenset().union(*(p.codes for p in parts)),
                    language=call.language,
                )
            )
    return calls + extra


def train(
    output_dir: Path = MODELS_DIR,
    *,
    data_dir: Path = DATA_DIR,
    max_steps: int | None = None,
    languages: tuple[str, ...] = SUPPORTED,
    config_path: Path = CONFIG_PATH,
    calls: list[LabelledCall] | None = None,
) -> dict[str, Path]:
    """Train one pipeline per language on the training examples and corrections in
    `data_dir`, and put each in `output_dir/<lang>`, replacing the old one only once the
    new one is complete. Both pipelines learn from every example: a Polish call's English
    terms and an English call's Polish ones are features like any other."""
    if calls is None:
        calls = training_calls(data_dir)
    kept, held_out = split(calls)
    kept, held_out = joined(kept, seed=1), joined(held_out, seed=2)
    output_dir.mkdir(parents=True, exist_ok=True)
    trained: dict[str, Path] = {}
    for lang in languages:
        with tempfile.TemporaryDirectory(prefix=f"callradar-train-{lang}-") as tmp:
            work = Path(tmp)
            nlp = spacy.blank(lang)
            to_docbin(nlp, kept).to_disk(work / "train.spacy")
            to_docbin(nlp, held_out).to_disk(work / "dev.spacy")
            overrides: dict[str, object] = {
                "nlp.lang": lang,
                "paths.train": str(work / "train.spacy"),
                "paths.dev": str(work / "dev.spacy"),
            }
            if max_steps is not None:
                overrides["training.max_steps"] = max_steps
            spacy_train(config_path, work / "out", overrides=overrides)
            staged = output_dir / f".{lang}.new"
            shutil.rmtree(staged, ignore_errors=True)
            shutil.copytree(work / "out" / "model-best", staged)
        final = output_dir / lang
        shutil.rmtree(final, ignore_errors=True)
        staged.rename(final)
        trained[lang] = final
    return trained
