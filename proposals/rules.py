"""Which kind of call this is, and the consortium rules known for that kind.

Rules are checked against a proposed team and each says plainly whether it is met; what the
cluster cannot supply by itself (partners from other countries, an SME applicant) is said
as a sentence the coordinator can act on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from callradar.countries import EU_MEMBER_STATES, HORIZON_ASSOCIATED_COUNTRIES
from proposals.facts import CallFacts, MemberFacts


class Family(StrEnum):
    HORIZON = "horizon"  # Horizon Europe and its partnerships (Chips JU, ...)
    EIC_ACCELERATOR = "eic-accelerator"
    NATIONAL = "national"  # NCBR, PARP, FENG and regional programmes
    OTHER = "other"


class Action(StrEnum):
    RIA = "RIA"
    IA = "IA"
    CSA = "CSA"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class CallKind:
    family: Family
    action: Action

    @property
    def favours_mix(self) -> bool:
        """Whether the call rewards a company and a research organisation working together."""
        return self.family is Family.NATIONAL or (
            self.family is Family.HORIZON and self.action in (Action.RIA, Action.IA)
        )

    @property
    def single_applicant(self) -> bool:
        return self.family is Family.EIC_ACCELERATOR


_NATIONAL = re.compile(
    r"\b(NCBR|PARP|FENG|FEPW|FERS|FENIKS|FE[A-ZŁŚ]{1,4}|RPO|NCN|B\+R|Ścieżka SMART)\b"
    r"|fundusze europejskie|narodowe centrum|polska agencja",
    re.IGNORECASE,
)
_HORIZON = re.compile(r"horizon|chips ju|\bkdt\b|\bhorizon-", re.IGNORECASE)


def classify(call: CallFacts) -> CallKind:
    """The call's programme family and type of action, read from its programme, identifiers
    and type of action as the sources write them ("HORIZON Innovation Actions", "HORIZON-CSA",
    "FENG", ...)."""
    text = " ".join(
        t for t in (call.programme, call.call_identifier, call.id, call.type_of_action) if t
    )
    action_text = f"{call.type_of_action or ''} {call.call_identifier or ''} {call.id}"
    if re.search(r"EIC[- ]?ACC|accelerator", text, re.IGNORECASE) and re.search(
        r"\bEIC\b|HORIZON-EIC", text, re.IGNORECASE
    ):
        return CallKind(Family.EIC_ACCELERATOR, Action.OTHER)
    if _HORIZON.search(text):
        family = Family.HORIZON
    elif _NATIONAL.search(text):
        family = Family.NATIONAL
    else:
        family = Family.OTHER
    return CallKind(family, _action(action_text))


def _action(text: str) -> Action:
    if re.search(r"coordination and support|\bCSA\b", text, re.IGNORECASE):
        return Action.CSA
    if re.search(r"research and innovation|\bRIA\b", text, re.IGNORECASE):
        return Action.RIA
    if re.search(r"innovation action|\bIA\b", text, re.IGNORECASE):
        return Action.IA
    return Action.OTHER


@dataclass(frozen=True, slots=True)
class RuleCheck:
    rule: str
    met: bool
    detail: str


@dataclass(frozen=True, slots=True)
class RuleReport:
    kind: CallKind
    known: bool  # False: callradar knows no rules for this kind of call
    summary: str
    checks: tuple[RuleCheck, ...]
    # What the cluster cannot supply by itself, as sentences: "two partners from ...".
    missing: tuple[str, ...]

    @property
    def all_met(self) -> bool:
        return all(c.met for c in self.checks)


_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _count(n: int, noun: str, plural: str | None = None) -> str:
    word = _NUMBERS.get(n, str(n))
    return f"{word} {noun if n == 1 else (plural or noun + 's')}"


def check_rules(call: CallFacts, team: Sequence[MemberFacts]) -> RuleReport:
    """Check the consortium rules known for this call's kind against ``team`` (lead first)."""
    kind = classify(call)
    if kind.family is Family.EIC_ACCELERATOR:
        return _eic_accelerator(kind, team)
    if kind.family is Family.HORIZON and kind.action is Action.CSA:
        return _csa(kind, team)
    if kind.family is Family.HORIZON and kind.action in (Action.RIA, Action.IA):
        return _horizon_collaborative(kind, team)
    if kind.family is Family.NATIONAL:
        return _national(kind, team)
    return RuleReport(
        kind,
        known=False,
        summary="callradar knows no consortium rules for this programme: read the call's "
        "eligibility conditions.",
        checks=(),
        missing=(),
    )


def _horizon_collaborative(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    # General Annexes of the Horizon Europe Work Programme, eligibility for RIA and IA.
    countries = sorted({m.country for m in team if m.country in ELIGIBLE_COUNTRIES})
    entities = len({m.id for m in team})
    needed_countries = max(0, 3 - len(countries))
    needed_entities = max(0, 3 - entities)
    checks = (
        RuleCheck(
            "at least 3 independent legal entities",
            entities >= 3,
            f"the team has {_count(entities, 'entity', 'entities')}",
        ),
        RuleCheck(
            "from at least 3 different EU Member States or Associated Countries",
            len(countries) >= 3,
            f"eligible countries in the team: {', '.join(countries) or 'none'}",
        ),
        RuleCheck(
            "at least one of them established in an EU Member State",
            any(m.country in EU_MEMBER_STATES for m in team),
            ", ".join(sorted({m.country for m in team} & EU_MEMBER_STATES)) or "none",
        ),
    )
    missing: list[str] = []
    if needed_countries:
        missing.append(
            f"{_count(needed_countries, 'partner').capitalize()} from other countries "
            f"(EU Member States or Associated Countries other than {', '.join(countries)}) "
            f"{'is' if needed_countries == 1 else 'are'} needed: the cluster cannot supply "
            f"{'it' if needed_countries == 1 else 'them'}."
        )
    elif needed_entities:
        missing.append(f"{_count(needed_entities, 'more independent partner')} needed.")
    return RuleReport(
        kind,
        known=True,
        summary=f"Horizon Europe {kind.action.value}: at least three independent legal "
        "entities, each from a different EU Member State or Associated Country, at least one "
        "of them in a Member State.",
        checks=checks,
        missing=tuple(missing),
    )


def _csa(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    ok = any(m.country in ELIGIBLE_COUNTRIES for m in team)
    return RuleReport(
        kind,
        known=True,
        summary="Horizon Europe CSA: at least one legal entity established in an EU Member "
        "State or Associated Country (the topic may ask for more: read its conditions).",
        checks=(
            RuleCheck(
                "at least 1 legal entity in an EU Member State or Associated Country",
                ok,
                f"the team has {_count(len(team), 'entity', 'entities')}",
            ),
        ),
        missing=(),
    )


def _eic_accelerator(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    lead = team[0] if team else None
    sme = lead is not None and lead.kind == "sme"
    single = len(team) == 1
    missing: list[str] = []
    if not sme:
        missing.append(
            "The applicant must be a single SME: choose an SME of the cluster as the lead."
        )
    return RuleReport(
        kind,
        known=True,
        summary="EIC Accelerator: a single SME (or a start-up to be established) applies "
        "alone; other members can only be subcontractors or advisers.",
        checks=(
            RuleCheck(
                "the applicant is an SME",
                sme,
                f"{lead.name} is {_KIND_TEXT.get(lead.kind, lead.kind)}" if lead else "no lead",
            ),
            RuleCheck(
                "a single applicant, no consortium",
                single,
                "only the lead"
                if single
                else f"{_count(len(team) - 1, 'partner')} listed: drop them from the application",
            ),
        ),
        missing=tuple(missing),
    )


def _national(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    lead = team[0] if team else None
    lead_company = lead is not None and lead.is_company
    others_ok = all(m.is_company or m.is_research for m in team[1:])
    checks = [
        RuleCheck(
            "the applicant (lead) is a company",
            lead_company,
            f"{lead.name} is {_KIND_TEXT.get(lead.kind, lead.kind)}" if lead else "no lead",
        ),
        RuleCheck(
            "consortium partners are companies or research organisations",
            others_ok,
            "alone" if len(team) == 1 else f"{_count(len(team) - 1, 'partner')}",
        ),
    ]
    missing = []
    if not lead_company:
        missing.append(
            "Such calls are usually led by a company: choose a company of the cluster as the "
            "lead, or check that the call's rules (regulamin) allow a research lead."
        )
    return RuleReport(
        kind,
        known=True,
        summary="Polish national call (NCBR/PARP/FENG): typically a single company, or a "
        "consortium of a company and a research organisation; check the call's rules "
        "(regulamin konkursu) for the exact limits.",
        checks=tuple(checks),
        missing=tuple(missing),
    )


_KIND_TEXT = {
    "sme": "an SME",
    "large": "a large company",
    "research": "a research organisation",
    "university": "a university",
    "other": "an organisation of another kind",
}

ELIGIBLE_COUNTRIES = EU_MEMBER_STATES | HORIZON_ASSOCIATED_COUNTRIES
