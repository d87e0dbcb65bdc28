"""Finding members' keywords in call texts, whatever their inflection.

Keywords and texts are reduced to word stems (lower-cased, a common English or Polish ending
cut off) so that "MEMS foundry" finds "MEMS foundries" and "czujnik gazu" finds "czujników
gazu". One index of every member's keywords is built per matching run; each call text is
then read once, whatever the number of members.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

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


# Call texts share most of their words, so each distinct word is stemmed once per process.
@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = word.lower()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def stems(text: str) -> list[str]:
    return list(map(stem, _WORD.findall(text)))


class KeywordIndex:
    """Every keyword of every member, found in a text in one pass over its words."""

    def __init__(self, keywords: Iterable[tuple[str, str]]) -> None:
        """``keywords``: (owner, keyword) pairs; an owner is usually a member id."""
        self._owners: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
        self._firsts: set[str] = set()
        self._longest = 0
        for owner, keyword in keywords:
            key = tuple(stems(keyword))
            if not key:
                continue
            self._owners[key].append((owner, keyword))
            self._firsts.add(key[0])
            self._longest = max(self._longest, len(key))

    def find(self, text: str) -> dict[str, list[str]]:
        """Owner -> the owner's keywords found in ``text`` (each once, in its own spelling)."""
        words = stems(text)
        found: dict[str, list[str]] = defaultdict(list)
        if self._firsts.isdisjoint(words):
            return found
        seen: set[tuple[str, str]] = set()
        for i, word in enumerate(words):
            if word not in self._firsts:
                continue
            for n in range(1, self._longest + 1):
                for owner, keyword in self._owners.get(tuple(words[i : i + n]), ()):
                    if (owner, keyword) not in seen:
                        seen.add((owner, keyword))
                        found[owner].append(keyword)
        return found
