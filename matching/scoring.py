"""Scoring calls against members: areas and levels, keywords, conditions; in memory, no I/O.

A call's tags and a member's competences meet in three ways, from strongest to weakest: the
same area; a call's area inside a domain the member named as a whole; a call open to a whole
domain the member works in. Each meeting contributes ``tag score × level weight`` (halved for
the two domain-level ways), keywords found in the call text contribute a fixed amount each,
and the contributions are combined as independent evidence, ``1 - Π(1 - c)``, so the score
stays in [0, 1], grows with every piece of evidence and never needs clipping.

Calls are scored in batches with numpy: for each position in the calls' lists of evidence
(area tags, then domain tags, then keywords) the factors ``1 - c`` of every call and member
are multiplied into a calls × members matrix in the same order as one call at a time would
multiply them, so the scores are the very same floating-point numbers. Reasons are made only
for the pairs kept, and shared between the members whose evidence is the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from callradar import taxonomy
from matching.conditions import Applicant, Conditions
from matching.keywords import KeywordIndex
from matching.reasons import Kind, Reason, phrases_of

LEVEL_WEIGHT = {3: 1.0, 2: 0.75, 1: 0.45}
DOMAIN_WEIGHT = 0.5
KEYWORD_WEIGHT = 0.15
MAX_KEYWORDS = 3
_BATCH = 1024  # calls scored together; bounds the calls × members matrices

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


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


@dataclass(frozen=True, slots=True)
class _Row:
    """How the members meet one tag code: each member's level weight, whether it meets it at
    all, and its state (an index into ``states``: 0 for no meeting)."""

    weight: Floats
    met: Bools
    state: Ints
    # state -> (kind, level, member's code) of the reason; index 0 unused
    states: tuple[tuple[Kind, int, str], ...]


class Matcher:
    """Scores calls against a fixed set of members; build once per run, reuse for every call."""

    def __init__(self, members: Sequence[MemberFacts], min_score: float) -> None:
        self.min_score = min_score
        self.members = {m.id: m for m in members}
        self._ids = list(self.members)
        # Members' indices in member-id order: results are sorted by score, then member id.
        self._id_rank = np.empty(len(self._ids), dtype=np.int64)
        self._id_rank[np.argsort(np.array(self._ids, dtype=object), kind="stable")] = np.arange(
            len(self._ids)
        )
        self._index = {member_id: i for i, member_id in enumerate(self._ids)}
        # domain -> member index -> (its best code in the domain, level)
        self._in_domain: dict[str, dict[int, tuple[str, int]]] = defaultdict(dict)
        for i, member in enumerate(self.members.values()):
            for code, level in member.competences.items():
                domain = taxonomy.domain_of(code)
                best = self._in_domain[domain].get(i)
                if best is None or level > best[1]:
                    self._in_domain[domain][i] = (code, level)
        self._keywords = KeywordIndex((m.id, k) for m in self.members.values() for k in m.keywords)
        self._area_rows: dict[str, _Row] = {}
        self._domain_rows: dict[str, _Row] = {}
        self._excluded: dict[Conditions, Bools] = {}
        remaining = [(1 - KEYWORD_WEIGHT) ** n for n in range(MAX_KEYWORDS + 1)]
        self._keyword_weight = [1 - r for r in remaining]

    def match(self, call: CallFacts) -> list[Scored]:
        """Every member the call fits at ``min_score`` or better, best first."""
        return self.match_many([call])[0]

    def match_many(self, calls: Iterable[CallFacts]) -> list[list[Scored]]:
        """``match`` of every call, in order; many calls at once are scored much faster."""
        calls = list(calls)
        results: list[list[Scored]] = []
        for start in range(0, len(calls), _BATCH):
            results += self._match_batch(calls[start : start + _BATCH])
        return results

    # -- how members meet a tag ---------------------------------------------------------------

    def _area_row(self, code: str) -> _Row:
        """Members meeting an area: in the very area, or by naming its whole domain."""
        row = self._area_rows.get(code)
        if row is None:
            domain = taxonomy.domain_of(code)
            n = len(self._ids)
            weight, met, state = np.zeros(n), np.zeros(n, bool), np.zeros(n, np.int64)
            states: list[tuple[Kind, int, str]] = [(Kind.AREA, 0, "")]
            for i, member in enumerate(self.members.values()):
                level = member.competences.get(code)
                kind, member_code, factor = Kind.AREA, "", 1.0
                if level is None and taxonomy.is_domain(domain):
                    level = member.competences.get(domain)
                    kind, member_code, factor = Kind.DOMAIN, domain, DOMAIN_WEIGHT
                if level is None:
                    continue
                # tag.score * (w * ½) is tag.score * w * ½ exactly: halving is exact.
                weight[i] = LEVEL_WEIGHT[level] * factor
                met[i] = True
                entry = (kind, level, member_code)
                if entry not in states:
                    states.append(entry)
                state[i] = states.index(entry)
            row = self._area_rows[code] = _Row(weight, met, state, tuple(states))
        return row

    def _domain_row(self, code: str) -> _Row:
        """Members working anywhere in a domain, by their best competence in it."""
        row = self._domain_rows.get(code)
        if row is None:
            n = len(self._ids)
            weight, met, state = np.zeros(n), np.zeros(n, bool), np.zeros(n, np.int64)
            states: list[tuple[Kind, int, str]] = [(Kind.WHOLE_DOMAIN, 0, "")]
            for i, (member_code, level) in self._in_domain.get(code, {}).items():
                weight[i] = LEVEL_WEIGHT[level] * DOMAIN_WEIGHT
                met[i] = True
                entry = (Kind.WHOLE_DOMAIN, level, member_code)
                if entry not in states:
                    states.append(entry)
                state[i] = states.index(entry)
            row = self._domain_rows[code] = _Row(weight, met, state, tuple(states))
        return row

    def _excluded_by(self, conditions: Conditions) -> Bools:
        mask = self._excluded.get(conditions)
        if mask is None:
            mask = np.array(
                [conditions.excluding(m.applicant) is not None for m in self.members.values()],
                dtype=bool,
            )
            self._excluded[conditions] = mask
        return mask

    # -- scoring ------------------------------------------------------------------------------

    def _match_batch(self, calls: Sequence[CallFacts]) -> list[list[Scored]]:
        n_calls, n_members = len(calls), len(self._ids)
        if not n_members:
            return [[] for _ in calls]
        # The evidence of each call in the order it is combined: area tags, then domain tags.
        pieces: list[list[tuple[Tag, _Row, bool]]] = []
        for call in calls:
            areas = [t for t in call.tags if not taxonomy.is_domain(t.code)]
            domains = [t for t in call.tags if taxonomy.is_domain(t.code)]
            pieces.append(
                [(t, self._area_row(t.code), False) for t in areas]
                + [(t, self._domain_row(t.code), True) for t in domains]
            )
        remaining = np.ones((n_calls, n_members))
        present = np.zeros((n_calls, n_members), bool)
        # Per position in the calls' evidence: each pair's state (0: no evidence) and weight.
        states: list[Ints] = []
        weights: list[Floats] = []
        for position in range(max((len(p) for p in pieces), default=0)):
            rows = [c for c, p in enumerate(pieces) if len(p) > position]
            used = [pieces[c][position] for c in rows]
            met = np.stack([row.met for _, row, _ in used])
            for k, (tag, _, whole_domain) in enumerate(used):
                if whole_domain:
                    # A member already matched on an area of this domain gains nothing more.
                    for other, row, other_domain in pieces[rows[k]]:
                        if not other_domain and taxonomy.domain_of(other.code) == tag.code:
                            met[k] &= ~row.met
            scores = np.array([tag.score for tag, _, _ in used], dtype=np.float64)
            weight = scores[:, None] * np.stack([row.weight for _, row, _ in used])
            index = np.array(rows)
            remaining[index] *= np.where(met, 1 - np.clip(weight, 0.0, 1.0), 1.0)
            present[index] |= met
            state = np.zeros((n_calls, n_members), np.int64)
            state[index] = np.where(met, np.stack([row.state for _, row, _ in used]), 0)
            full_weight = np.zeros((n_calls, n_members))
            full_weight[index] = weight
            states.append(state)
            weights.append(full_weight)
        # Keywords found in the call text come last.
        keyword_state = np.zeros((n_calls, n_members), np.int64)
        found_sets: list[tuple[str, ...]] = [()]
        found_index: dict[tuple[str, ...], int] = {(): 0}
        kw_rows: list[int] = []
        kw_cols: list[int] = []
        kw_numbers: list[int] = []
        member_index = self._index
        for c, call in enumerate(calls):
            for member_id, keywords in self._keywords.find(call.text).items():
                found = tuple(keywords[:MAX_KEYWORDS])
                number = found_index.get(found)
                if number is None:
                    number = found_index[found] = len(found_sets)
                    found_sets.append(found)
                kw_rows.append(c)
                kw_cols.append(member_index[member_id])
                kw_numbers.append(number)
        kw_weight = np.array([0.0] + [self._keyword_weight[len(f)] for f in found_sets[1:]])
        if kw_rows:
            numbers = np.array(kw_numbers)
            remaining[kw_rows, kw_cols] *= 1 - np.clip(kw_weight[numbers], 0.0, 1.0)
            present[kw_rows, kw_cols] = True
            keyword_state[kw_rows, kw_cols] = numbers
        score = 1 - remaining
        keep = present & ~(score < self.min_score)
        for c, call in enumerate(calls):
            if call.conditions.restrictions:
                keep[c] &= ~self._excluded_by(call.conditions)
        ci, mi = np.nonzero(keep)
        rounded = _round3(score[ci, mi])
        order = np.lexsort((self._id_rank[mi], -rounded, ci))
        ci, mi, rounded = ci[order], mi[order], rounded[order]
        reasons = self._reasons(calls, pieces, ci, mi, states, weights, keyword_state, kw_weight,
                                found_sets)  # fmt: skip
        flat = list(map(Scored, map(self._ids.__getitem__, mi.tolist()), rounded.tolist(), reasons))
        bounds = np.concatenate(([0], np.cumsum(np.bincount(ci, minlength=n_calls)))).tolist()
        return [flat[bounds[c] : bounds[c + 1]] for c in range(n_calls)]

    def _reasons(
        self,
        calls: Sequence[CallFacts],
        pieces: list[list[tuple[Tag, _Row, bool]]],
        ci: Ints,
        mi: Ints,
        states: list[Ints],
        weights: list[Floats],
        keyword_state: Ints,
        kw_weight: Floats,
        found_sets: list[tuple[str, ...]],
    ) -> list[tuple[Reason, ...]]:
        """The reasons of every kept pair: its pieces of evidence, strongest first (equal ones
        in the order they were found), then the call's conditions the member meets. Pairs with
        the same reasons share one tuple, and a reason is made once per call."""
        n_pairs, n_positions = len(ci), len(states)
        if not n_pairs:
            return []
        # Every distinct (call, position, state) met becomes one Reason, numbered.
        ids = np.full((n_pairs, n_positions + 1), -1, np.int64)
        neg_weight = np.full((n_pairs, n_positions + 1), np.inf)
        codes: list[Ints] = []
        span = 1 + max((len(row.states) for p in pieces for _, row, _ in p), default=1)
        for position, (state, weight) in enumerate(zip(states, weights, strict=True)):
            st = state[ci, mi]
            met = st > 0
            codes.append(((ci * n_positions + position) * span + st)[met])
            neg_weight[met, position] = -weight[ci, mi][met]
        unique_codes, inverse = np.unique(np.concatenate(codes or [ci[:0]]), return_inverse=True)
        objects: list[Reason] = []
        phrases: dict[tuple[int, int], tuple[str, ...]] = {}
        for code in unique_codes.tolist():
            rest, st = divmod(code, span)
            c, position = divmod(rest, n_positions)
            tag, row, whole_domain = pieces[c][position]
            kind, level, member_code = row.states[st]
            said = phrases.get((c, position))
            if said is None:
                said = phrases[c, position] = () if whole_domain else phrases_of(list(tag.evidence))
            objects.append(Reason(kind, tag.code, level, member_code, said))
        start = 0
        for position, code in enumerate(codes):
            met = states[position][ci, mi] > 0
            ids[met, position] = inverse.ravel()[start : start + len(code)]
            start += len(code)
        # Keywords: one Reason per distinct set of keywords found.
        base = len(objects)
        objects += [Reason(Kind.KEYWORDS, phrases=found) for found in found_sets[1:]]
        kw = keyword_state[ci, mi]
        has_kw = kw > 0
        ids[has_kw, n_positions] = base + kw[has_kw] - 1
        neg_weight[has_kw, n_positions] = -kw_weight[kw[has_kw]]
        # Strongest first, stably; then the pieces not met moved to the end, stably.
        ordered = np.take_along_axis(ids, np.argsort(neg_weight, axis=1, kind="stable"), axis=1)
        ordered = np.take_along_axis(
            ordered, np.argsort(ordered < 0, axis=1, kind="stable"), axis=1
        )
        signature = ci.astype(np.int64)
        for column in ordered.T:
            signature = _extend(signature, column + 1)
        _, first, which = np.unique(signature, return_index=True, return_inverse=True)
        counts = (ordered >= 0).sum(axis=1)
        eligibility = [_eligibility(call.conditions) for call in calls]
        get = objects.__getitem__
        shared = [
            tuple(map(get, row[:n])) + eligibility[c]
            for row, n, c in zip(
                ordered[first].tolist(), counts[first].tolist(), ci[first].tolist(), strict=True
            )
        ]
        return list(map(shared.__getitem__, which.ravel().tolist()))


def _extend(signature: Ints, values: Ints) -> Ints:
    """A number for every pair that differs when its signature or its value differs."""
    base = int(values.max(initial=0)) + 1
    if base == 1:
        return signature
    if signature.size and int(signature.max()) >= (1 << 62) // base:
        signature = np.unique(signature, return_inverse=True)[1].astype(np.int64).ravel()
    return signature * base + values


def _round3(values: Floats) -> Floats:
    """``round(v, 3)`` of every value, as Python rounds (correctly, from the exact binary
    value): numpy's scaled rounding agrees except next to a half, where Python decides."""
    scaled = values * 1000.0
    rounded = np.rint(scaled) / 1000.0
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    near_half |= ~np.isfinite(values)
    for i in np.flatnonzero(near_half).tolist():
        rounded[i] = round(float(values[i]), 3)
    return rounded


def _eligibility(conditions: Conditions) -> tuple[Reason, ...]:
    return tuple(
        Reason(Kind.ELIGIBLE, phrases=(r.label_en, r.label_pl))
        for r in conditions.restrictions
        if r.dimension == "applicants"
    )
