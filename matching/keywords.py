"""Finding members' keywords in call texts, whatever their inflection.

Keywords and texts are reduced to word stems (lower-cased, a common English or Polish ending
cut off) so that "MEMS foundry" finds "MEMS foundries" and "czujnik gazu" finds "czujników
gazu". One index of every member's keywords is built per matching run, each keyword stemmed
once; each call text is then read once, whatever the number of members: its words are
stemmed (each distinct word once per process), and only the keywords whose first stem is
among the text's stems are looked for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

_WORD = re.compile(r"\w+")
# Longest first; a stem keeps at least four letters so short words stay as they are.
_ENDINGS = sorted(
    [
        "ies", "es", "s", "ing", "ed",
        "ami", "ach", "ów", "om", "em", "ie", "y", "i", "a", "e", "u", "ę", "ą", "o",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_MIN_STEM = 4
# Stems of the words of every whitespace-separated token of the texts read so far (emptied
# when it grows past the limit). No whitespace character is a word character, so the words of
# a text are the words of its tokens, one token after the other.
_TOKEN_STEMS: dict[str, tuple[str, ...]] = {}
_TOKENS_LIMIT = 500_000


# Call texts share most of their words, so each distinct word is stemmed once per process.
@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = word.lower()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
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
            _TOKEN_STEMS[token] = tuple(map(stem, _WORD.findall(token)))
        return list(chain.from_iterable(map(_TOKEN_STEMS.__getitem__, tokens)))


class KeywordIndex:
    """Every keyword of every member, found in a text in one pass over its words."""

    def __init__(self, keywords: Iterable[tuple[str, str]]) -> None:
        """``keywords``: (owner, keyword) pairs; an owner is usually a member id."""
        #: every distinct keyword as stems; a key's number is its index here
        self.keys: list[tuple[str, ...]] = []
        #: key number -> the (owner, keyword) pairs with that key, each once, in given order
        self.owners: list[list[tuple[str, str]]] = []
        numbers: dict[tuple[str, ...], int] = {}
        for owner, keyword in keywords:
            key = tuple(stems(keyword))
            if not key:
                continue
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = len(self.keys)
                self.keys.append(key)
                self.owners.append([])
            if (owner, keyword) not in self.owners[number]:
                self.owners[number].append((owner, keyword))
        # one-word keys: stem -> number; longer keys: first stem -> (number, length, stems as
        # a list and as a set) of each
        self._single: dict[str, int] = {}
        self._multi: dict[str, list[tuple[int, int, list[str], set[str]]]] = defaultdict(list)
        for number, key in enumerate(self.keys):
            if len(key) == 1:
                self._single[key[0]] = number
            else:
                self._multi[key[0]].append((number, len(key), list(key), set(key)))

    def found_keys(self, text: str) -> list[int]:
        """The numbers of the keys found in ``text``, in the order they first occur (where
        two start at the same word, the shorter first)."""
        words = stems(text)
        # Each stem's first position: later positions are overwritten by earlier ones.
        first_at = dict(zip(reversed(words), range(len(words) - 1, -1, -1), strict=True))
        in_text = first_at.keys()
        found = [(first_at[w], 1, self._single[w]) for w in self._single.keys() & in_text]
        for first in self._multi.keys() & in_text:
            for number, size, wanted, stems_of in self._multi[first]:
                if not in_text >= stems_of:
                    continue
                i = first_at[first]
                try:
                    while words[i : i + size] != wanted:
                        i = words.index(first, i + 1)
                except ValueError:
                    continue
                found.append((i, size, number))
        found.sort()
        return [number for _, _, number in found]

    def find(self, text: str) -> dict[str, list[str]]:
        """Owner -> the owner's keywords found in ``text`` (each once, in its own spelling),
        in the order they occur in the text."""
        found: dict[str, list[str]] = defaultdict(list)
        for number in self.found_keys(text):
            for owner, keyword in self.owners[number]:
                found[owner].append(keyword)
        return found
