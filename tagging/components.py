"""spaCy pieces the tagging pipeline's config names: the pattern loader, the word
normaliser, the classifier's embedding of normalised words, and the combiner."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.ml.featureextractor import FeatureExtractor
from spacy.pipeline.span_ruler import SpanRuler
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Model,
    chain,
    with_array,
)
from thinc.types import Floats2d

from callradar.errors import InputFileError, Problem
from callradar.jsonl import json_lines
from callradar.taxonomy import ALL_CODES, AREAS, DOMAINS, domain_of
from tagging.normalise import MODES, Mode, normaliser, unmarked_norms, word_in_capitals
from tagging.result import AreaTag

PATTERNS_DIR = Path(__file__).parent / "patterns"
SPANS_KEY = "callradar_rules"
STRENGTHS: tuple[str, ...] = ("core", "term")
# The label of a phrase that holds a taxonomy phrase but names something else: airtime
# ("na antenie"), "on the radar", an electron microscope, a funder's office named after
# microsystems. Of overlapping phrases only the longest counts, so such a phrase hides the
# shorter one inside it, and it counts for no code itself.
NAMES_NOTHING = "none"

Doc.set_extension("callradar_areas", default=None, force=True)
Doc.set_extension("callradar_domains", default=None, force=True)
Doc.set_extension("callradar_whole_domains", default=None, force=True)
# The text a doc was made from, when the caller has it: rebuilding `doc.text` from the tokens
# costs more than finding the evidence in it.
Doc.set_extension("callradar_text", default=None, force=True)
# The rule matches of a doc (see PhraseRules).
Doc.set_extension("callradar_matches", default=None, force=True)
# The NORM of each token as an array, when the tagger has it already (the classifier's
# features): the combiner tells phrases apart by their norms.
Doc.set_extension("callradar_norms", default=None, force=True)
# Where spaCy keeps those extensions' values: the hot paths read and write them in
# `doc.user_data` directly, as the `doc._` accessor costs microseconds a use.


def extension_key(name: str) -> Any:
    """Where spaCy keeps the value of the Doc extension `name`: `doc.user_data[key]`.

    Typed Any: spaCy's stubs key `user_data` by str, but spaCy keys its own extensions by
    this tuple."""
    return ("._.", name, None, None)


_MATCHES = extension_key("callradar_matches")
_TEXT = extension_key("callradar_text")
_NORMS = extension_key("callradar_norms")
_AREAS = extension_key("callradar_areas")
_DOMAINS = extension_key("callradar_domains")
_WHOLE = extension_key("callradar_whole_domains")

# A rule match as PhraseRules stores it: token start and end, label and id hashes, label
# and id.
RawMatch = tuple[int, int, int, int, str, str]


# A located match: token start and end, character start and end, label and id (as
# `RuleMatch`, which is one).
Located = tuple[int, int, int, int, str, str]


class RuleMatch(NamedTuple):
    """A matched phrase: token and character bounds, its area or domain code (`label_`)
    and its strength (`id_`, "core" or "term"), named as on a spaCy `Span`."""

    start: int
    end: int
    start_char: int
    end_char: int
    label_: str
    id_: str


def doc_text(doc: Doc) -> str:
    """The text a doc was made from: the caller's copy when it set one, else rebuilt."""
    return doc.user_data.get(_TEXT) or doc.text


def pattern_files(lang: str) -> list[Path]:
    """Pattern files a pipeline for `lang` uses: Polish calls also use English terms."""
    langs = [lang] if lang == "en" else [lang, "en"]
    return [PATTERNS_DIR / f"{code}.jsonl" for code in langs]


def read_patterns(path: Path) -> list[dict[str, Any]]:
    """Read one pattern file; InputFileError names the line of each bad pattern."""
    rows, problems = json_lines(path)
    patterns: list[dict[str, Any]] = []
    for number, entry in rows:
        place = f"line {number}"
        if set(entry) != {"label", "pattern", "id"}:
            problems.append(Problem("expected an object with label, pattern and id", place))
        elif entry["label"] not in ALL_CODES and entry["label"] != NAMES_NOTHING:
            problems.append(Problem(f"unknown area or domain code {entry['label']!r}", place))
        elif entry["id"] not in STRENGTHS:
            problems.append(Problem(f"id must be one of {STRENGTHS}, not {entry['id']!r}", place))
        elif not isinstance(entry["pattern"], str) or not entry["pattern"].strip():
            problems.append(Problem("pattern must be a non-empty phrase", place))
        else:
            patterns.append(entry)
    if problems:
        raise InputFileError(path, problems)
    return patterns


# A hyphen between letters ("chip-scale", "mixed-signal", "analogowo-cyfrowe") is as often
# written as a space, which the tokenizer reads as different words: each phrase with one
# also matches written apart.
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


@registry.misc("callradar.area_patterns.v1")
def area_patterns(lang: str) -> list[dict[str, Any]]:
    """The patterns of the files for `lang`, plus each hyphenated phrase written apart;
    each (label, phrase, strength) once."""
    listed = [p for path in pattern_files(lang) for p in read_patterns(path)]
    apart = [{**p, "pattern": _HYPHEN.sub(" ", p["pattern"])} for p in listed]
    unique = {(p["label"], p["pattern"], p["id"]): p for p in [*listed, *apart]}
    return list(unique.values())


class PhraseRules(SpanRuler):
    """spaCy's `span_ruler` for phrase patterns, without its per-document costs: it asks
    the token matcher only when it has patterns, skips the warnings guard, and keeps its
    matches as plain tuples (read them with `matches_by_label`) instead of `Span` objects
    under `doc.spans`: making a Span per match cost more than the matching itself.

    The matches are stored under `doc._.callradar_matches` as `(start, end, label hash,
    id hash, label, id)`, deduplicated and in the order spaCy sorts spans (by position,
    then label and id hash), which `filter_spans` relies on to break ties.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per match key, the label and id hashes and strings (a key is the hash of the
        # label and id, so what it stands for never changes).
        self._codes: dict[int, tuple[int, int, str, str]] = {}

    def __call__(self, doc: Doc) -> Doc:
        matches = self.phrase_matcher(doc)
        if len(self.matcher):
            matches = [*matches, *self.matcher(doc)]
        elif matches:
            doc.user_data[_MATCHES] = self._phrase_matches(doc, matches)
            return doc
        found: list[RawMatch] = []
        if matches:
            codes = self._codes
            unique = set()
            for key, start, end in matches:
                if start != end:
                    code = codes.get(key)
                    if code is None:
                        code = codes[key] = self._code(doc, key)
                    unique.add((start, end, *code))
            found = sorted(unique)
        doc.user_data[_MATCHES] = found
        return doc

    def _phrase_matches(self, doc: Doc, matches: list[tuple[int, int, int]]) -> list[RawMatch]:
        """The phrase matcher's matches as `__call__` stores them, without a set: the phrase
        matcher finds each (key, start, end) once, never an empty one, and in order of
        start, then end; only matches with the same bounds (a phrase listed under two codes)
        may need sorting by label and id. Sorting an already sorted list compares each
        neighbour once, which costs less than looking for equal bounds first did (the rules
        took 104 million instructions on 2,000 short calls instead of 113)."""
        codes = self._codes
        try:
            found = [(start, end, *codes[key]) for key, start, end in matches]
        except KeyError:
            for key, _, _ in matches:
                if key not in codes:
                    codes[key] = self._code(doc, key)
            found = [(start, end, *codes[key]) for key, start, end in matches]
        found.sort()
        return found

    def _code(self, doc: Doc, key: int) -> tuple[int, int, str, str]:
        info = self._match_label_id_map[key]
        label, span_id = info["label"], info["id"]
        add = doc.vocab.strings.add
        return add(label), add(span_id), label, span_id


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
    and the classifier both read NORM. Once every lexeme of the vocabulary has its norm, a
    doc whose words added none to it (the vocabulary is no bigger) is left as it is
    without looking at its words. The one exception is a title written in capitals, where a
    short word that is an acronym elsewhere is a word (`word_in_capitals`): its tokens there
    get a norm of their own.
    """

    def __init__(self, nlp: Language, mode: Mode) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown normalisation mode {mode!r}; expected one of {MODES}")
        self.vocab = nlp.vocab
        assert nlp.lang is not None, "a pipeline made by spacy.blank has its language"
        self.normalise: Callable[[str], str] = normaliser(
            nlp.lang, mode, _phrase_norms_unmarked(nlp, mode)
        )
        self._as_word = word_in_capitals(nlp.lang, self.normalise)
        # Per word in capitals met in a title in capitals, its norm as a word, or "".
        self._words_in_capitals: dict[int, str] = {}
        self._seen: set[int] = set()
        # The vocabulary's size when every lexeme in it was known to have its norm.
        self._complete_at = -1
        # Tokens looked at doc by doc since the last pass over the whole vocabulary.
        self._since_sweep = 1 << 62

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        title_end = _title_end(text)
        if title_end and text[:title_end].isupper():
            self._read_as_words(doc, title_end)
        size = len(self.vocab)
        if size == self._complete_at:
            return doc
        if self._since_sweep >= size:
            # Lexemes made outside docs (the patterns', the tokenizer's special cases) would
            # otherwise keep the vocabulary from being known complete. A pass over it all
            # comes only after as many tokens were looked at doc by doc, so it at most
            # doubles that work.
            self._add({lexeme.orth for lexeme in self.vocab} - self._seen)
            self._since_sweep = 0
        else:
            self._add(set(doc.to_array(ORTH).tolist()) - self._seen)
            self._since_sweep += len(doc)
        if len(self._seen) == size:
            self._complete_at = size
        return doc

    def _read_as_words(self, doc: Doc, title_end: int) -> None:
        """Gives the words of a title in capitals that are words there their norm as words."""
        known = self._words_in_capitals
        for token in doc:
            if token.idx >= title_end:
                break
            norm = known.get(token.orth)
            if norm is None:
                norm = known[token.orth] = self._as_word(token.text) or ""
            if norm:
                token.norm_ = norm

    def _add(self, new: set[int]) -> None:
        for orth in new:
            lexeme = self.vocab[orth]
            lexeme.norm_ = self.normalise(lexeme.orth_)
        self._seen |= new


def _phrase_norms_unmarked(nlp: Language, mode: Mode) -> dict[str, str]:
    """For a Polish pipeline, the norms of the words of its own phrases (tagging/patterns/
    pl.jsonl) by their spelling without marks (`unmarked_norms`): what a word typed without
    marks may stand for. Only the phrases' words are restored: that is what the rules need,
    and the fewer norms, the fewer unknown words taken for one."""
    if nlp.lang != "pl" or mode != "lemma+stem":
        return {}
    assert nlp.lang is not None
    plain = normaliser(nlp.lang, mode)
    words = {
        token.text
        for pattern in read_patterns(PATTERNS_DIR / "pl.jsonl")
        for token in nlp.make_doc(pattern["pattern"])
        if token.is_alpha
    }
    return unmarked_norms(plain(word) for word in words)


@Language.factory("callradar_normaliser", default_config={"mode": "lemma+stem"})
def make_normaliser(nlp: Language, name: str, mode: Mode) -> Normaliser:
    return Normaliser(nlp, mode)


@registry.architectures("callradar.NormEmbed.v1")
def build_norm_embed(width: int, rows: int, seed: int = 7) -> Model[list[Doc], list[Floats2d]]:
    """A token-to-vector layer for spaCy's `TextCatReduce.v1`: one hashed embedding per
    normalised word (NORM) and nothing else, so a word costs a table look-up (no
    convolution, no mixing layer) and the classifier is a mean of word vectors (fastText):
    its scores do not shrink or grow with a text's length."""
    embed: Model[Any, Any] = HashEmbed(nO=width, nV=rows, column=0, seed=seed)
    model: Model[list[Doc], list[Floats2d]] = chain(FeatureExtractor([NORM]), with_array(embed))
    model.set_dim("nO", width)
    return model


# A sentence ends at . ! ? ; followed by whitespace, or at a line break (`_sentence_ends`); a
# blank pipeline has no sentence splitter, and only the sentences holding matches are needed.
# How far (in characters) evidence reaches either side of a match in a sentence that does
# not end (a list of terms, a text with no punctuation).
_SENTENCE_REACH = 300


def _sentence_ends(text: str) -> list[int]:
    """Where sentences end: each . ! ? ; followed by whitespace (`str.isspace`, what `\\s`
    matches in a str pattern) and each line break, found by `str.find`, which skips to the
    next candidate a few times faster than a regular expression trying every character."""
    found: list[int] = []
    find = text.find
    last = len(text) - 1
    for mark in ".!?;":
        at = find(mark)
        while at >= 0:
            if at < last and text[at + 1].isspace():
                found.append(at)
            at = find(mark, at + 1)
    at = find("\n")
    while at >= 0:
        found.append(at)
        at = find("\n", at + 1)
    found.sort()
    return found


class Sentences:
    """Sentence bounds in one text, from all its sentence ends found in one pass (a call's
    evidence looks up a few sentences; two searches each cost more)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends = _sentence_ends(text)
        self._length = len(text)
        self._count = len(self._ends)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """Character bounds of the sentence around text[start:end]: from the last sentence
        end in the `_SENTENCE_REACH` characters before it to the first in as many after,
        as `_sentence_ends` finds them in those windows alone. A window's search cannot
        see past its end, so a "." as its last character does not end a sentence there.

        The windows are clipped by comparisons, not `max` and `min`, whose calls took about a
        third of a look-up (0.5 of 1.4 microseconds; with the one-match marking in
        `_evidence`, the evidence of 2,000 short calls took 84 million instructions instead
        of 99)."""
        text, ends = self.text, self._ends
        left = start - _SENTENCE_REACH
        if left < 0:
            left = 0
        before = bisect_left(ends, start) - 1
        if before >= 0 and ends[before] == start - 1 and text[start - 1] != "\n":
            before -= 1
        sentence_start = left
        if before >= 0 and ends[before] >= left:
            sentence_start = ends[before] + 1
        elif left:
            sentence_start = _word_start(text, left, start)
        reach = end + _SENTENCE_REACH
        if reach > self._length:
            reach = self._length
        after = bisect_left(ends, end)
        if after < self._count:
            at = ends[after]
            if text[at] == "\n":
                if at < reach:
                    return sentence_start, at
            elif at + 1 < reach:
                return sentence_start, at + 1
        if reach < self._length:
            return sentence_start, _word_end(text, end, reach)
        return sentence_start, reach


# A window cut at a fixed reach would start or end inside a word ("versity of Macau"): it
# is moved to the nearest space inside it, keeping the match.
def _word_start(text: str, left: int, start: int) -> int:
    """`left`, or just past the first space after it (before `start`) if it is inside a word."""
    if text[left - 1].isspace() or text[left].isspace():
        return left
    space = text.find(" ", left, start)
    return left if space < 0 else space + 1


def _word_end(text: str, end: int, reach: int) -> int:
    """`reach`, or the last space before it (from `end`) if it is inside a word."""
    if text[reach - 1].isspace() or text[reach].isspace():
        return reach
    space = text.rfind(" ", end, reach)
    return reach if space < 0 else space


# The characters a sentence's bounds from `Sentences.around` lie next to when they are a
# sentence's own ends, not a cut through it: a cut is shown with an ellipsis.
_ENDS_BEFORE = frozenset(".!?;\n")
_ENDS_AFTER = frozenset(".!?;")
_CUT = "…"


def _normal(sentence: str) -> str:
    """The sentence's words joined by single spaces. A sentence of a cleaned text has no
    whitespace but single spaces: if it is printable (ASCII space is the only printable
    whitespace) and has no double space, stripping it gives the same string, without
    making a string of each word."""
    if sentence.isprintable() and "  " not in sentence:
        return sentence.strip()
    return " ".join(sentence.split())


def _normal_noted(text: str, bounds: tuple[int, int], plain: dict[tuple[int, int], bool]) -> str:
    """`_normal` of the sentence at `bounds`, noting in `plain` whether it took the short
    way (printable, no double space): the same sentence with its matches marked then does
    too, as the marks are printable and no spaces, so it need not be looked at again."""
    sentence = text[bounds[0] : bounds[1]]
    plain[bounds] = is_plain = sentence.isprintable() and "  " not in sentence
    return sentence.strip() if is_plain else " ".join(sentence.split())


def _evidence(sentences: Sentences, spans: Iterable[Located], limit: int) -> list[str]:
    """The first `limit` sentences holding matches, each with its matches marked «...».

    `spans` are in text order (as `matches_by_label` gives them, not overlapping), so their
    sentences come in order too (a later match's sentence never starts or ends earlier):
    once `limit` sentences are found the next new one ends the search, and the spans after
    it are never taken from `spans` (the combiner locates each in the text only when
    taken).
    """
    text = sentences.text
    by_sentence: dict[tuple[int, int], list[Located]] = {}
    # A sentence a call repeats word for word (a summary, then the same in its scope) is
    # evidence once: the reader learns nothing from its copy. The sentences said are
    # written out only when a second one comes.
    said: set[str] | None = None
    plain: dict[tuple[int, int], bool] = {}
    around = sentences.around
    last = (0, 0)
    for span in spans:
        bounds = around(span[2], span[3])
        if bounds != last and bounds[0] < last[1]:
            # A sentence too long to show whole is shown in windows around its matches:
            # a match the last window shows is marked there, and the next window starts
            # where the last ended, so no stretch of text is shown twice.
            if span[2] >= last[0] and span[3] <= last[1]:
                bounds = last
            elif span[2] >= last[1]:
                bounds = (last[1], bounds[1])
        last = bounds
        matched = by_sentence.get(bounds)
        if matched is None:
            if len(by_sentence) == limit:
                break
            if by_sentence:
                if said is None:
                    said = {_normal_noted(text, known, plain) for known in by_sentence}
                sentence = _normal_noted(text, bounds, plain)
                if sentence in said:
                    continue
                said.add(sentence)
            by_sentence[bounds] = [span]
        else:
            matched.append(span)
    evidence: list[str] = []
    for (start, end), matched in by_sentence.items():
        if len(matched) == 1:
            # Most sentences hold one match, which lies inside its sentence.
            start_char, end_char = matched[0][2], matched[0][3]
            marked = f"{text[start:start_char]}«{text[start_char:end_char]}»{text[end_char:end]}"
        else:
            parts: list[str] = []
            at = start
            for span in matched:
                start_char, end_char = span[2], span[3]
                if start_char < at:
                    continue
                parts += [text[at:start_char], "«", text[start_char:end_char], "»"]
                at = end_char
            parts.append(text[at:end])
            marked = "".join(parts)
        is_plain = plain.get((start, end))
        if is_plain is None:
            marked = _normal(marked)
        else:
            marked = marked.strip() if is_plain else " ".join(marked.split())
        if start and text[start - 1] not in _ENDS_BEFORE:
            marked = _CUT + marked
        if end < len(text) and text[end] != "\n" and text[end - 1] not in _ENDS_AFTER:
            marked += _CUT
        evidence.append(marked)
    return evidence


def _title_end(text: str) -> int:
    """Where a call's title ends in its document (title, blank line, description)."""
    end = text.find("\n\n")
    return end if end >= 0 else 0


def _resolved_runs(
    found: list[RawMatch], resolve: Callable[[list[RawMatch]], list[RawMatch]]
) -> list[RawMatch]:
    """`found` (in text order) with each run of overlapping matches replaced by what
    `resolve` keeps of it; a match that overlaps nothing is kept as it is. Whether a match
    wins over another depends only on matches that overlap it, all in its run (no token is
    in two runs), so resolving each run on its own gives what resolving all of `found` at
    once gives, without looking at the many matches that overlap nothing."""
    kept: list[RawMatch] = []
    at, count = 0, len(found)
    while at < count:
        reach = found[at][1]
        after = at + 1
        while after < count and found[after][0] < reach:
            # A comparison, not `max`: see `Sentences.around`.
            if found[after][1] > reach:
                reach = found[after][1]
            after += 1
        if after == at + 1:
            kept.append(found[at])
        else:
            kept += resolve(found[at:after])
        at = after
    return kept


def _longest_first(found: list[RawMatch]) -> list[RawMatch]:
    """spaCy's `filter_spans` on raw matches: where matches overlap, the longest (then the
    first) wins; the rest in text order. `found` is in the order spaCy sorts spans, which
    decides between equal matches of different codes."""
    return _resolved_runs(found, _longest_of_run)


def _longest_of_run(run: list[RawMatch]) -> list[RawMatch]:
    """`filter_spans` on one run of overlapping matches."""
    if len(run) == 2:
        # The longer wins, the first if they are as long.
        first, second = run
        return [first if first[1] - first[0] >= second[1] - second[0] else second]
    return _filter_overlapping(run)


def _filter_overlapping(found: list[RawMatch]) -> list[RawMatch]:
    """spacy.util.filter_spans, step for step, on raw matches."""
    kept: list[RawMatch] = []
    seen: set[int] = set()
    for match in sorted(found, key=lambda m: (m[1] - m[0], -m[0]), reverse=True):
        start, end = match[0], match[1]
        if start not in seen and end - 1 not in seen:
            kept.append(match)
            seen.update(range(start, end))
    kept.sort(key=lambda m: m[0])
    return kept


# How the matches of different codes that overlap are counted: "longest" keeps only the
# longest of a run of overlapping matches (then the first), whatever their codes;
# "contained" keeps each code's own matches (the longest of its overlapping ones) and drops
# only a match lying inside a longer match of another code, so "photonic sensors" is still
# optical sensing and not also sensors and MEMS, while in "integrated photonic sensors" both
# "integrated photonic" and "photonic sensors" count.
OVERLAPS: tuple[str, ...] = ("longest", "contained")


def _by_label(found: list[RawMatch], overlap: str = "longest") -> dict[str, list[RawMatch]]:
    """Raw matches by area or domain code, each code's in text order, overlapping matches
    of different codes counted as `overlap` says (see OVERLAPS). A phrase names one
    thing: "photonic sensors" is optical sensing, so the "sensors" inside it does not also
    count for sensors and MEMS."""
    kept = _longest_first(found) if overlap == "longest" else _uncontained(found)
    by_label: dict[str, list[RawMatch]] = {}
    for match in kept:
        spans = by_label.get(match[4])
        if spans is None:
            by_label[match[4]] = [match]
        else:
            spans.append(match)
    return by_label


def _uncontained(found: list[RawMatch]) -> list[RawMatch]:
    """Each code's matches with its own overlaps resolved as `_longest_first` does, less the
    matches that lie inside a longer match of another code; in the order of `found`."""
    return _resolved_runs(found, _uncontained_of_run)


def _uncontained_of_run(found: list[RawMatch]) -> list[RawMatch]:
    """`_uncontained` on one run of overlapping matches."""
    if len(found) == 2:
        # The commonest run, decided directly. `first` starts no later than `second`, and
        # ends no later if they start together.
        first, second = found
        if first[4] == second[4]:
            return _longest_of_run(found)
        if second[1] <= first[1] and first[1] - first[0] > second[1] - second[0]:
            return [first]
        if first[0] == second[0] and first[1] < second[1]:
            return [second]
        return found
    per_label: dict[str, list[RawMatch]] = {}
    for match in found:
        per_label.setdefault(match[4], []).append(match)
    if len(per_label) == 1:
        return _longest_first(found)
    own = sorted(
        (m for spans in per_label.values() for m in _longest_first(spans)),
        key=lambda m: (m[0], -m[1]),
    )
    # A match lies inside a longer one when another starts before it and ends no earlier,
    # or starts with it and ends later (no code's own matches overlap any more).
    kept: set[RawMatch] = set()
    reach = -1  # the furthest end of the matches starting before the current start
    at = 0
    while at < len(own):
        start = own[at][0]
        group_end = at
        while group_end < len(own) and own[group_end][0] == start:
            group_end += 1
        longest = own[at][1]
        for match in own[at:group_end]:
            if match[1] > reach and match[1] == longest:
                kept.add(match)
        reach = max(reach, longest)
        at = group_end
    return [m for m in found if m in kept]


def _located(doc: Doc, found: list[RawMatch]) -> Iterator[Located]:
    """Raw matches with their character bounds, taken from the tokens as each is asked for
    (doc.to_array([IDX, LENGTH]) for all tokens costs more than the few the combiner
    needs), as plain tuples laid out as `RuleMatch` (making a named tuple costs a Python
    call)."""
    for start, end, _, _, label, strength in found:
        last = doc[end - 1]
        start_char = doc[start].idx if end - start > 1 else last.idx
        yield start, end, start_char, last.idx + len(last), label, strength


def matches_by_label(doc: Doc, overlap: str = "longest") -> dict[str, list[RuleMatch]]:
    """The rule matches of a doc by area or domain code, each code's in text order, with
    their character bounds, overlaps between codes resolved as `overlap` says (see
    `_by_label`)."""
    found = doc.user_data.get(_MATCHES)
    if not found:
        return defaultdict(list)
    by_label: dict[str, list[RuleMatch]] = defaultdict(list)
    for label, spans in _by_label(found, overlap).items():
        by_label[label] = [RuleMatch._make(span) for span in _located(doc, spans)]
    return by_label


def has_matches(doc: Doc) -> bool:
    """Whether the rules matched anything in a doc."""
    return bool(doc.user_data.get(_MATCHES))


def rule_evidence(doc: Doc) -> dict[str, tuple[int, int, int]]:
    """Per code: matched core phrases, matched terms, and 1 if a core phrase is in the title
    (a call's title names what it funds; a term there is still only a term)."""
    title_end = _title_end(doc_text(doc))
    counts: dict[str, tuple[int, int, int]] = {}
    for label, spans in matches_by_label(doc).items():
        core = sum(span.id_ == "core" for span in spans)
        in_title = any(span.id_ == "core" and span.end_char <= title_end for span in spans)
        counts[label] = (core, len(spans) - core, int(in_title))
    return counts


# The codes in the taxonomy's order, the order of a call's areas and domains.
_AREA_ORDER: tuple[str, ...] = tuple(area.code for area in AREAS)
_DOMAIN_ORDER: tuple[str, ...] = tuple(domain.code for domain in DOMAINS)
# Each code's place when a call's tags are listed: the areas, then the domains.
_CODE_RANK: dict[str, int] = {code: rank for rank, code in enumerate(_AREA_ORDER + _DOMAIN_ORDER)}
_AREA_COUNT = len(_AREA_ORDER)


class AreaCombiner:
    """Turns rule matches and classifier scores into areas and domains.

    An area needs at least one matched phrase (so every area has evidence); its score
    blends the strength of the matches with the classifier's probability. The strength is
    1 - e^-(weight of each distinct core phrase + a smaller weight for each repetition of
    one + weight of each term + a bonus when a core phrase is in the title): a call that
    names its area in several ways says more than one that repeats one phrase. A lone core
    phrase (one distinct phrase, not in the title) is vetoed when the classifier gives the
    code less than `lone_veto`: calls about something else mention a laser or a pilot line
    in passing. The weights, blend and thresholds are chosen by cross-validation on the
    training examples (bench/tagging_cv.py). Phrases of different codes that overlap count
    as `overlap` says (OVERLAPS).
    """

    def __init__(
        self,
        weights: dict[str, float],
        title_bonus: float,
        rule_share: float,
        threshold: float,
        domain_threshold: float,
        max_evidence: int,
        repeat_weight: float | None = None,
        lone_veto: float = 0.0,
        overlap: str = "longest",
    ) -> None:
        if set(weights) != set(STRENGTHS):
            raise ValueError(f"weights must give one weight for each of {STRENGTHS}")
        if overlap not in OVERLAPS:
            raise ValueError(f"overlap must be one of {OVERLAPS}, not {overlap!r}")
        self.weights = weights
        self.title_bonus = title_bonus
        self.rule_share = rule_share
        self.threshold = threshold
        self.domain_threshold = domain_threshold
        self.max_evidence = max_evidence
        # A repeated core phrase weighs as much as a new one unless told otherwise (as
        # pipelines trained before the distinction was made expect).
        self.repeat_weight = weights["core"] if repeat_weight is None else repeat_weight
        self.lone_veto = lone_veto
        self.overlap = overlap

    def _score(
        self,
        doc: Doc,
        spans: list[RawMatch],
        norms: bytes,
        width: int,
        title_end: int,
        probability: float,
    ) -> float | None:
        """The code's score, or None when a lone core phrase is vetoed. `norms` are the
        doc's tokens' NORMs as bytes, `width` bytes each: a phrase's slice of them tells
        it apart from other phrases. `spans` are in text order and do not overlap, so the
        first core phrase ends first: a core phrase is in the title if and only if the
        first one is."""
        phrases: set[bytes] = set()
        first_core: RawMatch | None = None
        cores = 0
        for span in spans:
            if span[5] == "core":
                cores += 1
                if first_core is None:
                    first_core = span
                phrases.add(norms[span[0] * width : span[1] * width])
        in_title = False
        if first_core is not None and title_end:
            last = doc[first_core[1] - 1]
            in_title = last.idx + len(last) <= title_end
        distinct = len(phrases)
        if distinct == 1 and not in_title and probability < self.lone_veto:
            return None
        strength = (
            self.weights["core"] * distinct
            + self.repeat_weight * (cores - distinct)
            + self.weights["term"] * (len(spans) - cores)
            + self.title_bonus * in_title
        )
        rules = 1.0 - math.exp(-strength)
        return self.rule_share * rules + (1.0 - self.rule_share) * probability

    def __call__(self, doc: Doc) -> Doc:
        data = doc.user_data
        found = data.get(_MATCHES)
        areas: list[AreaTag] = []
        whole: list[AreaTag] = []
        domains: list[str] = []
        if found:
            areas, whole, domains = self._combine(doc, found)
        data[_AREAS] = areas
        data[_WHOLE] = whole
        data[_DOMAINS] = domains
        return doc

    def _combine(
        self, doc: Doc, found: list[RawMatch]
    ) -> tuple[list[AreaTag], list[AreaTag], list[str]]:
        """Areas, whole domains and domains from a doc's rule matches and `doc.cats`.

        Only the codes that matched are looked at, areas first, each in the taxonomy's
        order (`_CODE_RANK`): a doc matches two or three of the eighteen codes (going
        through all of them took about 4 of the combiner's 254 million instructions on
        2,000 short calls)."""
        by_label = _by_label(found, self.overlap)
        text = doc_text(doc)
        title_end = _title_end(text)
        ids: Any = doc.user_data.get(_NORMS)
        if ids is None:
            ids = doc.to_array(NORM)
        # As bytes, not a list of ints (a Python int a token cost more than the scoring).
        norms: bytes = ids.tobytes()
        width: int = ids.itemsize
        cats = doc.cats
        sentences: Sentences | None = None
        areas: list[AreaTag] = []
        whole: list[AreaTag] = []
        implied: set[str] = set()
        ranked = sorted((_CODE_RANK[code], code) for code in by_label if code in _CODE_RANK)
        for rank, code in ranked:
            is_area = rank < _AREA_COUNT
            # A domain an area of it implies is not a whole domain (areas come first).
            if not is_area and code in implied:
                continue
            spans = by_label[code]
            score = self._score(doc, spans, norms, width, title_end, cats.get(code, 0.0))
            if score is None or score < (self.threshold if is_area else self.domain_threshold):
                continue
            sentences = sentences or Sentences(text)
            evidence = _evidence(sentences, _located(doc, spans), self.max_evidence)
            if is_area:
                areas.append(AreaTag(code, round(score, 3), evidence))
                implied.add(domain_of(code))
            else:
                whole.append(AreaTag(code, round(score, 3), evidence))
        domains = implied | {tag.code for tag in whole}
        return areas, whole, [code for code in _DOMAIN_ORDER if code in domains]


@Language.factory(
    "callradar_area_combiner",
    default_config={
        "weights": {"core": 1.0, "term": 0.5},
        "title_bonus": 0.0,
        "rule_share": 0.6,
        "threshold": 0.5,
        "domain_threshold": 0.5,
        "max_evidence": 3,
        "repeat_weight": None,
        "lone_veto": 0.0,
        "overlap": "longest",
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
    repeat_weight: float | None,
    lone_veto: float,
    overlap: str,
) -> AreaCombiner:
    return AreaCombiner(
        weights,
        title_bonus,
        rule_share,
        threshold,
        domain_threshold,
        max_evidence,
        repeat_weight=repeat_weight,
        lone_veto=lone_veto,
        overlap=overlap,
    )
