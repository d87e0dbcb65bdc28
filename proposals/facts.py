"""Plain, frozen snapshots of the calls and members a pack is made of.

The ORM objects are read once here; everything after (rules, suggestion, context) works on
these snapshots, so it needs no session and can be tested with made-up data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from callradar.models import Call, Member
from proposals.errors import ProposalError
from proposals.wording import say

COMPANY_KINDS = frozenset({"sme", "large"})
RESEARCH_KINDS = frozenset({"research", "university"})


@dataclass(frozen=True, slots=True)
class DeadlineFacts:
    value: str  # ISO 8601 as precise as known (see callradar.deadlines)
    precision: str
    latest: date


@dataclass(frozen=True, slots=True)
class CallFacts:
    id: str  # the source's own id
    source: str
    title: str
    description: str = ""
    url: str | None = None
    programme: str | None = None
    call_identifier: str | None = None
    type_of_action: str | None = None
    status: str | None = None
    opening_date: date | None = None
    budget: float | None = None
    currency: str | None = None
    language: str | None = None
    deadlines: tuple[DeadlineFacts, ...] = ()
    # Area or domain code -> the tagger's (or the coordinator's) score, 0..1.
    areas: dict[str, float] = field(default_factory=dict)
    version: int = 1  # the stored call's version: a changed deadline makes the next
    # The deadline values of each stored version, oldest first: which deadline of an older
    # version each one is (see proposals.calendar).
    deadline_history: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    programme: str
    title: str
    role: str  # coordinator | partner | third-party
    year: int
    outcome: str  # funded | rejected | ongoing
    call: str | None = None
    acronym: str | None = None
    areas: tuple[str, ...] = ()
    lessons: str | None = None


@dataclass(frozen=True, slots=True)
class MemberFacts:
    id: str
    name: str
    kind: str  # sme | large | research | university | other
    country: str = "PL"
    city: str | None = None
    website: str | None = None
    description: str = ""
    keywords: tuple[str, ...] = ()
    trl_min: int | None = None
    trl_max: int | None = None
    roles: tuple[str, ...] = ("partner",)
    mentor: bool = False
    # Area or domain code -> level 1..3.
    competences: dict[str, int] = field(default_factory=dict)
    projects: tuple[ProjectFacts, ...] = ()

    @property
    def is_company(self) -> bool:
        return self.kind in COMPANY_KINDS

    @property
    def is_research(self) -> bool:
        return self.kind in RESEARCH_KINDS

    @property
    def will_coordinate(self) -> bool:
        return "coordinator" in self.roles


def call_facts(call: Call) -> CallFacts:
    return CallFacts(
        id=call.external_id,
        source=call.source,
        title=call.title,
        description=call.description or "",
        url=call.url,
        programme=call.programme,
        call_identifier=call.call_identifier,
        type_of_action=call.type_of_action,
        status=call.status,
        opening_date=call.opening_date,
        budget=call.budget,
        currency=call.currency,
        language=call.language,
        deadlines=tuple(
            DeadlineFacts(d.value, d.precision, d.latest)
            for d in sorted(call.deadlines, key=lambda d: d.latest)
        ),
        areas={t.code: t.score for t in call.tags},
        version=call.version,
        deadline_history=tuple(
            tuple(v.snapshot.get("deadlines") or ())
            for v in sorted(call.versions, key=lambda v: v.version)
        ),
    )


def member_facts(member: Member) -> MemberFacts:
    return MemberFacts(
        id=member.id,
        name=member.name,
        kind=member.kind,
        country=member.country,
        city=member.city,
        website=member.website,
        description=member.description or "",
        keywords=tuple(member.keywords or ()),
        trl_min=member.trl_min,
        trl_max=member.trl_max,
        roles=tuple(member.roles or ()),
        mentor=member.mentor,
        competences={c.code: c.level for c in member.competences},
        projects=tuple(
            ProjectFacts(
                programme=p.programme,
                title=p.title,
                role=p.role,
                year=p.year,
                outcome=p.outcome,
                call=p.call,
                acronym=p.acronym,
                areas=tuple(p.areas or ()),
                lessons=p.lessons,
            )
            for p in member.projects
        ),
    )


def find_call(session: Session, call_id: str, source: str | None = None) -> Call:
    """The call with this source id; ``source`` tells apart two sources sharing an id."""
    query = (
        select(Call)
        .where(Call.external_id == call_id)
        .options(
            selectinload(Call.deadlines), selectinload(Call.tags), selectinload(Call.versions)
        )
        .order_by(Call.source)
    )
    if source:
        query = query.where(Call.source == source)
    found = list(session.scalars(query))
    if not found:
        raise ProposalError(say("error.no_call", call=call_id, source=source))
    if len(found) > 1:
        raise ProposalError(
            say("error.ambiguous_call", call=call_id, sources=[c.source for c in found])
        )
    return found[0]
