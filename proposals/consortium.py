"""Suggesting a consortium for a call from the cluster's members, and explaining it.

A lead willing to coordinate, partners whose competences together cover the call's areas
with the least overlap, a company and a research organisation where the call favours the
mix, and a mentor who has been in the same programme or area, preferring funded projects and
coordinator experience. The consortium rules of the call are checked on the result.

Reasons, notes and rule checks are ``Text``s of ``proposals.wording``: the suggestion is made
once and said in English (the CLI's default, the proposal packs) or Polish (the web app, for a
Polish user) when shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from callradar.members import load_members
from callradar.taxonomy import ALL_CODES, domain_of, is_domain
from proposals.facts import (
    CallFacts,
    MemberFacts,
    ProjectFacts,
    call_facts,
    find_call,
    member_facts,
)
from proposals.rules import Action, CallKind, Family, RuleReport, check_rules, classify
from proposals.wording import Text, say, texts

# How many members of the cluster a suggestion takes, lead included: more makes a consortium
# hard to manage and leaves no room for the partners from other countries.
MAX_TEAM = {Family.HORIZON: 5, Family.NATIONAL: 3, Family.EIC_ACCELERATOR: 1, Family.OTHER: 4}
CSA_MAX_TEAM = 4
# A partner is added only when it raises the team's coverage by at least this much
# (one area from nothing to level 1 at full weight is 1.0).
MIN_GAIN = 0.5
OVERLAP_PENALTY = 0.25


@dataclass(frozen=True, slots=True)
class Choice:
    member: MemberFacts
    why: tuple[Text, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in English, as the proposal packs give them."""
        return tuple(t.en for t in self.why)

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        return {
            "id": self.member.id,
            "name": self.member.name,
            "reasons": texts(self.why, language),
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    call: CallFacts
    kind: CallKind
    lead: Choice | None
    partners: tuple[Choice, ...]
    mentor: Choice | None
    rules: RuleReport
    # Areas of the call no member covers, as sentences.
    uncovered: tuple[Text, ...]
    notes: tuple[Text, ...]

    @property
    def team(self) -> list[MemberFacts]:
        """Lead first, then the partners."""
        lead = [self.lead.member] if self.lead else []
        return lead + [p.member for p in self.partners]

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        """The suggestion as plain data, its sentences in ``language`` ("en" or "pl")."""
        return {
            "call": {"id": self.call.id, "source": self.call.source, "title": self.call.title},
            "language": "pl" if language == "pl" else "en",
            "programme_family": self.kind.family.value,
            "type_of_action": self.kind.action.value,
            "lead": self.lead.to_dict(language) if self.lead else None,
            "partners": [p.to_dict(language) for p in self.partners],
            "mentor": self.mentor.to_dict(language) if self.mentor else None,
            "rules": self.rules.to_dict(language),
            "uncovered": texts(self.uncovered, language),
            "notes": texts(self.notes, language),
        }


def suggest_consortium(session: Session, call_id: str, source: str | None = None) -> Suggestion:
    """Suggest a consortium from the stored members for the stored call ``call_id``."""
    call = call_facts(find_call(session, call_id, source))
    return suggest(call, [member_facts(m) for m in load_members(session)])


def suggest(call: CallFacts, members: Sequence[MemberFacts]) -> Suggestion:
    """Suggest a lead, partners and a mentor for ``call`` among ``members``; pure."""
    kind = classify(call)
    weights = _weights(call)
    notes: list[Text] = []
    if not weights:
        notes.append(say("note.no_areas"))
    lead = _choose_lead(kind, call, members, weights, notes)
    partners: list[Choice] = []
    if lead is not None and weights and not kind.single_applicant:
        limit = CSA_MAX_TEAM if kind.action is Action.CSA else MAX_TEAM[kind.family]
        partners = _choose_partners(kind, lead.member, members, weights, limit)
    team = ([lead.member] if lead else []) + [p.member for p in partners]
    coverage = _coverage(team, weights)
    uncovered = tuple(
        say("uncovered", code=code) for code in sorted(weights) if coverage.get(code, 0.0) < 1.0
    )
    return Suggestion(
        call=call,
        kind=kind,
        lead=lead,
        partners=tuple(partners),
        mentor=choose_mentor(call, members, {m.id for m in team}),
        rules=check_rules(call, team),
        uncovered=uncovered if team else (),
        notes=tuple(notes),
    )


def _weights(call: CallFacts) -> dict[str, float]:
    # A tag's score weighs its area; a floor keeps a weakly tagged area from vanishing.
    return {code: max(score, 0.2) for code, score in call.areas.items() if code in ALL_CODES}


def competence(member: MemberFacts, code: str) -> float:
    """How well ``member`` covers the call's area or domain ``code``, 0..3.

    A competence in the very code counts fully; a member's area counts 0.75 for a call
    tagged with its whole domain, and a member's domain counts half for one of its areas.
    """
    if code in member.competences:
        return float(member.competences[code])
    if is_domain(code):
        levels = [lvl for c, lvl in member.competences.items() if _domain(c) == code]
        return 0.75 * max(levels) if levels else 0.0
    domain = _domain(code)
    return 0.5 * member.competences[domain] if domain in member.competences else 0.0


def _domain(code: str) -> str | None:
    try:
        return domain_of(code)
    except KeyError:
        return None


def _coverage(team: Sequence[MemberFacts], weights: dict[str, float]) -> dict[str, float]:
    return {code: max((competence(m, code) for m in team), default=0.0) for code in weights}


def _fit(member: MemberFacts, weights: dict[str, float]) -> float:
    return sum(w * competence(member, code) for code, w in weights.items())


def _strengths(member: MemberFacts, codes: Sequence[str]) -> list[tuple[str, float]]:
    """The member's levels in ``codes``, strongest first, as (code, level)."""
    return [
        (code, competence(member, code))
        for code in sorted(codes, key=lambda c: -competence(member, c))
        if competence(member, code) > 0
    ]


def _coordinated(member: MemberFacts) -> list[ProjectFacts]:
    return [p for p in member.projects if p.role == "coordinator" and p.outcome != "rejected"]


def _choose_lead(
    kind: CallKind,
    call: CallFacts,
    members: Sequence[MemberFacts],
    weights: dict[str, float],
    notes: list[Text],
) -> Choice | None:
    if kind.single_applicant:
        pool = [m for m in members if m.kind == "sme"]
        if not pool:
            notes.append(say("note.no_sme"))
            return None
    else:
        pool = [m for m in members if m.will_coordinate]
        if kind.family is Family.NATIONAL and any(m.is_company for m in pool):
            pool = [m for m in pool if m.is_company]
        if not pool:
            notes.append(say("note.no_coordinator"))
            return None

    def score(m: MemberFacts) -> tuple[float, str]:
        experience = len(_coordinated(m)) + 0.5 * sum(
            1 for p in m.projects if _programme_match(p, call) >= 2
        )
        # Willingness matters most for a single applicant: it writes the whole proposal.
        willing = 1.0 if m.will_coordinate else 0.0
        return (_fit(m, weights) + experience + willing, m.id)

    lead = max(pool, key=score)
    reasons = []
    if kind.single_applicant:
        reasons.append(say("lead.sme_only"))
    if lead.will_coordinate:
        reasons.append(say("lead.willing"))
    if kind.family is Family.NATIONAL and lead.is_company:
        reasons.append(say("lead.company"))
    if strengths := _strengths(lead, list(weights)):
        reasons.append(say("covers", strengths=strengths))
    if coordinated := _coordinated(lead):
        projects = [_project(p) for p in coordinated[:3]]
        reasons.append(say("lead.coordinated", count=len(coordinated), projects=projects))
    return Choice(lead, tuple(reasons))


def _choose_partners(
    kind: CallKind,
    lead: MemberFacts,
    members: Sequence[MemberFacts],
    weights: dict[str, float],
    limit: int,
) -> list[Choice]:
    team = [lead]
    chosen: list[Choice] = []
    candidates = [m for m in members if m.id != lead.id]
    while len(team) < limit:
        coverage = _coverage(team, weights)
        best: tuple[float, str, MemberFacts, list[str], list[str]] | None = None
        for m in candidates:
            if any(m.id == t.id for t in team):
                continue
            gains = {c: competence(m, c) - coverage[c] for c in weights}
            new = [c for c, g in gains.items() if g > 0]
            overlap = [c for c in weights if competence(m, c) > 0 and coverage[c] > 0]
            gain = sum(weights[c] * gains[c] for c in new)
            cost = OVERLAP_PENALTY * sum(
                weights[c] * min(competence(m, c), coverage[c]) for c in overlap
            )
            value = gain - cost
            # Ties go to the id, so the same data always gives the same suggestion.
            if gain >= MIN_GAIN and (best is None or (value, best[1]) > (best[0], m.id)):
                best = (value, m.id, m, new, overlap)
        if best is None:
            break
        _, _, member, new, overlap = best
        reasons = [say("partner.adds", strengths=_strengths(member, new))]
        if overlap:
            reasons.append(say("partner.overlaps", codes=overlap))
        chosen.append(Choice(member, tuple(reasons)))
        team.append(member)
    if kind.favours_mix:
        chosen.extend(_complete_mix(team, candidates, weights))
    return chosen


def _complete_mix(
    team: list[MemberFacts], candidates: Sequence[MemberFacts], weights: dict[str, float]
) -> list[Choice]:
    """Add the best-fitting company or research organisation when the team lacks one."""
    added = []
    for wanted in ("company", "research"):
        if any(getattr(m, f"is_{wanted}") for m in team):
            continue
        pool = [
            m for m in candidates if getattr(m, f"is_{wanted}") and m.id not in {t.id for t in team}
        ]
        fitting = [m for m in pool if _fit(m, weights) > 0]
        if not fitting:
            continue
        member = max(fitting, key=lambda m: (_fit(m, weights), m.id))
        reasons = [
            say(f"partner.mix.{wanted}"),
            say("covers", strengths=_strengths(member, list(weights))),
        ]
        added.append(Choice(member, tuple(reasons)))
        team.append(member)
    return added


def _programme_match(project: ProjectFacts, call: CallFacts) -> int:
    """3: the same programme; 2: the same family (Horizon 2020 for Horizon Europe); 0."""
    if call.programme and project.programme.strip().lower() == call.programme.strip().lower():
        return 3
    mine = classify(
        CallFacts(
            id=project.call or "",
            source="",
            title="",
            programme=project.programme,
            call_identifier=project.call,
        )
    ).family
    theirs = classify(call).family
    return 2 if mine is theirs and mine is not Family.OTHER else 0


def _area_match(project: ProjectFacts, call: CallFacts) -> int:
    """2: a shared area; 1: an area of the same domain; 0."""
    if set(project.areas) & set(call.areas):
        return 2
    project_domains = {_domain(a) for a in project.areas}
    call_domains = {_domain(a) for a in call.areas}
    return 1 if (project_domains & call_domains) - {None} else 0


_OUTCOME_SCORE = {"funded": 2.0, "ongoing": 1.0, "rejected": 0.5}
_ROLE_SCORE = {"coordinator": 1.5, "partner": 0.5, "third-party": 0.0}


def relevant_projects(member: MemberFacts, call: CallFacts) -> list[tuple[float, ProjectFacts]]:
    """The member's past projects in the call's programme or areas, most telling first."""
    scored = []
    for p in member.projects:
        programme, area = _programme_match(p, call), _area_match(p, call)
        if not programme and not area:
            continue
        score = programme + area + _OUTCOME_SCORE.get(p.outcome, 0) + _ROLE_SCORE.get(p.role, 0)
        scored.append((score, p))
    return sorted(scored, key=lambda sp: (-sp[0], -sp[1].year))


def choose_mentor(
    call: CallFacts, members: Sequence[MemberFacts], team: frozenset[str] | set[str] = frozenset()
) -> Choice | None:
    """The mentor whose past projects best match the call's programme and areas, one outside
    the ``team`` where any fits: a mentor passes its experience on to the members going for
    the call, which the lead or a partner does anyway (the demo's suggestions named the lead
    its own mentor for a third of the calls)."""
    best: tuple[bool, float, str, MemberFacts, list[ProjectFacts]] | None = None
    for m in members:
        if not m.mentor:
            continue
        scored = relevant_projects(m, call)
        if not scored:
            continue
        score = sum(s for s, _ in scored[:3])
        outside = m.id not in team
        if best is None or (outside, score, best[2]) > (best[0], best[1], m.id):
            best = (outside, score, m.id, m, [p for _, p in scored[:3]])
    if best is None:
        return None
    _, _, _, member, projects = best
    return Choice(member, tuple(say("mentor.took_part", project=_project(p)) for p in projects))


def _project(p: ProjectFacts) -> tuple[str, str, int, str, str]:
    """A past project as the wording names it: (name, programme, year, role, outcome)."""
    return (p.acronym or p.title, p.programme, p.year, p.role, p.outcome)
