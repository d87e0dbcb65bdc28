"""The consortium suggestion, its rules and the assembler's errors in English and Polish."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine

from proposals import wording
from proposals.catalogue import choose_template
from proposals.consortium import suggest
from proposals.errors import ProposalError, RenderError
from proposals.facts import CallFacts, MemberFacts
from proposals.pack import build_pack
from proposals.render import render_docx
from proposals.rules import check_rules
from tests.conftest import CliRun
from tests.proposals.conftest import HE_RIA
from tests.proposals.test_consortium import RIA, m, project

CLUSTER = [
    m(
        "lead",
        "research",
        ("coordinator",),
        mentor=True,
        projects=(
            project("Horizon Europe", "coordinator", "funded", "integrated-photonics"),
            project("Horizon 2020", "coordinator", "ongoing", "sensors-mems"),
        ),
        integrated_photonics=3,
    ),
    m("twin", integrated_photonics=3, sensors_mems=1),
    m("mems", sensors_mems=3, photonics=2),
]


def test_the_suggestion_in_both_languages() -> None:
    s = suggest(RIA, CLUSTER)
    english, polish = s.to_dict("en"), s.to_dict("pl")
    assert (english["language"], polish["language"]) == ("en", "pl")
    # The same choices in both; only the sentences differ.
    assert english["lead"]["id"] == polish["lead"]["id"] == "lead"
    assert [p["id"] for p in english["partners"]] == [p["id"] for p in polish["partners"]]
    assert english["lead"]["reasons"] == [
        "willing to coordinate",
        "covers Integrated photonics (level 3)",
        "has coordinated Hor-coor-fun (Horizon Europe, 2022, coordinator, funded); "
        "Hor-coor-ong (Horizon 2020, 2022, coordinator, ongoing)",
    ]
    assert polish["lead"]["reasons"] == [
        "deklaruje gotowość do koordynowania projektu",
        "ma kompetencje: Fotonika zintegrowana (poziom 3)",
        "ma doświadczenie koordynatora w 2 projektach: Hor-coor-fun (Horizon Europe, 2022, "
        "koordynator, dofinansowany); Hor-coor-ong (Horizon 2020, 2022, koordynator, w toku)",
    ]
    assert polish["partners"][0]["reasons"] == [
        "wnosi: Czujniki i MEMS (poziom 3)",
        "pokrywa się z resztą zespołu w obszarze: Fotonika zintegrowana",
    ]
    assert polish["mentor"]["reasons"][0] == (
        "udział w projekcie Hor-coor-fun (Horizon Europe, 2022, koordynator, dofinansowany)"
    )
    assert polish["uncovered"] == [
        "Żaden członek klastra nie ma kompetencji w obszarze „Energoelektronika” "
        "(power-electronics): potrzebny jest do niego partner spoza klastra."
    ]
    assert english["uncovered"] == [
        "No member of the cluster covers Power electronics (power-electronics): a partner "
        "from outside the cluster is needed for it."
    ]
    rules = polish["rules"]
    assert rules["summary"].startswith("Horizon Europe RIA: co najmniej trzy niezależne")
    assert [c["detail"] for c in rules["checks"]] == [
        "zespół liczy 2 podmioty",
        "kraje zespołu spełniające warunek: PL",
        "PL",
    ]
    assert rules["missing"] == [
        "Potrzeba jeszcze dwóch partnerów z innych krajów (państw członkowskich UE lub krajów "
        "stowarzyszonych innych niż PL): klaster nie może ich zapewnić."
    ]
    # The English properties the proposal packs read are the English sentences.
    assert s.lead is not None and list(s.lead.reasons) == english["lead"]["reasons"]
    assert s.rules.summary == english["rules"]["summary"]


def test_a_domain_level_has_a_decimal_comma_in_polish() -> None:
    # "dom" names the whole photonics domain: half its level counts for an area of it.
    call = CallFacts(
        id="T",
        source="s",
        title="t",
        programme="Horizon Europe",
        type_of_action="HORIZON Research and Innovation Actions",
        areas={"integrated-photonics": 0.9, "lasers-optoelectronics": 0.9},
    )
    members = [m("lead", roles=("coordinator",), integrated_photonics=3), m("dom", photonics=3)]
    s = suggest(call, members)
    assert s.partners[0].reasons[0] == "adds Lasers and optoelectronics (level 1.5)"
    assert s.partners[0].to_dict("pl")["reasons"][0] == (
        "wnosi: Lasery i optoelektronika (poziom 1,5)"
    )


def member(id: str, kind: str = "sme", country: str = "PL") -> MemberFacts:
    return MemberFacts(id=id, name=id.title(), kind=kind, country=country)


@pytest.mark.parametrize(
    ("team", "entities", "missing"),
    [
        (
            ["a"],
            "zespół liczy 1 podmiot",
            "Potrzeba jeszcze dwóch partnerów z innych krajów",
        ),
        (
            ["a", "b:DE"],
            "zespół liczy 2 podmioty",
            "Potrzeba jeszcze jednego partnera z innego kraju (państwa członkowskiego UE lub "
            "kraju stowarzyszonego innego niż DE, PL): klaster nie może go zapewnić.",
        ),
        (
            ["a", "b:DE", "c:DE", "d:FR", "e:NO"],
            "zespół liczy 5 podmiotów",
            None,
        ),
    ],
)
def test_polish_rule_checks_inflect_their_numbers(
    team: list[str], entities: str, missing: str | None
) -> None:
    call = CallFacts(
        id="X",
        source="s",
        title="t",
        programme="Horizon Europe",
        type_of_action="HORIZON Research and Innovation Actions",
    )
    members = [member(t.split(":")[0], "sme", *t.split(":")[1:]) for t in team]
    polish = check_rules(call, members).to_dict("pl")
    assert polish["checks"][0]["detail"] == entities
    if missing is None:
        assert polish["missing"] == []
    else:
        assert polish["missing"][0].startswith(missing)


def test_polish_eic_and_national_rules() -> None:
    eic = CallFacts(
        id="HORIZON-EIC-2027-ACCELERATOR-01",
        source="s",
        title="t",
        programme="Horizon Europe – EIC",
    )
    report = check_rules(eic, [member("a", "large"), member("b"), member("c")]).to_dict("pl")
    assert [c["detail"] for c in report["checks"]] == [
        "A jest dużym przedsiębiorstwem",
        "wpisano 2 partnerów: usuń ich z wniosku",
    ]
    assert report["missing"] == [
        "Wnioskodawcą musi być jedno MŚP: wybierz na lidera MŚP z klastra."
    ]
    national = CallFacts(id="X", source="s", title="t", programme="FENG")
    led_by_research = check_rules(national, [member("b", "research")]).to_dict("pl")
    assert [c["detail"] for c in led_by_research["checks"]] == [
        "B jest jednostką naukową",
        "bez partnerów",
    ]
    # Nobody to check: no "-1 partners".
    assert check_rules(national, []).to_dict("en")["checks"][1]["detail"] == "no lead"
    assert check_rules(eic, []).to_dict("pl")["checks"][1]["detail"] == "brak lidera"


def test_every_wording_has_both_languages() -> None:
    for key, pair in wording.WORDINGS.items():
        assert len(pair) == 2, key
    assert wording.say("lead.willing").text("pl") != wording.say("lead.willing").text("en")
    with pytest.raises(KeyError):
        wording.say("no.such.key")


def _raised(call: object) -> ProposalError:
    with pytest.raises(ProposalError) as exc:
        call()  # type: ignore[operator]
    return exc.value


def test_the_assemblers_errors_in_polish(tmp_path: Path, cluster: Engine) -> None:
    from callradar import db

    with db.session_scope(cluster) as session:
        no_call = _raised(lambda: build_pack(session, "NOPE", "x"))
        unknown = _raised(lambda: build_pack(session, HE_RIA, "nobody", ["ghost"]))
    assert no_call.text("en").startswith("no call 'NOPE'")
    assert no_call.text("pl") == (
        "nie ma naboru 'NOPE'; identyfikatory naborów wypisuje `callradar calls list`"
    )
    assert unknown.text("pl").startswith("nieznane identyfikatory członków: 'nobody', 'ghost';")
    template = _raised(lambda: choose_template(RIA, "nope"))
    assert template.text("pl").startswith("nie ma szablonu wniosku 'nope'; dostępne szablony: ")

    doc = Document()
    doc.add_paragraph("Title: {{ call.title }}")
    path = tmp_path / "t.docx"
    doc.save(str(path))
    broken = _raised(lambda: render_docx(path, {}))
    assert isinstance(broken, RenderError)
    assert broken.text("pl").startswith("szablon t.docx: nieznane pole: 'call' is undefined; ")
    assert broken.text("pl").endswith("(w pobliżu: Title: {{ call.title }})")
    bell = _raised(lambda: render_docx(path, {"call": {"title": "\x07"}}))
    assert bell.text("pl") == (
        "szablon t.docx: pole call.title zawiera znak U+0007, którego dokument Worda nie może "
        "zawierać; najpierw oczyść tekst (w pobliżu: call.title)"
    )
    odd = _raised(lambda: render_docx(path, {"call": {"title": date(2027, 1, 1)}}))
    assert odd.text("pl").startswith("szablon t.docx: pole call.title jest typu date;")


def test_suggest_command_in_polish(cli: CliRun, cluster: Engine) -> None:
    result = cli("consortium", "suggest", HE_RIA, "--language", "pl")
    assert result.exit_code == 0, result.output
    assert "Lider: instytut-mikrosystemow" in result.stdout
    assert "[NIESPEŁNIONA] z co najmniej 3 różnych państw członkowskich UE" in result.stdout
    assert "! Potrzeba jeszcze dwóch partnerów z innych krajów" in result.stdout
    assert "willing" not in result.stdout
    data = json.loads(cli("consortium", "suggest", HE_RIA, "--json", "--language", "pl").stdout)
    assert data["language"] == "pl" and data["rules"]["missing"][0].startswith("Potrzeba")
    missing = cli("consortium", "suggest", "NOPE", "--language", "pl")
    assert missing.exit_code == 2 and "nie ma naboru 'NOPE'" in missing.stderr
