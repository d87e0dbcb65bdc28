"""The text the pipeline reads, made from a call's raw title and description."""

from __future__ import annotations

import re

import pytest

from tagging.text import call_document, clean


@pytest.mark.parametrize("run", ["(" * 50_000, "_=" * 20_000, "….." * 9_000, "»" * 700])
def test_long_runs_of_symbols_are_broken_into_short_words(run: str) -> None:
    """spaCy's tokenizer splits leading and trailing punctuation off a word one mark at a
    time, copying the rest each time: a word of tens of thousands of marks (a garbage page,
    a rule of '=' or a form's dot leaders run together) held the tagging run for minutes to
    hours. Such a run is cut by spaces into short words; no mark is lost."""
    description = f"Silicon photonics for datacom. {run} Applications by 1 March."
    text, _ = call_document("Photonics call", description)
    assert max(len(word) for word in text.split()) <= 32
    assert re.sub(r"\s", "", text) == re.sub(r"\s", "", f"Photonics call{description}")


def test_ordinary_text_is_left_as_it_is() -> None:
    description = (
        "Naprawa kabli podmorskich (CEF Digital) — łączność szkieletowa: https://ec.europa.eu/"
        "info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/x?a=1 "
        "........ ===== ‘quoted’ «evidence» 10–20 % §§ 3.5.1."
    )
    assert call_document("Tytuł", description)[0] == f"Tytuł\n\n{description}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "&lt;p&gt;Silicon photonics for &lt;strong&gt;datacom&lt;/strong&gt;.&lt;/p&gt;"
            "&lt;p&gt;R&amp;amp;D&amp;nbsp;projects.&lt;/p&gt;",
            "Silicon photonics for datacom .\n\nR&D projects.",
        ),
        ("Lasers &amp;amp; LEDs", "Lasers & LEDs"),
        ("TRL &lt; 4 and R&amp;D", "TRL < 4 and R&D"),
    ],
)
def test_markup_and_entities_escaped_twice_are_cleaned_too(raw: str, expected: str) -> None:
    """Some sources escape their HTML once more ('&lt;p&gt;', '&amp;nbsp;'): the text to
    tag, and so the evidence users read, holds no tags or entities."""
    text, _ = call_document("", raw)
    assert text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Decomposed, as PDFs and macOS give it: "o" + combining acute, "a" + ogonek.
        ("po\u0301łprzewodniko\u0301w mocy i z\u0301ro\u0301deł s\u0301wiatła",
         "półprzewodników mocy i źródeł światła"),
        ("moduły wa\u0328skie", "moduły wąskie"),
        # Typographic ligatures from PDFs.
        ("\ufb01bre lasers, \ufb02exible ampli\ufb01ers", "fibre lasers, flexible amplifiers"),
        ("e\ufb03cient o\ufb04ine", "efficient offline"),
        # Soft hyphens of web pages, as characters or entities.
        ("półprze\u00adwodnikowych fotonicz&shy;nych", "półprzewodnikowych fotonicznych"),
        ("pho&amp;shy;tonic", "photonic"),
    ],
)
def test_decomposed_letters_and_ligatures_are_composed(raw: str, expected: str) -> None:
    assert clean(raw) == expected
    assert clean(f"<p>{raw}</p>") == expected
