"""Which of the tagger's languages a call is written in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

SUPPORTED: tuple[str, ...] = ("en", "pl")
# Below this length langid's guesses among ~100 languages are unreliable ("Quantum sensing
# pilot line" comes out as Latin), so a short text is only asked "English or Polish?".
_MIN_CHARS_FOR_OTHER = 200
_MIN_CONFIDENCE_FOR_OTHER = 0.95
# The opening of a call settles its language; reading all of it only costs time.
_SAMPLE_CHARS = 300

# The cheap first look: function words of each language in the opening of the text. Call
# texts are full sentences, so an English or Polish call shows several of them in its
# first 300 characters; only a text where neither language clearly wins (a bare title, a
# list of terms, another language) goes to the statistical identifier.
_EN_WORDS = (
    "the and of to for in on with is are be by this that from will as an or at which "
    "should their its these into can such has have been"
)
_PL_WORDS = (
    "i w na z do się oraz dla jest są nie to że od przez lub po o ze we jak które który "
    "która których jako także może mogą będzie być ich tym tego"
)
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_WORDS.split()),
    "pl": frozenset(_PL_WORDS.split()),
}
_POLISH_LETTERS = frozenset("ąćęłńśźż")
# Punctuation that may touch a word, turned into spaces before splitting (on ASCII text
# cheaper than a regular expression for words).
_PUNCTUATION_CHARS = ",.;:()[]{}\"'/\\-–—!?…«»„”“‘’*+=<>|&%$#@~`^_"
_PUNCTUATION = str.maketrans(dict.fromkeys(_PUNCTUATION_CHARS, " "))
# The same words found by a regular expression: str.translate is quick only on ASCII text
# (a Polish sample took three times as long), a character class is quick on any.
_WORD = re.compile(f"[^\\s{re.escape(_PUNCTUATION_CHARS)}]+")
_MIN_VOTES = 4
_MARGIN = 3


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None
    reason: str | None = None


def quick_language(sample: str) -> str | None:
    """'en' or 'pl' when the function words of one language clearly outnumber the
    other's, else None (undecided)."""
    lowered = sample.lower()
    english, polish = _FUNCTION_WORDS["en"], _FUNCTION_WORDS["pl"]
    if lowered.isascii():
        words = lowered.translate(_PUNCTUATION).split()
        pl = sum(map(polish.__contains__, words))
    else:
        words = _WORD.findall(lowered)
        # Plus one for each word with a Polish letter in it.
        pl = sum(map(polish.__contains__, words))
        pl += len(words) - sum(map(_POLISH_LETTERS.isdisjoint, words))
    en = sum(map(english.__contains__, words))
    if en >= _MIN_VOTES and en >= _MARGIN * pl:
        return "en"
    if pl >= _MIN_VOTES and pl >= _MARGIN * en:
        return "pl"
    return None


class LanguageDetector:
    """Function words first (a few microseconds a call); py3langid over all its languages
    when they do not settle it, narrowed to English or Polish unless the text is long and
    confidently in another language."""

    def __init__(self) -> None:
        # py3langid's model loads on first need: most calls are settled by function words.
        self._identifier: LanguageIdentifier | None = None

    def _rank(self, sample: str) -> list[tuple[str, float]]:
        if self._identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return self._identifier.rank(sample)

    def detect(self, text: str) -> Detection:
        sample = text[:_SAMPLE_CHARS]
        quick = quick_language(sample)
        if quick is not None:
            return Detection(quick)
        ranking = self._rank(sample)
        best, confidence = ranking[0]
        if best in SUPPORTED:
            return Detection(best)
        if len(text) >= _MIN_CHARS_FOR_OTHER and confidence >= _MIN_CONFIDENCE_FOR_OTHER:
            return Detection(
                None, f"written in language {best!r}; only English and Polish calls are tagged"
            )
        return Detection(next(lang for lang, _ in ranking if lang in SUPPORTED))
