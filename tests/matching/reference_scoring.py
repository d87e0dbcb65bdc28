"""The straightforward scoring the vectorised ``Matcher`` must agree with, exactly.

This is ``Matcher.match`` as it was before scoring went to numpy: one call at a time, a dict
of evidence per member, the pieces combined one by one. Tests compare both on random members
and calls, so a faster scoring cannot silently change a score, a reason or an exclusion.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from callradar import taxonomy
from matching.keywords import KeywordForms, keyword_forms, plain, stem
from matching.reasons import Kind, Reason, phrases_of
from matching.scoring import (
    DOMAIN_WEIGHT,
    KEYWORD_WEIGHT,
    LEVEL_WEIGHT,
    MAX_KEYWORDS,
    CallFacts,
    MemberFacts,
    Scored,
    _eligibility,
)


class ReferenceMatcher:
    """The scoring of ``matching.scoring.Matcher``, one call and one member at a time."""

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
        self._keywords = ReferenceKeywordIndex((m.id, k) for m in members for k in m.keywords)

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


_WORD = re.compile(r"\w+")
_MARKED = set("ąćęłńóśźż")


class ReferenceKeywordIndex:
    """``matching.keywords.KeywordIndex`` word by word: every key looked for at every word
    of the text, in the text's own words or in its words without their marks."""

    def __init__(self, keywords: Iterable[tuple[str, str]]) -> None:
        # Each key (its stems, typed without marks or not) in the order it came first: its
        # forms and its owners' spellings, one per owner ("mems" after "MEMS" too).
        self._keys: dict[tuple[tuple[str, ...], bool], tuple[KeywordForms, list[tuple[str, str]]]]
        self._keys = {}
        spellings: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for owner, keyword in keywords:
            forms = keyword_forms(keyword)
            if not forms.key or owner in spellings[forms.spelling]:
                continue
            spellings[forms.spelling].add(owner)
            self._keys.setdefault((forms.key, forms.lenient), (forms, []))[1].append(
                (owner, keyword)
            )

    def find(self, text: str) -> dict[str, list[str]]:
        words = list(map(stem, _WORD.findall(text)))
        unmarked = [plain(w) for w in words]
        text_has_marks = bool(_MARKED & set(text.lower()))
        places = []
        for rank, (forms, owners) in enumerate(self._keys.values()):
            if forms.lenient or not text_has_marks:
                wanted, where = [tuple(map(plain, f)) for f in forms.forms], unmarked
            else:
                wanted, where = list(forms.forms), words
            size = len(forms.key)
            at = [i for i in range(len(where)) if tuple(where[i : i + size]) in wanted]
            if at:
                places.append((at[0], size, rank, owners))
        found: dict[str, list[str]] = defaultdict(list)
        for _, _, _, owners in sorted(places, key=lambda p: p[:3]):
            for owner, keyword in owners:
                found[owner].append(keyword)
        return found
