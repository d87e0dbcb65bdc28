"""Scoring calls against members: areas and levels, keywords, conditions; in memory, no I/O.

A call's tags and a member's competences meet in three ways, from strongest to weakest: the
same area; a call's area inside a domain the member named as a whole; a call open to a whole
domain the member works in. Each meeting contributes ``tag score × level weight`` (halved for
the two domain-level ways), keywords found in the call text contribute a fixed amount each,
and the contributions are combined as independent evidence, ``1 - Π(1 - c)``, so the score
stays in [0, 1], grows with every piece of evidence and never needs clipping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from callradar import taxonomy
from matching.conditions import Applicant, Conditions
from matching.keywords import KeywordIndex
from matching.reasons import Kind, Reason, phrases_of

LEVEL_WEIGHT = {3: 1.0, 2: 0.75, 1: 0.45}
DOMAIN_WEIGHT = 0.5
KEYWORD_WEIGHT = 0.15
MAX_KEYWORDS = 3


@dataclass(frozen=True, slots=True)
class Tag:
    code: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What matching needs of a call."""

    id: int
    tags: tuple[Tag, ...]
    text: str
    conditions: Conditions = field(default_factory=Conditions)


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What matching needs of a member."""

    id: str
    applicant: Applicant
    competences: Mapping[str, int]
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scored:
    member_id: str
    score: float
    reasons: tuple[Reason, ...]


class Matcher:
    """Scores calls against a fixed set of members; build once per run, reuse for every call."""

    def __init__(self, members: Sequence[MemberFacts], min_score: float) -> None:
        self.min_score = min_score
        self.members = {m.id: m for m in members}
        self._by_area: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._by_named_domain: dict[str, list[tuple[str, int]]] = defaultdict(list)
        # domain -> member -> (its best code in the domain, level)
        self._in_domain: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        for member in members:
            for code, level in member.competences.items():
                if taxonomy.is_domain(code):
                    self._by_named_domain[code].append((member.id, level))
                else:
                    self._by_area[code].append((member.id, level))
                domain = taxonomy.domain_of(code)
                best = self._in_domain[domain].get(member.id)
                if best is None or level > best[1]:
                    self._in_domain[domain][member.id] = (code, level)
        self._keywords = KeywordIndex((m.id, k) for m in members for k in m.keywords)

    def match(self, call: CallFacts) -> list[Scored]:
        """Every member the call fits at ``min_score`` or better, best first."""
        # member -> [(weight, reason fields)]; Reasons are made only for the members kept.
        evidence: dict[str, list[tuple[float, tuple[Any, ...]]]] = defaultdict(list)
        matched_area_domains: dict[str, set[str]] = defaultdict(set)
        area_tags = [t for t in call.tags if not taxonomy.is_domain(t.code)]
        domain_tags = [t for t in call.tags if taxonomy.is_domain(t.code)]
        for tag in area_tags:
            phrases = phrases_of(list(tag.evidence))
            domain = taxonomy.domain_of(tag.code)
            for member_id, level in self._by_area.get(tag.code, ()):
                evidence[member_id].append(
                    (tag.score * LEVEL_WEIGHT[level], (Kind.AREA, tag.code, level, "", phrases))
                )
                matched_area_domains[member_id].add(domain)
            for member_id, level in self._by_named_domain.get(domain, ()):
                if tag.code in self.members[member_id].competences:
                    continue
                weight = tag.score * LEVEL_WEIGHT[level] * DOMAIN_WEIGHT
                evidence[member_id].append(
                    (weight, (Kind.DOMAIN, tag.code, level, domain, phrases))
                )
                matched_area_domains[member_id].add(domain)
        for tag in domain_tags:
            for member_id, (code, level) in self._in_domain.get(tag.code, {}).items():
                # A member already matched on an area of this domain gains nothing more here.
                if tag.code in matched_area_domains[member_id]:
                    continue
                weight = tag.score * LEVEL_WEIGHT[level] * DOMAIN_WEIGHT
                evidence[member_id].append((weight, (Kind.WHOLE_DOMAIN, tag.code, level, code, ())))
        for member_id, keywords in self._keywords.find(call.text).items():
            found = tuple(keywords[:MAX_KEYWORDS])
            weight = 1 - (1 - KEYWORD_WEIGHT) ** len(found)
            evidence[member_id].append((weight, (Kind.KEYWORDS, "", 0, "", found)))
        restricted = bool(call.conditions.restrictions)
        eligibility = _eligibility(call.conditions)
        results = []
        for member_id, pieces in evidence.items():
            score = _combine(weight for weight, _ in pieces)
            if score < self.min_score:
                continue
            if restricted and call.conditions.excluding(self.members[member_id].applicant):
                continue
            pieces.sort(key=lambda p: -p[0])
            reasons = tuple(Reason(*fields) for _, fields in pieces) + eligibility
            results.append(Scored(member_id, round(score, 3), reasons))
        results.sort(key=lambda s: (-s.score, s.member_id))
        return results


def _combine(weights: Iterable[float]) -> float:
    remaining = 1.0
    for weight in weights:
        remaining *= 1 - min(max(weight, 0.0), 1.0)
    return 1 - remaining


def _eligibility(conditions: Conditions) -> tuple[Reason, ...]:
    return tuple(
        Reason(Kind.ELIGIBLE, phrases=(r.label_en, r.label_pl))
        for r in conditions.restrictions
        if r.dimension == "applicants"
    )
