"""Which kind of call this is, and the consortium rules known for that kind.

Rules are checked against a proposed team and each says plainly whether it is met; what the
cluster cannot supply by itself (partners from other countries, an SME applicant) is said
as a sentence the coordinator can act on. The sentences are ``Text``s of ``proposals.wording``,
said in English or Polish when shown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from callradar.countries import EU_MEMBER_STATES, HORIZON_ASSOCIATED_COUNTRIES
from proposals.facts import CallFacts, MemberFacts
from proposals.wording import Text, say, texts


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


# NCN (Narodowe Centrum Nauki) is not one of them: its grants fund research teams, so "led by
# a company" would steer the consortium wrong; its calls get no rules rather than wrong ones.
_NATIONAL = re.compile(
    r"\b(NCBR|PARP|FENG|FEPW|FERS|FENIKS|FE[A-ZŁŚ]{1,4}|RPO|B\+R|Ścieżka SMART)\b"
    r"|fundusze europejskie|narodowe centrum badań|polska agencja",
    re.IGNORECASE,
)
_HORIZON = re.compile(r"horizon|chips ju|\bkdt\b|\bhorizon-", re.IGNORECASE)


def classify(call: CallFacts) -> CallKind:
    """The call's programme family and type of action, read from its programme, identifiers
    and type of action as the sources write them ("HORIZON Innovation Actions", "HORIZON-CSA",
    "FENG", ...)."""
    fields = (call.programme, call.call_identifier, call.id, call.type_of_action)
    text = " ".join(t for t in fields if t)
    action_text = f"{call.type_of_action or ''} {call.call_identifier or ''} {call.id}"
    if re.search(r"EIC[- ]?ACC|accelerator", text, re.IGNORECASE) and re.search(
        r"\bEIC\b|HORIZON-EIC", text, re.IGNORECASE
    ):
        return CallKind(Family.EIC_ACCELERATOR, Action.OTHER)
    # The programme the source names outranks a word in an id: PARP's "Program Horizon
    # Bridge" (id program-horizon-bridge) is a FENG call, not a Horizon Europe one.
    family = next((f for f in map(_family, fields) if f is not None), Family.OTHER)
    return CallKind(family, _action(action_text))


def _family(text: str | None) -> Family | None:
    if not text:
        return None
    if _HORIZON.search(text):
        return Family.HORIZON
    if _NATIONAL.search(text):
        return Family.NATIONAL
    return None


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
    requirement: Text
    met: bool
    # What the team shows for it: "the team has two entities".
    finding: Text

    @property
    def rule(self) -> str:
        """The rule in English, as the proposal packs write it."""
        return self.requirement.en

    @property
    def detail(self) -> str:
        return self.finding.en


@dataclass(frozen=True, slots=True)
class RuleReport:
    kind: CallKind
    known: bool  # False: callradar knows no rules for this kind of call
    about: Text  # the rules in a sentence
    checks: tuple[RuleCheck, ...]
    # What the cluster cannot supply by itself, as sentences: "two partners from ...".
    needs: tuple[Text, ...]

    @property
    def all_met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def summary(self) -> str:
        """The rules in English, as the proposal packs write them."""
        return self.about.en

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(t.en for t in self.needs)

    def to_dict(self, language: str = "en") -> dict[str, Any]:
        return {
            "known": self.known,
            "summary": self.about.text(language),
            "checks": [
                {
                    "rule": c.requirement.text(language),
                    "met": c.met,
                    "detail": c.finding.text(language),
                }
                for c in self.checks
            ],
            "missing": texts(self.needs, language),
        }


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
    return RuleReport(kind, known=False, about=say("rules.unknown"), checks=(), needs=())


def _horizon_collaborative(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    # General Annexes of the Horizon Europe Work Programme, eligibility for RIA and IA.
    countries = sorted({m.country for m in team if m.country in ELIGIBLE_COUNTRIES})
    entities = len({m.id for m in team})
    needed_countries = max(0, 3 - len(countries))
    needed_entities = max(0, 3 - entities)
    checks = (
        RuleCheck(say("rule.three_entities"), entities >= 3, say("found.entities", n=entities)),
        RuleCheck(
            say("rule.three_countries"),
            len(countries) >= 3,
            say("found.eligible_countries", countries=countries),
        ),
        RuleCheck(
            say("rule.one_in_member_state"),
            any(m.country in EU_MEMBER_STATES for m in team),
            say(
                "found.countries",
                countries=sorted({m.country for m in team} & EU_MEMBER_STATES),
            ),
        ),
    )
    needs: list[Text] = []
    if needed_countries:
        needs.append(say("missing.partners_abroad", n=needed_countries, countries=countries))
    elif needed_entities:
        needs.append(say("missing.more_partners", n=needed_entities))
    return RuleReport(
        kind,
        known=True,
        about=say("rules.horizon.summary", action=kind.action.value),
        checks=checks,
        needs=tuple(needs),
    )


def _csa(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    ok = any(m.country in ELIGIBLE_COUNTRIES for m in team)
    return RuleReport(
        kind,
        known=True,
        about=say("rules.csa.summary"),
        checks=(RuleCheck(say("rule.one_entity"), ok, say("found.entities", n=len(team))),),
        needs=(),
    )


def _lead_kind(lead: MemberFacts | None) -> Text:
    return say("found.kind", name=lead.name, kind=lead.kind) if lead else say("found.no_lead")


def _partners_finding(team: Sequence[MemberFacts], alone: Text, some: str) -> Text:
    if not team:
        return say("found.no_lead")
    return alone if len(team) == 1 else say(some, n=len(team) - 1)


def _eic_accelerator(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    lead = team[0] if team else None
    sme = lead is not None and lead.kind == "sme"
    single = len(team) == 1
    return RuleReport(
        kind,
        known=True,
        about=say("rules.eic.summary"),
        checks=(
            RuleCheck(say("rule.applicant_sme"), sme, _lead_kind(lead)),
            RuleCheck(
                say("rule.single_applicant"),
                single,
                _partners_finding(team, say("found.only_lead"), "found.drop_partners"),
            ),
        ),
        needs=() if sme else (say("missing.sme_lead"),),
    )


def _national(kind: CallKind, team: Sequence[MemberFacts]) -> RuleReport:
    lead = team[0] if team else None
    lead_company = lead is not None and lead.is_company
    others_ok = all(m.is_company or m.is_research for m in team[1:])
    checks = (
        RuleCheck(say("rule.lead_company"), lead_company, _lead_kind(lead)),
        RuleCheck(
            say("rule.partner_kinds"),
            others_ok,
            _partners_finding(team, say("found.alone"), "found.partners"),
        ),
    )
    return RuleReport(
        kind,
        known=True,
        about=say("rules.national.summary"),
        checks=checks,
        needs=() if lead_company else (say("missing.company_lead"),),
    )


ELIGIBLE_COUNTRIES = EU_MEMBER_STATES | HORIZON_ASSOCIATED_COUNTRIES
