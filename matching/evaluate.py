"""How well matching ranks: precision at 5 and recall on the labelled ranking set.

The set (``matching/data/ranking_set.yaml``) lists calls with their tags and, for each, the
members of the sample cluster who should hear of it. Each call's matched members are ranked by
score; P@5 is the share of relevant members among the (up to) five best, recall the share of
relevant members matched at all. Calls nobody should hear of count the members told anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callradar import competence_map_io
from matching.conditions import Applicant, conditions_of
from matching.scoring import CallFacts, Matcher, MemberFacts, Tag

RANKING_SET = Path(__file__).parent / "data" / "ranking_set.yaml"
SAMPLE_MEMBERS = Path(__file__).parents[1] / "callradar" / "data" / "sample_members.yaml"
K = 5


@dataclass(slots=True)
class Ranking:
    calls: int = 0
    precision_at_5: float = 0.0  # mean over calls that matched anyone
    recall: float = 0.0  # relevant members matched / relevant members, over all calls
    member_precision_at_5: float = 0.0  # mean over members of their own five best calls
    false_alarms: int = 0  # members told of calls nobody should hear of
    misses: list[str] = field(default_factory=list)  # "call: member" never matched


def load_members(path: Path = SAMPLE_MEMBERS) -> list[MemberFacts]:
    return [
        MemberFacts(
            id=m.id,
            applicant=Applicant.of(m.kind, m.country, m.city),
            competences=dict(m.areas),
            keywords=tuple(m.keywords),
        )
        for m in competence_map_io.load(path).members
    ]


def load_calls(path: Path = RANKING_SET) -> list[tuple[CallFacts, set[str], bool]]:
    """(call, members who should hear of it, whether it is open) per labelled call."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    calls = []
    for number, raw in enumerate(data["calls"], start=1):
        tags = tuple(
            Tag(code, float(spec[0]), tuple(spec[1:])) for code, spec in (raw["tags"] or {}).items()
        )
        conditions = conditions_of(
            title=raw["title"],
            description=raw.get("description", ""),
            type_of_action=raw.get("type_of_action"),
            programme=raw.get("programme"),
            call_identifier=raw.get("call_identifier"),
            source=raw.get("source"),
        )
        text = f"{raw['title']}\n{raw.get('description', '')}"
        facts = CallFacts(number, tags, text, conditions)
        calls.append((facts, set(raw["relevant"]), raw.get("status", "open") != "closed"))
    return calls


def evaluate(min_score: float = 0.3) -> Ranking:
    matcher = Matcher(load_members(), min_score)
    ranking = Ranking()
    precisions: list[float] = []
    hits = relevant_total = 0
    per_member: dict[str, list[tuple[float, bool]]] = {}
    for call, relevant, is_open in load_calls():
        ranking.calls += 1
        scored = matcher.match(call) if is_open else []
        matched = [s.member_id for s in scored]
        if matched:
            top = matched[:K]
            precisions.append(sum(m in relevant for m in top) / len(top))
        if not relevant:
            ranking.false_alarms += len(matched)
        hits += len(relevant & set(matched))
        relevant_total += len(relevant)
        ranking.misses += [f"{call.id}: {m}" for m in sorted(relevant - set(matched))]
        for s in scored:
            per_member.setdefault(s.member_id, []).append((s.score, s.member_id in relevant))
    ranking.precision_at_5 = sum(precisions) / len(precisions) if precisions else 0.0
    ranking.recall = hits / relevant_total if relevant_total else 0.0
    member_precisions = [
        sum(ok for _, ok in top) / len(top)
        for top in (sorted(v, key=lambda p: -p[0])[:K] for v in per_member.values())
    ]
    ranking.member_precision_at_5 = (
        sum(member_precisions) / len(member_precisions) if member_precisions else 0.0
    )
    return ranking
