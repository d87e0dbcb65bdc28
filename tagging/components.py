"""spaCy pieces the tagging pipeline's config names: the pattern loader, the word
normaliser, the bag-of-words classifier over normalised words, and the combiner."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.ml.extract_ngrams import extract_ngrams
from spacy.ml.featureextractor import FeatureExtractor
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry
from thinc.api import (
    HashEmbed,
    Logistic,
    Model,
    SparseLinear_v2,
    chain,
    resizable,
    with_array,
    with_cpu,
)
from thinc.layers.resizable import resize_linear_weighted
from thinc.types import Floats2d

from callradar.taxonomy import ALL_CODES, AREAS, DOMAINS, domain_of
from tagging.normalise import MODES, Mode, normaliser
from tagging.result import AreaTag

PATTERNS_DIR = Path(__file__).parent / "patterns"
SPANS_KEY = "callradar_rules"
STRENGTHS: tuple[str, ...] = ("core", "term")

Doc.set_extension("callradar_areas", default=None, force=True)
Doc.set_extension("callradar_domains", default=None, force=True)
Doc.set_extension("callradar_whole_domains", default=None, force=True)
# The text a doc was made from, when the caller has it: rebuilding `doc.text` from the tokens
# costs more than finding the evidence in it.
Doc.set_extension("callradar_text", default=None, force=True)


def pattern_files(lang: str) -> list[Path]:
    """Pattern files a pipeline for `lang` uses: Polish calls also use English terms."""
    langs = [lang] if lang == "en" else [lang, "en"]
    return [PATTERNS_DIR / f"{code}.jsonl" for code in langs]


def read_patterns(path: Path) -> list[dict[str, Any]]:
    """Read one pattern file, naming the file and line of any bad pattern."""
    patterns: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{where}: not valid JSON ({e.msg})") from None
            if not isinstance(entry, dict) or set(entry) != {"label", "pattern", "id"}:
                raise ValueError(f"{where}: expected an object with label, pattern and id")
            if entry["label"] not in ALL_CODES:
                raise ValueError(f"{where}: unknown area or domain code {entry['label']!r}")
            if entry["id"] not in STRENGTHS:
                raise ValueError(f"{where}: id must be one of {STRENGTHS}, not {entry['id']!r}")
            if not isinstance(entry["pattern"], str) or not entry["pattern"].strip():
                raise ValueError(f"{where}: pattern must be a non-empty phrase")
            patterns.append(entry)
    return patterns


@registry.misc("callradar.area_patterns.v1")
def area_patterns(lang: str) -> list[dict[str, Any]]:
    return [p for path in pattern_files(lang) for p in read_patterns(path)]


class PhraseRules(SpanRuler):
    """spaCy's `span_ruler` for phrase patterns, without its per-document costs: it asks
    the token matcher only when it has patterns, and skips the warnings guard; the spans it
    sets under `spans_key` are the same."""

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.phrase_matcher(doc))
        if len(self.matcher):
            matches += self.matcher(doc)
        labels = self._match_label_id_map
        spans = {
            Span(doc, start, end, label=labels[key]["label"], span_id=labels[key]["id"])
            for key, start, end in matches
            if start != end
        }
        doc.spans[self.key] = sorted(spans)
        return doc


@Language.factory(
    "callradar_phrase_rules",
    default_config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "NORM", "validate": True},
)
def make_phrase_rules(
    nlp: Language, name: str, spans_key: str, phrase_matcher_attr: str, validate: bool
) -> PhraseRules:
    return PhraseRules(
        nlp,
        name,
        spans_key=spans_key,
        phrase_matcher_attr=phrase_matcher_attr,
        validate=validate,
        overwrite=True,
        scorer=None,
    )


class Normaliser:
    """Sets each word's NORM to its normalised form, once per vocabulary entry.

    The norm lives on the lexeme, so a word seen before costs nothing; the rule matcher
    and the classifier both read NORM.
    """

    def __init__(self, nlp: Language, mode: Mode) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown normalisation mode {mode!r}; expected one of {MODES}")
        self.vocab = nlp.vocab
        self.normalise: Callable[[str], str] = normaliser(nlp.lang, mode)
        self._seen: set[int] = set()

    def __call__(self, doc: Doc) -> Doc:
        new = set(doc.to_array(ORTH).tolist()) - self._seen
        for orth in new:
            lexeme = self.vocab[orth]
            lexeme.norm_ = self.normalise(lexeme.orth_)
        self._seen |= new
        return doc


@Language.factory("callradar_normaliser", default_config={"mode": "lemma+stem"})
def make_normaliser(nlp: Language, name: str, mode: Mode) -> Normaliser:
    return Normaliser(nlp, mode)


@registry.architectures("callradar.TextCatBOWNorm.v1")
def build_bow_norm_classifier(
    ngram_size: int, length: int, nO: int | None = None
) -> Model[list[Doc], Floats2d]:
    """spaCy's multi-label bag-of-words classifier (TextCatBOW.v3), fed with NORM instead
    of ORTH so that the inflected forms of a Polish word share one feature."""
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    resizable_layer: Model[Floats2d, Floats2d] = resizable(
        sparse_linear,
        resize_layer=partial(resize_linear_weighted, fill_defaults={"b": -5000, "W": 0}),
    )
    model = chain(extract_ngrams(ngram_size, attr=NORM), resizable_layer)
    model = chain(with_cpu(model, model.ops), with_cpu(Logistic(), model.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = True
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


@registry.architectures("callradar.NormEmbed.v1")
def build_norm_embed(width: int, rows: int, seed: int = 7) -> Model[list[Doc], list[Floats2d]]:
    """A token-to-vector layer for spaCy's `TextCatReduce.v1`: one hashed embedding per
    normalised word (NORM) and nothing else, so a word costs a table look-up (no
    convolution, no mixing layer) and the classifier is a mean of word vectors (fastText):
    its scores do not shrink or grow with a text's length."""
    embed = HashEmbed(nO=width, nV=rows, column=0, seed=seed)
    model: Model[list[Doc], list[Floats2d]] = chain(FeatureExtractor([NORM]), with_array(embed))
    model.set_dim("nO", width)
    return model


# A sentence ends at . ! ? ; followed by a space, or at a line break; a blank pipeline has
# no sentence splitter, and only the sentences holding matches are needed.
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
# How far (in characters) evidence reaches either side of a match in a sentence that does
# not end (a list of terms, a text with no punctuation).
_SENTENCE_REACH = 300


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the sentence around text[start:end]."""
    left = max(0, start - _SENTENCE_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, left, start)]
    sentence_start = ends[-1] if ends else left
    after = _SENTENCE_END.search(text, end, min(len(text), end + _SENTENCE_REACH))
    if after is None:
        sentence_end = min(len(text), end + _SENTENCE_REACH)
    else:
        sentence_end = after.end() if after.group() != "\n" else after.start()
    return sentence_start, sentence_end


def _evidence(doc: Doc, spans: list[Span], limit: int) -> list[str]:
    """The first `limit` sentences holding matches, each with its matches marked «...»."""
    text = doc._.callradar_text or doc.text
    by_sentence: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for span in spans:
        by_sentence[_sentence(text, span.start_char, span.end_char)].append(span)
    evidence: list[str] = []
    for (start, end), matched in sorted(by_sentence.items())[:limit]:
        parts: list[str] = []
        at = start
        for span in sorted(matched, key=lambda s: s.start_char):
            if span.start_char < at:
                continue
            parts += [text[at : span.start_char], "«", span.text, "»"]
            at = span.end_char
        parts.append(text[at:end])
        evidence.append(" ".join("".join(parts).split()))
    return evidence


def _title_end(text: str) -> int:
    """Where a call's title ends in its document (title, blank line, description)."""
    end = text.find("\n\n")
    return end if end >= 0 else 0


def matches_by_label(doc: Doc) -> dict[str, list[Span]]:
    """The rule matches of a doc by area or domain code. A phrase names one thing:
    "photonic sensors" is optical sensing, so the "sensors" inside it does not also count
    for sensors and MEMS."""
    by_label: dict[str, list[Span]] = defaultdict(list)
    for span in filter_spans(doc.spans[SPANS_KEY]):
        by_label[span.label_].append(span)
    return by_label


def rule_evidence(doc: Doc) -> dict[str, tuple[int, int, int]]:
    """Per code: matched core phrases, matched terms, and 1 if a core phrase is in the title
    (a call's title names what it funds; a term there is still only a term)."""
    title_end = _title_end(doc._.callradar_text or doc.text)
    counts: dict[str, tuple[int, int, int]] = {}
    for label, spans in matches_by_label(doc).items():
        core = sum(span.id_ == "core" for span in spans)
        in_title = any(span.id_ == "core" and span.end_char <= title_end for span in spans)
        counts[label] = (core, len(spans) - core, int(in_title))
    return counts


class AreaCombiner:
    """Turns rule matches and classifier scores into areas and domains.

    An area needs at least one matched phrase (so every area has evidence); its score
    blends the strength of the matches (1 - e^-(sum of pattern weights + a bonus when a
    core phrase is in the title)) with the classifier's probability. The blend and the
    thresholds are chosen by cross-validation on the training examples
    (bench/tagging_cv.py).
    """

    def __init__(
        self,
        weights: dict[str, float],
        title_bonus: float,
        rule_share: float,
        threshold: float,
        domain_threshold: float,
        max_evidence: int,
    ) -> None:
        if set(weights) != set(STRENGTHS):
            raise ValueError(f"weights must give one weight for each of {STRENGTHS}")
        self.weights = weights
        self.title_bonus = title_bonus
        self.rule_share = rule_share
        self.threshold = threshold
        self.domain_threshold = domain_threshold
        self.max_evidence = max_evidence

    def _score(self, spans: list[Span], title_end: int, probability: float) -> float:
        strength = sum(self.weights[span.id_] for span in spans)
        if any(span.id_ == "core" and span.end_char <= title_end for span in spans):
            strength += self.title_bonus
        rules = 1.0 - math.exp(-strength)
        return self.rule_share * rules + (1.0 - self.rule_share) * probability

    def __call__(self, doc: Doc) -> Doc:
        by_label = matches_by_label(doc)
        title_end = _title_end(doc._.callradar_text or doc.text)
        areas: list[AreaTag] = []
        for area in AREAS:
            spans = by_label.get(area.code, [])
            if not spans:
                continue
            score = self._score(spans, title_end, doc.cats.get(area.code, 0.0))
            if score >= self.threshold:
                evidence = _evidence(doc, spans, self.max_evidence)
                areas.append(AreaTag(area.code, round(score, 3), evidence))
        implied = {domain_of(a.code) for a in areas}
        whole: list[AreaTag] = []
        for domain in DOMAINS:
            spans = by_label.get(domain.code, [])
            if not spans or domain.code in implied:
                continue
            score = self._score(spans, title_end, doc.cats.get(domain.code, 0.0))
            if score >= self.domain_threshold:
                evidence = _evidence(doc, spans, self.max_evidence)
                whole.append(AreaTag(domain.code, round(score, 3), evidence))
        domains = implied | {tag.code for tag in whole}
        doc._.callradar_areas = areas
        doc._.callradar_whole_domains = whole
        doc._.callradar_domains = [d.code for d in DOMAINS if d.code in domains]
        return doc


@Language.factory(
    "callradar_area_combiner",
    default_config={
        "weights": {"core": 1.0, "term": 0.5},
        "title_bonus": 0.0,
        "rule_share": 0.6,
        "threshold": 0.5,
        "domain_threshold": 0.5,
        "max_evidence": 3,
    },
)
def make_area_combiner(
    nlp: Language,
    name: str,
    weights: dict[str, float],
    title_bonus: float,
    rule_share: float,
    threshold: float,
    domain_threshold: float,
    max_evidence: int,
) -> AreaCombiner:
    return AreaCombiner(weights, title_bonus, rule_share, threshold, domain_threshold, max_evidence)
