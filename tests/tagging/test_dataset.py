from __future__ import annotations

import json
from pathlib import Path

import pytest

from callradar.errors import InputFileError
from callradar.taxonomy import ALL_CODES, AREA_CODES
from tagging.dataset import export_corrections, read_labelled, training_calls
from tagging.paths import DEV_PATH, SECOND_LABELS_PATH, TRAIN_PATH


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def test_development_set_is_big_real_and_covers_every_area() -> None:
    dev = read_labelled(DEV_PATH, require_url=True)
    assert len(dev) >= 225
    assert {c.language for c in dev} == {"en", "pl"}
    assert sum(c.language == "pl" for c in dev) >= 80
    # Every area has enough positives for its F1 to mean something, and plenty of calls fund
    # no area at all.
    for code in AREA_CODES:
        assert sum(code in c.areas for c in dev) >= 8, code
    assert sum(not c.areas for c in dev) >= 120


def test_second_labelling_covers_development_calls_with_taxonomy_codes() -> None:
    """bench/label_agreement.py scores a blind second labelling of development calls."""
    dev = {c.id for c in read_labelled(DEV_PATH)}
    lines = SECOND_LABELS_PATH.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) >= 100
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["id"] for row in rows} <= dev
    assert all(set(row["codes"]) <= ALL_CODES for row in rows)


def test_development_set_is_apart_from_training_examples() -> None:
    dev = read_labelled(DEV_PATH)
    train = read_labelled(TRAIN_PATH)
    dev_texts = {_words(c.text) for c in dev}
    dev_titles = {_words(c.title) for c in dev}
    assert not dev_texts & {_words(c.text) for c in train}
    assert not dev_titles & {_words(c.title) for c in train}
    assert len({c.id for c in dev} | {c.id for c in train}) == len(dev) + len(train)


def _page(url: str) -> str:
    """A URL without scheme, www., fragment or trailing slash: one page of a site."""
    url = url.lower().split("#")[0].rstrip("/").replace("/?", "?")
    for prefix in ("https://", "http://", "www."):
        url = url.removeprefix(prefix)
    return url


def test_no_training_example_comes_from_a_development_page() -> None:
    dev_pages = {_page(c.url) for c in read_labelled(DEV_PATH, require_url=True) if c.url}
    train_pages = {_page(c.url) for c in read_labelled(TRAIN_PATH) if c.url}
    assert not dev_pages & train_pages


def test_corrections_become_training_examples(tmp_path: Path) -> None:
    lines = export_corrections(
        [("Lidar for trains.", ["optical-imaging-sensing", "photonics"]), ("A health call.", [])]
    )
    again = export_corrections([("Lidar for trains.", ["photonics", "optical-imaging-sensing"])])
    assert again[0] == lines[0]
    (tmp_path / "train.jsonl").write_text(TRAIN_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "corrections-2026-05-01.jsonl").write_text("\n".join(lines) + "\n")
    calls = training_calls(tmp_path)
    assert calls[-2].areas == {"optical-imaging-sensing"} and calls[-1].codes == frozenset()


def test_corrections_with_unknown_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown taxonomy codes"):
        export_corrections([("text", ["lasers"])])


def test_labelled_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps({"id": "1", "title": "t", "description": "d", "codes": ["x"]}))
    with pytest.raises(InputFileError) as refused:
        read_labelled(path)
    assert [str(p) for p in refused.value.problems] == [
        "line 1, field 'codes': unknown taxonomy codes ['x']"
    ]
    assert refused.value.path == path
