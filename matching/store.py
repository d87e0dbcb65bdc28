"""Matching stored calls against stored members, and flagging calls for review."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from callradar.calls import refresh_statuses
from callradar.members import keywords_of
from callradar.models import Call, CallMatchFeatures, Match, Member, utcnow
from callradar.settings import Settings, get_settings
from matching.conditions import Applicant
from matching.features import (
    TextFeatures,
    call_features,
    conditions_from_json,
    conditions_to_json,
    features_key,
)
from matching.reasons import Reason
from matching.scoring import CallFacts, Matcher, MemberFacts, Tag

COORDINATOR = "coordinator"
OPEN_STATUSES = frozenset({"open", "forthcoming", None})
_CHUNK = 500


@dataclass(slots=True)
class MatchSummary:
    calls: int = 0  # calls whose matches were (re)computed
    skipped: int = 0  # calls unchanged since their last matching
    created: int = 0
    updated: int = 0
    removed: int = 0


@dataclass(slots=True)
class FlagSummary:
    flagged: int = 0
    unflagged: int = 0


def is_open(call: Call, today: date) -> bool:
    """Open or forthcoming, and not every deadline passed (sources leave calls 'open')."""
    if call.status not in OPEN_STATUSES:
        return False
    return not call.deadlines or any(d.latest >= today for d in call.deadlines)


def effective_tags(call: Call) -> list[Tag]:
    """The coordinator's tags when the call was corrected, else the tagger's."""
    corrected = [t for t in call.tags if t.origin == COORDINATOR]
    chosen = corrected or list(call.tags)
    return [Tag(t.code, t.score, tuple(t.evidence or ())) for t in chosen]


def call_facts(
    call: Call, tags: list[Tag] | None = None, features: TextFeatures | None = None
) -> CallFacts:
    """What matching needs of ``call``; ``features`` when they were kept (else read now)."""
    features = features or call_features(call)
    return CallFacts(
        call.id,
        tuple(effective_tags(call) if tags is None else tags),
        f"{call.title}\n{call.description}",
        features.conditions,
        features.stem_hashes,
    )


def kept_features(session: Session, calls: Sequence[Call]) -> dict[int, TextFeatures]:
    """Each call's features as kept, after computing and keeping those missing or outdated."""
    stored = {
        row.call_id: row
        for row in session.scalars(
            select(CallMatchFeatures).where(
                CallMatchFeatures.call_id.in_([call.id for call in calls])
            )
        )
    }
    features: dict[int, TextFeatures] = {}
    for call in calls:
        key = features_key(call)
        row = stored.get(call.id)
        if row is not None and row.key == key:
            features[call.id] = TextFeatures(conditions_from_json(row.conditions), row.stem_hashes)
            continue
        found = features[call.id] = call_features(call)
        if row is None:
            row = CallMatchFeatures(call_id=call.id)
            session.add(row)
        row.key = key
        row.conditions = conditions_to_json(found.conditions)
        row.stem_hashes = found.stem_hashes
    return features


def member_facts(member: Member) -> MemberFacts:
    return MemberFacts(
        id=member.id,
        applicant=Applicant.of(member.kind, member.country, member.city),
        competences={c.code: c.level for c in member.competences},
        keywords=tuple(keywords_of(member)),
    )


def load_matcher(session: Session, min_score: float) -> tuple[Matcher, str]:
    """The matcher of every stored member, and a digest that changes when any member does."""
    members = [
        member_facts(m)
        for m in session.scalars(
            select(Member).options(selectinload(Member.competences)).order_by(Member.id)
        )
    ]
    digest = hashlib.sha256(
        json.dumps(
            [
                [m.id, m.applicant.kind, m.applicant.country, m.applicant.region]
                + [sorted(m.competences.items()), list(m.keywords)]
                for m in members
            ],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    return Matcher(members, min_score), digest


def _match_key(
    call: Call, tags: list[Tag], open_: bool, members_digest: str, min_score: float
) -> str:
    codes = sorted((t.code, round(t.score, 4)) for t in tags)
    raw = json.dumps([call.fingerprint, open_, codes, members_digest, min_score])
    return hashlib.sha256(raw.encode()).hexdigest()


def match_calls(
    session: Session,
    *,
    settings: Settings | None = None,
    today: date | None = None,
    force: bool = False,
    call_ids: Sequence[int] | None = None,
) -> MatchSummary:
    """(Re)compute the matches of every call that is new or changed since it was last matched.

    A call counts as changed when its content, its tags, any member, or whether it is still
    open changed. Closed calls and calls past every deadline match nobody: their matches are
    removed, except those carrying a member's feedback, which are kept for tuning. ``force``
    recomputes every call. The caller commits.
    """
    settings = settings or get_settings()
    today = today or settings.today()
    # A call no crawl stores again still opens and closes by its dates.
    refresh_statuses(session, today)
    now = utcnow()
    matcher, members_digest = load_matcher(session, settings.match_min_score)
    summary = MatchSummary()
    query = select(Call).options(selectinload(Call.tags), selectinload(Call.deadlines))
    if call_ids is not None:
        query = query.where(Call.id.in_(list(call_ids)))
    calls = list(session.scalars(query.order_by(Call.id)))
    for start in range(0, len(calls), _CHUNK):
        chunk = calls[start : start + _CHUNK]
        due: list[tuple[Call, list[_Found]]] = []
        opened: list[tuple[int, Call, list[Tag]]] = []
        for call in chunk:
            tags = effective_tags(call)
            open_ = is_open(call, today)
            key = _match_key(call, tags, open_, members_digest, settings.match_min_score)
            if key == call.matched_key and not force:
                summary.skipped += 1
                continue
            call.matched_key = key
            if open_:
                opened.append((len(due), call, tags))
            due.append((call, []))
        features = kept_features(session, [call for _, call, _ in opened])
        to_score = [
            (position, call_facts(call, tags, features[call.id])) for position, call, tags in opened
        ]
        # The chunk's open calls are scored together, much faster than one by one, and come
        # back as columns: no object is made per match before its row.
        positions = iter([position for position, _ in to_score])
        for rows in matcher.match_rows(facts for _, facts in to_score):
            found = list(
                zip(
                    map(rows.member_ids.__getitem__, rows.members.tolist()),
                    rows.scores.tolist(),
                    map(rows.reason_sets.__getitem__, rows.reasons.tolist()),
                    strict=True,
                )
            )
            for start, end in itertools.pairwise(rows.bounds):
                position = next(positions)
                due[position] = (due[position][0], found[start:end])
        if due:
            _store(session, due, summary, now)
    session.flush()
    return summary


# A stored match as ``_store`` reads it (the columns of its select, in order).
_StoredMatch: TypeAlias = "Row[int, int, str, float, list[str], list[str] | None, int, str | None]"
# A match as scored: member id, score, reasons.
_Found = tuple[str, float, tuple[Reason, ...]]


def _store(
    session: Session, due: list[tuple[Call, list[_Found]]], summary: MatchSummary, now: datetime
) -> None:
    # Stored matches are read and written as rows, not ORM objects: re-matching every call
    # after a member changed goes over hundreds of thousands of them.
    existing: dict[int, dict[str, _StoredMatch]] = defaultdict(dict)
    for row in session.execute(
        select(
            Match.id,
            Match.call_id,
            Match.member_id,
            Match.score,
            Match.reasons,
            Match.reasons_pl,
            Match.call_version,
            Match.feedback,
        ).where(Match.call_id.in_([c.id for c, _ in due]))
    ):
        existing[row.call_id][row.member_id] = row
    new: list[dict[str, object]] = []
    changed: list[dict[str, object]] = []
    gone: list[int] = []
    # Members with the same evidence share one tuple of reasons: its words are made once.
    texts: dict[int, tuple[list[str], list[str]]] = {}
    for call, scored in due:
        summary.calls += 1
        stored = existing.get(call.id, {})
        kept: set[str] = set()
        for member_id, score, said_as in scored:
            kept.add(member_id)
            said = texts.get(id(said_as))
            if said is None:
                said = texts[id(said_as)] = (
                    [r.text("en") for r in said_as],
                    [r.text("pl") for r in said_as],
                )
            reasons, reasons_pl = said
            match = stored.get(member_id)
            if match is None:
                # Each row gets its own lists (the JSON columns hold them).
                new.append(
                    {
                        "call_id": call.id,
                        "member_id": member_id,
                        "score": score,
                        "reasons": list(reasons),
                        "reasons_pl": list(reasons_pl),
                        "call_version": call.version,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            elif (match.score, match.reasons, match.reasons_pl, match.call_version) != (
                score,
                reasons,
                reasons_pl,
                call.version,
            ):
                changed.append(
                    {
                        "id": match.id,
                        "score": score,
                        "reasons": list(reasons),
                        "reasons_pl": list(reasons_pl),
                        "call_version": call.version,
                        "updated_at": now,
                    }
                )
        gone += [
            match.id
            for member_id, match in stored.items()
            if member_id not in kept and match.feedback is None
        ]
    if new:
        # Bulk statements: a first run stores hundreds of thousands of matches.
        session.execute(insert(Match), new)
        summary.created += len(new)
    if changed:
        session.execute(update(Match), changed)
        summary.updated += len(changed)
    for chunk in _chunks(gone):
        session.execute(delete(Match).where(Match.id.in_(chunk)))
    summary.removed += len(gone)
    if changed or gone:
        # Match objects this session loaded earlier must not keep their old values.
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Match):
                session.expire(obj)


def flag_calls(session: Session, *, threshold: float | None = None) -> FlagSummary:
    """Flag for review every pending call with a match at ``threshold`` or above; unflag
    pending calls that no longer have one. Reviewed calls keep their flag. The caller commits.
    """
    threshold = get_settings().flag_threshold if threshold is None else threshold
    best = dict(
        session.execute(
            select(Match.call_id, func.max(Match.score))
            .where(Match.feedback.is_(None))
            .group_by(Match.call_id)
        ).all()
    )
    pending = session.execute(
        select(Call.id, Call.flagged).where(Call.review_status == "pending")
    ).all()
    # A call without a match is below any threshold, 0 included.
    to_flag = [cid for cid, flagged in pending if not flagged and best.get(cid, -1) >= threshold]
    to_unflag = [cid for cid, flagged in pending if flagged and best.get(cid, -1) < threshold]
    for ids, value in ((to_flag, True), (to_unflag, False)):
        for chunk in _chunks(ids):
            session.execute(update(Call).where(Call.id.in_(chunk)).values(flagged=value))
    session.flush()
    return FlagSummary(flagged=len(to_flag), unflagged=len(to_unflag))


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def list_matches(
    session: Session, *, member_id: str | None = None, call_id: int | None = None
) -> list[dict[str, object]]:
    """Stored matches, best first, as `callradar matches list --json` prints them."""
    query = select(Match, Call).join(Call, Call.id == Match.call_id)
    if member_id is not None:
        query = query.where(Match.member_id == member_id)
    if call_id is not None:
        query = query.where(Match.call_id == call_id)
    rows = session.execute(
        query.order_by(Match.score.desc(), Call.source, Call.external_id, Match.member_id)
    ).all()
    return [
        {
            "call_id": call.external_id,
            "source": call.source,
            "title": call.title,
            "member_id": match.member_id,
            "score": match.score,
            "reasons": list(match.reasons),
            "reasons_pl": list(match.reasons_pl or []),
            "feedback": match.feedback,
            "call_version": match.call_version,
        }
        for match, call in rows
    ]
