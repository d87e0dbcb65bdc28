"""Calls in the database: the one call record schema, upsert with versions, listing.

Every way a call arrives (a spider's item pipeline, a manual JSONL file) validates it into a
``CallRecord`` and stores it with ``upsert_call``, which keeps a version per content change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from callradar.deadlines import Deadline, parse_deadline
from callradar.models import Call, CallDeadline, CallVersion, Source, utcnow
from callradar.text import clean_line, clean_text

Status = Literal["forthcoming", "open", "closed"]
MANUAL_SOURCE = "manual"
# Fields whose change makes a new version; the ones that matter to members are in
# ``SIGNIFICANT_FIELDS`` (a changed text alone does not re-notify anyone).
VERSIONED_FIELDS = (
    "title",
    "description",
    "url",
    "programme",
    "call_identifier",
    "type_of_action",
    "status",
    "deadlines",
    "opening_date",
    "budget",
    "currency",
)
SIGNIFICANT_FIELDS = frozenset({"deadlines", "status", "budget"})

CleanLine = Annotated[str, BeforeValidator(lambda v: clean_line(v) if isinstance(v, str) else v)]


class CallRecord(BaseModel):
    """One call as every source hands it over, validated and normalised."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[CleanLine, StringConstraints(min_length=1, max_length=200)]
    source: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")] = MANUAL_SOURCE
    title: Annotated[CleanLine, StringConstraints(min_length=1)]
    description: str = ""
    url: HttpUrl | None = None
    programme: CleanLine | None = None
    call_identifier: CleanLine | None = None
    type_of_action: CleanLine | None = None
    status: Status | None = None
    deadlines: list[str] = Field(default_factory=list)
    opening_date: date | None = None
    budget: float | None = Field(default=None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = None
    # An identifier other sources use for the same call (e.g. a FENG competition number);
    # calls of different sources with the same key are linked, not duplicated.
    link_key: CleanLine | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("description", mode="before")
    @classmethod
    def _clean_description(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("deadlines")
    @classmethod
    def _deadlines(cls, values: list[str]) -> list[str]:
        parsed = sorted({parse_deadline(v) for v in values})
        return [d.value for d in parsed]

    @model_validator(mode="after")
    def _currency_with_budget(self) -> CallRecord:
        if self.budget is not None and self.currency is None:
            self.currency = "EUR"
        return self

    def parsed_deadlines(self) -> list[Deadline]:
        return [parse_deadline(v) for v in self.deadlines]

    def checked_status(self, today: date) -> Status:
        """The status, corrected by the dates: sources leave calls 'open' after they close.

        A call whose status nobody gave is open unless its dates say otherwise: it was
        published, and nothing says it ended.
        """
        deadlines = self.parsed_deadlines()
        if deadlines and all(d.passed(today) for d in deadlines):
            return "closed"
        if self.status == "closed":
            return "closed"
        if self.opening_date and self.opening_date > today:
            return "forthcoming"
        return self.status or "open"

    def snapshot(self, today: date) -> dict[str, Any]:
        """The versioned content, JSON-ready; its hash is the call's fingerprint."""
        data = self.model_dump(mode="json", include=set(VERSIONED_FIELDS))
        data["status"] = self.checked_status(today)
        return data


def fingerprint(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


class Outcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class UpsertResult:
    outcome: Outcome
    call: Call
    changed_fields: tuple[str, ...] = ()


def upsert_call(session: Session, record: CallRecord, now: datetime | None = None) -> UpsertResult:
    """Store a new call, version a changed one, or only mark an unchanged one as seen."""
    return upsert_calls(session, [record], now)[0]


def upsert_calls(
    session: Session, records: Sequence[CallRecord], now: datetime | None = None
) -> list[UpsertResult]:
    """``upsert_call`` for many calls at once: a query per chunk of ids finds the stored
    ones and the session is flushed once, so a source's whole crawl stores in seconds."""
    now = now or utcnow()
    today = now.astimezone(UTC).date()
    for source in dict.fromkeys(r.source for r in records):
        _ensure_source(session, source)
    stored = _stored_calls(session, records)
    outcomes: list[tuple[Outcome, tuple[str, str], tuple[str, ...]]] = []
    new_rows: dict[tuple[str, str], tuple[CallRecord, dict[str, Any], str]] = {}
    seen: list[Call] = []
    for record in records:
        key = (record.source, record.id)
        snapshot = record.snapshot(today)
        digest = fingerprint(snapshot)
        call = stored.get(key)
        if call is None:
            if key in new_rows:
                # A repeated id within one batch: the later row is a change of the new call.
                stored.update(_insert_new(session, new_rows, now))
                new_rows.clear()
                call = stored[key]
            else:
                new_rows[key] = (record, snapshot, digest)
                outcomes.append((Outcome.NEW, key, ()))
                continue
        if call.fingerprint == digest:
            seen.append(call)
            outcomes.append((Outcome.UNCHANGED, key, ()))
            continue
        previous = call.versions[-1].snapshot if call.versions else {}
        changed = tuple(f for f in VERSIONED_FIELDS if previous.get(f) != snapshot.get(f))
        call.version += 1
        call.changed_at = now
        _apply(call, record, snapshot, digest, now)
        call.versions.append(_version(call, digest, snapshot, changed))
        outcomes.append((Outcome.CHANGED, key, changed))
    new_calls = _insert_new(session, new_rows, now)
    stored.update(new_calls)
    _mark_seen(session, seen, now)
    session.flush()
    if new_calls:
        _link_same_calls(session, list(new_calls.values()))
    return [UpsertResult(outcome, stored[key], changed) for outcome, key, changed in outcomes]


def _insert_new(
    session: Session,
    rows: dict[tuple[str, str], tuple[CallRecord, dict[str, Any], str]],
    now: datetime,
) -> dict[tuple[str, str], Call]:
    """New calls with their first version and deadlines, as three bulk INSERTs: the
    unit of work spent more than a second a thousand calls on objects it did not need."""
    if not rows:
        return {}
    inserted = session.scalars(
        insert(Call).returning(Call),
        [_new_row(record, snapshot, digest, now) for record, snapshot, digest in rows.values()],
    ).all()
    calls = {(call.source, call.external_id): call for call in inserted}
    session.execute(
        insert(CallVersion),
        [
            {
                "call_id": calls[key].id,
                "version": 1,
                "fingerprint": digest,
                "snapshot": snapshot,
                "changed_fields": [],
                "created_at": now,
            }
            for key, (_, snapshot, digest) in rows.items()
        ],
    )
    deadlines = [
        {"call_id": calls[key].id, "value": d.value, "precision": d.precision, "latest": d.latest}
        for key, (record, _, _) in rows.items()
        for d in record.parsed_deadlines()
    ]
    if deadlines:
        session.execute(insert(CallDeadline), deadlines)
    return calls


def _mark_seen(session: Session, calls: list[Call], now: datetime) -> None:
    """Unchanged calls get their last_seen_at in one UPDATE a chunk, not one a call."""
    ids = [call.id for call in calls]
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            update(Call)
            .where(Call.id.in_(ids[start : start + _CHUNK]))
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
    # The loaded objects are told directly: the ORM's own synchronising evaluated the
    # WHERE clause against every object in the session, which cost more than the UPDATE.
    for call in calls:
        set_committed_value(call, "last_seen_at", now)


_CHUNK = 500


def _stored_calls(session: Session, records: Sequence[CallRecord]) -> dict[tuple[str, str], Call]:
    ids_by_source: dict[str, list[str]] = {}
    for record in records:
        ids_by_source.setdefault(record.source, []).append(record.id)
    stored: dict[tuple[str, str], Call] = {}
    for source, ids in ids_by_source.items():
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            for call in session.scalars(
                select(Call).where(Call.source == source, Call.external_id.in_(chunk))
            ):
                stored[(source, call.external_id)] = call
    return stored


def _version(
    call: Call, digest: str, snapshot: dict[str, Any], changed: tuple[str, ...]
) -> CallVersion:
    return CallVersion(
        version=call.version,
        fingerprint=digest,
        snapshot=snapshot,
        changed_fields=list(changed),
        created_at=call.last_seen_at,
    )


def _link_same_calls(session: Session, new_calls: list[Call]) -> None:
    """Point each new call at the first-stored call of another source with the same ref."""
    refs = list({c.ref for c in new_calls})
    first_by_ref: dict[str, list[tuple[int, str]]] = {}
    for start in range(0, len(refs), _CHUNK):
        rows = session.execute(
            select(Call.ref, Call.id, Call.source)
            .where(Call.ref.in_(refs[start : start + _CHUNK]), Call.same_as_id.is_(None))
            .order_by(Call.id)
        )
        for ref, call_id, source in rows:
            first_by_ref.setdefault(ref, []).append((call_id, source))
    for call in new_calls:
        for call_id, source in first_by_ref.get(call.ref, []):
            if call_id < call.id and source != call.source:
                call.same_as_id = call_id
                break
    session.flush()


def _ensure_source(session: Session, name: str) -> None:
    if session.get(Source, name) is None:
        session.add(Source(name=name, title=name))
        session.flush()


def _fields(record: CallRecord, snapshot: dict[str, Any], digest: str) -> dict[str, Any]:
    """The columns of a call that come from its record."""
    return {
        "ref": (record.link_key or record.id).upper(),
        "title": record.title,
        "description": record.description,
        "url": str(record.url) if record.url else None,
        "programme": record.programme,
        "call_identifier": record.call_identifier,
        "type_of_action": record.type_of_action,
        "status": snapshot["status"],
        "opening_date": record.opening_date,
        "budget": record.budget,
        "currency": record.currency,
        "language": record.language,
        "extra": record.extra,
        "fingerprint": digest,
    }


def _new_row(
    record: CallRecord, snapshot: dict[str, Any], digest: str, now: datetime
) -> dict[str, Any]:
    return {
        "source": record.source,
        "external_id": record.id,
        "version": 1,
        "first_seen_at": now,
        "last_seen_at": now,
        **_fields(record, snapshot, digest),
    }


def _apply(
    call: Call, record: CallRecord, snapshot: dict[str, Any], digest: str, now: datetime
) -> None:
    for name, value in _fields(record, snapshot, digest).items():
        setattr(call, name, value)
    call.last_seen_at = now
    call.deadlines = [
        CallDeadline(value=d.value, precision=d.precision, latest=d.latest)
        for d in record.parsed_deadlines()
    ]


def list_calls(
    session: Session, status: Status | None = None, source: str | None = None
) -> list[Call]:
    query = (
        select(Call).options(selectinload(Call.deadlines)).order_by(Call.source, Call.external_id)
    )
    if status:
        query = query.where(Call.status == status)
    if source:
        query = query.where(Call.source == source)
    return list(session.scalars(query))


def call_summary(call: Call) -> dict[str, Any]:
    """The JSON form `callradar calls list --json` prints for a call."""
    return {
        "id": call.external_id,
        "source": call.source,
        "title": call.title,
        "url": call.url,
        "status": call.status,
        "deadlines": [d.value for d in sorted(call.deadlines, key=lambda d: d.latest)],
        "programme": call.programme,
        "call_identifier": call.call_identifier,
        "type_of_action": call.type_of_action,
        "budget": call.budget,
        "currency": call.currency,
        "language": call.language,
        "version": call.version,
        "first_seen_at": call.first_seen_at.isoformat(),
        "changed_at": call.changed_at.isoformat() if call.changed_at else None,
    }
