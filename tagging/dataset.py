"""Labelled calls: the training examples, the development set and coordinators' corrections.

A labelled call is one JSON line: `id`, `title`, `description`, optional `language` and
`url` (required in the development set: where the text comes from), and `codes`, the
areas the call funds work in plus any domain it concerns as a whole.

Two id conventions among the training examples: `real-blind-…` for real calls gathered and
labelled by someone who saw neither the patterns nor the models (bench/tagging_cv.py scores
them apart), and `translated-<original id>` for a translation of another example, with the
original's URL and codes (Polish funders publish few calls in our areas).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import DocBin

from callradar.errors import InputFileError, Problem
from callradar.jsonl import json_lines
from callradar.taxonomy import ALL_CODES, AREA_CODES, DOMAINS, domain_of
from tagging.paths import CORRECTIONS_GLOB, DATA_DIR, TRAIN_PATH
from tagging.text import call_document

# The id prefixes of the two conventions above.
BLIND_PREFIX = "real-blind-"
TRANSLATED_PREFIX = "translated-"

# The classifier scores each area and each domain.
LABELS: tuple[str, ...] = tuple(sorted(AREA_CODES)) + tuple(d.code for d in DOMAINS)


@dataclass(frozen=True, slots=True)
class LabelledCall:
    id: str
    title: str
    description: str
    codes: frozenset[str]
    language: str | None = None
    url: str | None = None

    @property
    def areas(self) -> frozenset[str]:
        return self.codes & AREA_CODES

    @property
    def domains(self) -> frozenset[str]:
        return frozenset(domain_of(code) for code in self.codes)

    @property
    def text(self) -> str:
        return call_document(self.title, self.description)[0]


def id_bucket(call_id: str, buckets: int) -> int:
    """A stable bucket in [0, buckets) for an example's id, whatever else is in the data."""
    return int.from_bytes(hashlib.sha1(call_id.encode("utf-8")).digest()[:4], "big") % buckets


def read_labelled(path: Path, *, require_url: bool = False) -> list[LabelledCall]:
    """Read labelled calls; InputFileError names the line and field of each bad one."""
    rows, problems = json_lines(path)
    calls: list[LabelledCall] = []
    for number, row in rows:
        place = f"line {number}"
        bad = [
            Problem(f"{key!r} must be a string", place, key)
            for key in ("id", "title", "description")
            if not isinstance(row.get(key), str)
        ]
        codes = row.get("codes")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            bad.append(Problem("'codes' must be a list of taxonomy codes", place, "codes"))
        elif unknown := sorted(set(codes) - ALL_CODES):
            bad.append(Problem(f"unknown taxonomy codes {unknown}", place, "codes"))
        if require_url and not str(row.get("url", "")).startswith("http"):
            bad.append(Problem("every development example needs its origin 'url'", place, "url"))
        if bad:
            problems.extend(bad)
            continue
        calls.append(
            LabelledCall(
                id=row["id"],
                title=row["title"],
                description=row["description"],
                codes=frozenset(row["codes"]),
                language=row.get("language"),
                url=row.get("url"),
            )
        )
    if problems:
        raise InputFileError(path, problems)
    return calls


def training_calls(data_dir: Path = DATA_DIR) -> list[LabelledCall]:
    """The training examples plus every exported batch of corrections beside them."""
    calls = read_labelled(data_dir / TRAIN_PATH.name)
    for path in sorted(data_dir.glob(CORRECTIONS_GLOB)):
        calls.extend(read_labelled(path))
    return calls


def export_corrections(rows: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Training lines from coordinator-corrected tags: one (call text, codes) pair each.

    Write them to `tagging/data/corrections-<date>.jsonl`; `callradar tag train` picks the
    file up. The id is derived from the text, so exporting the same call twice gives the
    same line.
    """
    lines: list[str] = []
    for text, codes in rows:
        code_list = sorted(set(codes))
        unknown = sorted(set(code_list) - ALL_CODES)
        if unknown:
            raise ValueError(f"unknown taxonomy codes {unknown} in a correction")
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        row = {"id": f"correction-{digest}", "title": "", "description": text, "codes": code_list}
        lines.append(json.dumps(row, ensure_ascii=False))
    return lines


def to_docbin(nlp: Language, calls: Iterable[LabelledCall]) -> DocBin:
    """spaCy training documents: each call's text with a 0/1 score for every label."""
    docbin = DocBin(store_user_data=False)
    for call in calls:
        doc = nlp.make_doc(call.text)
        wanted = call.areas | call.domains
        doc.cats = {label: float(label in wanted) for label in LABELS}
        docbin.add(doc)
    return docbin
