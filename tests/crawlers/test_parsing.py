"""Polish dates, amounts and HTML as the sources write them."""

from __future__ import annotations

import pytest

from callradar.calls import CallRecord
from crawlers.amounts import parse_amount
from crawlers.dates import (
    deadline_in,
    every_deadline,
    normalise_date,
    period_in,
    period_start,
    rolling,
)
from crawlers.html import html_to_text
from crawlers.middlewares import mirror_url
from crawlers.mirror_server import file_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("do 16 czerwca 2026 r.", "2026-06-16"),
        ("do 16 czerwca 2026 r. do godz. 16:00", "2026-06-16T16:00:00+02:00"),
        ("15 grudnia 2026 r., godz. 16.00", "2026-12-15T16:00:00+01:00"),
        ("15.03.2026", "2026-03-15"),
        ("15.03.2026 r., godz. 14:00", "2026-03-15T14:00:00+01:00"),
        ("I kw. 2027", "2027-Q1"),
        ("IV kwartał 2026 r.", "2026-Q4"),
        ("II kw 2027", "2027-Q2"),
        ("Q3 2027", "2027-Q3"),
        ("listopad 2026 r.", "2026-11"),
        ("w listopadzie 2026", "2026-11"),
        ("do końca czerwca 2027", "2027-06"),
        ("11.2026", "2026-11"),
        ("16 June 2026, at 2 p.m.", "2026-06-16T14:00:00+02:00"),
        ("2026-06-30T16:00:00", "2026-06-30T16:00:00+02:00"),
        ("2027-04-08T00:00:00.000+0000", "2027-04-08T00:00:00+00:00"),
        ("2027-02-04", "2027-02-04"),
        # Forms of the Polish sources' real pages (RadarGrantow's parser, NCN's text).
        ("2026.12.01", "2026-12-01"),
        ("05.2024", "2024-05"),
        ("styczeń/luty 2027 r.", "2027-01"),
        ("III/IV kwartał 2026", "2026-Q3"),
        ("I półrocze 2027", "2027-Q1"),
        ("Tue Jun 30 11:00:00 CEST 2026", "2026-06-30T11:00:00+02:00"),
        ("do godz. 16:00 dnia 16 czerwca 2026", "2026-06-16T16:00:00+02:00"),
        ("15 grudnia 2026 roku, godz. 16:00", "2026-12-15T16:00:00+01:00"),
        ("16 czerwca 2026 r. o 16:00", "2026-06-16T16:00:00+02:00"),
        ("15.06.2027 (poniedziałek), godz. 16:00", "2027-06-15T16:00:00+02:00"),
        ("15 czerwca 2027 r. (wtorek) do godz. 12:00", "2027-06-15T12:00:00+02:00"),
        ("16.06.2026 o godzinie 12.00", "2026-06-16T12:00:00+02:00"),
        (
            "Nabór wniosków potrwa do 16 września 2025 r. do godziny 14:00.",
            "2025-09-16T14:00:00+02:00",
        ),
        # Its own output passes through.
        ("2027-Q1", "2027-Q1"),
        ("2026-11", "2026-11"),
        ("w trakcie ustalania", None),
        # A day without a year, an impossible day, no date: nothing is invented.
        ("31 lip", None),
        ("30.02.2026", None),
        # Months in Roman numerals.
        ("16 VI 2026", "2026-06-16"),
        ("do 30.IX.2026 r. godz. 16:00", "2026-09-30T16:00:00+02:00"),
        # A zone after the hour: UTC/GMT with or without an offset; CET is Warsaw's.
        ("Tue, 16 Jun 2026 14:00:00 GMT", "2026-06-16T14:00:00+00:00"),
        ("16.06.2026 godz. 16:00 (UTC+1)", "2026-06-16T16:00:00+01:00"),
        ("16.06.2026 godz. 16:00 CET", "2026-06-16T16:00:00+02:00"),
        # English ordinals.
        ("16th June 2026", "2026-06-16"),
        ("the 1st of July 2026", "2026-07-01"),
        ("June 2nd, 2026", "2026-06-02"),
        # Real sentences of stored pages: NCN's OPUS 22 announcement, a university's
        # summary of OPUS 23, NCN's node list ("wt., 16/09/2025 - 09:30").
        (
            "Nabór wniosków w systemie ZSUN/OSF trwa do 15 grudnia 2021 r. do godziny 16:00.",
            "2021-12-15T16:00:00+01:00",
        ),
        ("Nabór wniosków w NCN: do 15 czerwca 2022 do godz. 16.00", "2022-06-15T16:00:00+02:00"),
        ("wt., 16/09/2025 - 09:30", "2025-09-16"),
        # NCN, 2012: the hour with seconds, before the day.
        ("do godziny 23:59:59 w dniu 15 grudnia 2012 r.", "2012-12-15T23:59:00+01:00"),
        # NCN's English news: an English weekday, then the American order.
        ("Thu, 04/21/2022 - 14:36", "2022-04-21"),
        ("Wed, 03/04/2026 - 10:00", "2026-03-04"),
        ("nabór ciągły", None),
        ("", None),
        (None, None),
    ],
)
def test_polish_dates(text: str | None, expected: str | None) -> None:
    assert normalise_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("od 16.03.2026 do 16.06.2026 r. do godz. 16:00", "2026-06-16T16:00:00+02:00"),
        ("trwa od 16 marca do 16 czerwca 2026 r.", "2026-06-16"),
        ("open from 16 March to 16 June 2026", "2026-06-16"),
        ("16 czerwca 2026", "2026-06-16"),
    ],
)
def test_deadline_of_a_period(text: str, expected: str) -> None:
    assert deadline_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("III/IV kwartał 2026", "2026-Q4"),
        ("styczeń/luty 2027 r.", "2027-02"),
        ("30.01.2026 – 31.08.2027", "2027-08-31"),
        ("Termin składania wniosków upływa 16 grudnia 2019 r.", "2019-12-16"),
        # A window written without spaces round its dash: the dash after the opening's
        # year is the window's, not a hyphen of an ISO date.
        ("02.04.2024-08.05.2024", "2024-05-08"),
        ("02.04.2024–08.05.2024 r.", "2024-05-08"),
        ("2026-12-01–2027-01-31", "2027-01-31"),
        # A window ending in a month named in words.
        ("listopad 2026 – styczeń 2027", "2027-01"),
        ("od listopada 2026 do stycznia 2027 r.", "2027-01"),
        # Only the window's opening is stated: no deadline.
        ("nabór trwa od 1.12.2026 r.", None),
        ("Nabór wniosków rozpocznie się 15 marca 2027 r.", None),
        ("Nabór zostanie uruchomiony 15 września 2026 r.", None),
        ("Nabór wniosków do NCN rozpocznie się 1 lutego 2027 r.", None),
        ("Termin naboru: od 01.02.2027", None),
        ("Nabór trwa od 1.02.2027 do końca marca 2027 r.", "2027-03"),
        ("Applications opening on 1 February 2027 are due by 30 April 2027", "2027-04-30"),
        # The closing's label without a colon, or a verb.
        ("Rozpoczęcie naboru 02.03.2027 r., zakończenie naboru 30.04.2027 r.", "2027-04-30"),
        ("The call opens on 1 March 2027 and closes on 30 April 2027", "2027-04-30"),
        ("opening 1 March 2027; submission deadline 30 April 2027", "2027-04-30"),
        ("start 1 March 2027 - end 30 April 2027", "2027-04-30"),
        ("Nabór rozpoczyna się 1 marca 2027 r. i kończy 30 kwietnia 2027 r.", "2027-04-30"),
    ],
)
def test_deadline_takes_the_end_of_a_window(text: str, expected: str) -> None:
    assert deadline_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("od 1.02.2026 do 30.04.2026", ("2026-02-01", "2026-04-30")),
        ("od 16 marca do 16 czerwca 2026 r.", ("2026-03-16", "2026-06-16")),
        ("01.08–30.09.2026", ("2026-08-01", "2026-09-30")),
        ("trwa od 16.03.2026", ("2026-03-16", None)),
        ("16.06.2026", (None, "2026-06-16")),
        # An opening of only a day takes the deadline's month and year.
        ("nabór trwa od 1 do 30 września 2026 r.", ("2026-09-01", "2026-09-30")),
        ("1–30.09.2026", ("2026-09-01", "2026-09-30")),
        ("from 1st to 30th September 2026", ("2026-09-01", "2026-09-30")),
        (
            "is open from 16 March to 16 June 2026, at 2 p.m.",
            ("2026-03-16", "2026-06-16T14:00:00+02:00"),
        ),
        # Not when the deadline is known only to a month or a quarter.
        ("od 1 do IV kw. 2026", (None, "2026-Q4")),
        ("od 2 marca do 30 kwietnia 2026", ("2026-03-02", "2026-04-30")),
        # NCBR's own news of 2019-2021 as stored (ncbr.gov.pl, dna.wat.edu.pl, sasadvisors.pl).
        (
            "Ogłoszenie konkursu planowane jest na 6 kwietnia 2020 roku, nabór wniosków o "
            "dofinansowanie będzie trwał od 6 maja do 31 grudnia 2020 roku.",
            ("2020-05-06", "2020-12-31"),
        ),
        (
            "Nabór wniosków będzie trwał w terminie od 11 stycznia do 11 marca 2021 roku do "
            "godz. 16:00.",
            ("2021-01-11", "2021-03-11T16:00:00+01:00"),
        ),
        (
            "Wnioski o dofinansowanie w tych konkursach będzie można składać od 14 listopada "
            "2019 r. do 14 stycznia 2020 r.",
            ("2019-11-14", "2020-01-14"),
        ),
        # "br." (this year) names no year: nothing is invented.
        ("Nabór w konkursie zostanie przeprowadzony od 9 kwietnia do 14 maja br.", (None, None)),
        ("nabór w dniach 1-31 lipca br.", (None, None)),
        # PARP's Ścieżka SMART as the press quoted it (rp.pl, 29.05.2024).
        (
            "Wnioski będzie można składać od 27 czerwca do 24 października 2024 r.",
            ("2024-06-27", "2024-10-24"),
        ),
        ("02.04.2024-08.05.2024", ("2024-04-02", "2024-05-08")),
        ("od 2026-12-01 do 2027-01-31", ("2026-12-01", "2027-01-31")),
        # A window across the new year, its opening written without the year.
        ("od 1 grudnia do 31 stycznia 2027 r.", ("2026-12-01", "2027-01-31")),
        ("1.12–31.01.2027", ("2026-12-01", "2027-01-31")),
        # Months named in words.
        ("listopad 2026 – styczeń 2027", ("2026-11", "2027-01")),
        ("nabór od lipca do września 2026 r.", ("2026-07", "2026-09")),
        ("Nabór wniosków rozpocznie się 15 marca 2027 r.", ("2027-03-15", None)),
        # A window given as its two labelled ends (a table cell of two lines).
        (
            "Rozpoczęcie: 02.03.2027 Zakończenie: 30.04.2027, godz. 16:00",
            ("2027-03-02", "2027-04-30T16:00:00+02:00"),
        ),
        (
            "Start naboru: 2 marca 2027 r., koniec naboru: 30 kwietnia 2027 r.",
            ("2027-03-02", "2027-04-30"),
        ),
        ("Opening: 16 March 2027 Deadline: 16 June 2027", ("2027-03-16", "2027-06-16")),
    ],
)
def test_period_of_a_window(text: str, expected: tuple[str | None, str | None]) -> None:
    assert period_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nabór ciągły", True),
        ("Nabór prowadzony jest w trybie ciągłym", True),
        ("Ciągły nabór wniosków do wyczerpania alokacji", True),
        ("do wyczerpania środków", True),
        ("30.09.2026", False),
        ("Nabór zamknięty", False),
        (None, False),
    ],
)
def test_rolling_calls_have_no_deadline(text: str | None, expected: bool) -> None:
    assert rolling(text) is expected
    if expected:
        assert deadline_in(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I runda: 02.03.2027 – 30.04.2027; II runda: 01.09.2027 – 30.10.2027",
            ["2027-04-30", "2027-10-30"],
        ),
        (
            "od 1 lutego do 31 marca 2027 r. oraz od 1 września do 31 października 2027 r.",
            ["2027-03-31", "2027-10-31"],
        ),
        ("od 16.03.2026 do 16.06.2026 r. do godz. 16:00", ["2026-06-16T16:00:00+02:00"]),
        ("16.06.2026", ["2026-06-16"]),
        ("nabór trwa od 1.12.2026 r.", []),
        (None, []),
    ],
)
def test_every_round_of_a_window_closes(text: str | None, expected: list[str]) -> None:
    assert every_deadline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "cut-off dates: 15 March 2027, 17 September 2027 and 18 February 2028.",
            ["2027-03-15", "2027-09-17", "2028-02-18"],
        ),
        (
            "Terminy składania wniosków: 15.03.2027 r., 17.09.2027 r. oraz 18.02.2028 r.",
            ["2027-03-15", "2027-09-17", "2028-02-18"],
        ),
        (
            "Wnioski można składać do 15.03.2027, 17.09.2027 i 18.02.2028",
            ["2027-03-15", "2027-09-17", "2028-02-18"],
        ),
        (
            "Cut-offs: 15 March 2027 at 17:00 CET, 17 September 2027 at 17:00 CET and "
            "18 February 2028 17:00 (Brussels time)",
            [
                "2027-03-15T17:00:00+01:00",
                "2027-09-17T17:00:00+02:00",
                "2028-02-18T17:00:00+01:00",
            ],
        ),
        ("Deadlines: 2027-03-15, 2027-09-17", ["2027-03-15", "2027-09-17"]),
        # Rounds given as windows: the second round's opening is no cut-off.
        ("02.03.2027 – 30.04.2027, 01.09.2027 – 30.10.2027", ["2027-04-30", "2027-10-30"]),
        # Days joined by words other than a list's are not a list of cut-offs.
        ("Ogłoszenie 01.12.2026 r., nabór trwa do 15.01.2027 r.", ["2027-01-15"]),
        # A list of other days beside the closing is not the call's cut-offs.
        ("Dni informacyjne: 10.01.2027, 15.01.2027; nabór do 30.04.2027", ["2027-04-30"]),
    ],
)
def test_several_cut_offs_in_one_sentence_are_all_kept(text: str, expected: list[str]) -> None:
    """Only the first of the cut-offs was kept: the call looked closed after it."""
    assert every_deadline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("do 15.03.2027, 17.09.2027", "2027-03-15"),
        ("30.04.2027, 01.09.2027 – 30.10.2027", "2027-04-30"),
        ("30.04.2027, 16.00", "2027-04-30T16:00:00+02:00"),
    ],
)
def test_a_day_and_month_after_a_date_is_no_hour(text: str, expected: str) -> None:
    """ "15.03.2027, 17.09.2027" was 15 March at 17:09: the next date read as the hour."""
    assert normalise_date(text) == expected


def test_period_start() -> None:
    assert str(period_start("2027-Q2")) == "2027-04-01"
    assert str(period_start("2026-11")) == "2026-11-01"
    assert str(period_start("2026-06-16T16:00:00+02:00")) == "2026-06-16"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("350 000 000 zł", (350_000_000, "PLN")),
        ("2,1 mld zł", (2_100_000_000, "PLN")),
        ("Budżet konkursu wynosi 550 mln zł.", (550_000_000, "PLN")),
        ("The call budget is 550,000,000 PLN.", (550_000_000, "PLN")),
        ("1.500.000,00 zł", (1_500_000, "PLN")),
        ("EUR 24 000 000", (24_000_000, "EUR")),
        ("2,5 mln euro", (2_500_000, "EUR")),
        ("nie ma określonej alokacji", None),
        ("2 projekty w 2026", None),
        ("1,5 mln zł", (1_500_000, "PLN")),
        ("120 000 000,00 zł", (120_000_000, "PLN")),
        ("536 912,50 zł", (536_912.5, "PLN")),
        ("66,000 PLN", (66_000, "PLN")),
        ("784 tys. euro", (784_000, "EUR")),
        ("296 982 000 PLN (70% dofinansowania)", (296_982_000, "PLN")),
        ("Budżet na 2026 r.: 350 000 000 zł", (350_000_000, "PLN")),
        ("100% kosztów kwalifikowanych", None),
        ("w trakcie ustalania", None),
        # As the sources and the press write them (PARP's Ścieżka SMART, rp.pl 29.05.2024:
        # "budżet to 2,1 mld zł … budżet to 0,222 mld zł"; NCN: "50 tysięcy złotych").
        ("nabór dla projektów na rzecz dostępności (budżet: 0,222 mld zł)", (222_000_000, "PLN")),
        ("2,125 mld zł", (2_125_000_000, "PLN")),
        ("nagrodę w wysokości 50 tysięcy złotych", (50_000, "PLN")),
        ("1,5 mld zł", (1_500_000_000, "PLN")),
        ("200 tys. zł", (200_000, "PLN")),
        ("do 5 mln PLN", (5_000_000, "PLN")),
        ("Do zdobycia jest 330 mln zł.", (330_000_000, "PLN")),
        ("Budżet obu konkursów to 330 milionów złotych.", (330_000_000, "PLN")),
        # Whole złoty written with ",-" (or ",—") in place of the grosze, as in Polish
        # accounting and many calls' rules.
        ("Budżet: 100 000 000,- zł", (100_000_000, "PLN")),
        ("5.000.000,-PLN", (5_000_000, "PLN")),
        ("kwota 2 500 000,— zł na projekt", (2_500_000, "PLN")),
    ],
)
def test_amounts(text: str, expected: tuple[float, str] | None) -> None:
    assert parse_amount(text) == expected


def test_html_keeps_sections_as_lines() -> None:
    markup = (
        '<p class="topicdescriptionkind">Expected Outcome:</p><ul><li>One &amp; two</li>'
        '<li>Three</li></ul><p class="topicdescriptionkind">Scope:</p><p>Text<sup>[1]</sup>'
        "<script>alert(1)</script> cut sho"
    )
    assert (
        html_to_text(markup) == "Expected Outcome:\n- One & two\n- Three\nScope:\nText[1] cut sho"
    )
    assert html_to_text("plain\x0btext") == "plaintext"
    assert html_to_text("") == ""


def test_html_keeps_a_table_row_on_one_line() -> None:
    """A table (a topic's budget per action, a call's dates) read one cell a line lost
    which figure went with which label."""
    markup = (
        "<p>Budget:</p><table><thead><tr><th>Action</th><th>Budget (EUR)</th></tr></thead>"
        "<tr><td>RIA</td><td>10 000 000</td></tr><tr><td><p>IA</p></td><td><p>5 000 000</p>"
        "<p>(indicative)</p></td></tr><tr><td></td><td> </td></tr></table><p>End</p>"
    )
    assert html_to_text(markup) == (
        "Budget:\nAction | Budget (EUR)\nRIA | 10 000 000\nIA | 5 000 000 (indicative)\nEnd"
    )


def test_html_leaves_out_navigation_and_page_furniture() -> None:
    """A call card read from its <main> or <body> (PARP's cards when their theme changes):
    menus, breadcrumbs, share buttons and the site's footer are no part of the call's text."""
    markup = (
        '<header><nav class="menu"><ul><li><a href="/">Start</a></li><li>O PARP</li></ul>'
        '</nav></header><main><nav class="breadcrumb"><a href="/">Strona główna</a> / Nabory'
        '</nav><ol class="breadcrumbs"><li>Nabory</li></ol><h1>Kredyt ekologiczny</h1>'
        "<p>Celem jest modernizacja przedsiębiorstw.</p>"
        '<div class="social-share">Udostępnij: <a href="#">Facebook</a></div>'
        '<ul role="navigation"><li><a href="/poprzedni">Poprzedni</a></li></ul>'
        "<p>Budżet: 100 mln zł</p></main>"
        "<footer><p>Polska Agencja Rozwoju Przedsiębiorczości, ul. Pańska 81/83</p></footer>"
    )
    assert html_to_text(markup) == (
        "Kredyt ekologiczny\nCelem jest modernizacja przedsiębiorstw.\nBudżet: 100 mln zł"
    )


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("power < 5 W and more", "power < 5 W and more"),
        ("<100 nm features are needed", "<100 nm features are needed"),
        ("<p>a <100 nm b</p>", "a <100 nm b"),
        # A "<" before a letter that no ">" closes is text, not the start of a tag.
        ("Frequency <GHz range and more", "Frequency <GHz range and more"),
        ("<p>power <P_max is required.</p><p>Scope:</p>", "power <P_max is required.\nScope:"),
        ("<p>a <b c</p>", "a <b c"),
        ("x </ y", "x </ y"),
        ("x <!y and z", "x <!y and z"),
        ("x <?y and z", "x <?y and z"),
        # Real markup around such text is still read as markup.
        ("<p title=\"a<b\">x <b class='k'>bold</b> <!-- c --> y</p>", "x bold y"),
        ("<p>1 < 2 &lt; 3</p>", "1 < 2 < 3"),
    ],
)
def test_html_keeps_text_after_a_stray_less_than(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_mirror_mapping() -> None:
    url = "https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=50&pageNumber=2"
    mirrored = mirror_url(url, "http://127.0.0.1:9/")
    assert (
        mirrored
        == "http://127.0.0.1:9/api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=50&pageNumber=2"
    )
    assert file_key(mirrored[len("http://127.0.0.1:9") :]) == (
        "api.tech.ec.europa.eu/search-api/prod/rest/search"
        "@apiKey=SEDIA&pageNumber=2&pageSize=50&text=***"
    )
    assert file_key("/www.funduszeeuropejskie.gov.pl/nabory-wnioskow/?page=2") == (
        "www.funduszeeuropejskie.gov.pl/nabory-wnioskow/index.html@page=2"
    )
    assert file_key("/ncn.gov.pl/robots.txt") == "ncn.gov.pl/robots.txt"


@pytest.mark.parametrize(
    ("text", "window"),
    [
        (
            "w terminie od dnia 2 marca 2027 r. do dnia 30 kwietnia 2027 r.",
            ("2027-03-02", "2027-04-30"),
        ),
        (
            "od dnia 1.02.2027 do dnia 30.04.2027 do godz. 16:00",
            ("2027-02-01", "2027-04-30T16:00:00+02:00"),
        ),
        ("od dnia 1 do dnia 30 września 2027 r.", ("2027-09-01", "2027-09-30")),
    ],
)
def test_a_window_written_with_dnia_has_its_deadline(text: str, window: tuple[str, str]) -> None:
    """The formal "od dnia … do dnia …" of calls' notices gave no deadline at all: the
    sentence was read as stating only the opening."""
    assert period_in(text) == window
    assert deadline_in(text) == window[1]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Mikro&shy;elektronika i foto\u00adnika</p>", "Mikroelektronika i fotonika"),
        ("<p>Układy\u200bscalone\u2060 i\ufeff MEMS</p>", "Układyscalone i MEMS"),
        ("Foto\u200bnika zintegrowana", "Fotonika zintegrowana"),
    ],
)
def test_characters_that_show_nothing_do_not_split_words(markup: str, text: str) -> None:
    """A soft hyphen left "Mikro\u00adelektronika" unfound by any search or keyword; a
    zero-width space became a space and cut "Foto nika" in two."""
    assert html_to_text(markup) == text


def test_a_title_entered_by_hand_loses_characters_that_show_nothing() -> None:
    record = CallRecord(id="X", title="Foto\u200bnika zinte\u00adgrowana", description="a\ufeffb")
    assert (record.title, record.description) == ("Fotonika zintegrowana", "ab")


def test_a_list_items_paragraph_keeps_its_dash() -> None:
    """Editors write list items as paragraphs ("<li><p>…</p></li>"): the dash stood alone
    on a line, its text on the next, read as a paragraph of its own."""
    markup = (
        "<p>Scope:</p><ul><li><p>GaN power devices</p></li><li>\n<p>SiC modules</p>\n</li></ul>"
    )
    assert html_to_text(markup) == "Scope:\n- GaN power devices\n- SiC modules"
