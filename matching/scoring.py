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
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from callradar import taxonomy
from callradar.gcpause import collector_paused
from matching.conditions import Applicant, Conditions
from matching.keywords import KeywordIndex, stem_hashes
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
    # ``stem_hashes(text)``, when kept from an earlier reading of the text.
    stem_hashes: bytes | None = None


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
class MatchRows:
    """The matches of consecutive calls as columns, each call's best first: the member (an
    index into ``member_ids``), the score (rounded to 3 decimals) and the reasons (an index
    into ``reason_sets``; pairs with the same evidence share one tuple). The matches of the
    ``c``-th call are the rows ``bounds[c]`` to ``bounds[c + 1]``."""

    members: Ints
    scores: Floats
    reasons: Ints
    bounds: list[int]
    member_ids: Sequence[str]
    reason_sets: Sequence[tuple[Reason, ...]]

    def __len__(self) -> int:
        return len(self.members)

    def scored(self) -> list[list[Scored]]:
        """Every call's matches as ``Scored`` objects."""
        flat = list(
            map(
                Scored,
                map(self.member_ids.__getitem__, self.members.tolist()),
                self.scores.tolist(),
                map(self.reason_sets.__getitem__, self.reasons.tolist()),
            )
        )
        b = self.bounds
        return [flat[b[c] : b[c + 1]] for c in range(len(b) - 1)]


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
        # Every distinct set of keywords found (at most MAX_KEYWORDS), numbered from 1 (0: none):
        # its factor 1 - weight in the score and its reason.
        self._found_sets: dict[tuple[str, ...], int] = {(): 0}
        self._found_factor: list[float] = [1.0]
        self._found_weight: list[float] = [0.0]
        self._found_reasons: list[Reason] = [Reason(Kind.KEYWORDS)]
        # Every member's spelling of every keyword (as stems) it gave, numbered from 1, as
        # flat columns: the spellings of key k are the entries _key_start[k] to
        # _key_start[k + 1], member by member in the members' order.
        self._spellings: list[str] = [""]
        numbers: dict[str, int] = {}
        key_member: list[int] = []
        key_spelling: list[int] = []
        key_start = [0]
        for owners in self._keywords.owners:
            for owner, keyword in owners:
                key_member.append(self._index[owner])
                number = numbers.get(keyword)
                if number is None:
                    number = numbers[keyword] = len(self._spellings)
                    self._spellings.append(keyword)
                key_spelling.append(number)
            key_start.append(len(key_member))
        self._key_member = np.array(key_member, np.int64)
        self._key_spelling = np.array(key_spelling, np.int64)
        self._key_start = np.array(key_start, np.int64)
        self._area_rows: dict[str, _Row] = {}
        self._domain_rows: dict[str, _Row] = {}
        self._excluded: dict[Conditions, Bools] = {}

    def match(self, call: CallFacts) -> list[Scored]:
        """Every member the call fits at ``min_score`` or better, best first."""
        return self.match_many([call])[0]

    def match_many(self, calls: Iterable[CallFacts]) -> list[list[Scored]]:
        """``match`` of every call, in order; many calls at once are scored much faster."""
        results: list[list[Scored]] = []
        for rows in self.match_rows(calls):
            results += rows.scored()
        return results

    def match_rows(self, calls: Iterable[CallFacts]) -> list[MatchRows]:
        """The matches of every call, in order, as columns (one ``MatchRows`` per batch of
        calls): ``match_many`` without making an object per match."""
        calls = list(calls)
        with collector_paused():
            return [
                self._match_batch(calls[start : start + _BATCH])
                for start in range(0, len(calls), _BATCH)
            ]

    def _found_set(self, found: tuple[str, ...]) -> int:
        number = self._found_sets.get(found)
        if number is None:
            number = self._found_sets[found] = len(self._found_reasons)
            weight = 1 - (1 - KEYWORD_WEIGHT) ** len(found)
            self._found_weight.append(weight)
            self._found_factor.append(1 - min(max(weight, 0.0), 1.0))
            self._found_reasons.append(Reason(Kind.KEYWORDS, phrases=found))
        return number

    def _keywords_found(self, calls: Sequence[CallFacts]) -> tuple[Ints, Ints, Ints]:
        """The (call, member, set of keywords found) of every pair where a member's keywords
        are in the call's text: each member's keywords in the order they occur in the text,
        at most MAX_KEYWORDS of them."""
        key_call, keys = self._keywords.found_in(
            [
                stem_hashes(call.text) if call.stem_hashes is None else call.stem_hashes
                for call in calls
            ]
        )
        # Every spelling of every key found, call by call, key by key (in the text's order).
        starts, sizes = self._key_start[keys], np.diff(self._key_start)[keys]
        entry = np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())
        call = np.repeat(key_call, sizes)
        member, spelling = self._key_member[entry], self._key_spelling[entry]
        # Grouped by call and member, still in the text's order (lexsort is stable).
        order = np.lexsort((member, call))
        call, member, spelling = call[order], member[order], spelling[order]
        new = np.ones(len(call), bool)
        new[1:] = (call[1:] != call[:-1]) | (member[1:] != member[:-1])
        group_start = np.flatnonzero(new)
        group = np.cumsum(new) - 1
        rank = np.arange(len(call)) - group_start[group]
        # A group's first MAX_KEYWORDS spellings (0: none), then as a set found.
        first = np.zeros((len(group_start), MAX_KEYWORDS), np.int64)
        taken = rank < MAX_KEYWORDS
        first[group[taken], rank[taken]] = spelling[taken]
        base = len(self._spellings)
        if base**MAX_KEYWORDS < 1 << 62:
            # As one number per group (much faster to sort than rows).
            code = np.zeros(len(first), np.int64)
            for k in range(MAX_KEYWORDS):
                code = code * base + first[:, k]
            _, at, which = np.unique(code, return_index=True, return_inverse=True)
            distinct = first[at]
        else:
            distinct, which = np.unique(first, axis=0, return_inverse=True)
        spelled = self._spellings.__getitem__
        sets = np.array(
            [self._found_set(tuple(map(spelled, filter(None, row)))) for row in distinct.tolist()],
            np.int64,
        )
        return call[group_start], member[group_start], sets[which.ravel()]

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

    def _match_batch(self, calls: Sequence[CallFacts]) -> MatchRows:
        n_calls, n_members = len(calls), len(self._ids)
        if not n_members or not n_calls:
            empty = np.zeros(0, np.int64)
            return MatchRows(empty, np.zeros(0), empty, [0] * (n_calls + 1), self._ids, [])
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
        # A number per pair, the same for two pairs of a call exactly when their evidence is
        # (its state at every position and the keywords found): they get the same reasons.
        evidence = np.zeros(n_calls * n_members, np.int64)
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
            evidence = _extend(evidence, state.ravel())
        # Keywords found in the call text come last.
        keyword_set = np.zeros((n_calls, n_members), np.int64)
        kw_rows, kw_cols, kw_sets = self._keywords_found(calls)
        if len(kw_rows):
            remaining[kw_rows, kw_cols] *= np.array(self._found_factor)[kw_sets]
            present[kw_rows, kw_cols] = True
            keyword_set[kw_rows, kw_cols] = kw_sets
            evidence = _extend(evidence, keyword_set.ravel())
        score = 1 - remaining
        keep = present & ~(score < self.min_score)
        # Calls share a few dozen distinct conditions: one mask each, applied all at once.
        masks: dict[Conditions, int] = {Conditions(): 0}
        which = np.fromiter(
            (masks.setdefault(call.conditions, len(masks)) for call in calls), np.int64, n_calls
        )
        if len(masks) > 1:
            excluded = np.stack([self._excluded_by(conditions) for conditions in masks])
            keep &= ~excluded[which]
        ci, mi = np.nonzero(keep)
        rounded = _round3(score[ci, mi])
        order = np.lexsort((self._id_rank[mi], -rounded, ci))
        ci, mi, rounded = ci[order], mi[order], rounded[order]
        reasons, reason_sets = self._reasons(
            calls, pieces, ci, mi, evidence[ci * n_members + mi], states, weights, keyword_set
        )
        bounds = np.concatenate(([0], np.cumsum(np.bincount(ci, minlength=n_calls)))).tolist()
        return MatchRows(mi, rounded, reasons, bounds, self._ids, reason_sets)

    def _reasons(
        self,
        calls: Sequence[CallFacts],
        pieces: list[list[tuple[Tag, _Row, bool]]],
        ci: Ints,
        mi: Ints,
        evidence: Ints,
        states: list[Ints],
        weights: list[Floats],
        keyword_set: Ints,
    ) -> tuple[Ints, list[tuple[Reason, ...]]]:
        """The reasons of every kept pair: its pieces of evidence, strongest first (equal ones
        in the order they were found), then the call's conditions the member meets. They are
        made once for each call and distinct evidence, from the first pair that has it, and
        shared; a reason is made once per call. Returns each pair's number of its reasons,
        and the reasons so numbered."""
        if not len(ci):
            return ci, []
        # One pair (c, m) for each call and distinct evidence; ``which``: each pair's one.
        evidence = np.unique(evidence, return_inverse=True)[1].ravel()
        _, first, which = np.unique(
            ci * (int(evidence.max()) + 1) + evidence, return_index=True, return_inverse=True
        )
        ci, mi = ci[first], mi[first]
        n_pairs, n_positions = len(ci), len(states)
        ids = np.full((n_pairs, n_positions + 1), -1, np.int64)
        neg_weight = np.full((n_pairs, n_positions + 1), np.inf)
        # Every distinct (call, position, state) met becomes one Reason, numbered.
        codes: list[Ints] = []
        mets: list[Bools] = []
        span = 1 + max((len(row.states) for p in pieces for _, row, _ in p), default=1)
        for position, (state, weight) in enumerate(zip(states, weights, strict=True)):
            st = state[ci, mi]
            met = st > 0
            mets.append(met)
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
        inverse = inverse.ravel()
        for position, (code, met) in enumerate(zip(codes, mets, strict=True)):
            ids[met, position] = inverse[start : start + len(code)]
            start += len(code)
        # Keywords: the Reason of each set of keywords found, made once per matcher.
        base = len(objects)
        objects += self._found_reasons
        kw = keyword_set[ci, mi]
        has_kw = kw > 0
        ids[has_kw, n_positions] = base + kw[has_kw]
        neg_weight[has_kw, n_positions] = -np.array(self._found_weight)[kw[has_kw]]
        # Strongest first, stably; then the pieces not met moved to the end, stably: one sort
        # of every (row, not met, -weight, column), rows staying whole as all are as long.
        width = n_positions + 1
        columns = np.broadcast_to(np.arange(width), ids.shape).ravel()
        rows = np.repeat(np.arange(n_pairs), width)
        order = np.lexsort((columns, neg_weight.ravel(), ids.ravel() < 0, rows))
        ordered = ids.ravel()[order].reshape(ids.shape)
        counts = (ordered >= 0).sum(axis=1)
        # Then the call's conditions the member meets.
        used = np.bincount(ci, minlength=len(calls)).tolist()
        eligible = [
            _eligibility(call.conditions) if n else () for call, n in zip(calls, used, strict=True)
        ]
        n_eligible = np.array([len(e) for e in eligible])[ci]
        # The tuples, made column by column for the rows of the same length (zip makes them
        # at C speed), numbered in the order made.
        get = objects.__getitem__
        shared: list[tuple[Reason, ...]] = []
        number = np.empty(n_pairs, np.int64)
        for n, e in sorted(set(zip(counts.tolist(), n_eligible.tolist(), strict=True))):
            rows_of = np.flatnonzero((counts == n) & (n_eligible == e))
            calls_of = ci[rows_of].tolist()
            made = [list(map(get, ordered[rows_of, k].tolist())) for k in range(n)]
            made += [
                list(map(itemgetter(k), map(eligible.__getitem__, calls_of))) for k in range(e)
            ]
            number[rows_of] = np.arange(len(shared), len(shared) + len(rows_of))
            shared += zip(*made, strict=True) if made else [()] * len(rows_of)
        return number[which.ravel()], shared


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
    labels = tuple(
        (r.label_en, r.label_pl) for r in conditions.restrictions if r.dimension == "applicants"
    )
    reasons = _ELIGIBILITY.get(labels)
    if reasons is None:
        reasons = _ELIGIBILITY[labels] = tuple(
            Reason(Kind.ELIGIBLE, phrases=pair) for pair in labels
        )
    return reasons


# labels of a call's applicant restrictions -> their reasons (a few dozen combinations)
_ELIGIBILITY: dict[tuple[tuple[str, str], ...], tuple[Reason, ...]] = {}
