"""The tagger's shortcuts give what the straightforward ways gave: spaCy's `filter_spans`,
sentence bounds found by scanning, evidence from every sentence, norms set doc by doc,
and no combiner run where nothing matched."""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict

import pytest
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from callradar.taxonomy import AREAS, DOMAINS, domain_of
from tagging.components import (
    _SENTENCE_REACH,
    AreaCombiner,
    PhraseRules,
    RuleMatch,
    Sentences,
    _evidence,
    _longest_first,
    _title_end,
    extension_key,
    has_matches,
    matches_by_label,
)
from tagging.language import (
    _FUNCTION_WORDS,
    _PLACEHOLDER,
    _POLISH_LETTERS,
    _PUNCTUATION_CHARS,
    quick_language,
)
from tagging.result import CallText
from tagging.tagger import Tagger


def test_longest_first_is_filter_spans(tagger: Tagger) -> None:
    nlp = tagger.pipelines["en"]
    doc = nlp.make_doc(" ".join(f"w{i}" for i in range(40)))
    strings = nlp.vocab.strings
    rng = random.Random(4)
    labels = ["integrated-photonics", "chip-design", "photonics", "sensors-mems"]
    for _ in range(300):
        raw = set()
        for _ in range(rng.randint(1, 12)):
            start = rng.randrange(38)
            end = start + rng.randint(1, 3)
            label, strength = rng.choice(labels), rng.choice(["core", "term"])
            raw.add((start, end, strings.add(label), strings.add(strength), label, strength))
        spans = sorted({Span(doc, m[0], m[1], label=m[4], span_id=m[5]) for m in raw})
        expected = [(s.start, s.end, s.label_, s.id_) for s in filter_spans(spans)]
        got = [(m[0], m[1], m[4], m[5]) for m in _longest_first(sorted(raw))]
        assert got == expected


_FIRST_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")


def _inside_word(text: str, at: int) -> bool:
    return not text[at - 1].isspace() and not text[at].isspace()


def _scanned_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence bounds as first written: every sentence end before the match; a window
    cut at the reach inside a word moved to the nearest space within it."""
    left = max(0, start - _SENTENCE_REACH)
    ends = [m.end() for m in _FIRST_SENTENCE_END.finditer(text, left, start)]
    sentence_start = ends[-1] if ends else left
    if not ends and left and _inside_word(text, left) and " " in text[left:start]:
        sentence_start = text.index(" ", left, start) + 1
    after = _FIRST_SENTENCE_END.search(text, end, min(len(text), end + _SENTENCE_REACH))
    if after is None:
        reach = min(len(text), end + _SENTENCE_REACH)
        if reach < len(text) and _inside_word(text, reach) and " " in text[end:reach]:
            reach = text.rindex(" ", end, reach)
        return sentence_start, reach
    return sentence_start, after.end() if after.group() != "\n" else after.start()


def _all_sentences_evidence(text: str, spans: list[RuleMatch], limit: int) -> list[str]:
    """The evidence as first written: the sentences of all matches, sorted, a sentence
    repeated word for word kept once, then cut; a match inside the window before its own
    shown there, and a window overlapping the one before started where that one ends; an
    ellipsis where a window cuts a sentence."""
    by_sentence: dict[tuple[int, int], list[RuleMatch]] = defaultdict(list)
    last = (0, 0)
    for span in sorted(spans, key=lambda s: s.start_char):
        bounds = _scanned_sentence(text, span.start_char, span.end_char)
        if last[0] <= span.start_char and span.end_char <= last[1]:
            bounds = last
        elif bounds[0] < last[1] <= span.start_char:
            bounds = (last[1], bounds[1])
        by_sentence[bounds].append(span)
        last = bounds
    distinct: dict[str, tuple[tuple[int, int], list[RuleMatch]]] = {}
    for bounds, matched in sorted(by_sentence.items()):
        distinct.setdefault(" ".join(text[bounds[0] : bounds[1]].split()), (bounds, matched))
    evidence = []
    for (start, end), matched in list(distinct.values())[:limit]:
        parts, at = [], start
        for span in sorted(matched, key=lambda s: s.start_char):
            if span.start_char < at:
                continue
            parts += [text[at : span.start_char], "«", text[span.start_char : span.end_char], "»"]
            at = span.end_char
        parts.append(text[at:end])
        cut_before = "…" if start and text[start - 1] not in ".!?;\n" else ""
        ends_sentence = end == len(text) or text[end] == "\n" or text[end - 1] in ".!?;"
        cut_after = "" if ends_sentence else "…"
        evidence.append(cut_before + " ".join("".join(parts).split()) + cut_after)
    return evidence


def test_sentences_and_evidence_as_first_written(tagger: Tagger) -> None:
    nlp = tagger.pipelines["en"]
    rng = random.Random(5)
    pieces = ["laser", "photonic", "chip", ".", "!", ";", "\n", "\n\n", " ", "e.g.", "x" * 40,
              "quantum sensing", "?", "MEMS", ".\xa0", "\t", "\u2028", "x" * 290]
    for _ in range(200):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 400)))
        words = [m.span() for m in re.finditer(r"[a-zA-Z]+", text)]
        sentences = Sentences(text)
        for start, end in rng.sample(words, min(len(words), 30)):
            assert sentences.around(start, end) == _scanned_sentence(text, start, end)
        for _ in range(30):  # any bounds: a "." or a space at either edge of a window
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert sentences.around(start, end) == _scanned_sentence(text, start, end)
        chosen = sorted(rng.sample(words, min(len(words), rng.randint(1, 12))))
        spans = [RuleMatch(0, 1, s, e, "x", "core") for s, e in chosen]
        doc = nlp.make_doc(text)
        doc.user_data[extension_key("callradar_text")] = text
        for limit in (1, 3):
            assert _evidence(sentences, spans, limit) == _all_sentences_evidence(
                text, spans, limit)


def _former_rule_matches(rules: PhraseRules, doc: Doc) -> list[tuple[object, ...]]:
    """PhraseRules' matches as first kept: a set of every match, sorted."""
    unique = set()
    for key, start, end in rules.phrase_matcher(doc):
        info = rules._match_label_id_map[key]
        label, span_id = info["label"], info["id"]
        strings = doc.vocab.strings
        unique.add((start, end, strings[label], strings[span_id], label, span_id))
    return sorted(unique)


def test_phrase_matches_are_kept_in_spans_order_without_a_set(tagger: Tagger) -> None:
    import spacy

    nlp = spacy.blank("en")
    rules = nlp.add_pipe("callradar_phrase_rules", config={"phrase_matcher_attr": "ORTH"})
    assert isinstance(rules, PhraseRules)
    # The same phrase under several codes and strengths, phrases inside phrases.
    phrases = ["a", "a b", "b", "a b c", "c d", "d", "b c d e", "e"]
    codes = [a.code for a in AREAS[:4]]
    rules.add_patterns([{"label": code, "pattern": phrase, "id": strength}
                        for i, phrase in enumerate(phrases) for j, code in enumerate(codes)
                        for k, strength in enumerate(("core", "term")) if (i + j + k) % 3])
    rng = random.Random(16)
    for _ in range(300):
        doc = nlp(" ".join(rng.choice("abcdefg") for _ in range(rng.randint(0, 30))))
        assert doc.user_data[extension_key("callradar_matches")] == _former_rule_matches(
            rules, doc)
    for lang, nlp in tagger.pipelines.items():
        rules = nlp.get_pipe("area_rules")
        for text in _texts(lang)[:200]:
            doc = nlp(text)
            assert doc.user_data[extension_key("callradar_matches")] == _former_rule_matches(
                rules, doc)


def _texts(lang: str) -> list[str]:
    from tagging.dataset import read_labelled
    from tagging.paths import DEV_PATH, TRAIN_PATH

    return [c.text for c in read_labelled(DEV_PATH) + read_labelled(TRAIN_PATH)
            if c.language == lang]


def test_sentence_ends_are_found_as_the_expression_finds_them() -> None:
    from tagging.components import _sentence_ends

    # The expression sentence ends were first found with.
    sentence_end = re.compile(r"[.!?;\n](?:(?<=\n)|(?=\s))")

    rng = random.Random(17)
    # Marks, every kind of whitespace the expression's \\s matches and some it does not.
    alphabet = [*".!?;\n", *" \t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200b",
                *"\u2028\u2029\u202f\u205f\u3000\ufeff", "word", "e.g.", "3.5", "ą", "…"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _sentence_ends(text) == [m.start() for m in sentence_end.finditer(text)]
    for text in _texts("en")[:100] + _texts("pl")[:100]:
        assert _sentence_ends(text) == [m.start() for m in sentence_end.finditer(text)]


def test_sentences_are_normalised_as_by_splitting_them() -> None:
    from tagging.components import _normal

    rng = random.Random(18)
    alphabet = [" ", "  ", *"\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2009\u200b\u2028\u2029",
                *"\u202f\u3000\ufeff«»", "word", "ą", "x.", "\x00"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _normal(text) == " ".join(text.split()), repr(text)


def test_matches_carry_the_spans_bounds(tagger: Tagger) -> None:
    nlp = tagger.pipelines["en"]
    doc = nlp("Silicon photonics and MEMS sensors.\n\nIndium phosphide photonic circuits.")
    by_label = matches_by_label(doc)
    assert by_label
    for label, matches in by_label.items():
        for m in matches:
            span = doc[m.start : m.end]
            assert (m.start_char, m.end_char, m.label_) == (span.start_char, span.end_char, label)


def test_the_combiner_finds_nothing_without_a_match(tagger: Tagger) -> None:
    """The tagger skips the classifier and the combiner where no rule matched; that is only
    right while the combiner assigns nothing without a matched phrase, whatever the
    classifier says."""
    for nlp in tagger.pipelines.values():
        doc = nlp.make_doc("Clinical trials in oncology for patients and hospitals.")
        for name, proc in nlp.pipeline:
            if name not in ("textcat_multilabel", "area_combiner"):
                doc = proc(doc)
        assert not has_matches(doc)
        doc.cats = {label: 1.0 for label in nlp.get_pipe("textcat_multilabel").labels}
        nlp.get_pipe("area_combiner")(doc)
        assert (doc._.callradar_areas, doc._.callradar_domains) == ([], [])
        assert doc._.callradar_whole_domains == []


def test_new_words_get_their_norm_once_the_vocabulary_is_complete(tagger: Tagger) -> None:
    nlp = tagger.pipelines["pl"]
    normaliser = nlp.get_pipe("normaliser")
    for _ in range(500):
        nlp("Projekt dotyczy fotoniki zintegrowanej.")
    assert len(nlp.vocab) == normaliser._complete_at
    # A lexeme made outside a doc, then a doc using it and a word never seen before.
    nlp.vocab["fotonicznymiXyz"]
    doc = nlp("Rozwój układów fotonicznymiXyz oraz nowosłowoqwe.")
    expected = normaliser.normalise
    assert [t.norm_ for t in doc] == [expected(t.text) for t in doc]
    # Still tagged through the normalised words: an inflected phrase in the title assigns its
    # area by itself, whatever the classifier of the day gives it.
    result = tagger.tag(
        CallText("n", "Rozwój fotonicznych układów scalonych", "Projekty badawcze.", "pl")
    )
    assert "integrated-photonics" in {a.code for a in result.areas}


def test_docs_without_the_text_given_still_give_evidence(tagger: Tagger) -> None:
    doc: Doc = tagger.pipelines["en"]("Design of photonic integrated circuits. Nothing else.")
    assert any("«photonic integrated circuits»" in e for a in doc._.callradar_areas
               for e in a.evidence)


_PUNCTUATION = str.maketrans(dict.fromkeys(_PUNCTUATION_CHARS, " "))
# How quick_language first found the words of a text with characters outside ASCII.
_WORD = re.compile(f"[^\\s{re.escape(_PUNCTUATION_CHARS)}]+")


def test_words_found_by_the_expression_are_those_split_after_translation() -> None:
    rng = random.Random(6)
    alphabet = [*_PUNCTUATION_CHARS, *" \t\n\u00a0\u2009\u3000\x1c\x1f\x85", *"abcąęźżİß1"]
    alphabet += ["the", "and", "się", "oraz"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))).lower()
        assert _WORD.findall(text) == text.translate(_PUNCTUATION).split()


def _former_quick_language(sample: str) -> str | None:
    """quick_language as first written: the words of any text as str."""
    lowered = sample.lower()
    english, polish = _FUNCTION_WORDS["en"], _FUNCTION_WORDS["pl"]
    if lowered.isascii():
        words = lowered.translate(_PUNCTUATION).split()
        pl = sum(map(polish.__contains__, words))
    else:
        words = _WORD.findall(lowered)
        pl = sum(map(polish.__contains__, words))
        pl += len(words) - sum(map(_POLISH_LETTERS.isdisjoint, words))
    en = sum(map(english.__contains__, words))
    if en >= 4 and en >= 3 * pl:
        return "en"
    if pl >= 4 and pl >= 3 * en:
        return "pl"
    return None


def test_the_language_is_told_from_ascii_text_as_bytes_as_it_was_from_str() -> None:
    from tagging.dataset import read_labelled
    from tagging.paths import DEV_PATH, TRAIN_PATH

    rng = random.Random(13)
    texts = [c.text for c in read_labelled(DEV_PATH) + read_labelled(TRAIN_PATH)]
    for text in texts:  # openings and windows of real calls, some upper-cased
        at = rng.randrange(len(text))
        for sample in (text[:300], text[at : at + 300], text[at : at + 300].upper()):
            assert quick_language(sample) == _former_quick_language(sample)
    words = [w for text in texts for w in text.split()]
    words += [*_PUNCTUATION_CHARS, *"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2009\u212a", "THE",
              "And", "OF", "I", "W", "Na", "Oraz", "się"]
    for _ in range(20000):
        sample = "".join(rng.choice(words) + rng.choice(["", " ", " ", "\x1f", ","])
                         for _ in range(rng.randint(0, 70)))
        assert quick_language(sample) == _former_quick_language(sample)


def test_the_language_is_told_from_other_text_as_bytes_as_it_was_by_the_expression() -> None:
    rng = random.Random(15)
    whitespace = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    alphabet = [*_PUNCTUATION_CHARS, *whitespace, *"ąćęłńśźżĄĆĘŁŃŚŹŻóÓ", *"abcİßK\ud800é"]
    alphabet += ["the", "and", "of", "się", "są", "że", "które", "oraz", "będzie", "W", "I"]
    for _ in range(20000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert quick_language(sample) == _former_quick_language(sample)


def test_characters_windows_1250_lacks_count_as_before() -> None:
    """Text outside ASCII is split in Windows-1250: a character it lacks becomes a space or
    a placeholder letter, next to and inside function words."""
    assert not any(_PLACEHOLDER in word for words in _FUNCTION_WORDS.values() for word in words)
    rng = random.Random(21)
    lacking = [*"èñøåæ中ЖΩİ≥\u0307\u2009\u3000\u2028\U0001f600\ud800", *map(chr, range(0x80, 0xA0))]
    assert not any(ch.encode("cp1250", "ignore") for ch in lacking)
    alphabet = [*lacking, *"ąćęłńśźżó –„”«,", "the", "się", "że", "oraz", "i", "w", "to", "q"]
    for _ in range(20000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert quick_language(sample) == _former_quick_language(sample)


def test_the_classifier_layer_by_layer_gives_the_same_floats(tagger: Tagger) -> None:
    from tagging.dataset import read_labelled
    from tagging.paths import DEV_PATH
    from tagging.tagger import _classify

    dev = read_labelled(DEV_PATH)
    rng = random.Random(14)
    for lang, nlp in tagger.pipelines.items():
        texts = [c.text for c in dev if c.language == lang] * 4
        # Call-length texts too, so that the docs are pooled a few at a time, and two longer
        # than a pooling chunk on their own.
        texts += [" ".join(rng.choices(texts, k=rng.choice([1, 5, 20, 90]))) for _ in range(150)]
        texts += [" ".join(rng.choices(texts[:100], k=300)) for _ in range(2)]
        classifier = nlp.get_pipe("textcat_multilabel")
        ours = list(nlp.pipe(texts, disable=["textcat_multilabel", "area_combiner"]))
        _classify(classifier, ours)
        theirs = list(classifier.pipe(nlp.pipe(texts, disable=["textcat_multilabel",
                                                                "area_combiner"])))
        assert len(ours) > 128
        assert [d.cats for d in ours] == [d.cats for d in theirs]


def test_word_vectors_kept_between_batches_give_the_same_floats(
    tagger: Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The classifier's word vectors found in a table kept from batch to batch: words
    sharing a slot, tables filled and forgotten, words in some batches only."""
    from tagging.dataset import read_labelled
    from tagging.paths import DEV_PATH, TRAIN_PATH
    from tagging.tagger import _classify, _NormVectors

    calls = read_labelled(DEV_PATH) + read_labelled(TRAIN_PATH)
    rng = random.Random(15)
    for slot_bits, max_rows in ((4, 400), (9, 2000), (17, 1 << 16)):
        monkeypatch.setattr(_NormVectors, "_SLOT_BITS", slot_bits)
        monkeypatch.setattr(_NormVectors, "_MAX_ROWS", max_rows)
        for lang, nlp in tagger.pipelines.items():
            classifier = nlp.get_pipe("textcat_multilabel")
            monkeypatch.setattr(classifier, "_callradar_norm_vectors", None, raising=False)
            texts = [c.text for c in calls if c.language == lang]
            for _ in range(4):
                batch = rng.sample(texts, 40) + [" ".join(rng.choices(texts, k=30))]
                batch.append(" ".join(f"new{rng.randrange(10**9)}" for _ in range(50)))
                ours = list(nlp.pipe(batch, disable=["textcat_multilabel", "area_combiner"]))
                _classify(classifier, ours)
                theirs = list(classifier.pipe(nlp.pipe(batch, disable=["textcat_multilabel",
                                                                        "area_combiner"])))
                assert [d.cats for d in ours] == [d.cats for d in theirs]


def test_the_norms_kept_at_the_rules_give_the_classifiers_floats(tagger: Tagger) -> None:
    """`_run` keeps each matched doc's NORM array for the classifier; its scores are those
    of the classifier extracting its own features."""
    from tagging.tagger import _run

    rng = random.Random(19)
    for lang, nlp in tagger.pipelines.items():
        texts = _texts(lang)
        texts += [" ".join(rng.choices(texts, k=rng.choice([1, 5, 20]))) for _ in range(150)]
        classifier = nlp.get_pipe("textcat_multilabel")
        ours = _run(nlp, texts)
        theirs = list(classifier.pipe(nlp.pipe(texts, disable=["textcat_multilabel",
                                                                "area_combiner"])))
        compared = [(a.cats, b.cats) for a, b in zip(ours, theirs, strict=True) if a is not None]
        assert len(compared) > 200
        assert all(a == b for a, b in compared)


def test_texts_tokenized_in_groups_are_tagged_as_one_by_one(
    tagger: Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`_run` tokenizes a group of texts before the rules run over them: new words of a
    whole group are in the vocabulary before the normaliser sees the group's first doc.
    Each text must come out as the pipeline gives it on its own."""
    from tagging import tagger as tagger_module

    monkeypatch.setattr(tagger_module, "_GROUP_CHARS", 3000)
    rng = random.Random(20)
    for lang, nlp in tagger.pipelines.items():
        texts = _texts(lang)[:60]
        # Words no text had, some inflected like Polish words, next to phrases that match.
        texts += [" ".join(rng.choices(texts, k=3)) + " " + " ".join(
            f"{rng.choice(['foto', 'lase', 'mikro'])}{rng.randrange(10**6)}"
            f"{rng.choice(['', 'ami', 'owych', 'nicznych'])}" for _ in range(20))
                  for _ in range(30)]
        ours = tagger_module._run(nlp, texts)
        groups = list(tagger_module._chunked(texts, len, 3000))
        assert [t for group in groups for t in group] == texts and len(groups) > 10
        normalise = nlp.get_pipe("normaliser").normalise
        for doc in ours:
            if doc is not None:
                assert all(nlp.vocab[t.orth].norm_ == normalise(t.text) for t in doc)
        for text, doc in zip(texts, ours, strict=True):
            alone = nlp(text)
            got = tagger_module._outcome(doc)
            expected = tagger_module._outcome(alone if has_matches(alone) else None)
            assert got == expected


def _clean_every_step(raw: str) -> str:
    """text.clean as first written: every markup, entity and control step in turn (and
    composition, ligatures and soft hyphens, on every text)."""
    import html
    import unicodedata

    from tagging import text as t

    text = t._COMMENT.sub(" ", t._INVISIBLE.sub(" ", raw))
    text = t._TAG.sub(" ", t._BLOCK_TAG.sub("\n", text))
    decoded = html.unescape(text)
    if decoded != text:  # markup and entities escaped twice
        decoded = t._COMMENT.sub(" ", t._INVISIBLE.sub(" ", decoded))
        decoded = html.unescape(t._TAG.sub(" ", t._BLOCK_TAG.sub("\n", decoded)))
    text = t._CONTROL.sub(" ", decoded)
    text = unicodedata.normalize("NFC", text).translate(t._SPELLED_OUT)
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = t._SPACES.sub(" ", text)
    return t._BLANK_LINES.sub("\n\n", text).strip()


def test_cleaning_step_by_step_as_needed_gives_the_same_text() -> None:
    from tagging.text import clean

    rng = random.Random(9)
    pieces = ["<p>", "</p>", "<br/>", "<script>x</script>", "<!-- c -->", "&amp;", "&lt;p&gt;",
              "&#7;", "&#x200b;", "&ZeroWidthSpace;", "&nbsp;", "&rlm;", "R&D", "word", " ",
              "  ", "\t", "\n", "\n\n\n", "\x00", "\x85", "\u200b", "\ufeff", "<b>", "&", "<", "ą",
              "\x7f", "\r", "\ud800", "&#xd800;", "\u2028", "\xad", "\U0001f600", "\n \n",
              " \n", "\n ", "\n\n", "\u3000", "\n\u2009\n", "\n\xa0\n",
              "o\u0301", "\u0328", "\ufb01", "&shy;", "&amp;shy;"]
    for _ in range(20000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert clean(raw) == _clean_every_step(raw)


def test_blank_lines_are_rewritten_only_where_that_changes_the_text() -> None:
    from tagging.text import _BLANK_LINES, _UNEVEN_BLANK_LINES

    rng = random.Random(22)
    alphabet = [*"\n\n\n  \t\r\x0b\x0c\x1c\x85\xa0\u2009\u2028\u3000", "word", "ą", "."]
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        changes = _BLANK_LINES.sub("\n\n", text) != text
        assert (_UNEVEN_BLANK_LINES.search(text) is not None) == changes, repr(text)


def test_control_characters_are_found_as_the_expression_finds_them() -> None:
    from tagging.text import _CONTROL, _has_control

    rng = random.Random(21)
    # Every control character of the expression, its neighbours, ASCII, Polish letters,
    # other scripts, lone surrogates, astral characters.
    alphabet = [chr(c) for c in [*range(0x00, 0xA1), *range(0x200A, 0x2011),
                                 *range(0x2029, 0x2030), *range(0x205F, 0x2066),
                                 0xFEFE, 0xFEFF, 0xFF00, 0xFFFD, 0xFFFE, 0xFFFF,
                                 0xD800, 0xDC00, 0xDFFF, 0x1F600, 0x10FFFF]]
    alphabet += [*"ąęłśżźćńóĄŁ–’“„€", "word", " ", "\n", "\t"] * 20
    for _ in range(30000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert _has_control(text) == (_CONTROL.search(text) is not None), repr(text)


def test_tokens_are_the_same_without_the_whitespace_special_cases(tagger: Tagger) -> None:
    """The tagger's tokenizers lack spaCy's line break, space and tab special cases, so they
    keep caching after a line break; the tokens must be what spaCy's own would give."""
    import spacy

    from tagging.tagger import keep_caching_after_line_breaks

    rng = random.Random(11)
    pieces = [" ", "  ", "\t", "\n", "\n\n", "\xa0", "\u2009", "\r\n", " \n ", "\n \n", "word",
              "Word", "e.g.", "i.e.", "don't", ":)", "U.S.", "(", ")", ".", ",", "-", "—",
              "\\n", "\\t", "C++", "a.", "3.5", "ąę", "Mr.", "'s", '"', "http://x.pl/a",
              "...", "’", "“", "np.", "itd.", "\x0b", "\x0c", "\x85", "\u2028"]
    for lang, nlp in tagger.pipelines.items():
        assert "\n" not in nlp.tokenizer.rules
        stock, ours = spacy.blank(lang), spacy.blank(lang)
        keep_caching_after_line_breaks(ours)
        for _ in range(5000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
            for _ in range(2):  # the second time from the tokenizers' caches
                assert [(t.text, t.whitespace_, t.idx, t.norm_, t.is_space) for t in
                        ours(text)] == [(t.text, t.whitespace_, t.idx, t.norm_, t.is_space)
                                        for t in stock(text)]


def _former_combination(combiner: AreaCombiner, doc: Doc) -> tuple[object, ...]:
    """AreaCombiner as first written: every match located, phrases told apart by the norms
    of their tokens, the title checked on every core phrase."""
    text = doc.user_data.get(extension_key("callradar_text")) or doc.text
    title_end = _title_end(text)
    by_label = matches_by_label(doc, combiner.overlap)

    def score(spans: list[RuleMatch], probability: float) -> float | None:
        cores = [s for s in spans if s.id_ == "core"]
        distinct = len({tuple(doc[i].norm for i in range(s.start, s.end)) for s in cores})
        in_title = any(s.end_char <= title_end for s in cores)
        if distinct == 1 and not in_title and probability < combiner.lone_veto:
            return None
        strength = (combiner.weights["core"] * distinct
                    + combiner.repeat_weight * (len(cores) - distinct)
                    + combiner.weights["term"] * (len(spans) - len(cores))
                    + combiner.title_bonus * in_title)
        return combiner.rule_share * (1.0 - math.exp(-strength)) + (
            1.0 - combiner.rule_share) * probability

    def tags(codes: list[str], threshold: float) -> list[tuple[str, float, list[str]]]:
        out = []
        for code in codes:
            spans = by_label.get(code, [])
            value = score(spans, doc.cats.get(code, 0.0)) if spans else None
            if value is not None and value >= threshold:
                out.append((code, round(value, 3),
                            _evidence(Sentences(text), spans, combiner.max_evidence)))
        return out

    areas = tags([a.code for a in AREAS], combiner.threshold)
    implied = {domain_of(code) for code, _, _ in areas}
    whole = tags([d.code for d in DOMAINS if d.code not in implied], combiner.domain_threshold)
    domains = implied | {code for code, _, _ in whole}
    return areas, whole, [d.code for d in DOMAINS if d.code in domains]


def test_the_combiner_gives_what_it_first_gave(tagger: Tagger) -> None:
    from tagging.dataset import read_labelled
    from tagging.paths import DEV_PATH, TRAIN_PATH

    calls = read_labelled(DEV_PATH) + read_labelled(TRAIN_PATH)
    rng = random.Random(12)
    compared = 0
    for lang, nlp in tagger.pipelines.items():
        texts = [c.text for c in calls if (c.language or "en") == lang]
        # Titles made of a description's words, so that core phrases fall in titles too.
        texts += [" ".join(rng.sample(t.split(), min(8, len(t.split())))) + "\n\n" + t
                  for t in texts]
        combiner = nlp.get_pipe("area_combiner")
        assert isinstance(combiner, AreaCombiner)
        for with_text, doc in zip([True, False] * len(texts), nlp.pipe(texts), strict=False):
            if with_text:  # as the tagger gives it; else rebuilt from the tokens
                doc.user_data[extension_key("callradar_text")] = doc.text
            got = ([(a.code, a.score, a.evidence) for a in doc._.callradar_areas],
                   [(a.code, a.score, a.evidence) for a in doc._.callradar_whole_domains],
                   doc._.callradar_domains)
            assert got == _former_combination(combiner, doc)
            compared += bool(got[0] or got[1])
    assert compared > 300
