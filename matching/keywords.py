"""Finding members' keywords in call texts, whatever their inflection.

Keywords and texts are reduced to word stems (lower-cased, a common English or Polish ending
cut off, again while one is left) so that "MEMS foundry" finds "MEMS foundries" and "czujnik
gazu" finds "czujników gazu". Polish nouns change their stem's last letters in some cases: a
stem's soft consonant ("sieć", "sieci"), "rz" ("macierz", "detektorze") and a stem's fleeting
"e" ("rynek", "rynku") are written one way in every stem; the locatives that change a
consonant ("fotonice", "module", "układzie"), which one way of writing would confuse with
other words' plurals ("granice", "modele"), are found as forms of each keyword instead.

Polish letters' marks tell words apart ("stal" and "stałe", "sąd" and "sad"), so stems keep
them, and a text and a keyword are compared without them only where one side has none: a
keyword typed without marks that is no Polish word as typed ("polprzewodniki") is found in
any text's words without their marks, and a text written without marks finds any keyword.

One index of every member's keywords is built per matching run, each keyword stemmed once;
each call text is then read once, whatever the number of members: its words are stemmed (each
distinct word once per process), and only the keys whose first stem is among the text's
stems are looked for.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, combinations, product

import numpy as np
import numpy.typing as npt

from tagging.lemmas import is_known

Ints = npt.NDArray[np.int64]

_WORD = re.compile(r"\w+")
# Endings, longest first, cut while a stem of at least four letters is left, so short words
# stay as they are and a nominative that looks inflected ("system", "proces") gets the stem
# its other forms get ("systemem", "procesy").
_ENGLISH_ENDINGS = ["ies", "es", "s", "ing", "ed"]
_POLISH_ENDINGS = [
    # nouns; Latin neuters: "konsorcjum", "konsorcja"
    "ami", "ach", "ów", "om", "em", "ie", "y", "i", "a", "e", "u", "ę", "ą", "o", "um",
    "iami", "iach", "iom", "iem", "ia", "ii", "iu", "ią", "ię",
    # adjectives: "scalone", "scalonych", "zintegrowanej", "polskiego"
    "ych", "ymi", "ego", "emu", "ym", "ej", "ich", "imi", "iego", "iemu", "im", "iej",
]  # fmt: skip
_ENDINGS = sorted(_ENGLISH_ENDINGS + _POLISH_ENDINGS, key=len, reverse=True)
_POLISH = frozenset(_POLISH_ENDINGS)
_MIN_STEM = 4
# A soft consonant at a word's end is written with a mark ("sieć", "przestrzeń"), before an
# ending with an "i" ("sieci", "przestrzeni"): the stem writes it without either.
_SOFT = str.maketrans("ćńśź", "cnsz")
# "rynek" / "rynku", "węzeł" / "węzła": the "e" before a stem's last consonant that only some
# forms have.
_FLEETING_E = re.compile(r"(?<=[^aąeęioóuy])e(?=[kł]$)")
# "obwód" / "obwodu", "samochód" / "samochodzie": "ó" in a stem's closed last syllable.
_CLOSED_O = re.compile(r"ó(?=[^aąeęioóuy]*$)")
# A stem's last consonant -> how its locative (and a feminine's dative) writes it.
_LOCATIVES = [
    ("st", "ście"), ("sł", "śle"), ("zd", "ździe"), ("ch", "sze"), ("k", "ce"), ("g", "dze"),
    ("t", "cie"), ("d", "dzie"), ("ł", "le"),
]  # fmt: skip
_MARKED = frozenset("ąćęłńóśźż")
_PLAIN_LETTERS = str.maketrans("ąćęłńóśźż", "acelnoszz")
# A word written in capitals of at most this many letters is an acronym (LED, MEMS, PIC, 5G);
# a longer one is a word in a title written in capitals.
_ACRONYM_LETTERS = 5
_ACRONYM = "^"
# Invisible characters inside a word, which pages hyphenate with (&shy;) or join words by: no
# word character, they cut "zinte\u00adgrowanej" in two.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u2060\ufeff"))
# Stems of the words of every whitespace-separated token of the texts read so far (emptied
# when it grows past the limit). No whitespace character is a word character, so the words of
# a text are the words of its tokens, one token after the other.
_TOKEN_STEMS: dict[str, tuple[str, ...]] = {}
_TOKENS_LIMIT = 500_000


# Call texts share most of their words, so each distinct word is stemmed once per process.
@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if len(word) >= 3 and word[-1] == "s" and word[0].isupper() and word[-2].isupper():
        # "PICs", "LEDs", "SoCs": an acronym's plural; the rest of it is no inflection.
        word = word[:-1]
        return _ACRONYM + word.lower() if word.isupper() else word.lower()
    if word.isupper() and len(word) <= _ACRONYM_LETTERS:
        # An acronym is its own word: the keyword "LED" is no "led by", "IT" no "it".
        return _ACRONYM + word.lower()
    word = word.lower()
    word = word[:-1] + word[-1:].translate(_SOFT)
    while (root := _cut(word)) != word:
        word = root
    if word.endswith("rz"):
        word = word[:-1]
    if len(word) > _MIN_STEM:
        word = _FLEETING_E.sub("", word)
    return _CLOSED_O.sub("o", word)


def _cut(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            root = word[: -len(ending)]
            if ending == "ed" and root.endswith("e"):
                # "proceed", "exceed": no past tense (cut, "proceed" would be "proces")
                continue
            # An adjective made from a noun keeps the noun's stem before "-ow-": "laserowe",
            # "laserów" and "laser" are one stem (English "windows" keeps its "ow").
            if ending in _POLISH and root.endswith("ow") and len(root) - 2 >= _MIN_STEM:
                root = root[:-2]
            return root
    return word


def plain(word_stem: str) -> str:
    """``word_stem`` without its Polish letters' marks."""
    return word_stem.translate(_PLAIN_LETTERS)


def _locative(word_stem: str) -> str | None:
    """The stem of the locative of a word of stem ``word_stem``, where that stem is another."""
    if word_stem.startswith(_ACRONYM):
        return None
    for end, locative in _LOCATIVES:
        if word_stem.endswith(end):
            found = stem(word_stem[: -len(end)] + locative)
            return None if found == word_stem else found
    return None


# Each letter as Polish writes it with a mark.
_MARKS = {"a": "ą", "c": "ć", "e": "ę", "l": "ł", "n": "ń", "o": "ó", "s": "ś", "z": "źż"}
# A word typed without marks lacks few of them: "półprzewodników" two, "łączność" four.
_MOST_MARKS = 4


@lru_cache(maxsize=10_000)
def _typed_without_marks(word: str) -> bool:
    """Whether ``word`` is a Polish word typed without its marks ("polprzewodniki"), rather
    than a word as it is ("stal" is steel; "stałe", constant, has a mark where it has none)."""
    if is_known(word, ("pl", "en")):
        return False
    places = [i for i, letter in enumerate(word) if letter in _MARKS]
    for count in range(1, min(len(places), _MOST_MARKS) + 1):
        for chosen in combinations(places, count):
            for marked in product(*(_MARKS[word[i]] for i in chosen)):
                letters = list(word)
                for i, letter in zip(chosen, marked, strict=True):
                    letters[i] = letter
                if is_known("".join(letters), ("pl",)):
                    return True
    return False


def stems(text: str) -> list[str]:
    """The stem of every word of ``text``, in order."""
    tokens = text.split()
    try:
        return list(chain.from_iterable(map(_TOKEN_STEMS.__getitem__, tokens)))
    except KeyError:
        if len(_TOKEN_STEMS) > _TOKENS_LIMIT:
            _TOKEN_STEMS.clear()
        for token in set(tokens).difference(_TOKEN_STEMS):
            _TOKEN_STEMS[token] = tuple(map(stem, _WORD.findall(token.translate(_INVISIBLE))))
        return list(chain.from_iterable(map(_TOKEN_STEMS.__getitem__, tokens)))


# Stems as 64-bit numbers, so that many texts' stems are searched at once with numpy, and
# kept per call as bytes. blake2b, not ``hash``: Python salts string hashes per process. Two
# stems sharing a number is a chance of 2**-64 per pair: not a concern for a few million words.
_HASH = np.dtype("<u8")
_LOW_BITS = np.uint64(0xFFFF)


@lru_cache(maxsize=200_000)
def stem_hash(stem: str) -> bytes:
    return hashlib.blake2b(stem.encode(), digest_size=8).digest()


@lru_cache(maxsize=200_000)
def _plain_hash(stem: str) -> bytes:
    return stem_hash(plain(stem))


# Between a text's stems and the same stems without their marks; no stem, having no
# whitespace, has this number.
_PLAIN_FOLLOW = stem_hash("\n")
_PLAIN_FOLLOW_NUMBER = np.frombuffer(_PLAIN_FOLLOW, _HASH)[0]
# Which words of a text a form of a key is looked for in: a text's own words where it has
# marks, the same words without them, or the words of a text without marks.
_MARKED_TEXT, _PLAIN_OF_MARKED, _UNMARKED_TEXT = 1, 2, 4


def stem_hashes(text: str) -> bytes:
    """The number of every word's stem of ``text``, in order, as 8 bytes each; for a text
    written with Polish marks, followed by ``_PLAIN_FOLLOW`` and the numbers of those stems without
    their marks."""
    words = stems(text)
    marked = b"".join(map(stem_hash, words))
    if _MARKED.isdisjoint(text.lower()):
        return marked
    return marked + _PLAIN_FOLLOW + b"".join(map(_plain_hash, words))


@dataclass(frozen=True, slots=True)
class KeywordForms:
    #: the keyword's stems
    key: tuple[str, ...]
    #: every form a text may write it in, as stems: ``key``, its words' locatives, its short
    #: words as acronyms ("mems sensors": "MEMS sensors"); a word typed in capitals ("LED")
    #: only so
    forms: tuple[tuple[str, ...], ...]
    #: the same keyword however a member spells it ("MEMS" and "mems", "układy" and "uklady")
    spelling: tuple[str, ...]
    #: typed without Polish marks: found in texts' words without theirs
    lenient: bool


def keyword_forms(keyword: str) -> KeywordForms:
    words = _WORD.findall(keyword.translate(_INVISIBLE))
    key = tuple(map(stem, words))
    loose = tuple(
        _ACRONYM + word.lower() if len(word) <= _ACRONYM_LETTERS and not word.isupper() else s
        for word, s in zip(words, key, strict=True)
    )
    inflected = product(*[[s] + [f for f in [_locative(s)] if f] for s in key])
    forms = tuple(dict.fromkeys([key, *inflected, loose]))
    lenient = _MARKED.isdisjoint(keyword.lower()) and any(
        _typed_without_marks(word.lower()) for word in words
    )
    return KeywordForms(key, forms, tuple(map(plain, loose)), lenient)


class KeywordIndex:
    """Every keyword of every member, found in many texts at once."""

    def __init__(self, keywords: Iterable[tuple[str, str]]) -> None:
        """``keywords``: (owner, keyword) pairs; an owner is usually a member id."""
        #: every distinct keyword as stems; a key's number is its index here
        self.keys: list[tuple[str, ...]] = []
        #: key number -> the (owner, keyword) pairs with that key, one per owner (its first
        #: spelling: "sensors" after "sensor", or "mems" after "MEMS", is the same keyword,
        #: found and counted once)
        self.owners: list[list[tuple[str, str]]] = []
        numbers: dict[tuple[tuple[str, ...], bool], int] = {}
        owners_of: dict[tuple[str, ...], set[str]] = defaultdict(set)
        # (key number, form) -> the words it is looked for in (``_MARKED_TEXT`` ...)
        where: dict[tuple[int, tuple[str, ...]], int] = defaultdict(int)
        for owner, keyword in keywords:
            found = keyword_forms(keyword)
            if not found.key:
                continue
            spellings = owners_of[found.spelling]
            if owner in spellings:
                continue
            spellings.add(owner)
            number = numbers.get((found.key, found.lenient))
            if number is None:
                number = numbers[found.key, found.lenient] = len(self.keys)
                self.keys.append(found.key)
                self.owners.append([])
                for form in found.forms:
                    unmarked = tuple(map(plain, form))
                    if found.lenient:
                        where[number, unmarked] |= _PLAIN_OF_MARKED | _UNMARKED_TEXT
                    else:
                        where[number, form] |= _MARKED_TEXT
                        where[number, unmarked] |= _UNMARKED_TEXT
            self.owners[number].append((owner, keyword))
        rows = list(where)
        self._row_key = np.fromiter((number for number, _ in rows), np.int64, len(rows))
        self._row_where = np.fromiter(where.values(), np.int64, len(rows))
        # Every row's stems (0 past its end), its length, and the rows by first stem
        # (``_firsts`` sorted; the rows of ``_firsts[f]`` are
        # ``_by_first[_first_start[f]:_first_start[f + 1]]``).
        width = max((len(form) for _, form in rows), default=1)
        self._key_hashes = np.zeros((len(rows), width), np.uint64)
        for row, (_, form) in enumerate(rows):
            self._key_hashes[row, : len(form)] = np.frombuffer(
                b"".join(map(stem_hash, form)), _HASH
            )
        self._key_size = np.fromiter((len(form) for _, form in rows), np.int64, len(rows))
        self._firsts, first = np.unique(self._key_hashes[:, 0], return_inverse=True)
        self._by_first = np.argsort(first.ravel(), kind="stable")
        self._first_bits = np.zeros(int(_LOW_BITS) + 1, bool)
        self._first_bits[self._firsts & _LOW_BITS] = True
        self._first_start = np.concatenate(
            ([0], np.cumsum(np.bincount(first.ravel(), minlength=len(self._firsts))))
        )

    def found_keys(self, text: str) -> list[int]:
        """The numbers of the keys found in ``text``, in the order they first occur (where
        two start at the same word, the shorter first)."""
        return self.found_in([stem_hashes(text)])[1].tolist()

    def found_in(self, texts: Sequence[bytes]) -> tuple[Ints, Ints]:
        """``found_keys`` of many texts given as ``stem_hashes``, at once: the (text, key)
        pairs found, text by text, each text's keys in the order ``found_keys`` gives."""
        if not self.keys or not texts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        words = np.frombuffer(b"".join(texts), _HASH)
        sizes = np.fromiter(map(len, texts), np.int64, len(texts)) // _HASH.itemsize
        text_of = np.repeat(np.arange(len(texts)), sizes)
        # Every word that is some row's first stem, with each row starting so. The low bits
        # of the numbers rule out nearly every word at once; the rest are looked up.
        at = np.flatnonzero(self._first_bits[words & _LOW_BITS])
        first = np.minimum(np.searchsorted(self._firsts, words[at]), len(self._firsts) - 1)
        matched = self._firsts[first] == words[at]
        at, first = at[matched], first[matched]
        starts, counts = self._first_start[first], np.diff(self._first_start)[first]
        at = np.repeat(at, counts)
        row = self._by_first[
            np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        ]
        # Each row only in the words it is for: a text's own, or without their marks.
        text = text_of[at]
        plain_from = np.full(len(texts), np.iinfo(np.int64).max)
        follows = np.flatnonzero(words == _PLAIN_FOLLOW_NUMBER)
        plain_from[text_of[follows]] = follows + 1
        in_plain = at >= plain_from[text]
        kind = np.where(
            plain_from[text] == np.iinfo(np.int64).max,
            _UNMARKED_TEXT,
            np.where(in_plain, _PLAIN_OF_MARKED, _MARKED_TEXT),
        )
        fit = (self._row_where[row] & kind) != 0
        at, row, in_plain = at[fit], row[fit], in_plain[fit]
        # Rows of several words: each next word must follow in the same text.
        size = self._key_size[row]
        for k in range(1, int(size.max(initial=1))):
            longer = np.flatnonzero(size > k)
            nxt = at[longer] + k
            inside = nxt < len(words)
            nxt = np.where(inside, nxt, 0)
            fits = inside & (text_of[nxt] == text_of[at[longer]])
            fits &= words[nxt] == self._key_hashes[row[longer], k]
            keep = np.ones(len(at), bool)
            keep[longer[~fits]] = False
            at, row, size, in_plain = at[keep], row[keep], size[keep], in_plain[keep]
        text = text_of[at]
        key = self._row_key[row]
        # A word's place in its text (its words without marks are in the same order).
        starts = np.cumsum(sizes) - sizes
        place = at - np.where(in_plain, plain_from[text], starts[text])
        # Each key's first place in each text, then a text's keys by place, shorter first.
        order = np.lexsort((place, key, text))
        text, key, place, size = text[order], key[order], place[order], size[order]
        first_of = np.ones(len(text), bool)
        first_of[1:] = (text[1:] != text[:-1]) | (key[1:] != key[:-1])
        text, key, place, size = text[first_of], key[first_of], place[first_of], size[first_of]
        order = np.lexsort((size, place, text))
        return text[order], key[order]

    def find(self, text: str) -> dict[str, list[str]]:
        """Owner -> the owner's keywords found in ``text`` (each once, in its own spelling),
        in the order they occur in the text."""
        found: dict[str, list[str]] = defaultdict(list)
        for number in self.found_keys(text):
            for owner, keyword in self.owners[number]:
                found[owner].append(keyword)
        return found
