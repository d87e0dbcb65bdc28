"""Which kind of call, and the consortium rules checked on a team."""

from __future__ import annotations

import dataclasses

import pytest

from proposals.facts import CallFacts, MemberFacts
from proposals.rules import Action, Family, check_rules, classify


def call(**fields: str) -> CallFacts:
    return CallFacts(id=fields.pop("id", "X-1"), source="s", title="t", **fields)


def member(id: str, kind: str = "sme", country: str = "PL") -> MemberFacts:
    return MemberFacts(id=id, name=id.title(), kind=kind, country=country)


@pytest.mark.parametrize(
    ("fields", "family", "action"),
    [
        (
            {
                "programme": "Horizon Europe",
                "type_of_action": "HORIZON  Research and Innovation Actions",
            },
            Family.HORIZON,
            Action.RIA,
        ),
        (
            {"programme": "Horizon Europe", "type_of_action": "HORIZON Innovation Actions"},
            Family.HORIZON,
            Action.IA,
        ),
        (
            {
                "programme": "Horizon Europe",
                "type_of_action": "HORIZON Coordination and Support Actions",
            },
            Family.HORIZON,
            Action.CSA,
        ),
        (
            {"programme": "Horizon Europe – Chips JU", "id": "HORIZON-JU-CHIPS-2027-1-IA"},
            Family.HORIZON,
            Action.IA,
        ),
        (
            {"programme": "Horizon Europe – EIC", "id": "HORIZON-EIC-2027-ACCELERATOR-01"},
            Family.EIC_ACCELERATOR,
            Action.OTHER,
        ),
        ({"programme": "FENG"}, Family.NATIONAL, Action.OTHER),
        ({"programme": "NCBR"}, Family.NATIONAL, Action.OTHER),
        ({"programme": "Narodowe Centrum Badań i Rozwoju"}, Family.NATIONAL, Action.OTHER),
        # NCN funds research teams: the national "led by a company" rule does not hold.
        ({"programme": "NCN", "call_identifier": "OPUS 32"}, Family.OTHER, Action.OTHER),
        ({"programme": "Narodowe Centrum Nauki"}, Family.OTHER, Action.OTHER),
        ({"programme": "Photonics21 cascade funding"}, Family.OTHER, Action.OTHER),
        # PARP's call: "horizon" in its id, FENG its programme.
        (
            {
                "programme": "FENG",
                "call_identifier": "FENG.02.10-IP.02-001/27",
                "id": "program-horizon-bridge",
            },
            Family.NATIONAL,
            Action.OTHER,
        ),
        ({"id": "HORIZON-CL4-2027-05-DIGITAL-EMERGING-002"}, Family.HORIZON, Action.OTHER),
    ],
)
def test_classify(fields: dict[str, str], family: Family, action: Action) -> None:
    kind = classify(call(**fields))
    assert (kind.family, kind.action) == (family, action)


RIA = call(programme="Horizon Europe", type_of_action="HORIZON Research and Innovation Actions")


def test_horizon_ria_says_what_the_cluster_cannot_supply() -> None:
    report = check_rules(RIA, [member("a"), member("b", "research"), member("c")])
    assert [c.met for c in report.checks] == [True, False, True]
    assert report.missing == (
        "Two partners from other countries (EU Member States or Associated Countries other "
        "than PL) are needed: the cluster cannot supply them.",
    )
    one_abroad = check_rules(RIA, [member("a"), member("b", country="DE")])
    assert one_abroad.missing[0].startswith("One partner from other countries")
    ok = check_rules(RIA, [member("a"), member("b", country="DE"), member("c", country="NO")])
    assert ok.all_met and ok.missing == ()
    # A country neither in the EU nor associated does not count.
    us = check_rules(RIA, [member("a"), member("b", country="DE"), member("c", country="US")])
    assert not us.all_met


def test_eic_accelerator_wants_one_sme() -> None:
    eic = call(programme="Horizon Europe – EIC", id="HORIZON-EIC-2027-ACCELERATOR-01")
    assert check_rules(eic, [member("a")]).all_met
    report = check_rules(eic, [member("a", "large"), member("b")])
    assert [c.met for c in report.checks] == [False, False]
    assert "single SME" in report.missing[0]


def test_csa_national_and_unknown_programmes() -> None:
    csa = dataclasses.replace(RIA, type_of_action="HORIZON Coordination and Support Actions")
    assert check_rules(csa, [member("a")]).all_met
    national = call(programme="FENG")
    assert check_rules(national, [member("a", "large"), member("b", "research")]).all_met
    led_by_research = check_rules(national, [member("b", "research")])
    assert not led_by_research.all_met and "led by a company" in led_by_research.missing[0]
    unknown = check_rules(call(programme="Photonics21 cascade funding"), [member("a")])
    assert not unknown.known and "eligibility conditions" in unknown.summary
