from __future__ import annotations

from tagging.language import LanguageDetector, quick_language


def test_function_words_settle_english_and_polish() -> None:
    assert quick_language("Proposals should develop lasers for the manufacturing of "
                          "components and their integration in systems.") == "en"
    assert quick_language("Konkurs wspiera projekty, które dotyczą czujników oraz ich "
                          "integracji w systemach dla przemysłu.") == "pl"


def test_undecided_text_goes_to_the_identifier() -> None:
    assert quick_language("Quantum sensing pilot line") is None
    german = ("Das Programm fördert Forschungsprojekte kleiner und mittlerer Unternehmen in "
              "allen Branchen, und die Förderquote beträgt bis zu fünfzig Prozent der Kosten "
              "für Personal, Material und Geräte, die für das Vorhaben benötigt werden.")
    assert quick_language(german) is None
    assert LanguageDetector().detect(german).language is None
