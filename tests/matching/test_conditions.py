"""Who may apply, read from calls' own phrasing (EU portal topics, PARP/NCBR/FE pages)."""

from __future__ import annotations

from typing import Any

import pytest

from matching.conditions import (
    EASTERN_POLAND,
    EU_MEMBER_STATES,
    Applicant,
    Conditions,
    conditions_of,
)

SME = Applicant.of("sme", "PL", "Wrocław")
LARGE = Applicant.of("large", "PL", "Kraków")
INSTITUTE = Applicant.of("research", "PL", "Warszawa")
UNIVERSITY = Applicant.of("university", "PL", "Gdańsk")
SWISS_SME = Applicant.of("sme", "CH", "Zürich")
NORWEGIAN_LAB = Applicant.of("research", "NO", "Oslo")
RZESZOW_SME = Applicant.of("sme", "PL", "Rzeszów")


def allowed(conditions: Conditions, *applicants: Applicant) -> list[bool]:
    return [conditions.excluding(a) is None for a in applicants]


def test_eic_accelerator_is_for_single_smes() -> None:
    conditions = conditions_of(
        title="EIC Accelerator Open",
        call_identifier="HORIZON-EIC-2026-ACCELERATOR-01",
        type_of_action="HORIZON EIC Grants",
        description=(
            "The EIC Accelerator supports companies (principally SMEs, including start-ups "
            "and spin-out companies) to develop and scale up game-changing innovations. "
            "Single for-profit SMEs (including start-ups) established in an EU Member State "
            "or Associated Country may apply."
        ),
    )
    assert allowed(conditions, SME, LARGE, INSTITUTE, SWISS_SME) == [True, False, False, True]


def test_collaboration_wording_restricts_nothing() -> None:
    conditions = conditions_of(
        title="Chips competence centres network support",
        type_of_action="HORIZON Research and Innovation Actions",
        description=(
            "Expected Outcome: European technological leadership and open strategic autonomy "
            "in chips competence centres network support. Strengthened collaboration between "
            "research organisations, SMEs and industry across the value chain."
        ),
    )
    assert conditions.restrictions == ()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # PARP's "Kto może skorzystać": SMEs, and consortia of enterprises with research bodies.
        (
            {
                "title": "Ścieżka SMART - MŚP",
                "description": "Kto może skorzystać: mikro, małe i średnie przedsiębiorstwa; "
                "konsorcja przedsiębiorstw z organizacjami badawczymi.",
            },
            [True, False, True, True],
        ),
        # The same as a list under a heading, as a page's text arrives from a spider.
        (
            {
                "title": "Ścieżka SMART",
                "description": "Opis naboru.\nKto może skorzystać\nmikro, małe i średnie "
                "przedsiębiorstwa\nkonsorcja przedsiębiorstw z organizacjami badawczymi\n\n"
                "Budżet naboru: 80 000 000 zł",
            },
            [True, False, True, True],
        ),
        (
            {"title": "Ścieżka SMART - Duże przedsiębiorstwa", "source": "ncbr"},
            [False, True, False, False],
        ),
        # NCBR's structured applicant types.
        (
            {
                "title": "Ścieżka SMART - Konsorcja",
                "extra": {"types_of_applicant": ["enterprises", "research_organisations"]},
            },
            [True, True, True, True],
        ),
        (
            {
                "title": "Projekty badawcze w obszarze fotoniki",
                "description": "O finansowanie mogą ubiegać się wyłącznie jednostki naukowe i "
                "uczelnie.",
            },
            [False, False, True, True],
        ),
        # Research bodies provide the vouchers' services; they are not applicants.
        (
            {
                "title": "Bony na innowacje dla MŚP",
                "description": "Usługi badawcze dla MŚP świadczone przez organizacje badawcze.",
            },
            [True, False, False, False],
        ),
        (
            {"title": "Photonics innovation vouchers for SMEs"},
            [True, False, False, False],
        ),
        (
            {
                "title": "Pilot line access",
                "description": "Only research organisations and universities are eligible "
                "to apply.",
            },
            [False, False, True, True],
        ),
        (
            {"title": "Wsparcie MŚP, które otrzymały Seal of Excellence w EIC Accelerator"},
            [True, False, False, False],
        ),
    ],
)
def test_kinds_of_applicant(fields: dict[str, Any], expected: list[bool]) -> None:
    conditions = conditions_of(**fields)
    assert allowed(conditions, SME, LARGE, INSTITUTE, UNIVERSITY) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("W konkursie mogą wziąć udział mikro, małe i średnie przedsiębiorstwa.", [True, False]),
        ("Wsparcie skierowane jest do MŚP.", [True, False]),
        ("Nabór skierowany do dużych przedsiębiorstw.", [False, True]),
        ("Konkurs adresowany jest do przedsiębiorstw z sektora MŚP.", [True, False]),
        ("Beneficjentami mogą być wyłącznie mikro- i małe przedsiębiorstwa.", [True, False]),
        ("Mogą aplikować uczelnie i instytuty badawcze.", [False, False]),
        ("The call is aimed at SMEs developing photonic sensors.", [True, False]),
        # Said of something else than who applies: no restriction.
        ("Projekty skierowane do odbiorców z branży motoryzacyjnej.", [True, True]),
    ],
)
def test_polish_and_english_ways_of_saying_who_applies(
    description: str, expected: list[bool]
) -> None:
    conditions = conditions_of(title="Nabór", description=description)
    assert allowed(conditions, SME, LARGE) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # SMEs named among all enterprises, or as the ones left out: large ones may apply.
        ("Wnioskodawcami mogą być przedsiębiorcy, w tym MŚP.", [True, True, False]),
        ("Applicants may be enterprises, including SMEs, and universities.", [True, True, True]),
        ("O wsparcie mogą ubiegać się przedsiębiorstwa niebędące MŚP.", [False, True, False]),
        ("Eligible: enterprises other than SMEs.", [False, True, False]),
        ("Eligible applicants: any legal entity, including SMEs.", [True, True, True]),
        # still SMEs only
        ("Only SMEs may apply.", [True, False, False]),
    ],
)
def test_smes_named_within_a_wider_group_or_left_out(
    description: str, expected: list[bool]
) -> None:
    conditions = conditions_of(title="Nabór", description=description)
    assert allowed(conditions, SME, LARGE, UNIVERSITY) == expected


def test_member_states_only_and_eea() -> None:
    only_ms = conditions_of(
        title="Semiconductor pilot lines",
        description="Participation is restricted to legal entities established in EU Member "
        "States only.",
    )
    assert allowed(only_ms, SME, SWISS_SME, NORWEGIAN_LAB) == [True, False, False]
    with_eea = conditions_of(
        title="Digital Europe",
        description="In order to be eligible, the applicants must be legal entities "
        "established in one of the eligible countries, i.e. EU Member States only, and EEA "
        "countries (Norway, Iceland, Liechtenstein).",
    )
    assert allowed(with_eea, SME, SWISS_SME, NORWEGIAN_LAB) == [True, False, True]


def test_member_states_and_associated_countries() -> None:
    conditions = conditions_of(
        title="Quantum sensing",
        description="Legal entities established in EU Member States and countries associated "
        "to Horizon Europe (Associated Countries) are eligible for funding.",
    )
    restriction = conditions.restrictions[0]
    assert restriction.allowed > EU_MEMBER_STATES
    assert allowed(conditions, SWISS_SME, Applicant.of("sme", "US", None)) == [True, False]


def test_polish_programmes_are_for_entities_in_poland() -> None:
    by_source = conditions_of(title="OPUS 32", source="ncn")
    by_text = conditions_of(
        title="Nabór regionalny",
        description="Wnioskodawcą może być przedsiębiorca posiadający siedzibę na terytorium RP.",
    )
    for conditions in (by_source, by_text):
        assert allowed(conditions, SME, SWISS_SME) == [True, False]


def test_regional_programmes_by_code_name_and_phrase() -> None:
    eastern = conditions_of(
        title="Wzornictwo w MŚP - Polska Wschodnia",
        call_identifier="FEPW.01.02-IP.01-001/27",
        programme="Fundusze Europejskie dla Polski Wschodniej",
    )
    assert [r for r in eastern.restrictions if r.dimension == "regions"][0].allowed == (
        EASTERN_POLAND
    )
    assert allowed(eastern, RZESZOW_SME, SME) == [True, False]
    mazowsze = conditions_of(title="Projekty B+R", programme="FEM 2021-2027")
    assert allowed(mazowsze, Applicant.of("sme", "PL", "Warszawa"), SME) == [True, False]
    phrase = conditions_of(
        title="Dotacje",
        description="Wsparcie dla firm z siedzibą na terenie województwa dolnośląskiego.",
    )
    assert allowed(phrase, SME, RZESZOW_SME) == [True, False]
    # A member whose city is not known to us is not excluded on a guess.
    assert allowed(mazowsze, Applicant.of("sme", "PL", "Mała Wieś")) == [True]


@pytest.mark.parametrize("city", ["Krakow", "KRAKÓW", "31-155 Kraków", "Kraków "])
def test_a_city_written_without_diacritics_or_with_its_postcode_has_its_region(city: str) -> None:
    # Typed on an English keyboard, or copied from an address: still Kraków, in Małopolska.
    assert Applicant.of("sme", "PL", city).region == "malopolskie"
    lodz = Applicant.of("sme", "PL", "Lodz")
    assert lodz.region == "lodzkie"


def test_a_region_named_inside_a_longer_name_is_not_also_meant() -> None:
    west = conditions_of(
        title="Dotacje na B+R",
        programme="Fundusze Europejskie dla Pomorza Zachodniego 2021-2027",
    )
    [restriction] = west.restrictions
    assert restriction.allowed == {"zachodniopomorskie"}
    assert allowed(west, Applicant.of("sme", "PL", "Gdańsk")) == [False]
    assert allowed(west, Applicant.of("sme", "PL", "Szczecin")) == [True]
    pomorze = conditions_of(title="Dotacje", programme="Fundusze Europejskie dla Pomorza")
    assert pomorze.restrictions[0].allowed == {"pomorskie"}


def test_restriction_labels_are_bilingual() -> None:
    conditions = conditions_of(title="Ścieżka SMART - MŚP")
    restriction = conditions.restrictions[0]
    assert (restriction.label("en"), restriction.label("pl")) == ("SMEs", "MŚP")
