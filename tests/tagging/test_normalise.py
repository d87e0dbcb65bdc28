from __future__ import annotations

import pytest

from tagging.normalise import normaliser, stem_pl, unmarked_norms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("układów scalonych", "układy scalone"),
        ("półprzewodnikowych", "półprzewodnikowe"),
        ("fotoniki zintegrowanej", "fotonika zintegrowana"),
        ("obrazowania", "obrazowanie"),
        ("czujników", "czujniki"),
    ],
)
def test_polish_inflections_share_a_norm(a: str, b: str) -> None:
    norm = normaliser("pl", "lemma+stem")
    assert [norm(w) for w in a.split()] == [norm(w) for w in b.split()]


def test_lower_mode_only_lower_cases() -> None:
    assert normaliser("pl", "lower")("Układów") == "układów"


def test_stem_keeps_short_words() -> None:
    assert stem_pl("chip") == "chip"


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown normalisation mode"):
        normaliser("en", "stem")  # type: ignore[arg-type]


def test_acronyms_and_formulas_are_not_lemmatised() -> None:
    norm = normaliser("en", "lemma+stem")
    assert norm("LED") == norm("LEDs") == "led" != norm("led")  # "led" is a form of "lead"
    assert norm("PICs") == norm("PIC") == "pic"
    assert norm("GaN") == "gan" and norm("MEMS") == "mems"


@pytest.mark.parametrize(
    ("lang", "shouted", "written"),
    [
        ("en", "PHOTONIC INTEGRATED CIRCUITS", "photonic integrated circuits"),
        ("en", "WAFERS", "wafers"),
        ("pl", "FOTONICZNYCH UKŁADÓW SCALONYCH", "fotonicznych układów scalonych"),
        ("pl", "CZUJNIKÓW", "czujników"),
    ],
)
def test_words_in_capitals_are_words_not_acronyms(lang: str, shouted: str, written: str) -> None:
    """Titles and headings written in capitals ("FOTONICZNE UKŁADY SCALONE") are words: an
    acronym is short ("LED", "MEMS") or mixes cases ("GaN", "VCSELs")."""
    norm = normaliser(lang, "lemma+stem")
    assert [norm(w) for w in shouted.split()] == [norm(w) for w in written.split()]


def test_polish_typed_without_marks_takes_the_norm_of_a_phrase_word() -> None:
    plain = normaliser("pl", "lemma+stem")
    phrase_words = ["układy", "półprzewodnikowe", "laserów", "łączność", "stał"]
    norm = normaliser("pl", "lemma+stem", unmarked_norms(plain(w) for w in phrase_words))
    for typed, meant in [
        ("uklady", "układów"),
        ("ukladow", "układy"),
        ("polprzewodnikowych", "półprzewodnikowe"),
        ("laserow", "laserów"),
        ("lacznosci", "łączności"),
    ]:
        assert norm(typed) == plain(meant), typed
    # A word the dictionary knows as typed is that word: "stal" is steel, not "stał".
    assert norm("stal") == plain("stal") != plain("stał")
    # Other languages' words and Polish words of no phrase keep their norms.
    assert norm("zintegrowanej") == plain("zintegrowanej")


def test_a_spelling_without_marks_shared_by_two_norms_takes_the_one_with_fewer() -> None:
    assert unmarked_norms(["światłowód", "światłowod", "laser"]) == {
        "swiatlowod": "światłowod",
        "laser": "laser",
    }
