"""Consortium suggestions: coverage with least overlap, the company/research mix, the mentor."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from callradar import db
from callradar.calls import CallRecord
from proposals.consortium import suggest
from proposals.facts import CallFacts, MemberFacts, ProjectFacts
from tests.conftest import CliRun
from tests.proposals.conftest import EIC, HE_RIA, NATIONAL, store_call

RIA = CallFacts(
    id="T",
    source="s",
    title="t",
    programme="Horizon Europe",
    type_of_action="HORIZON Research and Innovation Actions",
    areas={"integrated-photonics": 0.9, "sensors-mems": 0.8, "power-electronics": 0.5},
)


def m(
    id: str,
    kind: str = "sme",
    roles: tuple[str, ...] = ("partner",),
    mentor: bool = False,
    projects: tuple[ProjectFacts, ...] = (),
    **areas: int,
) -> MemberFacts:
    return MemberFacts(
        id=id,
        name=id,
        kind=kind,
        roles=roles,
        mentor=mentor,
        projects=projects,
        competences={k.replace("_", "-"): v for k, v in areas.items()},
    )


def project(programme: str, role: str, outcome: str, *areas: str) -> ProjectFacts:
    return ProjectFacts(
        programme=programme,
        title="p",
        role=role,
        year=2022,
        outcome=outcome,
        acronym=f"{programme[:3]}-{role[:4]}-{outcome[:3]}",
        areas=areas,
    )


def test_partners_cover_the_areas_with_least_overlap() -> None:
    members = [
        m("lead", "research", ("coordinator",), integrated_photonics=3),
        m("twin", integrated_photonics=3, sensors_mems=1),  # mostly what the lead has
        m("mems", sensors_mems=3),
        m("power", power_electronics=2),
        m("idle", chip_design=3),
    ]
    s = suggest(RIA, members)
    assert s.lead is not None and s.lead.member.id == "lead"
    assert [p.member.id for p in s.partners] == ["mems", "power"]
    assert s.partners[0].reasons == ("adds Sensors and MEMS (level 3)",)
    assert s.uncovered == ()
    assert "cannot supply" in s.rules.missing[0]


def test_lead_must_be_willing_and_the_mix_is_completed() -> None:
    members = [
        m("big", "large", ("partner",), integrated_photonics=3, sensors_mems=3),
        m("uni", "university", ("coordinator", "partner"), integrated_photonics=1),
        m("sme", "sme", ("partner",), power_electronics=3),
    ]
    s = suggest(RIA, members)
    assert s.lead is not None and s.lead.member.id == "uni"
    assert "willing to coordinate" in s.lead.reasons
    assert {p.member.id for p in s.partners} == {"big", "sme"}

    companies_only = [
        m(
            "a",
            "sme",
            ("coordinator",),
            integrated_photonics=3,
            sensors_mems=3,
            power_electronics=3,
        ),
        m("inst", "research", sensors_mems=1),
    ]
    mixed = suggest(RIA, companies_only)
    assert [p.member.id for p in mixed.partners] == ["inst"]
    assert mixed.partners[0].reasons[0].startswith("a research organisation: the call favours")


def test_mentor_prefers_same_programme_funded_and_coordinated() -> None:
    members = [
        m("lead", "sme", ("coordinator",), integrated_photonics=3),
        m(
            "rejected",
            mentor=True,
            projects=(project("Horizon Europe", "partner", "rejected", "integrated-photonics"),),
        ),
        m(
            "coordinated",
            mentor=True,
            projects=(project("Horizon Europe", "coordinator", "funded", "sensors-mems"),),
        ),
        m(
            "elsewhere",
            mentor=True,
            projects=(project("NCBR", "coordinator", "funded", "chip-design"),),
        ),
        m(
            "not-a-mentor",
            projects=(project("Horizon Europe", "coordinator", "funded", "integrated-photonics"),),
        ),
    ]
    s = suggest(RIA, members)
    assert s.mentor is not None and s.mentor.member.id == "coordinated"
    assert s.mentor.reasons == (
        "took part in Hor-coor-fun (Horizon Europe, 2022, coordinator, funded)",
    )
    nobody = suggest(RIA, [members[0], members[3]])
    assert nobody.mentor is None


def test_the_mentor_is_one_outside_the_team_where_any_fits() -> None:
    """The demo named the lead its own mentor for a third of the calls."""
    funded = project("Horizon Europe", "coordinator", "funded", "integrated-photonics")
    members = [
        m("lead", "research", ("coordinator",), True, (funded,), integrated_photonics=3),
        m("outside", mentor=True, projects=(project("NCBR", "partner", "funded", "sensors-mems"),)),
    ]
    s = suggest(RIA, members)
    assert s.lead is not None and s.lead.member.id == "lead"
    assert s.mentor is not None and s.mentor.member.id == "outside"
    # With no mentor outside the team who knows the programme or areas, the team's own.
    alone = suggest(RIA, members[:1])
    assert alone.mentor is not None and alone.mentor.member.id == "lead"


def test_no_areas_and_no_coordinator_are_said() -> None:
    bare = CallFacts(id="T", source="s", title="t", programme="Horizon Europe")
    s = suggest(bare, [m("a", roles=("coordinator",), chip_design=3), m("b", chip_design=2)])
    assert s.partners == () and "no technology areas" in s.notes[0].en
    nobody = suggest(RIA, [m("a", integrated_photonics=3)])
    assert nobody.lead is None and "No member is willing to coordinate" in nobody.notes[0].en


def test_suggest_command(cli: CliRun, cluster: Engine) -> None:
    result = cli("consortium", "suggest", HE_RIA)
    assert result.exit_code == 0, result.output
    assert "Lead: instytut-mikrosystemow" in result.stdout
    assert "[NOT MET] from at least 3 different EU Member States" in result.stdout
    assert "! Two partners from other countries" in result.stdout
    assert f"callradar pack {HE_RIA} --lead instytut-mikrosystemow" in result.stdout

    national = json.loads(cli("consortium", "suggest", NATIONAL, "--json").stdout)
    assert national["programme_family"] == "national"
    lead = national["lead"]
    assert lead["id"] == "silicon-vistula" and any("company" in r for r in lead["reasons"])
    assert "voltis-power" in [p["id"] for p in national["partners"]]

    eic = json.loads(cli("consortium", "suggest", EIC, "--json").stdout)
    assert eic["partners"] == [] and eic["lead"]["id"] in {"fotonlab", "lumen-photonics"}
    assert all(c["met"] for c in eic["rules"]["checks"])

    with db.session_scope(cluster) as session:
        store_call(session, CallRecord(id="NEWSLETTER 2026/11 (b)", title="t"), {})
    by_hand = cli("consortium", "suggest", "NEWSLETTER 2026/11 (b)").stdout
    assert "callradar pack 'NEWSLETTER 2026/11 (b)' --lead silicon-vistula --out DIR" in by_hand

    missing = cli("consortium", "suggest", "NOPE")
    assert missing.exit_code == 2 and "no call 'NOPE'" in missing.stderr
