"""Finding members' keywords in call texts, whatever their inflection.

Keywords and texts are reduced to word stems (lower-cased, a common English or Polish ending
cut off) so that "MEMS foundry" finds "MEMS foundries" and "czujnik gazu" finds "czujników
gazu". One index of every member's keywords is built per matching run, each keyword stemmed
once; each call text is then read once, whatever the number of members: its words are
stemmed (each distinct word once per process), and only the keywords whose first stem is
among the text's stems are looked for.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]

_WORD = re.compile(r"\w+")
# (ending, what replaces it); longest first. A stem keeps at least four letters so short
# words stay as they are.
_ENGLISH_ENDINGS = ["ies", "es", "s", "ing", "ed"]
_POLISH_ENDINGS = [
    # nouns
    "ami", "ach", "ów", "om", "em", "ie", "y", "i", "a", "e", "u", "ę", "ą", "o",
    "iami", "iach", "iom", "ia", "ii", "iu", "ią", "ię",
    # adjectives: "scalone", "scalonych", "zintegrowanej", "polskiego"
    "ych", "ymi", "ego", "emu", "ym", "ej", "ich", "imi", "iego", "iemu", "im", "iej",
]  # fmt: skip
# A locative whose last consonant changed: "fotonice", "optyce", "detektorze", "produkcie".
_ALTERNATIONS = [("nice", "nik"), ("yce", "yk"), ("rze", "r"), ("cie", "t")]
_ENDINGS = sorted(
    [(e, "") for e in _ENGLISH_ENDINGS + _POLISH_ENDINGS] + _ALTERNATIONS,
    key=lambda rule: len(rule[0]),
    reverse=True,
)
_POLISH = frozenset(_POLISH_ENDINGS)
_PLAIN_LETTERS = str.maketrans("ąćęłńóśźż", "acelnoszz")
_MIN_STEM = 4
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
    # Without its Polish letters' marks: keywords typed on an English keyboard
    # ("polprzewodniki") find the text's words ("półprzewodników").
    return _stem(word).translate(_PLAIN_LETTERS)


def _stem(word: str) -> str:
    if len(word) >= 3 and word[-1] == "s" and word[0].isupper() and word[-2].isupper():
        # "PICs", "LEDs", "SoCs": an acronym's plural; the rest of it is no inflection.
        word = word[:-1]
        return _ACRONYM + word.lower() if word.isupper() else word.lower()
    if word.isupper() and len(word) <= _ACRONYM_LETTERS:
        # An acronym is its own word: the keyword "LED" is no "led by", "IT" no "it".
        return _ACRONYM + word.lower()
    word = word.lower()
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= _MIN_STEM:
            root = word[: -len(ending)]
            # An adjective made from a noun keeps the noun's stem before "-ow-": "laserowe",
            # "laserów" and "laser" are one stem (English "windows" keeps its "ow").
            if ending in _POLISH and root.endswith("ow") and len(root) - 2 >= _MIN_STEM:
                root = root[:-2]
            return root + replacement
    return word


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


def stem_hashes(text: str) -> bytes:
    """The number of every word's stem of ``text``, in order, as 8 bytes each."""
    return b"".join(map(stem_hash, stems(text)))


def keyword_forms(keyword: str) -> list[tuple[str, ...]]:
    """``keyword`` as stems and, where it has short words typed in lower case, also with
    those words as a text writes them in capitals ("mems sensors": "MEMS sensors"); a word
    typed in capitals ("LED") is found only so. The last form is the loosest."""
    words = _WORD.findall(keyword.translate(_INVISIBLE))
    key = tuple(map(stem, words))
    loose = tuple(
        _ACRONYM + word.lower().translate(_PLAIN_LETTERS)
        if len(word) <= _ACRONYM_LETTERS and not word.isupper()
        else word_stem
        for word, word_stem in zip(words, key, strict=True)
    )
    return [key] if loose == key else [key, loose]


class KeywordIndex:
    """Every keyword of every member, found in a text in one pass over its words."""

    def __init__(self, keywords: Iterable[tuple[str, str]]) -> None:
        """``keywords``: (owner, keyword) pairs; an owner is usually a member id."""
        #: every distinct keyword as stems; a key's number is its index here
        self.keys: list[tuple[str, ...]] = []
        #: key number -> the (owner, keyword) pairs with that key, one per owner (its first
        #: spelling: "sensors" after "sensor", or "mems" after "MEMS", is the same keyword,
        #: found and counted once)
        self.owners: list[list[tuple[str, str]]] = []
        numbers: dict[tuple[str, ...], int] = {}
        owners_of: dict[tuple[str, ...], set[str]] = defaultdict(set)
        forms_of: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for owner, keyword in keywords:
            forms = keyword_forms(keyword)
            key = forms[0]
            if not key:
                continue
            forms_of.setdefault(key, forms)
            spellings = owners_of[forms[-1]]
            if owner in spellings:
                continue
            spellings.add(owner)
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = len(self.keys)
                self.keys.append(key)
                self.owners.append([])
            self.owners[number].append((owner, keyword))
        # Each key as the text may write it: a keyword typed in lower case ("mems sensors")
        # also finds its short words written as acronyms ("MEMS sensors"); one typed as an
        # acronym ("LED") finds only the acronym.
        rows = [(number, form) for number, key in enumerate(self.keys) for form in forms_of[key]]
        self._row_key = np.fromiter((number for number, _ in rows), np.int64, len(rows))
        # one-word forms: stem -> number; longer ones: first stem -> (number, length, stems
        # as a list and as a set) of each
        self._single: dict[str, list[int]] = defaultdict(list)
        self._multi: dict[str, list[tuple[int, int, list[str], set[str]]]] = defaultdict(list)
        for number, form in rows:
            if len(form) == 1:
                self._single[form[0]].append(number)
            else:
                self._multi[form[0]].append((number, len(form), list(form), set(form)))
        self._single_stems = frozenset(self._single)
        self._first_stems = frozenset(self._multi)
        # The keys as numbers, for ``found_in``: every key's stems (0 past its end), its
        # length, and the keys by first stem (``_firsts`` sorted; the keys of ``_firsts[f]``
        # are ``_by_first[_first_start[f]:_first_start[f + 1]]``).
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
        words = stems(text)
        # A text has a few hundred distinct stems and few of them are keys: the keys are found
        # by one set intersection each, and only their first positions looked up (at C speed).
        in_text = set(words)
        position = words.index
        found = [
            (position(w), 1, number)
            for w in in_text & self._single_stems
            for number in self._single[w]
        ]
        for first in in_text & self._first_stems:
            for number, size, wanted, stems_of in self._multi[first]:
                if not in_text >= stems_of:
                    continue
                i = position(first)
                try:
                    while words[i : i + size] != wanted:
                        i = position(first, i + 1)
                except ValueError:
                    continue
                found.append((i, size, number))
        found.sort()
        # Two forms of one key in one text: the key once, where it first occurs.
        return list(dict.fromkeys(number for _, _, number in found))

    def found_in(self, texts: Sequence[bytes]) -> tuple[Ints, Ints]:
        """``found_keys`` of many texts given as ``stem_hashes``, at once: the (text, key)
        pairs found, text by text, each text's keys in the order ``found_keys`` gives."""
        if not self.keys or not texts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        words = np.frombuffer(b"".join(texts), _HASH)
        sizes = np.fromiter(map(len, texts), np.int64, len(texts)) // _HASH.itemsize
        text_of = np.repeat(np.arange(len(texts)), sizes)
        # Every word that is some key's first stem, with each key starting so. The low bits
        # of the numbers rule out nearly every word at once; the rest are looked up.
        at = np.flatnonzero(self._first_bits[words & _LOW_BITS])
        first = np.minimum(np.searchsorted(self._firsts, words[at]), len(self._firsts) - 1)
        matched = self._firsts[first] == words[at]
        at, first = at[matched], first[matched]
        starts, counts = self._first_start[first], np.diff(self._first_start)[first]
        at = np.repeat(at, counts)
        key = self._by_first[
            np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        ]
        # Keys of several words: each next word must follow in the same text.
        size = self._key_size[key]
        for k in range(1, int(size.max(initial=1))):
            longer = np.flatnonzero(size > k)
            nxt = at[longer] + k
            inside = nxt < len(words)
            nxt = np.where(inside, nxt, 0)
            fits = inside & (text_of[nxt] == text_of[at[longer]])
            fits &= words[nxt] == self._key_hashes[key[longer], k]
            keep = np.ones(len(at), bool)
            keep[longer[~fits]] = False
            at, key, size = at[keep], key[keep], size[keep]
        text = text_of[at]
        key = self._row_key[key]
        # Each key's first place in each text, then a text's keys by place, shorter first.
        order = np.lexsort((at, key, text))
        text, key, at, size = text[order], key[order], at[order], size[order]
        first_of = np.ones(len(text), bool)
        first_of[1:] = (text[1:] != text[:-1]) | (key[1:] != key[:-1])
        text, key, at, size = text[first_of], key[first_of], at[first_of], size[first_of]
        order = np.lexsort((size, at))  # ``at`` already orders the texts
        return text[order], key[order]

    def find(self, text: str) -> dict[str, list[str]]:
        """Owner -> the owner's keywords found in ``text`` (each once, in its own spelling),
        in the order they occur in the text."""
        found: dict[str, list[str]] = defaultdict(list)
        for number in self.found_keys(text):
            for owner, keyword in self.owners[number]:
                found[owner].append(keyword)
        return found
