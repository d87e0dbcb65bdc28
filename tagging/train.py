"""Training the per-language pipelines with `spacy train` from the checked-in config."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train

import tagging.components  # noqa: F401  (registers the config's functions and factories)
from tagging.dataset import LabelledCall, to_docbin, training_calls
from tagging.language import SUPPORTED
from tagging.paths import CONFIG_PATH, DATA_DIR, MODELS_DIR

# spaCy picks the best checkpoint on a held-out corpus; every n-th training example is held
# out for that, so the development set stays unseen.
_HOLD_OUT_EVERY = 7


def split(calls: list[LabelledCall]) -> tuple[list[LabelledCall], list[LabelledCall]]:
    held_out = [c for i, c in enumerate(calls) if i % _HOLD_OUT_EVERY == 0]
    kept = [c for i, c in enumerate(calls) if i % _HOLD_OUT_EVERY != 0]
    return kept, held_out


def train(
    output_dir: Path = MODELS_DIR,
    *,
    data_dir: Path = DATA_DIR,
    max_steps: int | None = None,
    languages: tuple[str, ...] = SUPPORTED,
) -> dict[str, Path]:
    """Train one pipeline per language on the training examples and corrections in
    `data_dir`, and put each in `output_dir/<lang>`, replacing the old one only once the
    new one is complete. Both pipelines learn from every example: a Polish call's English
    terms and an English call's Polish ones are features like any other."""
    calls = training_calls(data_dir)
    kept, held_out = split(calls)
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
            spacy_train(CONFIG_PATH, work / "out", overrides=overrides)
            staged = output_dir / f".{lang}.new"
            shutil.rmtree(staged, ignore_errors=True)
            shutil.copytree(work / "out" / "model-best", staged)
        final = output_dir / lang
        shutil.rmtree(final, ignore_errors=True)
        staged.rename(final)
        trained[lang] = final
    return trained
