"""Calls in the database: the one call record schema, upsert with versions, listing.

Every way a call arrives (a spider's item pipeline, a manual JSONL file) validates it into a
``CallRecord`` and stores it with ``upsert_call``, which keeps a version per content change.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

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
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from callradar.deadlines import Deadline, iso_value, parse_deadline, same_days_rewritten
from callradar.models import Call, CallDeadline, CallVersion, Source, utcnow
from callradar.settings import get_settings
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


def _clean_line(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    # Printable text has no control characters, line breaks or spaces other than ' ', so
    # clean_line comes down to this; five fields an item of every crawl take this path.
    if value.isprintable():
        return " ".join(unicodedata.normalize("NFC", value).split())
    return clean_line(value)


def _is_clean(text: str) -> bool:
    """Whether clean_text would leave ``text`` as it is, checked at C speed line by line: a
    crawled description arrives cleaned already, and cleaning it again scanned each of its
    characters with three regular expressions."""
    return (
        text == text.strip()
        and "\n\n\n" not in text
        and unicodedata.is_normalized("NFC", text)
        and all(
            line.isprintable() and line == line.strip() and "  " not in line
            for line in text.split("\n")
        )
    )


CleanLine = Annotated[str, BeforeValidator(_clean_line)]


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
    # Finite: 1e400 in JSON is infinity, which `calls list --json` wrote as invalid JSON.
    budget: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = None
    # An identifier other sources use for the same call (e.g. a FENG competition number);
    # calls of different sources with the same key are linked, not duplicated.
    link_key: CleanLine | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("description", mode="before")
    @classmethod
    def _clean_description(cls, value: Any) -> Any:
        if not isinstance(value, str) or _is_clean(value):
            return value
        return clean_text(value)

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
        """The status, corrected by the dates: sources leave calls 'open' after they close,
        and 'forthcoming' after they open (see ``status_on``)."""
        return status_on(
            self.status,
            self.opening_date,
            self.parsed_deadlines(),
            today,
            opening_period(self.extra),
        )

    def snapshot(self, today: date) -> dict[str, Any]:
        """The versioned content, JSON-ready; its hash is the call's fingerprint."""
        data = self.model_dump(mode="json", include=set(VERSIONED_FIELDS))
        data["status"] = self.checked_status(today)
        return data


def status_on(
    status: Status | str | None,
    opening_date: date | None,
    deadlines: Sequence[Deadline],
    today: date,
    opening: Deadline | None = None,
) -> Status:
    """A call's status on ``today``: the source's word, moved on by the dates it knows.

    A call whose every deadline has passed is closed; one whose opening date is ahead is
    forthcoming, and one whose opening date has come is open whatever the source last said
    (the portal keeps "Forthcoming" for days after a topic opens); so is one whose opening,
    known only to a month or a quarter (``opening``), is wholly past. A call whose status
    nobody gave is open unless its dates say otherwise: it was published, and nothing says
    it ended.
    """
    if deadlines and all(d.passed(today) for d in deadlines):
        return "closed"
    if status == "closed":
        return "closed"
    if opening_date is not None:
        return "forthcoming" if opening_date > today else "open"
    if status == "forthcoming" and not (opening is not None and opening.passed(today)):
        return "forthcoming"
    return "open"


def opening_period(extra: dict[str, Any] | None) -> Deadline | None:
    """The opening a crawled call knows only to a month or a quarter (``extra.opening``)."""
    value = (extra or {}).get("opening")
    try:
        return parse_deadline(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _moved_by_calendar(
    previous: dict[str, Any], status: str, today: date, opening: Deadline | None
) -> bool:
    """Whether ``status`` is only what the calendar made of the previous version's status,
    with that version's own dates (a forthcoming call whose opening day came, an open one
    whose last deadline passed): no news the source gave, so no change to tell members of.
    ``opening``: the call's opening known only to a month or a quarter."""
    try:
        deadlines = [parse_deadline(v) for v in previous.get("deadlines") or []]
        day = previous.get("opening_date")
        opening_date = date.fromisoformat(day) if day else None
    except (TypeError, ValueError):
        return False
    return status_on(previous.get("status"), opening_date, deadlines, today, opening) == status


def refresh_statuses(session: Session, today: date) -> int:
    """Move the stored status of every call on by the calendar (``status_on``): calls no
    source lists any more, or entered by hand, are never stored again to have it checked.
    Makes no version: the call says nothing new. Returns how many calls moved."""
    has_deadline = select(CallDeadline.id).where(CallDeadline.call_id == Call.id).exists()
    ahead = (
        select(CallDeadline.id)
        .where(CallDeadline.call_id == Call.id, CallDeadline.latest >= today)
        .exists()
    )
    moved = 0
    for statement in (
        update(Call)
        .where(or_(Call.status.is_(None), Call.status != "closed"), has_deadline, ~ahead)
        .values(status="closed"),
        update(Call)
        .where(
            or_(Call.status.is_(None), Call.status == "forthcoming"),
            Call.opening_date <= today,
            or_(~has_deadline, ahead),
        )
        .values(status="open"),
    ):
        result = session.execute(statement.execution_options(synchronize_session="fetch"))
        moved += max(result.rowcount or 0, 0)  # type: ignore[attr-defined]
    # An opening known only to a month or a quarter lives in ``extra``, which SQL cannot
    # compare on both databases: the few forthcoming calls without an opening day are read.
    undated = session.execute(
        select(Call.id, Call.extra).where(Call.status == "forthcoming", Call.opening_date.is_(None))
    )
    opened = [
        call_id
        for call_id, extra in undated
        if (opening := opening_period(extra)) is not None and opening.passed(today)
    ]
    for start in range(0, len(opened), _CHUNK):
        session.execute(
            update(Call)
            .where(Call.id.in_(opened[start : start + _CHUNK]))
            .values(status="open")
            .execution_options(synchronize_session="fetch")
        )
    return moved + len(opened)


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


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What ``store_calls`` did with a record: the outcome and the stored row's id."""

    outcome: Outcome
    call_id: int
    changed_fields: tuple[str, ...] = ()


def upsert_call(session: Session, record: CallRecord, now: datetime | None = None) -> UpsertResult:
    """Store a new call, version a changed one, or only mark an unchanged one as seen."""
    return upsert_calls(session, [record], now)[0]


def upsert_calls(
    session: Session, records: Sequence[CallRecord], now: datetime | None = None
) -> list[UpsertResult]:
    """``upsert_call`` for many calls at once, each result with its stored call."""
    stored = store_calls(session, records, now)
    calls: dict[int, Call] = {}
    ids = list({result.call_id for result in stored})
    for start in range(0, len(ids), _CHUNK):
        for call in session.scalars(select(Call).where(Call.id.in_(ids[start : start + _CHUNK]))):
            calls[call.id] = call
    return [UpsertResult(r.outcome, calls[r.call_id], r.changed_fields) for r in stored]


def store_calls(
    session: Session, records: Sequence[CallRecord], now: datetime | None = None
) -> list[StoreResult]:
    """``upsert_calls`` without loading the stored calls back: what a crawl needs.

    Stored calls are compared by fingerprint alone (a query per chunk of ids, no ORM
    objects); only changed calls are loaded to be versioned. New calls, their first
    versions and deadlines go in as three bulk INSERTs and unchanged ones get their
    last_seen_at by one UPDATE a chunk: the unit of work, and ORM objects made for rows
    nobody reads, cost more than the SQL itself on a crawl of thousands of calls.
    """
    now = now or utcnow()
    settings = get_settings()
    today, zone = settings.today(now), settings.zone
    for source in dict.fromkeys(r.source for r in records):
        _ensure_source(session, source)
    stored = _stored_fingerprints(session, records)
    rows = [(record, record.snapshot(today)) for record in records]
    digests = [fingerprint(snapshot) for _, snapshot in rows]
    _load_changed(session, stored, records, digests)
    outcomes: list[tuple[Outcome, tuple[str, str], tuple[str, ...]]] = []
    new_rows: dict[tuple[str, str], tuple[CallRecord, dict[str, Any], str]] = {}
    seen: list[int] = []
    inserted: list[int] = []
    for (record, snapshot), digest in zip(rows, digests, strict=True):
        key = (record.source, record.id)
        if key not in stored:
            if key not in new_rows:
                new_rows[key] = (record, snapshot, digest)
                outcomes.append((Outcome.NEW, key, ()))
                continue
            # A repeated id within one batch: the later row is a change of the new call.
            inserted += _insert_new(session, new_rows, stored, now)
            new_rows.clear()
        call_id, stored_digest = stored[key]
        if stored_digest == digest:
            seen.append(call_id)
            outcomes.append((Outcome.UNCHANGED, key, ()))
            continue
        call = session.get_one(Call, call_id)
        previous = call.versions[-1].snapshot if call.versions else {}
        changed = _changed_fields(previous, snapshot, today, zone, opening_period(record.extra))
        if previous and not changed:
            # Only what callradar makes of the same news differs (a status moved on by the
            # calendar, a day once stored as its midnight): the call is brought up to date
            # but gets no version, which would re-import every deadline of it into
            # calendars with a higher SEQUENCE.
            _apply(call, record, snapshot, digest, now)
            stored[key] = (call_id, digest)
            outcomes.append((Outcome.UNCHANGED, key, ()))
            continue
        call.version += 1
        call.changed_at = now
        _apply(call, record, snapshot, digest, now)
        call.versions.append(_version(call, digest, snapshot, changed))
        stored[key] = (call_id, digest)
        outcomes.append((Outcome.CHANGED, key, changed))
    inserted += _insert_new(session, new_rows, stored, now)
    _mark_seen(session, seen, now)
    session.flush()
    _link_same_calls(session, inserted)
    refresh_statuses(session, today)
    return [StoreResult(outcome, stored[key][0], changed) for outcome, key, changed in outcomes]


def _changed_fields(
    previous: dict[str, Any],
    snapshot: dict[str, Any],
    today: date,
    zone: ZoneInfo,
    opening: Deadline | None,
) -> tuple[str, ...]:
    """The versioned fields whose news changed from ``previous`` to ``snapshot``
    (``opening``: the call's opening known only to a month or a quarter)."""
    return tuple(
        f
        for f in VERSIONED_FIELDS
        if previous.get(f) != snapshot.get(f)
        and not (
            f == "deadlines"
            and same_days_rewritten(previous.get(f) or [], snapshot.get(f) or [], zone)
        )
        and not (f == "status" and _moved_by_calendar(previous, snapshot[f], today, opening))
    )


def _stored_fingerprints(
    session: Session, records: Sequence[CallRecord]
) -> dict[tuple[str, str], tuple[int, str]]:
    """(source, id) → (row id, fingerprint) of the records' calls already stored."""
    ids_by_source: dict[str, list[str]] = {}
    for record in records:
        ids_by_source.setdefault(record.source, []).append(record.id)
    stored: dict[tuple[str, str], tuple[int, str]] = {}
    for source, ids in ids_by_source.items():
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _CHUNK):
            query = select(Call.external_id, Call.id, Call.fingerprint).where(
                Call.source == source, Call.external_id.in_(unique[start : start + _CHUNK])
            )
            for external_id, call_id, digest in session.execute(query):
                stored[(source, external_id)] = (call_id, digest)
    return stored


def _load_changed(
    session: Session,
    stored: dict[tuple[str, str], tuple[int, str]],
    records: Sequence[CallRecord],
    digests: list[str],
) -> None:
    """Load the calls about to be versioned in a query a chunk, not one a call."""
    ids = [
        stored[key][0]
        for key, digest in zip(((r.source, r.id) for r in records), digests, strict=True)
        if key in stored and stored[key][1] != digest
    ]
    for start in range(0, len(ids), _CHUNK):
        session.scalars(
            select(Call)
            .where(Call.id.in_(ids[start : start + _CHUNK]))
            .options(selectinload(Call.versions), selectinload(Call.deadlines))
        ).all()


def _insert_new(
    session: Session,
    rows: dict[tuple[str, str], tuple[CallRecord, dict[str, Any], str]],
    stored: dict[tuple[str, str], tuple[int, str]],
    now: datetime,
) -> list[int]:
    """New calls with their first version and deadlines, as three bulk INSERTs; their
    ids and fingerprints go into ``stored``. Returns the new ids."""
    if not rows:
        return []
    # Core's INSERT: the ORM's bulk INSERT spent as much again sorting out each row's keys.
    ids = session.scalars(
        insert(_CALLS).returning(_CALLS.c.id, sort_by_parameter_order=True),
        [_new_row(record, snapshot, digest, now) for record, snapshot, digest in rows.values()],
    ).all()
    new_ids = dict(zip(rows, ids, strict=True))
    for key, (_, _, digest) in rows.items():
        stored[key] = (new_ids[key], digest)
    session.execute(
        insert(CallVersion),
        [
            {
                "call_id": new_ids[key],
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
        {"call_id": new_ids[key], "value": d.value, "precision": d.precision, "latest": d.latest}
        for key, (record, _, _) in rows.items()
        for d in record.parsed_deadlines()
    ]
    if deadlines:
        session.execute(insert(CallDeadline), deadlines)
    return list(ids)


def _mark_seen(session: Session, ids: list[int], now: datetime) -> None:
    """Unchanged calls get their last_seen_at in one UPDATE a chunk, not one a call."""
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            update(Call)
            .where(Call.id.in_(ids[start : start + _CHUNK]))
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
    # The ORM's own synchronising evaluated the WHERE clause against every object in the
    # session, which cost more than the UPDATE.
    _tell_session(session, "last_seen_at", dict.fromkeys(ids, now))


def _tell_session(session: Session, column: str, values: dict[int, Any]) -> None:
    """Give the calls the session holds a value an UPDATE of their rows has stored."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Call) and obj.id in values:
            set_committed_value(obj, column, values[obj.id])


_CHUNK = 500
_CALLS = Call.metadata.tables["calls"]


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


def _link_same_calls(session: Session, new_ids: list[int]) -> None:
    """Point each new call at the first-stored call of another source with the same ref."""
    if not new_ids:
        return
    new_calls: list[tuple[int, str, str]] = []
    for start in range(0, len(new_ids), _CHUNK):
        query = select(Call.id, Call.ref, Call.source).where(
            Call.id.in_(new_ids[start : start + _CHUNK])
        )
        new_calls += [(call_id, ref, source) for call_id, ref, source in session.execute(query)]
    refs = list({ref for _, ref, _ in new_calls})
    first_by_ref: dict[str, list[tuple[int, str]]] = {}
    for start in range(0, len(refs), _CHUNK):
        rows = session.execute(
            select(Call.ref, Call.id, Call.source)
            .where(Call.ref.in_(refs[start : start + _CHUNK]), Call.same_as_id.is_(None))
            .order_by(Call.id)
        )
        for ref, call_id, source in rows:
            first_by_ref.setdefault(ref, []).append((call_id, source))
    links = []
    for new_id, ref, new_source in new_calls:
        for call_id, source in first_by_ref.get(ref, []):
            if call_id < new_id and source != new_source:
                links.append({"id": new_id, "same_as_id": call_id})
                break
    if links:
        session.execute(update(Call), links)
        _tell_session(session, "same_as_id", {link["id"]: link["same_as_id"] for link in links})


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
    call.deadlines = _kept_deadlines(call.deadlines, record.parsed_deadlines())


def _kept_deadlines(rows: list[CallDeadline], deadlines: list[Deadline]) -> list[CallDeadline]:
    """The call's deadline rows for ``deadlines``, keeping the row (and so its id, the UID
    of its event in members' calendar feeds) of a value still there, and giving a value gone
    its place to a new one, in order: a deadline moved or rewritten is the same event moved,
    not one event deleted and another added in every member's calendar."""
    unchanged = {row.value: row for row in rows if row.value in {d.value for d in deadlines}}
    freed = [row for row in rows if row.value not in unchanged]
    kept: list[CallDeadline] = []
    for deadline in deadlines:
        row = unchanged.pop(deadline.value, None) or (freed.pop(0) if freed else CallDeadline())
        row.value, row.precision, row.latest = deadline.value, deadline.precision, deadline.latest
        kept.append(row)
    return kept


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


def call_summary(call: Call, zone: ZoneInfo) -> dict[str, Any]:
    """The JSON form `callradar calls list --json` prints for a call; ``zone`` is
    CALLRADAR_TIMEZONE's, of a deadline's moment stored without an offset."""
    deadlines = sorted(call.deadlines, key=lambda d: d.latest)
    return {
        "id": call.external_id,
        "source": call.source,
        "title": call.title,
        "url": call.url,
        "status": call.status,
        "deadlines": [iso_value(d.value, d.precision, zone) for d in deadlines],
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
