"""The tagger the rest of callradar calls: calls in, areas with scores and evidence out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy
import spacy
from spacy.attrs import NORM
from spacy.language import Language
from spacy.pipeline.textcat import TextCategorizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from thinc.types import Ragged

from callradar.gcpause import collector_paused

# Importing the components also registers what the pipelines' configs name.
from tagging.components import extension_key, has_matches
from tagging.language import SUPPORTED, LanguageDetector, checked_claim
from tagging.normalise import Mode
from tagging.paths import MODELS_DIR
from tagging.result import AreaTag, CallText, TagResult
from tagging.text import call_document, has_words

# Calls are tagged a batch at a time, of at most `_BATCH` calls and, once past its first
# call, `_BATCH_CHARS` characters of title and description (a few hundred call-length calls,
# a couple of thousand short ones): each stage runs over a whole batch's docs, and each
# run of a stage starts by reading its tables into the cache and setting up its layers
# (batches of 256 calls took 7% more CPU time on 86-word calls, A/B in one process; on
# call-length texts, where 256 calls made over a million characters, the same). The
# characters bound the docs alive at once.
_BATCH = 2048
_BATCH_CHARS = 2_000_000
_Item = TypeVar("_Item")
_RULES = "area_rules"
_CLASSIFIER = "textcat_multilabel"
_NO_TEXT = "no text to tag once markup and control characters are removed"
_TEXT = extension_key("callradar_text")
_AREAS = extension_key("callradar_areas")
_DOMAINS = extension_key("callradar_domains")
_WHOLE = extension_key("callradar_whole_domains")
# The classifier's features are each token's NORM; kept for the combiner.
_NORMS = extension_key("callradar_norms")


@dataclass(slots=True)
class _Pending:
    call: CallText
    text: str = ""
    language: str | None = None
    notes: list[str] = field(default_factory=list)
    result: TagResult | None = None


# Whitespace spaCy lists as tokenizer special cases although splitting it normally gives the
# same token (same text, norm and offsets; tested). "\xa0" stays: its special case sets a
# norm of its own.
_PLAIN_WHITESPACE = ("\n", " ", "\t")


def keep_caching_after_line_breaks(nlp: Language) -> None:
    """Let the tokenizer keep caching after a line break.

    spaCy's tokenizer remembers how it split each chunk between spaces, but once a text
    hits a special case it remembers nothing more of that text (`Tokenizer._save_cached`,
    spaCy issue #1250), and a lone line break is a special case. Real call texts have
    line breaks everywhere (list items, paragraphs), so after the first one every word was
    split afresh: on call-length texts with single line breaks, 100k words/s instead of
    2M. Dropping the line break, space and tab special cases changes no token."""
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    rules = dict(tokenizer.rules or {})
    if any(rules.pop(ws, None) is not None for ws in _PLAIN_WHITESPACE):
        tokenizer.rules = rules


def _claimed_language(language: str | None) -> str | None:
    """A source's language claim ('EN', 'pl-PL', 'de') as a two-letter code, or None when it
    names no language by one ('und', 'mul', 'Polish')."""
    if not language:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _run(nlp: Language, texts: list[str]) -> list[Doc | None]:
    """The pipeline over `texts`, as `nlp.pipe` runs it but without its generator layers
    per document and component, and with the components after the rules run only on the
    texts where a rule matched: the combiner assigns nothing without a matched phrase, so
    the classifier's probabilities for the other texts would never be read. The others
    come back as None (`_outcome` reads that as nothing found).

    The texts are tokenized a group at a time (`_GROUP_CHARS`), then each doc of the group
    goes through the components up to the rules (a doc without a match is let go with its
    group): each phase keeps its own tables in the processor's cache (the tokenizer's
    cache and vocabulary, then the matcher's phrases), 3-6% faster on call-length texts
    and 2-14% on short ones than taking each doc through both in turn. A matched doc's
    NORM array, which the classifier and the combiner read, is taken right after its
    rules: by the classifier's turn its tokens' lexemes are out of the cache.
    """
    names = nlp.pipe_names
    upto = names.index(_RULES) + 1 if _RULES in names else len(names)
    first = [proc for _, proc in nlp.pipeline[:upto]]
    make_doc = nlp.make_doc
    docs: list[Doc | None] = []
    matched: list[Doc] = []
    for group in _chunked(texts, len, _GROUP_CHARS):
        made = [make_doc(text) for text in group]
        for text, doc in zip(group, made, strict=True):
            data = doc.user_data
            data[_TEXT] = text
            for proc in first:
                doc = proc(doc)
            if has_matches(doc):
                data[_NORMS] = doc.to_array(NORM).reshape(-1, 1)
                matched.append(doc)
                docs.append(doc)
            else:
                docs.append(None)
        del made
    if not matched:
        return docs
    for name, proc in nlp.pipeline[upto:]:
        if name == _CLASSIFIER:
            _classify(proc, matched)
        else:
            matched = [proc(doc) for doc in matched]
    return docs


# Texts are tokenized in groups of about this many characters (a few dozen call-length
# texts, several hundred short ones) before the rules run over them: the docs of a group
# are all alive at once.
_GROUP_CHARS = 500_000


def _chunked(
    items: Iterable[_Item], size: Callable[[_Item], int], most_chars: int, most_items: int = 0
) -> Iterator[list[_Item]]:
    """`items` in order, in chunks of at least one item and at most `most_chars` characters
    by `size` unless one item has more, and at most `most_items` items (if given)."""
    chunk: list[_Item] = []
    chars = 0
    for item in items:
        chars_of = size(item)
        if chunk and (chars + chars_of > most_chars or len(chunk) == most_items):
            yield chunk
            chunk, chars = [], 0
        chunk.append(item)
        chars += chars_of
    if chunk:
        yield chunk


# The classifier `callradar tag train` makes (TextCatReduce.v1, mean pooling, over the
# NormEmbed.v1 hashed embeddings), as thinc names its layers.
_POOLED_EMBEDDINGS = (
    "extract_features>>with_array(ints-getitem>>hashembed)>>list2ragged>>reduce_mean"
    ">>resizable(linear)>>logistic"
)
_CLASSIFIER_BATCH = 128  # TrainablePipe.pipe's, so the batches are the same


def _classify(proc: Any, docs: list[Doc]) -> None:
    """Set `doc.cats` as `proc.pipe(docs)` does, for the classifier the tagger trains, by
    running its layers one by one: thinc's `with_array` splits the word vectors into one
    array per doc only for `list2ragged` to join them again (a copy of every vector), and
    `set_annotations` reads each score from the array one at a time. The same operations on
    the same batches give the same floats. Any other classifier goes through `proc.pipe`."""
    model = proc.model
    if (
        model.name != _POOLED_EMBEDDINGS
        or type(proc).predict is not TextCategorizer.predict
        or type(proc).set_annotations is not TextCategorizer.set_annotations
    ):
        for _ in proc.pipe(docs, batch_size=_CLASSIFIER_BATCH):
            pass
        return
    layers = {layer.name: layer for layer in model.walk()}
    features, embed = layers["extract_features"], layers["ints-getitem>>hashembed"]
    # The features are each token's NORM, as a column of uint64: what `_run` kept.
    norms_kept = features.attrs.get("columns") == [NORM]
    pool, linear, logistic = layers["reduce_mean"], layers["resizable(linear)"], layers["logistic"]
    labels = proc.labels
    for at in range(0, len(docs), _CLASSIFIER_BATCH):
        batch = docs[at : at + _CLASSIFIER_BATCH]
        kept = [doc.user_data.get(_NORMS) for doc in batch] if norms_kept else []
        if not norms_kept or any(norms is None for norms in kept):
            kept = features.predict(batch)
        ids = kept
        pooled = _pool_each_word_once(proc, embed, pool, ids)
        scores = model.ops.asarray(logistic.predict(linear.predict(pooled)))
        for doc, row, norms in zip(batch, scores.tolist(), ids, strict=True):
            doc.cats.update(zip(labels, row, strict=True))
            doc.user_data[_NORMS] = norms


# Docs are averaged a few at a time, at most this many words (unless one doc has more):
# their vectors (1 MB) then stay in the processor's cache from being copied to being
# averaged, where a batch of 128 call-length docs has 36 MB of them (a third faster than
# all at once; 4,096 words ran a fifth faster than 16,384 with 2 MB of cache a core).
_POOL_WORDS = 4096


class _NormVectors:
    """Each normalised word's embedded vector, kept from batch to batch.

    A word's vector depends on its NORM alone (HashEmbed hashes the id four ways and adds
    four table rows), so it is computed once and copied wherever the word comes again. The
    vectors of a batch's words are found without sorting them (numpy.unique on a batch of
    call-length texts cost half the classifier): a table of `1 << _SLOT_BITS` slots, each
    word in the slot its hash's low bits name, holding the word and the row of its vector;
    a word whose slot another word holds, or a new word, gets its vector computed for the
    batch as before (`numpy.unique` over those words only) and takes its slot if it is
    free. Rows kept are bounded (`_MAX_ROWS`, 16 MB); when full, all is forgotten. The
    tagger never trains its classifier, so the vectors never go stale; they are kept for
    one embedding layer and its table, and forgotten if the table is replaced.
    """

    _SLOT_BITS = 17
    _MAX_ROWS = 1 << 16

    def __init__(self, embed: Any, table: Any) -> None:
        self.embed = embed
        self.table = table
        self._mask = (1 << self._SLOT_BITS) - 1
        self._forget()

    def _forget(self) -> None:
        size = self._mask + 1
        # An empty slot holds a value no word of that slot has (its low bits are not the
        # slot's number).
        self._slot_norm = numpy.arange(1, size + 1, dtype=numpy.int64)
        self._slot_row = numpy.zeros(size, dtype=numpy.intp)
        self._rows: Any = None
        self._count = 0

    def rows_of(self, norms: Any) -> tuple[Any, Any]:
        """The vectors and, for each of `norms` (uint64), the row of its vector there."""
        flat = norms.view(numpy.int64)
        slots = flat & self._mask
        where = self._slot_row[slots]
        unknown = numpy.flatnonzero(self._slot_norm[slots] != flat)
        if len(unknown):
            distinct, inverse = numpy.unique(flat[unknown], return_inverse=True)
            if self._count and self._count + len(distinct) > self._MAX_ROWS:
                self._forget()
                return self.rows_of(norms)
            vectors = numpy.ascontiguousarray(
                self.embed.predict(distinct.view(numpy.uint64).reshape(-1, 1))
            )
            first = self._count
            if self._rows is None or len(self._rows) < first + len(distinct):
                # (More rows than _MAX_ROWS only for a batch with more distinct words.)
                size = max(self._MAX_ROWS, len(distinct))
                self._rows = numpy.empty((size, vectors.shape[1]), vectors.dtype)
            self._rows[first : first + len(distinct)] = vectors
            self._count += len(distinct)
            where[unknown] = first + inverse.ravel()
            # New words take their slots where free (the first of those wanting one).
            wanted = distinct & self._mask
            free = self._slot_norm[wanted] == wanted + 1
            wanted, at = numpy.unique(wanted[free], return_index=True)
            self._slot_norm[wanted] = distinct[free][at]
            self._slot_row[wanted] = first + numpy.flatnonzero(free)[at]
        return self._rows, where


def _norm_vectors(proc: Any, embed: Any) -> _NormVectors:
    """The word vectors kept for a classifier (on the component, which goes with it)."""
    table = embed.layers[-1].get_param("E")
    known: _NormVectors | None = getattr(proc, "_callradar_norm_vectors", None)
    if known is None or known.embed is not embed or known.table is not table:
        known = _NormVectors(embed, table)
        proc._callradar_norm_vectors = known
    return known


def _pool_each_word_once(proc: Any, embed: Any, pool: Any, ids: list[Any]) -> Any:
    """What `pool.predict(Ragged(embed.predict(flattened ids), lengths))` gives.

    Each word's vector is computed once (`_NormVectors`): a text of a thousand words has a
    few hundred distinct ones, and hashing an id four ways and adding four table rows
    costs more than copying the finished vector. Each row is the same computation on the
    same id, so the floats are the same. The mean is taken a few docs at a time
    (`_POOL_WORDS`): thinc's reduce_mean averages each doc's rows on their own, so the
    means are the same floats.
    """
    flat = embed.ops.flatten(ids)
    rows, where = _norm_vectors(proc, embed).rows_of(flat[:, 0])
    width = rows.shape[1]
    # Rows copied as single items of their byte width: quicker than numpy's row indexing.
    as_items = rows.view(numpy.dtype((numpy.void, width * rows.itemsize))).ravel()
    lengths = [len(seq) for seq in ids]
    means: list[Any] = []
    first = start = 0
    while first < len(lengths):
        last, words = first, 0
        while last < len(lengths) and (words == 0 or words + lengths[last] <= _POOL_WORDS):
            words += lengths[last]
            last += 1
        vectors: Any = as_items[where[start : start + words]].view(rows.dtype).reshape(-1, width)
        means.append(pool.predict(Ragged(vectors, pool.ops.asarray1i(lengths[first:last]))))
        first, start = last, start + words
    return numpy.concatenate(means)


def _call_chars(call: CallText) -> int:
    return len(call.title) + len(call.description)


def _outcome(doc: Doc | None) -> tuple[list[AreaTag], list[str], list[AreaTag]]:
    """The combiner's areas, domains and whole domains for a doc (none if it did not run)."""
    if doc is None:
        return [], [], []
    data = doc.user_data
    return data.get(_AREAS) or [], data.get(_DOMAINS) or [], data.get(_WHOLE) or []


class Tagger:
    """Tags calls in English and Polish with the pipelines trained by `callradar tag train`.

    Load once (a second or two, mostly the Polish dictionary) and reuse: `tag_many` sends
    texts through `nlp.pipe` in batches, one pipeline per language.
    """

    def __init__(self, pipelines: dict[str, Language], detector: LanguageDetector) -> None:
        self.pipelines = pipelines
        self.detector = detector

    @classmethod
    def load(cls, models_dir: Path = MODELS_DIR, *, normalisation: Mode | None = None) -> Tagger:
        """Load the trained pipelines from `models_dir`; `normalisation` overrides how words
        are normalised before matching (for measuring the lemmatiser's effect)."""
        config: dict[str, object] = {}
        if normalisation is not None:
            config = {"components": {"normaliser": {"mode": normalisation}}}
        pipelines: dict[str, Language] = {}
        for lang in SUPPORTED:
            path = models_dir / lang
            if not (path / "config.cfg").is_file():
                raise FileNotFoundError(
                    f"no trained tagging pipeline at {path}; run `callradar tag train`"
                )
            pipelines[lang] = spacy.load(path, config=config)
            keep_caching_after_line_breaks(pipelines[lang])
        return cls(pipelines, LanguageDetector())

    def tag(self, call: CallText) -> TagResult:
        return next(self.tag_many([call]))

    def tag_many(self, calls: Iterable[CallText]) -> Iterator[TagResult]:
        """Tag calls in order. A call with no words or in another language comes back
        with `skipped` set to the reason, never as an error."""
        for batch in _chunked(calls, _call_chars, _BATCH_CHARS, _BATCH):
            yield from self._tag_batch(batch)

    def _tag_batch(self, calls: list[CallText]) -> list[TagResult]:
        # A batch makes tens of thousands of short-lived objects (tokens' spans, matches,
        # results) and no reference cycles.
        with collector_paused():
            return self._tag_batch_uncollected(calls)

    def _tag_batch_uncollected(self, calls: list[CallText]) -> list[TagResult]:
        pending = [self._prepare(call) for call in calls]
        for lang, nlp in self.pipelines.items():
            todo = [p for p in pending if p.result is None and p.language == lang]
            if not todo:
                continue
            for item, doc in zip(todo, _run(nlp, [p.text for p in todo]), strict=True):
                areas, domains, whole = _outcome(doc)
                item.result = TagResult(item.call.id, lang, areas, domains, whole, None, item.notes)
        return [p.result for p in pending if p.result is not None]

    def _prepare(self, call: CallText) -> _Pending:
        text, notes = call_document(call.title, call.description)
        item = _Pending(call, text, notes=notes)
        if not has_words(text):
            item.result = TagResult(call.id, None, skipped=_NO_TEXT)
            return item
        claimed = _claimed_language(call.language)
        if claimed is not None:
            item.language = checked_claim(claimed, text)
            if item.language is None:
                item.result = TagResult(
                    call.id,
                    None,
                    skipped=f"stated to be written in language {claimed!r}; only English "
                    "and Polish calls are tagged",
                    notes=notes,
                )
        else:
            detection = self.detector.detect(text)
            if detection.language is None:
                item.result = TagResult(call.id, None, skipped=detection.reason, notes=notes)
            item.language = detection.language
        return item
