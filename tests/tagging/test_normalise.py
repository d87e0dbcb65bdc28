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
