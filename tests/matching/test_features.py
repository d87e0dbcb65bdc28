"""What matching reads from a call's text is kept per call and read again only when needed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from callradar import db
from callradar.calls import CallRecord, upsert_call
from callradar.models import Call, CallMatchFeatures, Match
from matching import store
from matching.conditions import conditions_of
from matching.features import (
    TextFeatures,
    conditions_from_json,
    conditions_to_json,
    features_of,
)
from matching.keywords import KeywordIndex, stem_hashes
from matching.store import match_calls
from tests.matching.conftest import NOW, add_call, add_member, settings_for
from tests.matching.test_matching import TODAY

SME_ONLY = "Only SMEs established in an EU Member State may apply. Topics include MEMS foundries."


@given(st.lists(st.text(), max_size=4), st.lists(st.text(min_size=1, max_size=20), max_size=6))
def test_keywords_are_found_the_same_in_many_kept_texts(
    texts: list[str], keywords: list[str]
) -> None:
    index = KeywordIndex(("member", k) for k in keywords)
    text_of, keys = index.found_in(
        [features_of(title="", description=t).stem_hashes for t in texts]
    )
    assert [keys[text_of == i].tolist() for i in range(len(texts))] == [
        index.found_keys(f"\n{t}") for t in texts
    ]


def test_keys_of_several_words_are_found_only_whole_and_within_one_text() -> None:
    index = KeywordIndex(
        ("m", k) for k in ["MEMS foundry", "MEMS", "foundry services", "wafer bonding", "bonding"]
    )
    texts = [
        "Foundry services and MEMS, then a MEMS foundry; MEMS foundries again.",
        "It ends with wafer",  # "wafer" here and "bonding" next are two texts
        "bonding of MEMS wafer bonding",
        "",
        "nothing at all",
    ]
    text_of, keys = index.found_in([stem_hashes(t) for t in texts])
    spelled = [[index.owners[k][0][1] for k in keys[text_of == i].tolist()] for i in range(5)]
    assert spelled == [
        ["foundry services", "MEMS", "MEMS foundry"],
        [],
        ["bonding", "MEMS", "wafer bonding"],
        [],
        [],
    ]
    assert [keys[text_of == i].tolist() for i in range(5)] == list(map(index.found_keys, texts))


def test_conditions_survive_being_kept_as_json() -> None:
    texts = [
        ("SME instrument", SME_ONLY, None),
        ("Projekty B+R", "Wnioskodawcą może być wyłącznie MŚP z województwa lubelskiego.", "parp"),
        ("Open call", "Consortia of any legal entities.", None),
    ]
    for title, description, source in texts:
        conditions = conditions_of(title=title, description=description, source=source)
        kept = conditions_from_json(conditions_to_json(conditions))
        assert kept == conditions
        assert hash(kept) == hash(conditions)


def test_features_are_kept_and_read_again_only_when_the_call_changes(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"sensors-mems": 3}, keywords=["MEMS foundry"])
        add_member(s, "bigco", {"sensors-mems": 3}, kind="large", city="Kraków")
        call = add_call(
            s, "MEMS", {"sensors-mems": 0.9}, title="MEMS pilot", description=SME_ONLY, now=NOW
        )
        match_calls(s, settings=settings, today=TODAY)
        first = {m.member_id: (m.score, m.reasons) for m in s.scalars(select(Match))}
        kept = s.get(CallMatchFeatures, call.id)
        assert kept is not None
        assert kept.stem_hashes == stem_hashes(f"MEMS pilot\n{SME_ONLY}")
        assert [r[0] for r in kept.conditions] == ["applicants", "countries"]
    assert set(first) == {"lumen"}  # the large company is excluded by the SME-only call
    assert "MEMS foundry" in " ".join(first["lumen"][1])

    # A new member re-matches every call without reading any text again.
    read: list[int] = []
    real = store.call_features

    def reading(call: Call) -> TextFeatures:
        read.append(call.id)
        return real(call)

    monkeypatch.setattr(store, "call_features", reading)
    with db.session_scope(engine) as s:
        add_member(s, "smeco", {"sensors-mems": 2}, keywords=["MEMS foundries"])
        summary = match_calls(s, settings=settings, today=TODAY)
        again = {m.member_id: (m.score, m.reasons) for m in s.scalars(select(Match))}
    assert summary.calls == 1 and read == []
    assert again["lumen"] == first["lumen"] and "smeco" in again

    # A changed text is read again, and what it now says counts.
    with db.session_scope(engine) as s:
        changed = CallRecord(
            id="MEMS",
            title="MEMS pilot",
            description="Any legal entity may apply. Topics include MEMS foundries.",
            deadlines=["2027-03-31T17:00:00+02:00"],
            status="open",
        )
        upsert_call(s, changed, NOW)
        match_calls(s, settings=settings, today=TODAY)
        members = set(s.scalars(select(Match.member_id)))
        assert s.get(CallMatchFeatures, call.id).conditions == []  # type: ignore[union-attr]
    assert read == [call.id]
    assert members == {"lumen", "bigco", "smeco"}


def test_outdated_features_are_recomputed(engine: Engine) -> None:
    """Features kept under another key (another text, or older code) are not trusted."""
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        add_member(s, "bigco", {"sensors-mems": 3}, kind="large", city="Kraków")
        call = add_call(
            s, "MEMS", {"sensors-mems": 0.9}, title="MEMS pilot", description=SME_ONLY, now=NOW
        )
        s.add(
            CallMatchFeatures(
                call_id=call.id, key="from older code", conditions=[], stem_hashes=b""
            )
        )
        s.flush()
        match_calls(s, settings=settings, today=TODAY)
        assert list(s.scalars(select(Match.member_id))) == []
        kept = s.get(CallMatchFeatures, call.id)
        assert kept is not None and kept.key != "from older code" and kept.conditions


def test_kept_features_match_as_reading_the_text_does(engine: Engine) -> None:
    rng = random.Random(5)
    words = "MEMS foundry foundries sensors photonic chips SMEs only Poland research"
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        for i in range(6):
            add_member(
                s,
                f"m{i}",
                {"sensors-mems": 1 + i % 3},
                keywords=rng.sample(words.split(), 2),
                kind=["sme", "large", "research"][i % 3],
            )
        calls = [
            add_call(
                s,
                f"C{i}",
                {"sensors-mems": 0.5 + i / 40},
                description=" ".join(rng.choices(words.split(), k=30)) + (" " + SME_ONLY) * (i % 2),
                now=NOW,
            )
            for i in range(12)
        ]
        match_calls(s, settings=settings, today=TODAY)
        stored = sorted(
            (m.call_id, m.member_id, m.score, tuple(m.reasons)) for m in s.scalars(select(Match))
        )
        matcher, _ = store.load_matcher(s, settings.match_min_score)
        fresh = sorted(
            (call.id, found.member_id, found.score, tuple(r.text("en") for r in found.reasons))
            for call in calls
            for found in matcher.match(store.call_facts(call))
        )
    assert stored == fresh and stored
