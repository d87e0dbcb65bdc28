"""Which of the tagger's languages a call is written in."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from itertools import repeat
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
# Polish is also typed without its letters' marks (e-mails, forms, some portals): the
# function words as typed so, which are no English words ("ze" is listed already).
_PL_WORDS_UNMARKED = "sie sa moze moga bedzie byc takze ktore ktory ktora ktorych"
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_WORDS.split()),
    "pl": frozenset(_PL_WORDS.split() + _PL_WORDS_UNMARKED.split()),
}
# Both languages' votes looked up at once: a function word counts 1 for English and
# 1 << _PL_SHIFT for Polish ("to" is both), so one sum of one look-up a word gives both
# counts (a sample has fewer than 2**20 words).
_PL_SHIFT = 20
_EN_MASK = (1 << _PL_SHIFT) - 1
_VOTES: dict[str, int] = {
    word: (word in _FUNCTION_WORDS["en"]) + ((word in _FUNCTION_WORDS["pl"]) << _PL_SHIFT)
    for word in _FUNCTION_WORDS["en"] | _FUNCTION_WORDS["pl"]
}
_POLISH_LETTERS = frozenset("ąćęłńśźż")
# Punctuation that may touch a word, turned into spaces before splitting.
_PUNCTUATION_CHARS = ",.;:()[]{}\"'/\\-–—!?…«»„”“‘’*+=<>|&%$#@~`^_"
_ASCII_PUNCTUATION = _PUNCTUATION_CHARS.encode("ascii", "ignore")
# The separators outside ASCII: the punctuation above and the whitespace outside ASCII
# (what `\s` and `str.split` take as whitespace; the last is U+3000).
_OTHER_SEPARATORS = frozenset(
    [
        *(ch for ch in _PUNCTUATION_CHARS if not ch.isascii()),
        *(chr(code) for code in range(0x80, 0x3001) if chr(code).isspace()),
    ]
)
# A sample is split as bytes: one bytes.translate (a 256-byte table; str.translate looks up
# each character in a dict) lower-cases ASCII letters and makes separators spaces (also
# \x1c-\x1f, where `str.split` splits and `bytes.split` does not), and bytes.split finds
# the words. Text outside ASCII is encoded as Windows-1250 first, which has a byte for each
# Polish letter and each separator above but the rarer whitespace (ASCII is the same in
# it); a third of the time UTF-8 took, whose separators and Polish letters had to be
# replaced one by one.
_ENCODING = "cp1250"
_FALLBACK = "callradar-function-words"
# A letter in no function word.
_PLACEHOLDER = "q"


def _lacking_as_separator_or_letter(error: UnicodeError) -> tuple[str, int]:
    """The encoding error handler `_FALLBACK`: a character Windows-1250 lacks is lower-cased
    (the sample is not, see `_WORDS`), and each character of that it lacks too becomes a
    space if it is a separator, else `_PLACEHOLDER` (a word holding such a character was no
    function word and stays none; lone surrogates are word characters, as before). A
    character it has stays (the Kelvin sign lower-cases to "k")."""
    assert isinstance(error, UnicodeEncodeError)
    lowered = error.object[error.start : error.end].lower()
    return "".join(
        ch if ch in _HAS else " " if ch in _OTHER_SEPARATORS else _PLACEHOLDER for ch in lowered
    ), error.end


codecs.register_error(_FALLBACK, _lacking_as_separator_or_letter)
_OTHER_SEPARATOR_BYTES = "".join(sorted(_OTHER_SEPARATORS)).encode(_ENCODING, "ignore")
_WORDS = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\x1c\x1d\x1e\x1f" + _ASCII_PUNCTUATION + _OTHER_SEPARATOR_BYTES,
    b"abcdefghijklmnopqrstuvwxyz"
    + b" " * (4 + len(_ASCII_PUNCTUATION) + len(_OTHER_SEPARATOR_BYTES)),
)
# The characters Windows-1250 has (five of its bytes stand for none).
_HAS = frozenset(bytes(range(256)).decode(_ENCODING, "ignore"))
# Text outside ASCII is lower-cased by the same table, on its Windows-1250 bytes: each
# character it has lower-cases to one it has (checked below), so the byte of a character
# is made the byte of its lower case before `_WORDS` maps it. `str.lower` took 17,000
# instructions a sample outside ASCII (13 of the 113 million instructions `quick_language`
# took on 2,000 short calls, 40% of them outside ASCII).
_LOWERED = bytes(
    _WORDS[ch.lower().encode(_ENCODING)[0]] if ch in _HAS else byte
    for byte, ch in ((byte, bytes([byte]).decode(_ENCODING, "replace")) for byte in range(256))
)
assert all(len(ch.lower()) == 1 and ch.lower() in _HAS for ch in _HAS)
_VOTES_BYTES = {word.encode(_ENCODING): votes for word, votes in _VOTES.items()}
# Words with a Polish letter are counted by deleting all but those letters and whitespace
# and counting what splitting leaves.
_ALL_BUT_POLISH_AND_SPACES = bytes(
    byte
    for byte in range(256)
    if byte not in "".join(_POLISH_LETTERS).encode(_ENCODING) and not bytes([byte]).isspace()
)
_MIN_VOTES = 4
_MARGIN = 3


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None
    reason: str | None = None


def quick_language(sample: str) -> str | None:
    """'en' or 'pl' when the function words of one language clearly outnumber the
    other's, else None (undecided)."""
    if sample.isascii():
        data = sample.encode().translate(_WORDS)
        polish_words = 0
    else:
        data = sample.encode(_ENCODING, _FALLBACK).translate(_LOWERED)
        polish_words = len(data.translate(None, _ALL_BUT_POLISH_AND_SPACES).split())
    votes = sum(map(_VOTES_BYTES.get, data.split(), repeat(0)))
    pl, en = (votes >> _PL_SHIFT) + polish_words, votes & _EN_MASK
    if en >= _MIN_VOTES and en >= _MARGIN * pl:
        return "en"
    if pl >= _MIN_VOTES and pl >= _MARGIN * en:
        return "pl"
    return None


# The answers function words settle, made once (a Detection cannot change): making a frozen
# dataclass a call took 4,000 instructions, 8 of the 230 million that preparing 2,000 short
# calls took.
_SETTLED: dict[str, Detection] = {language: Detection(language) for language in SUPPORTED}


def checked_claim(claimed: str, text: str) -> str | None:
    """The language to tag a call in whose source states `claimed` (a two-letter code), or
    None for a call stated to be in another language, which is not tagged.

    A claim is kept, but for a text claimed English whose opening is clearly Polish (a calls
    file or a source stating "en" for every call): the English pipeline reads Polish badly
    (areas F1 0.474 against 0.809 on the Polish training calls claimed English), while the
    Polish one, which also holds the English phrases and dictionary, reads English calls
    about as well as the English one (0.823 against 0.828), so a claimed "pl" stands. A
    text claimed in another language is tagged only if its opening is clearly English or
    Polish, for the same reason."""
    if claimed == "pl":
        return claimed
    quick = quick_language(text[:_SAMPLE_CHARS])
    if claimed == "en":
        return "pl" if quick == "pl" else claimed
    return quick


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
            return _SETTLED[quick]
        ranking = self._rank(sample)
        best, confidence = ranking[0]
        if best in SUPPORTED:
            return Detection(best)
        if len(text) >= _MIN_CHARS_FOR_OTHER and confidence >= _MIN_CONFIDENCE_FOR_OTHER:
            return Detection(
                None, f"written in language {best!r}; only English and Polish calls are tagged"
            )
        return Detection(next(lang for lang, _ in ranking if lang in SUPPORTED))
