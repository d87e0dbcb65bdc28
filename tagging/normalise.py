"""Word normalisation for matching: lower-casing, lemmatisation and, for Polish, light stemming.

spaCy's Polish lookup lemmatizer needs tables a blank pipeline does not have, so the
tagger normalises words itself: simplemma maps a known inflected form to its lemma, and a
suffix stripper then folds what simplemma does not know ("fotoniki", "fotonicznych") and
its inconsistencies ("obrazowania" -> "obrazowanie" but "obrazowanie" -> "obrazować") onto
one stem. Patterns and texts go through the same function, so only consistency matters,
not linguistic correctness.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from tagging.lemmas import lemmatizer

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


def normaliser(lang: str, mode: Mode) -> Callable[[str], str]:
    """The function mapping a word of a text in `lang` to the form patterns are matched on."""
    if mode not in MODES:
        raise ValueError(f"unknown normalisation mode {mode!r}; expected one of {MODES}")
    if mode == "lower":
        return str.lower
    languages = _SIMPLEMMA_LANGUAGES.get(lang, (lang,))
    stem = lang == "pl" and mode == "lemma+stem"
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
        return stem_pl(lemma) if stem else lemma

    return normalise
