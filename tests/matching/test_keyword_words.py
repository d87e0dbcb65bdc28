"""Members' keywords against real Polish words: every case of a noun, both numbers, and the
letters with Polish marks that tell words apart."""

from __future__ import annotations

import pytest

from matching.keywords import KeywordIndex

# Technical nouns of every declension (hard and soft stems, -ka/-ca, -ość, -um, the
# locatives that change a stem's last consonant, a stem's "e" that comes and goes), each with
# all its case forms, singular and plural.
DECLENSIONS = {
    "macierz": "macierz macierzy macierzą macierze macierzach macierzami macierzom",
    "granica": "granica granicy granicę granicą granice granic granicach granicami granicom",
    "cięcie": "cięcie cięcia cięciu cięciem cięć cięciach cięciami cięciom",
    "laser": "laser lasera laserowi laserem laserze lasery laserów laserach laserami",
    "detektor": "detektor detektora detektorem detektorze detektory detektorów detektorach",
    "czujnik": "czujnik czujnika czujnikowi czujnikiem czujniku czujniki czujników czujnikach",
    "układ": "układ układu układowi układem układzie układy układów układach układami",
    "system": "system systemu systemowi systemem systemie systemy systemów systemach",
    "proces": "proces procesu procesem procesie procesy procesów procesach procesami",
    "zakres": "zakres zakresu zakresem zakresie zakresy zakresów zakresach",
    "interfejs": "interfejs interfejsu interfejsem interfejsie interfejsy interfejsów",
    "produkt": "produkt produktu produktem produkcie produkty produktów produktach",
    "projekt": "projekt projektu projektem projekcie projekty projektów projektach",
    "sprzęt": "sprzęt sprzętu sprzętem sprzęcie sprzęty sprzętów",
    "rynek": "rynek rynku rynkowi rynkiem rynki rynków rynkach",
    "tlenek": "tlenek tlenku tlenkiem tlenki tlenków tlenkach tlenkami",
    "węzeł": "węzeł węzła węzłem węzły węzłów węzłach",
    "przemysł": "przemysł przemysłu przemysłem przemyśle",
    "moduł": "moduł modułu modułem module moduły modułów modułach modułami",
    "materiał": "materiał materiału materiałem materiale materiały materiałów materiałach",
    "kanał": "kanał kanału kanałem kanale kanały kanałów kanałach",
    "obwód": "obwód obwodu obwodem obwodzie obwody obwodów obwodach",
    "światłowód": "światłowód światłowodu światłowodem światłowodzie światłowody światłowodów",
    "zespół": "zespół zespołu zespołem zespole zespoły zespołów zespołach",
    "samochód": "samochód samochodu samochodem samochodzie samochody samochodów",
    "standard": "standard standardu standardem standardzie standardy standardów",
    "metoda": "metoda metody metodzie metodę metodą metod metodach metodami",
    "usługa": "usługa usługi usłudze usługę usługą usług usługach usługami",
    "sieć": "sieć sieci siecią sieciach sieciami sieciom",
    "pamięć": "pamięć pamięci pamięcią pamięciach pamięciami",
    "częstotliwość": "częstotliwość częstotliwości częstotliwością częstotliwościach",
    "przestrzeń": "przestrzeń przestrzeni przestrzenią przestrzenie przestrzeniach",
    "miedź": "miedź miedzi miedzią",
    "wzmacniacz": "wzmacniacz wzmacniacza wzmacniaczem wzmacniaczu wzmacniacze wzmacniaczy",
    "kalendarz": "kalendarz kalendarza kalendarzem kalendarzu kalendarze kalendarzy",
    "technologia": "technologia technologii technologię technologią technologie technologiach",
    "energia": "energia energii energię energią energie energiach",
    "linia": "linia linii linię linią linie liniach liniami",
    "bateria": "bateria baterii baterię baterią baterie baterii bateriach",
    "fotonika": "fotonika fotoniki fotonice fotonikę fotoniką",
    "elektronika": "elektronika elektroniki elektronice elektronikę elektroniką",
    "optyka": "optyka optyki optyce optykę optyką",
    "płytka": "płytka płytki płytce płytkę płytką płytek płytkach",
    "soczewka": "soczewka soczewki soczewce soczewkę soczewki soczewek soczewkach",
    "powłoka": "powłoka powłoki powłoce powłokę powłoką powłok powłokach",
    "urządzenie": "urządzenie urządzenia urządzeniu urządzeniem urządzeń urządzeniach",
    "badanie": "badanie badania badaniu badaniem badań badaniach badaniami",
    "narzędzie": "narzędzie narzędzia narzędziu narzędziem narzędzi narzędziach",
    "przedsiębiorstwo": "przedsiębiorstwo przedsiębiorstwa przedsiębiorstwie przedsiębiorstw",
    "źródło": "źródło źródła źródle źródłem źródeł źródłach",
    "konsorcjum": "konsorcjum konsorcja konsorcjów konsorcjach konsorcjami",
    "laboratorium": "laboratorium laboratoria laboratoriów laboratoriach",
}


def found(keyword: str, text: str) -> bool:
    return bool(KeywordIndex([("m", keyword)]).find(text))


@pytest.mark.parametrize("noun", sorted(DECLENSIONS))
def test_a_noun_keyword_finds_every_case_and_number(noun: str) -> None:
    forms = DECLENSIONS[noun].split()
    missed = [f for f in forms if not found(noun, f"Wsparcie: {f} w regionie.")]
    assert not missed


PLURALS = "macierze granice lasery układy czujniki moduły źródła usługi metody technologie"
PLURALS += " baterie płytki soczewki urządzenia narzędzia laboratoria konsorcja przestrzenie"


@pytest.mark.parametrize("plural", PLURALS.split())
def test_a_plural_keyword_finds_the_singular(plural: str) -> None:
    noun = next(n for n, forms in DECLENSIONS.items() if plural in forms.split())
    forms = DECLENSIONS[noun].split()
    missed = [f for f in forms if not found(plural, f"Wsparcie: {f} w regionie.")]
    assert not missed


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("fotonika zintegrowana", "projekty w fotonice zintegrowanej"),
        ("układy scalone", "błąd w układzie scalonym"),
        ("przemysł półprzewodnikowy", "w przemyśle półprzewodnikowym"),
        ("cięcie laserowe", "usługi cięcia laserowego"),
        ("macierze mikrosoczewek", "macierz mikrosoczewek"),
        ("granice wykrywalności", "na granicy wykrywalności"),
    ],
)
def test_phrases_are_found_in_other_cases(keyword: str, text: str) -> None:
    assert found(keyword, text)


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        # Words that differ only in their marks are other words
        ("stal", "Koszty stałe i zmienne"),
        ("stal nierdzewna", "stała nierdzewna"),
        ("sąd", "sad owocowy, sady i uprawy w województwie"),
        ("sad", "właściwy sąd gospodarczy"),
        ("moduł", "model biznesowy, modele"),
        ("produkt", "produkcja seryjna"),
        ("note", "this is not the case"),
        ("data", "the start date"),
        # "-eed" is no past tense ending
        ("proces", "applicants may proceed"),
        ("proces", "proceeds from the sale"),
    ],
)
def test_other_words_are_not_found(keyword: str, text: str) -> None:
    assert not found(keyword, text)


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        # A keyword typed without marks finds the text's words with them
        ("polprzewodniki", "materiały półprzewodnikowe"),
        ("uklady scalone", "projektowanie układów scalonych"),
        ("zrodla swiatla", "nowe źródła światła"),
        # a text written without marks is found by keywords typed with them
        ("układy scalone", "projektowanie ukladu scalonego dla firm z Lodzi"),
        ("stal", "produkcja stali w Polsce"),
        ("Łódź", "companies based in Lodz"),
    ],
)
def test_marks_are_lenient_where_one_side_has_none(keyword: str, text: str) -> None:
    assert found(keyword, text)
