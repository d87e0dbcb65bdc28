"""Scoring calls against members, stored matches, flagging, review and feedback."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from callradar import db
from callradar.calls import CallRecord, upsert_call
from callradar.models import Call, CallTag, Match, Member
from matching.conditions import Applicant
from matching.feedback import mark_not_relevant
from matching.review import dismiss_call
from matching.scoring import CallFacts, Matcher, MemberFacts, Tag
from matching.store import flag_calls, match_calls
from tests.conftest import CliRun
from tests.matching.conftest import NOW, add_call, add_member, settings_for

TODAY = date(2026, 11, 27)
PIC = "Sentence about «photonic integrated circuits» for datacom."


def member(member_id: str, areas: dict[str, int], kind: str = "sme", **kw: object) -> MemberFacts:
    return MemberFacts(
        member_id,
        Applicant.of(kind, "PL", "Wrocław"),
        areas,
        tuple(kw.get("keywords", ())),  # type: ignore[arg-type]
    )


def test_area_beats_domain_and_levels_order_scores() -> None:
    matcher = Matcher(
        [
            member("core", {"integrated-photonics": 3}),
            member("some", {"integrated-photonics": 1}),
            member("domain", {"photonics": 3}),
            member("elsewhere", {"power-electronics": 3}),
        ],
        min_score=0.1,
    )
    scored = matcher.match(CallFacts(1, (Tag("integrated-photonics", 0.9, (PIC,)),), "text"))
    by_id = {s.member_id: s for s in scored}
    assert [s.member_id for s in scored] == ["core", "domain", "some"]
    assert by_id["core"].score > by_id["domain"].score
    assert all(0 <= s.score <= 1 for s in scored)
    assert by_id["core"].reasons[0].text("en") == (
        "Integrated photonics (core competence) — the call asks for photonic integrated circuits"
    )
    assert by_id["core"].reasons[0].text("pl") == (
        "Fotonika zintegrowana (kluczowa kompetencja) — nabór dotyczy: photonic integrated circuits"
    )
    assert "the whole domain" in by_id["domain"].reasons[0].text("en")


def test_whole_domain_call_matches_members_of_its_areas_weakly() -> None:
    matcher = Matcher(
        [
            member("lasers", {"lasers-optoelectronics": 3}),
            member("pic", {"integrated-photonics": 3}),
        ],
        min_score=0.1,
    )
    domain_only = matcher.match(CallFacts(1, (Tag("photonics", 0.9),), "Photonics strategy"))
    area = matcher.match(CallFacts(2, (Tag("integrated-photonics", 0.9),), "PIC"))
    assert {s.member_id for s in domain_only} == {"lasers", "pic"}
    assert max(s.score for s in domain_only) < area[0].score
    assert domain_only[0].reasons[0].text("en").startswith("Photonics as a whole")


def test_keywords_are_found_in_any_inflection_and_add_to_the_score() -> None:
    matcher = Matcher(
        [
            member("a", {"sensors-mems": 2}, keywords=["MEMS foundry", "czujnik gazu"]),
            member("b", {"sensors-mems": 2}),
        ],
        min_score=0.1,
    )
    text = "Access to MEMS foundries and czujników gazu for SMEs."
    scored = {
        s.member_id: s for s in matcher.match(CallFacts(1, (Tag("sensors-mems", 0.8),), text))
    }
    assert scored["a"].score > scored["b"].score
    assert scored["a"].reasons[-1].text("en") == (
        "your keywords in the call text: “MEMS foundry”, “czujnik gazu”"
    )


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        # Polish adjectives in every case, and the "-ow-" of adjectives made from nouns
        ("układy scalone", "Projektowanie układów scalonych dla motoryzacji"),
        ("fotonika zintegrowana", "projekty z zakresu fotoniki zintegrowanej"),
        ("czujniki optyczne", "sieć czujników optycznych"),
        ("technologie półprzewodnikowe", "rozwój technologii półprzewodnikowych"),
        ("baterie", "recykling baterii"),
        ("laser", "systemy laserowe dużej mocy"),
        ("półprzewodniki", "materiały półprzewodnikowe"),
        ("polski przemysł", "dla polskiego przemysłu"),
        # the locative's changed last consonant
        ("fotonika", "badania w fotonice i optyce"),
        ("optyka", "badania w fotonice i optyce"),
        ("detektor", "praca o detektorze podczerwieni"),
        ("innowacyjny produkt", "wdrożenie w innowacyjnym produkcie"),
        # an acronym's plural
        ("PIC", "design of PICs for datacom"),
        ("LED", "micro-LEDs for displays"),
        ("SoC", "heterogeneous SoCs"),
        ("IC", "analogue ICs"),
        # typed on an English keyboard
        ("polprzewodniki", "materiały półprzewodnikowe i półprzewodników"),
        ("uklady scalone", "projektowanie układów scalonych"),
        # a page's soft hyphens and word joiners are inside words
        ("fotonika zintegrowana", "fotoniki zinte\u00adgrowanej"),
        ("photonic", "photo\u2060nic chips"),
        # an acronym typed in lower case, a short word written in capitals
        ("mems", "MEMS microphones"),
        ("mems sensors", "MEMS sensors"),
        ("czujniki gazu", "CZUJNIKI GAZU"),
        ("LED", "LED lighting"),
    ],
)
def test_polish_inflections_and_acronym_plurals_are_found(keyword: str, text: str) -> None:
    matcher = Matcher([member("a", {}, keywords=[keyword])], min_score=0.1)
    [scored] = matcher.match(CallFacts(1, (), text))
    assert scored.reasons[0].phrases == (keyword,)


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("wind", "the submission window closes in May"),
        ("ion", "ionisation of gases"),
        # an acronym is no word of the text written in lower case
        ("LED", "a consortium led by a research organisation"),
        ("IT", "it is expected that proposals address"),
        ("PIC", "pic of the week"),
        ("IT security", "it security"),
    ],
)
def test_keywords_do_not_match_other_words(keyword: str, text: str) -> None:
    matcher = Matcher([member("a", {}, keywords=[keyword])], min_score=0.1)
    assert matcher.match(CallFacts(1, (), text)) == []


def test_two_spellings_of_one_keyword_count_once() -> None:
    # People list variants ("sensor", "sensors", "MEMS", "mems"): the same words of the call
    # must not count twice, nor be listed twice as reasons.
    matcher = Matcher(
        [
            member("variants", {}, keywords=["sensor", "sensors", "MEMS", "mems"]),
            member("plain", {}, keywords=["sensor", "MEMS"]),
        ],
        min_score=0.1,
    )
    variants, plain = matcher.match(CallFacts(1, (), "MEMS sensors for cars"))
    assert variants.score == plain.score
    assert variants.reasons[0].phrases == plain.reasons[0].phrases == ("MEMS", "sensor")


def test_a_title_in_capitals_still_finds_keywords() -> None:
    matcher = Matcher([member("a", {}, keywords=["czujniki gazu", "power modules"])], 0.1)
    [scored] = matcher.match(CallFacts(1, (), "CZUJNIKÓW GAZU I POWER MODULES"))
    assert scored.reasons[0].phrases == ("czujniki gazu", "power modules")


def test_keywords_stored_as_one_list_are_found_one_by_one(engine: Engine) -> None:
    """A keywords cell stored before ',' and ';' were refused in a keyword held a whole list:
    matched as one phrase, none of its keywords was ever found."""
    settings = settings_for(Path("/tmp"), match_min_score=0.3)
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {}, keywords=["MEMS, SiC; GaN", "laser 1,55 µm", "pilot lines"])
        add_call(s, "C1", {}, title="SiC and GaN power devices on MEMS pilot lines", now=NOW)
        match_calls(s, settings=settings, today=TODAY)
    with db.session_scope(engine) as s:
        [match] = s.scalars(select(Match))
        assert match.reasons == ["your keywords in the call text: “SiC”, “GaN”, “MEMS”"]


def test_match_calls_stores_matches_and_respects_conditions(engine: Engine) -> None:
    settings = settings_for(Path("/tmp"), match_min_score=0.3)
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"integrated-photonics": 3}, kind="sme")
        add_member(s, "institute", {"integrated-photonics": 3}, kind="research", city="Warszawa")
        add_member(s, "bigco", {"integrated-photonics": 2}, kind="large", city="Kraków")
        add_call(
            s,
            "VOUCHER",
            {"integrated-photonics": 0.9},
            evidence={"integrated-photonics": [PIC]},
            title="Photonics vouchers for SMEs",
            now=NOW,
        )
        add_call(s, "OPEN", {"integrated-photonics": 0.9}, title="PIC pilot lines", now=NOW)
        add_call(
            s, "OLD", {"integrated-photonics": 0.9}, deadlines=["2026-01-15"], title="Past", now=NOW
        )
        summary = match_calls(s, settings=settings, today=TODAY)
    assert (summary.calls, summary.created) == (3, 4)
    with db.session_scope(engine) as s:
        pairs = {
            (c, m)
            for c, m in s.execute(
                select(Call.external_id, Match.member_id).join(Call, Call.id == Match.call_id)
            )
        }
    assert pairs == {
        ("VOUCHER", "lumen"),
        ("OPEN", "lumen"),
        ("OPEN", "institute"),
        ("OPEN", "bigco"),
    }


def test_rematching_only_touches_changed_calls_and_keeps_feedback(engine: Engine) -> None:
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"integrated-photonics": 3})
        call = add_call(s, "A", {"integrated-photonics": 0.9}, now=NOW)
        add_call(s, "B", {"integrated-photonics": 0.9}, now=NOW)
        match_calls(s, settings=settings, today=TODAY)
        assert match_calls(s, settings=settings, today=TODAY).skipped == 2
        mark_not_relevant(s, "lumen", call.id)
        # The call closes: matches go, except the one with the member's feedback.
        upsert_call(
            s, CallRecord(id="A", title="Call A", deadlines=["2026-11-01"], status="closed"), NOW
        )
        upsert_call(
            s, CallRecord(id="B", title="Call B", deadlines=["2026-11-01"], status="closed"), NOW
        )
        summary = match_calls(s, settings=settings, today=TODAY)
        assert (summary.calls, summary.removed) == (2, 1)
        kept = s.scalars(select(Match)).all()
        assert [(m.call_id, m.feedback) for m in kept] == [(call.id, "not-relevant")]


def test_coordinator_tags_take_precedence(engine: Engine) -> None:
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"integrated-photonics": 3})
        add_member(s, "volt", {"power-electronics": 3})
        call = add_call(s, "A", {"integrated-photonics": 0.9}, now=NOW)
        match_calls(s, settings=settings, today=TODAY)
        s.add(CallTag(call_id=call.id, code="power-electronics", score=1.0, origin="coordinator"))
        s.flush()
        s.expire(call)
        match_calls(s, settings=settings, today=TODAY)
        assert s.scalars(select(Match.member_id)).all() == ["volt"]


def test_flagging_threshold_and_review(engine: Engine) -> None:
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"integrated-photonics": 3, "optical-communications": 1})
        strong = add_call(s, "STRONG", {"integrated-photonics": 0.9}, now=NOW)
        weak = add_call(s, "WEAK", {"optical-communications": 0.9}, now=NOW)
        match_calls(s, settings=settings, today=TODAY)
        assert flag_calls(s, threshold=0.6).flagged == 1
        assert (strong.flagged, weak.flagged) == (True, False)
        dismiss_call(s, strong, reason="not for us")
        assert flag_calls(s, threshold=0.95).unflagged == 0  # reviewed calls keep their flag
        assert (strong.review_status, strong.review_reason) == ("dismissed", "not for us")


def test_a_threshold_of_zero_flags_only_calls_with_a_match(engine: Engine) -> None:
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        add_member(s, "lumen", {"integrated-photonics": 3})
        fits = add_call(s, "FITS", {"integrated-photonics": 0.9}, now=NOW)
        culture = add_call(s, "CULTURE", {}, now=NOW, title="Creative Europe: museums")
        match_calls(s, settings=settings, today=TODAY)
        assert flag_calls(s, threshold=0.0).flagged == 1
        assert (fits.flagged, culture.flagged) == (True, False)


def test_cli_match_list_review_and_feedback(cli: CliRun) -> None:
    with db.session_scope() as s:
        add_member(s, "lumen", {"integrated-photonics": 3}, keywords=["silicon nitride"])
        add_member(s, "fotonlab", {"lasers-optoelectronics": 3})
        add_call(
            s,
            "HORIZON-CL4-2027-PIC",
            {"integrated-photonics": 0.9, "lasers-optoelectronics": 0.5},
            evidence={"integrated-photonics": [PIC]},
            description="Silicon nitride platforms.",
            deadlines=["2030-06-01"],
        )
    assert "1 call(s) flagged" in cli("match").output
    # A mistyped member id is an error, not a member without matches.
    mistyped = cli("matches", "list", "--member", "lumne")
    assert mistyped.exit_code == 2 and "no member with id 'lumne'" in mistyped.stderr
    rows = json.loads(cli("matches", "list", "--json").output)
    assert [(r["call_id"], r["member_id"]) for r in rows] == [
        ("HORIZON-CL4-2027-PIC", "lumen"),
        ("HORIZON-CL4-2027-PIC", "fotonlab"),
    ]
    assert rows[0]["score"] >= rows[1]["score"]
    assert set(rows[0]) >= {"call_id", "member_id", "score", "reasons"}
    assert "your keyword “silicon nitride” is in the call text" in rows[0]["reasons"]
    assert cli("review", "confirm", "HORIZON-CL4-2027-PIC", "--reason", "core topic").exit_code == 0
    result = cli("matches", "not-relevant", "fotonlab", "HORIZON-CL4-2027-PIC")
    assert result.exit_code == 0
    rows = json.loads(cli("matches", "list", "--json", "--member", "fotonlab").output)
    assert rows[0]["feedback"] == "not-relevant"
    # The table shows the feedback in brackets, as text rather than a Rich style tag.
    table = cli("matches", "list", "--member", "fotonlab")
    assert table.exit_code == 0 and "[not-relevant]" in table.stdout
    missing = cli("review", "dismiss", "NO-SUCH-CALL")
    assert missing.exit_code == 2 and "no call with id 'NO-SUCH-CALL'" in missing.output


def test_rematching_updates_and_removes_stored_matches_in_place(engine: Engine) -> None:
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        lumen = add_member(s, "lumen", {"integrated-photonics": 1})
        add_member(s, "optic", {"integrated-photonics": 3})
        call = add_call(s, "A", {"integrated-photonics": 0.9}, now=NOW)
        match_calls(s, settings=settings, today=TODAY)
        loaded = s.scalars(select(Match).where(Match.member_id == "lumen")).one()
        before = loaded.score
        # The member's level rises: its match is updated; the other leaves: its match goes.
        lumen.competences[0].level = 3
        s.delete(s.get(Member, "optic"))
        s.flush()
        summary = match_calls(s, settings=settings, today=TODAY)
        assert (summary.calls, summary.created, summary.updated) == (1, 0, 1)
        assert loaded.score > before  # an object loaded earlier shows the stored value
        rows = s.execute(select(Match.member_id, Match.score, Match.call_id)).all()
    assert rows == [("lumen", loaded.score, call.id)]


@pytest.mark.parametrize("ref", ["#99999999999999999999999", "#²"])
def test_a_database_id_no_row_can_have_is_not_found(cli: CliRun, ref: str) -> None:
    result = cli("review", "confirm", ref)
    assert result.exit_code == 2
    assert "no call with" in result.stderr


def test_matching_moves_stored_statuses_on_by_the_calendar(engine: Engine) -> None:
    """A call entered by hand or no longer listed is stored no more: its "forthcoming" stayed
    for good on the web app's pages and in packs once its opening day had come."""
    settings = settings_for(Path("/tmp"))
    with db.session_scope(engine) as s:
        soon = add_call(s, "SOON", {}, status="forthcoming", opening_date=TODAY + timedelta(days=1))
        assert soon.status == "forthcoming"
    with db.session_scope(engine) as s:
        match_calls(s, settings=settings, today=TODAY + timedelta(days=1))
    with db.session_scope(engine) as s:
        call = s.scalars(select(Call)).one()
        assert (call.status, call.version) == ("open", 1)
