"""Word normalisation for matching: lower-casing, lemmatisation and, for Polish, light stemming.

spaCy's Polish lookup lemmatizer needs tables a blank pipeline does not have, so the
tagger normalises words itself: simplemma maps a known inflected form to its lemma, and a
suffix stripper then folds what simplemma does not know ("fotoniki", "fotonicznych") and
its inconsistencies ("obrazowania" -> "obrazowanie" but "obrazowanie" -> "obrazować") onto
one stem. Patterns and texts go through the same function, so only consistency matters,
not linguistic correctness.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from tagging.lemmas import is_known, lemmatizer

Mode = Literal["lower", "lemma", "lemma+stem"]
MODES: tuple[Mode, ...] = ("lower", "lemma", "lemma+stem")

# Polish calls use English terms ("MEMS", "chiplets", "edge AI"), so Polish words fall back
# to the English dictionary when the Polish one does not know them.
_SIMPLEMMA_LANGUAGES: dict[str, tuple[str, ...]] = {"en": ("en",), "pl": ("pl", "en")}

# Inflectional endings of Polish nouns, adjectives and the verb forms simplemma returns
# as lemmas; longest first so "-owania" wins over "-a".
_PL_ENDINGS: tuple[str, ...] = tuple(
    sorted(
        [
            "owania", "owanie", "owaniu", "owaniem", "ować", "aniami", "aniach", "ania", "anie",
            "aniu", "aniem", "ać", "owych", "owymi", "owego", "owemu", "owej", "owym", "owy",
            "owa", "owe", "iami", "iach", "ami", "ach", "ymi", "imi", "ych", "ich", "ego", "emu",
            "ów", "om", "owi", "ie", "ia", "iu", "ii", "ią", "ię", "ej", "ym", "im", "ą", "ę", "a",
            "e", "i", "y", "o", "u", "ć",
        ],
        key=len,
        reverse=True,
    )
)
_PL_MIN_STEM = 4


def stem_pl(word: str) -> str:
    """Strip one Polish inflectional ending, keeping a stem of at least four letters."""
    for ending in _PL_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _PL_MIN_STEM:
            return word[: -len(ending)]
    return word


# Polish is often typed without its letters' marks (e-mails, forms, some portals: "uklady
# scalone", "polprzewodnikow"). The dictionaries know no such form, and the endings above
# hold marks ("-ów", "-ać"), so the words would match nothing. A word typed so is read as
# the word of a phrase it stands for (see `unmarked_norms`).
_MARKS = str.maketrans("ąćęłńóśźż", "acelnoszz")
# The endings as typed without marks, by length (1 to 6 letters).
_UNMARKED_ENDINGS: dict[int, frozenset[str]] = {
    length: frozenset(e.translate(_MARKS) for e in _PL_ENDINGS if len(e) == length)
    for length in range(1, max(map(len, _PL_ENDINGS)) + 1)
}


def without_marks(word: str) -> str:
    """`word` with the marks of Polish letters dropped ("układ" -> "uklad")."""
    return word.translate(_MARKS)


def stem_pl_unmarked(word: str) -> str:
    """`stem_pl` of a word typed without marks: the longest ending, as typed without marks,
    that leaves a stem of at least four letters is stripped ("ukladow" -> "uklad")."""
    for length in range(min(len(_UNMARKED_ENDINGS), len(word) - _PL_MIN_STEM), 0, -1):
        if word[-length:] in _UNMARKED_ENDINGS[length]:
            return word[:-length]
    return word


# A lemma ending in "-ć" ("łączność", "projektować") loses it to `stem_pl`, where the other
# forms keep the letter before it ("łączności" -> "łącznośc"): typed without marks, such a
# stem is found by stripping that ending too (longest first, as in `_PL_ENDINGS`).
_LEMMA_ENDINGS = tuple(e.translate(_MARKS) for e in _PL_ENDINGS if e.endswith("ć"))


def _without_lemma_ending(stem: str) -> str:
    for ending in _LEMMA_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= _PL_MIN_STEM:
            return stem[: -len(ending)]
    return stem


def unmarked_norms(norms: Iterable[str]) -> dict[str, str]:
    """Each of `norms` (the phrase words' norms) keyed by its spelling without marks, as
    `stem_pl_unmarked` finds it in a word typed without marks. Where two norms share a
    spelling, it is the one with fewer marks: they are one word's stems ("światłowód", and
    "światłowod" of "światłowodowe"), and the forms with fewer marks are the commoner (the
    cases other than the nominative, the adjectives)."""
    by_spelling: dict[str, str] = {}
    for norm in sorted(set(norms)):
        spelling = without_marks(norm)
        known = by_spelling.get(spelling)
        if known is None or _marks(norm) < _marks(known):
            by_spelling[spelling] = norm
    return by_spelling


def _marks(word: str) -> int:
    return sum(a != b for a, b in zip(word, without_marks(word), strict=True))


# Acronyms in capitals alone are short ("LED", "MEMS", "VCSEL", programme names such as
# "FAMES"); a longer word in capitals is a word of a title or heading written in capitals
# ("FOTONICZNE UKŁADY SCALONE"), which must match as the same words in lower case do. At
# four letters, five-letter programme names became words ("PIPES" a pipe) and moved the
# classifier: one right tag fewer on the training calls, domains F1 on the development set
# 0.863 -> 0.859; at five, no tag of either changes.
_LONGEST_ACRONYM = 5


def _acronym(word: str) -> bool:
    """An acronym or a chemical formula: a capital after the first letter, as in "LED",
    "MEMS", "PICs", "GaN", "InP" (simplemma would make "GaN" "gin"), but not a long word in
    capitals."""
    if len(word) < 2:
        return False
    if word.isupper():
        return len(word) <= _LONGEST_ACRONYM
    return any(ch.isupper() for ch in word[1:])


# A title written in capitals ("ELEKTRONIKA MOCY DLA TRAKCJI", "PILOT LINES FOR GAN POWER
# CHIPS") says nothing of which of its words are acronyms. There, a word of four or five
# letters that the dictionaries know ("MOCY", "DIODY", "CHIPS") is read as that word;
# shorter ones stay acronyms ("LED", "GAN": "led" is a form of "lead"), and so do words no
# dictionary knows ("MEMS", "VCSEL").
_SHORTEST_WORD_IN_CAPITALS = 4


def word_in_capitals(lang: str, normalise: Callable[[str], str]) -> Callable[[str], str | None]:
    """For a word of a title in capitals, given `normalise` (a `normaliser` for `lang`): the
    norm of the word it is when `normalise` would take it for an acronym but the dictionaries
    know it, else None (its norm stays as `normalise` gives it)."""
    languages = _SIMPLEMMA_LANGUAGES.get(lang, (lang,))

    def as_word(word: str) -> str | None:
        if not (
            _SHORTEST_WORD_IN_CAPITALS <= len(word) <= _LONGEST_ACRONYM
            and word.isupper()
            and word.isalpha()
        ):
            return None
        lowered = word.lower()
        return normalise(lowered) if is_known(lowered, languages) else None

    return as_word


def normaliser(
    lang: str, mode: Mode, unmarked: Mapping[str, str] | None = None
) -> Callable[[str], str]:
    """The function mapping a word of a text in `lang` to the form patterns are matched on.

    For Polish with stemming, `unmarked` (from `unmarked_norms`) names the norms a word typed
    without marks may stand for: such a word ("ukladow") that no dictionary knows as it is
    written takes the norm whose spelling without marks is its stem ("układ"). A word the
    dictionaries know keeps its own norm: "stal" is steel, not "stał"."""
    if mode not in MODES:
        raise ValueError(f"unknown normalisation mode {mode!r}; expected one of {MODES}")
    if mode == "lower":
        return str.lower
    languages = _SIMPLEMMA_LANGUAGES.get(lang, (lang,))
    stem = lang == "pl" and mode == "lemma+stem"
    meant = unmarked if stem and unmarked else None
    lemmatize = lemmatizer().lemmatize

    def normalise(word: str) -> str:
        lowered = word.lower()
        if not lowered.isalpha():
            return lowered
        if _acronym(word):
            # "LED", "LEDs", "GaN": an acronym is not an inflected word ("LED" is not
            # "lead"); a plural's "s" goes so that "PICs" and "PIC" share a norm.
            return lowered[:-1] if word[-1] == "s" and word[-2].isupper() else lowered
        lemma = lemmatize(lowered, lang=languages).lower()
        if not stem:
            return lemma
        norm = stem_pl(lemma)
        if meant is not None and lowered.isascii():
            # The dictionaries are asked only when the word would take another norm.
            stem_typed = stem_pl_unmarked(lowered)
            stands_for = meant.get(stem_typed) or meant.get(_without_lemma_ending(stem_typed))
            if stands_for is not None and stands_for != norm and not is_known(lowered, languages):
                return stands_for
        return norm

    return normalise
