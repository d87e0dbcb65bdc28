from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest
import simplemma

from tagging.lemmas import _AtomicTrieFactory, lemmatizer


def test_the_tries_give_simplemmas_own_lemmas() -> None:
    words = ["układów", "scalonych", "półprzewodnikowe", "fotoniki", "chips", "lasers", "GaN"]
    for lang in (("pl", "en"), ("en",)):
        assert [lemmatizer().lemmatize(w, lang=lang) for w in words] == [
            simplemma.lemmatize(w, lang=lang) for w in words
        ]


def test_a_trie_is_built_once_into_the_cache_and_read_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _AtomicTrieFactory(disk_cache_dir=str(tmp_path)).get_dictionary("en")
    assert [p.name for p in tmp_path.iterdir()] == ["en.dic"]

    def no_building(self: _AtomicTrieFactory, lang: str) -> NoReturn:
        raise AssertionError(f"built the {lang} trie again")

    monkeypatch.setattr(_AtomicTrieFactory, "_build_trie", no_building)
    cached = _AtomicTrieFactory(disk_cache_dir=str(tmp_path)).get_dictionary("en")
    assert cached.get("chips") == built.get("chips") == "chip"


class _WatchedTrie:
    """Notes whether another process could see the trie under its name while it is written."""

    def __init__(self, final: Path) -> None:
        self.final = final
        self.visible_while_written = True

    def save(self, path: str) -> None:
        Path(path).write_bytes(b"a trie")
        self.visible_while_written = self.final.exists()


def test_a_trie_is_in_place_only_once_written_whole(tmp_path: Path) -> None:
    trie = _WatchedTrie(tmp_path / "en.dic")
    _AtomicTrieFactory(disk_cache_dir=str(tmp_path))._write_trie_to_disk("en", trie)
    assert not trie.visible_while_written
    assert [(p.name, p.read_bytes()) for p in tmp_path.iterdir()] == [("en.dic", b"a trie")]


class _FailingTrie:
    """Writes half a trie, then fails (a full disk, a killed process's last write)."""

    def save(self, path: str) -> None:
        Path(path).write_bytes(b"half a trie")
        raise OSError("No space left on device")


def test_a_trie_that_fails_to_save_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="No space"):
        _AtomicTrieFactory(disk_cache_dir=str(tmp_path))._write_trie_to_disk("en", _FailingTrie())
    assert list(tmp_path.iterdir()) == []
