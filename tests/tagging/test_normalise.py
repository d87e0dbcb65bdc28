from __future__ import annotations

import pytest

from tagging.normalise import normaliser, stem_pl


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
