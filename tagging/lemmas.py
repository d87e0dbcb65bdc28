"""simplemma's lemmatizer over its dictionaries kept as tries in a cache folder.

simplemma decodes each dictionary into a Python dict at first use: the Polish one, 3.67
million forms, took 6.5 s of the tagger's 7.5 s load and 435 of its 574 MB. Kept as a MARISA
trie (simplemma's own `TrieDictionaryFactory`) it is a 21 MB file, read in place and loaded
in milliseconds; the first use on a machine builds it into simplemma's cache folder (about
16 s and, for the moment, 750 MB). A new word's lemma takes about twice as long to find (the
normaliser looks up each word once), and is the same lemma.
"""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir
from simplemma import Lemmatizer
from simplemma.__metadata__ import __version__ as simplemma_version
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import TrieDictionaryFactory

# simplemma's own choice of folder, named here so that the benchmark can say whether a load
# found the tries built.
TRIES_DIR = Path(user_cache_dir("simplemma")) / "marisa_trie" / simplemma_version


class _AtomicTrieFactory(TrieDictionaryFactory):
    """simplemma's trie dictionaries, each written under a name of its own and then renamed
    into place: processes that start together (test workers, flow runs) on a machine
    without the tries each build them, and none reads a trie another is still writing."""

    def _write_trie_to_disk(self, lang: str, trie: Any) -> None:
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        target = self._cache_dir / f"{lang}.dic"
        partial = target.with_name(f".{lang}.dic.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            trie.save(str(partial))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)


@cache
def _strategy() -> DefaultStrategy:
    return DefaultStrategy(dictionary_factory=_AtomicTrieFactory(disk_cache_dir=str(TRIES_DIR)))


@cache
def lemmatizer() -> Lemmatizer:
    """The lemmatizer every normaliser of the process shares (the tries load once)."""
    return Lemmatizer(lemmatization_strategy=_strategy())


def is_known(word: str, languages: tuple[str, ...]) -> bool:
    """Whether `word`, as written, is a form in the dictionary of one of `languages` (the
    lemmatizer's own dictionaries, so no second copy is loaded)."""
    return any(_strategy().is_dictionary_member(word, lang) for lang in languages)
