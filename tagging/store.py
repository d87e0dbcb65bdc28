"""Tags in the database: tagging stored calls, the coordinator's corrections, and turning
those corrections into training examples."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, selectinload

from callradar.models import Call, CallTag, utcnow
from callradar.taxonomy import ALL_CODES
from tagging import dataset
from tagging.result import CallText, TagResult
from tagging.tagger import Tagger

TAGGER = "tagger"
COORDINATOR = "coordinator"


@dataclass(slots=True)
class TagRunSummary:
    tagged: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # call id -> why


def calls_to_tag(session: Session) -> list[Call]:
    """Calls never tagged, or changed since they were tagged."""
    return list(
        session.scalars(
            select(Call)
            .where(
                or_(Call.tagged_fingerprint.is_(None), Call.tagged_fingerprint != Call.fingerprint)
            )
            .options(selectinload(Call.tags))
            .order_by(Call.id)
        )
    )


def tag_stored_calls(
    session: Session,
    tagger: Tagger | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> TagRunSummary:
    """Tag every stored call that is untagged or changed since it was tagged.

    A call the coordinator corrected keeps the coordinator's areas; it is only marked as
    tagged. The caller commits.
    """
    calls = calls_to_tag(session)
    summary = TagRunSummary()
    if not calls:
        return summary
    tagger = tagger or Tagger.load()
    texts = (CallText(str(c.id), c.title, c.description, c.language) for c in calls)
    for call, result in zip(calls, tagger.tag_many(texts), strict=True):
        if result.skipped:
            summary.skipped[f"{call.source}:{call.external_id}"] = result.skipped
        if call.tags_corrected_at is None:
            _replace_tagger_tags(session, call, result)
        call.tagged_fingerprint = call.fingerprint
        summary.tagged += 1
        if on_progress:
            on_progress(1)
    session.flush()
    return summary


def _replace_tagger_tags(session: Session, call: Call, result: TagResult) -> None:
    session.execute(delete(CallTag).where(CallTag.call_id == call.id))
    session.expire(call, ["tags"])
    for area in result.areas:
        session.add(
            CallTag(
                call_id=call.id,
                code=area.code,
                score=area.score,
                evidence=area.evidence,
                origin=TAGGER,
            )
        )
    for tag in result.whole_domains:
        session.add(
            CallTag(
                call_id=call.id,
                code=tag.code,
                score=tag.score,
                evidence=tag.evidence,
                origin=TAGGER,
            )
        )


def correct_tags(
    session: Session, call: Call, codes: Iterable[str], now: datetime | None = None
) -> None:
    """Set a call's areas (and whole domains) as the coordinator says they are.

    The tagger's evidence is kept for the codes it had found; the call stays corrected, so
    later re-tagging does not undo the coordinator's word.
    """
    chosen = list(dict.fromkeys(codes))
    unknown = [c for c in chosen if c not in ALL_CODES]
    if unknown:
        raise ValueError(f"unknown area or domain code(s): {', '.join(unknown)}")
    evidence = {t.code: t.evidence for t in call.tags}
    session.execute(delete(CallTag).where(CallTag.call_id == call.id))
    session.expire(call, ["tags"])
    for code in chosen:
        session.add(
            CallTag(
                call_id=call.id,
                code=code,
                score=1.0,
                evidence=evidence.get(code, []),
                origin=COORDINATOR,
            )
        )
    call.tags_corrected_at = now or utcnow()
    session.flush()


def export_corrections(session: Session, path: Path) -> int:
    """Write every corrected call as a training example to ``path`` (atomically); retraining
    picks the file up from tagging/data when it is named corrections*.jsonl. Returns the
    number of examples."""
    calls = session.scalars(
        select(Call)
        .where(Call.tags_corrected_at.is_not(None))
        .options(selectinload(Call.tags))
        .order_by(Call.id)
    )
    lines = dataset.export_corrections(
        (
            f"{call.title}\n\n{call.description}",
            [t.code for t in call.tags if t.origin == COORDINATOR],
        )
        for call in calls
    )
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    tmp.replace(path)
    return len(lines)
