"""The Polish spiders on the layouts of the sources' real pages (tests/fixtures/real/).

Each fixture says at its top where it comes from: ``ncn-front-page-2018.html`` is a verbatim
fragment of a real NCN page; the others are reconstructed to the markup public parsers of
the real pages read (RadarGrantow, dgate), with the values their tests state.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from freezegun import freeze_time
from scrapy.http import HtmlResponse, Request, TextResponse

from callradar.calls import CallRecord
from crawlers.items import RawCall
from crawlers.pipelines import normalise
from crawlers.spiders.base import CallSpider, LayoutChanged
from crawlers.spiders.fe_portal import FePortalSpider
from crawlers.spiders.ncbr import API_URL, NcbrSpider
from crawlers.spiders.ncn import LISTING_URL, NcnSpider
from crawlers.spiders.parp import SCHEDULE_URL, ParpSpider

REAL = Path(__file__).parent.parent / "fixtures" / "real"


def page(name: str, url: str, **meta: Any) -> HtmlResponse:
    request = Request(url, cb_kwargs=meta)
    return HtmlResponse(url, body=(REAL / name).read_bytes(), encoding="utf-8", request=request)


def records(spider: CallSpider, items: list[Any], today: str) -> dict[str, CallRecord]:
    calls = [i for i in items if isinstance(i, RawCall)]
    return {
        c.id: normalise(c, spider.name, spider.language, date.fromisoformat(today)) for c in calls
    }


# NCN ---------------------------------------------------------------------------------------


def test_ncn_reads_the_open_calls_block_of_the_real_page_by_its_heading() -> None:
    """NCN's real page has no id="otwarte-konkursy": an <h2>Aktualnie otwarte konkursy</h2>."""
    spider = NcnSpider()
    requests = list(spider.parse(page("ncn-front-page-2018.html", LISTING_URL)))
    urls = [r.url for r in requests]
    assert urls == [
        "https://ncn.gov.pl/ogloszenia/konkursy/opus15",
        "https://ncn.gov.pl/ogloszenia/konkursy/preludium15",
        "https://ncn.gov.pl/aktualnosci/2018_02_01_jpi_eu_china_ogloszenie?language=en",
    ]
    # Not the forthcoming calls' block, nor the shortcuts.
    assert all("/konkursy/typy" not in u and "projekty.ncn" not in u for u in urls)
    assert requests[2].cb_kwargs == {"listed_as": "URBAN EUROPE"}
    assert spider.problems == []


def test_ncn_call_page_in_the_real_drupal7_theme() -> None:
    spider = NcnSpider()
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus15"
    with freeze_time("2018-03-20"):
        items = list(
            spider.parse_call(page("ncn-call-page-drupal7.html", url, listed_as="OPUS 15"))
        )
        record = records(spider, items, "2018-03-20")["opus15"]
    assert record.title == "OPUS 15"
    # "Termin składania wniosków upływa 15 czerwca 2018 r. Ogłoszenie wyników … w grudniu 2018 r."
    assert record.deadlines == ["2018-06-15"]
    assert record.opening_date == date(2018, 3, 15)
    assert record.budget == 300_000_000 and record.currency == "PLN"
    assert record.status == "open"
    assert "Budżet konkursu wynosi 300 mln zł." in record.description
    # The sidebar is not the call's text.
    assert "Aktualnie otwarte" not in record.description


def test_ncn_call_page_of_the_current_site() -> None:
    spider = NcnSpider()
    url = "https://ncn.gov.pl/ogloszenia/konkursy/sonata-bis15"
    with freeze_time("2025-07-01"):
        items = list(spider.parse_call(page("ncn-call-page-2025.html", url)))
        record = records(spider, items, "2025-07-01")["sonata-bis15"]
    assert record.title == "SONATA BIS 15"
    assert record.deadlines == ["2025-09-16T14:00:00+02:00"]
    assert record.budget == 170_000_000
    assert record.status == "open"
    with freeze_time("2025-09-17"):
        closed = records(spider, items, "2025-09-17")["sonata-bis15"]
    assert closed.status == "closed"


def _ncn_call_page(body: str) -> HtmlResponse:
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus33"
    markup = (
        '<html><body><main role="main"><article><h1 class="page-title">OPUS 33</h1>'
        f'<div class="field field--name-body">{body}</div></article></main></body></html>'
    )
    return HtmlResponse(url, body=markup.encode(), encoding="utf-8", request=Request(url))


def test_ncn_a_short_deadline_line_is_not_the_announcements_date() -> None:
    """ "Nabór trwa do 15.06.2027 r." among the first short lines was taken for the day the
    call was announced: an open call became forthcoming until its own deadline."""
    spider = NcnSpider()
    response = _ncn_call_page(
        "<p>Łączny budżet konkursów wynosi 1,2 mld zł.</p><p>Nabór trwa do 15.06.2027 r.</p>"
    )
    record = records(spider, list(spider.parse_call(response)), "2027-04-01")["opus33"]
    assert record.deadlines == ["2027-06-15"]
    assert record.opening_date is None and record.status == "open"


def test_ncn_a_date_of_the_sidebar_is_not_the_calls_announcement() -> None:
    """The block of open calls is on every NCN page, each call with its closing date: a
    <time> of it, before the article in the page, was taken for this call's announcement,
    and the open call became forthcoming until another call's deadline."""
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus33"
    markup = """<html><body><aside id="otwarte-konkursy"><h2>Otwarte konkursy</h2><ul>
      <li><a href="/ogloszenia/konkursy/preludium26">PRELUDIUM 26</a>
      <time datetime="2027-07-31T12:00:00Z">31 lip</time></li></ul></aside>
      <main><article><h1 class="page-title">OPUS 33</h1>
      <div class="field field--name-body"><p>Nabór wniosków trwa do 15 czerwca 2027 r.</p>
      </div></article></main></body></html>"""
    response = HtmlResponse(url, body=markup.encode(), encoding="utf-8", request=Request(url))
    spider = NcnSpider()
    record = records(spider, list(spider.parse_call(response)), "2027-04-01")["opus33"]
    assert record.opening_date is None and record.status == "open"


@pytest.mark.parametrize(
    "body",
    [
        "<table><tr><td>Termin składania wniosków</td><td>15 czerwca 2027 r.</td></tr>"
        "<tr><td>Budżet konkursu</td><td>600 000 000 zł</td></tr>"
        "<tr><td>Maksymalny budżet projektu</td><td>2 000 000 zł</td></tr></table>",
        "<p>Na finansowanie projektów w konkursie przeznaczono kwotę 600 000 000 zł.</p>"
        "<p>Termin składania wniosków upływa 15 czerwca 2027 r.</p>",
    ],
    ids=["table", "przeznaczono"],
)
def test_ncn_budget_in_a_table_or_as_the_sum_set_aside(body: str) -> None:
    spider = NcnSpider()
    record = records(spider, list(spider.parse_call(_ncn_call_page(body))), "2027-04-01")
    assert (record["opus33"].budget, record["opus33"].currency) == (600_000_000, "PLN")


def test_ncn_english_call_page_in_its_own_wording() -> None:
    """English dates and amounts as NCN's English announcement writes them."""
    spider = NcnSpider()
    url = "https://www.ncn.gov.pl/en/ogloszenia/konkursy/opus31"
    with freeze_time("2026-04-01"):
        items = list(spider.parse_call(page("ncn-call-page-en-opus31.html", url)))
        record = records(spider, items, "2026-04-01")["opus31"]
    assert record.title == "OPUS 31"
    # In English, as its page says (<html lang="en">): it was stored as Polish, the
    # source's language, and tagged by the Polish pipeline.
    assert record.language == "en"
    # "open from 16 March to 16 June 2026, at 2 p.m." (Warsaw summer time)
    assert record.deadlines == ["2026-06-16T14:00:00+02:00"]
    assert record.opening_date == date(2026, 3, 16)
    assert (record.budget, record.currency) == (550_000_000, "PLN")
    assert record.status == "open"


def test_ncn_call_page_in_the_stored_pages_wording() -> None:
    """OPUS 22 as NCN's stored page reads: a field's label "Kod CSS i JS" before the date
    line, the deadline repeated for OPUS LAP, partner agencies after dashes, results "at
    the latest in June 2022" — which is not a deadline."""
    spider = NcnSpider()
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus22"
    with freeze_time("2021-10-01"):
        items = list(spider.parse_call(page("ncn-call-page-opus22.html", url)))
        record = records(spider, items, "2021-10-01")["opus22"]
    assert record.title == "OPUS 22"
    assert record.deadlines == ["2021-12-15T16:00:00+01:00"]
    assert record.opening_date == date(2021, 9, 15)
    assert (record.budget, record.currency) == (500_000_000, "PLN")
    assert record.status == "open"
    # The heading and the field's label are not the call's text.
    assert record.description.startswith("15 września 2021 r.")
    assert "Kod CSS i JS" not in record.description
    assert spider.notes == []


def test_ncn_call_page_of_2019_in_its_stored_wording() -> None:
    """PRELUDIUM 17: the budget in the Council's sentence ("ustala wysokość środków
    finansowych przeznaczonych … w kwocie 30 mln zł"), not the per-project maximum before
    it; an update's date and a law's date in the questions are no deadline."""
    spider = NcnSpider()
    url = "https://www.ncn.gov.pl/ogloszenia/konkursy/preludium17"
    with freeze_time("2019-04-10"):
        items = list(spider.parse_call(page("ncn-call-page-preludium17.html", url)))
        record = records(spider, items, "2019-04-10")["preludium17"]
    assert record.title == "PRELUDIUM 17"
    assert (record.budget, record.currency) == (30_000_000, "PLN")
    assert record.deadlines == ["2019-06-17"]
    assert record.opening_date == date(2019, 3, 15)
    assert record.status == "open" and spider.notes == []


def test_ncn_results_sentences_are_no_deadline() -> None:
    """A university's summary of PRELUDIUM 21 and NCN's own announcements date the results
    "w terminie do 6 miesięcy od upływu terminu składania wniosków, nie później niż w grudniu
    2022 r.": that month is not the call's (later) deadline."""
    from crawlers.spiders.ncn import deadlines_in

    text = (
        "Nabór wniosków w NCN: do 15 czerwca 2022 do godz. 16.00\n"
        "Wyniki: w terminie do 6 miesięcy od upływu terminu składania wniosków, nie później "
        "niż w grudniu 2022 r.\n"
        "Ogłoszenie wyników konkursu nastąpi w terminie do 6 miesięcy od upływu terminu "
        "składania wniosków, najpóźniej w grudniu 2022 r."
    )
    assert deadlines_in(text, []) == ["2022-06-15T16:00:00+02:00"]


def test_ncn_english_deadline_in_its_stored_wording() -> None:
    """NCN's English news of 21 April 2022 as stored: "Proposals may still be submitted
    until 26 April 2022 (end of the day)." """
    from crawlers.spiders.ncn import deadlines_in

    text = (
        "Proposals are evaluated on a weekly basis.\n"
        "Proposals may still be submitted until 26 April 2022 (end of the day). "
        "Proposals submitted after that date will not be reviewed."
    )
    assert deadlines_in(text, []) == ["2022-04-26"]


def test_ncn_opening_sentences_are_no_deadline() -> None:
    """An announcement saying when applications open ("Nabór wniosków rozpocznie się 15
    marca 2027 r.") and, in another sentence, until when they are taken ("Wnioski należy
    składać do …"): the opening is no deadline, which closed the call three months early."""
    from crawlers.spiders.ncn import deadlines_in

    text = (
        "Nabór wniosków rozpocznie się 15 marca 2027 r. Wnioski należy składać w systemie OSF "
        "do 15 czerwca 2027 r. do godz. 16:00.\n"
        "Nabór wniosków w konkursie POLONEZ BIS 4 zostanie uruchomiony 15 września 2027 r."
    )
    assert deadlines_in(text, []) == ["2027-06-15T16:00:00+02:00"]
    assert deadlines_in("Wnioski można składać od 1 do 30 czerwca 2027 r.", []) == ["2027-06-30"]
    assert deadlines_in("The call is open from 16 March until 16 June 2027.", []) == ["2027-06-16"]


@pytest.mark.parametrize(
    "heading", ["Aktualne konkursy", "Konkursy otwarte", "Trwające konkursy", "Current calls"]
)
def test_ncn_block_of_open_calls_under_other_headings(heading: str) -> None:
    body = f"""<html><body><div class="region-sidebar"><section>
      <h2 class="block-title">{heading}</h2>
      <ul><li><a href="/ogloszenia/konkursy/opus32">OPUS 32</a></li></ul></section>
      <section><h2>Planowane konkursy</h2>
      <ul><li><a href="/ogloszenia/konkursy/maestro18">MAESTRO 18</a></li></ul></section>
      </div></body></html>"""
    response = HtmlResponse(LISTING_URL, body=body.encode(), encoding="utf-8")
    urls = [r.url for r in NcnSpider().parse(response)]
    assert urls == ["https://ncn.gov.pl/ogloszenia/konkursy/opus32"]


def test_ncn_page_without_the_block_is_a_layout_change() -> None:
    response = HtmlResponse(LISTING_URL, body=b"<html><body><h2>Aktualnosci</h2></body></html>")
    with pytest.raises(LayoutChanged):
        list(NcnSpider().parse(response))


# PARP --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parp() -> tuple[ParpSpider, dict[str, CallRecord], list[Any]]:
    spider = ParpSpider()
    with freeze_time("2026-09-27"):
        out = list(spider.parse(page("parp-harmonogram-radargrantow.html", SCHEDULE_URL)))
        # Cards are not available: the schedule alone is what the spider keeps then.
        items = [o for o in out if isinstance(o, RawCall)]
        for request in [o for o in out if isinstance(o, Request)]:
            tile = request.cb_kwargs["tile"]
            items.append(spider.call_item(tile["card"], tile, None))
        return spider, records(spider, items, "2026-09-27"), out


def test_parp_real_tiles(parp: tuple[ParpSpider, dict[str, CallRecord], list[Any]]) -> None:
    spider, by_id, _ = parp
    assert spider.problems == []
    assert set(by_id) == {
        "dga-s-a-industry-lab-green",
        "lodzka-specjalna-strefa-ekonomiczna-lsse",
        "wspolfinansowanie-dzialan-edih-1",
        "hrp-com-pl-przepis-na-rozwoj-czas-na-niskoemisyjna-gozpodarke",
        "program-horizon-bridge",
    }
    bridge = by_id["program-horizon-bridge"]
    assert bridge.title == "Horizon Bridge"
    assert bridge.deadlines == ["2026-12-15"] and bridge.opening_date == date(2026, 10, 15)
    assert bridge.status == "forthcoming" and bridge.programme == "FENG"
    assert bridge.extra["max_funding"] == "66 000 zł"
    edih = by_id["wspolfinansowanie-dzialan-edih-1"]
    assert "transformacji cyfrowej" in edih.description and edih.status == "open"


def test_parp_call_end_after_the_rounds(
    parp: tuple[ParpSpider, dict[str, CallRecord], list[Any]],
) -> None:
    _, by_id, _ = parp
    green = by_id["dga-s-a-industry-lab-green"]
    # This round closes 30.09.2026; the whole call ("Koniec naboru") on 31.08.2027.
    assert green.deadlines == ["2026-09-30", "2027-08-31"]
    assert green.opening_date == date(2026, 8, 1)
    assert green.extra["max_funding"] == "400 000 zł"
    assert green.extra["call_end"] == "31.08.2027"


def test_parp_operator_sites_and_months(
    parp: tuple[ParpSpider, dict[str, CallRecord], list[Any]],
) -> None:
    _, by_id, out = parp
    gozpodarka = by_id["hrp-com-pl-przepis-na-rozwoj-czas-na-niskoemisyjna-gozpodarke"]
    # Known only to a month: kept as a month, never given a day.
    assert gozpodarka.deadlines == ["2026-12"]
    assert gozpodarka.extra["opening"] == "2024-05"
    assert gozpodarka.status == "open" and gozpodarka.programme == "FERS"
    # "Przejdź na stronę projektu" is a link label, not the call's text.
    assert gozpodarka.description == ""
    assert gozpodarka.extra["operator_site"] is True
    # An operator's site is not fetched as if it were a PARP card.
    fetched = [o.url for o in out if isinstance(o, Request)]
    assert all(u.startswith("https://www.parp.gov.pl/") for u in fetched)


def test_parp_cards_on_its_programme_host_are_read() -> None:
    """PARP also publishes call cards at feng.parp.gov.pl/component/grants/grants/<slug>
    (the address public material gives for Ścieżka SMART): PARP's own, not an operator's."""
    body = """<html><body><div class="container">
      <a href="https://feng.parp.gov.pl/component/grants/grants/sciezka-smart"
         class="schedule-main schedule-feng">
      <p class="text-mm-18 text-dark">Ścieżka SMART</p>
      <p class="m-0 text-cr-18">03.02.2027</p><p class="mb-3 text-cr-13">rozpoczęcie naboru</p>
      <p class="m-0 text-cr-18">30.06.2027</p><p class="mb-3 text-cr-13">zakończenie naboru</p>
      </a></div></body></html>"""
    response = HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8")
    spider = ParpSpider()
    with freeze_time("2027-01-10"):
        (request,) = list(spider.parse(response))
    assert isinstance(request, Request)
    assert request.url == "https://feng.parp.gov.pl/component/grants/grants/sciezka-smart"
    assert request.cb_kwargs["tile"]["id"] == "sciezka-smart"


def test_parp_schedule_of_plain_links_is_read_through_the_cards() -> None:
    """A theme with no tiles at all: the schedule only links the call cards, whose labels
    ("Data rozpoczęcia/zakończenia naboru") give the dates."""
    body = """<html><body><main><h1>Harmonogram naborów</h1><ul>
      <li><a href="/component/grants/grants/sciezka-smart">Ścieżka SMART</a> – luty 2027</li>
      <li><a href="https://feng.parp.gov.pl/component/grants/grants/wzornictwo-w-msp#opis">
        Wzornictwo w MŚP</a></li>
      <li><a href="/component/grants/grants">Wszystkie nabory</a></li>
      <li><a href="https://example.org/nabor">Operator</a></li></ul></main></body></html>"""
    spider = ParpSpider()
    response = HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8")
    requests = list(spider.parse(response))
    assert [r.url for r in requests if isinstance(r, Request)] == [
        "https://www.parp.gov.pl/component/grants/grants/sciezka-smart",
        "https://feng.parp.gov.pl/component/grants/grants/wzornictwo-w-msp",
    ]
    assert spider.notes == ["no schedule tiles found; read the 2 call cards it links"]
    card = """<html><head><title>PARP - Centrum Rozwoju MŚP</title></head><body>
      <div id="content"><article><h1>Ścieżka SMART</h1>
      <p>Nabór FENG.01.01-IP.02-001/27</p>
      <p><strong>Data rozpoczęcia naboru:</strong> 3 lutego 2027 r.</p>
      <p><strong>Data zakończenia naboru:</strong> 30 czerwca 2027 r., godz. 16:00</p>
      <p><strong>Budżet:</strong> 1 mld zł</p></article></div></body></html>"""
    request = requests[0]
    assert isinstance(request, Request)
    response = HtmlResponse(request.url, body=card.encode(), encoding="utf-8", request=request)
    with freeze_time("2027-01-10"):
        record = records(
            spider, list(spider.parse_card(response, **request.cb_kwargs)), "2027-01-10"
        )
    smart = record["sciezka-smart"]
    assert smart.deadlines == ["2027-06-30T16:00:00+02:00"]
    assert smart.opening_date == date(2027, 2, 3) and smart.status == "forthcoming"
    assert smart.link_key == "FENG.01.01-IP.02-001/27" and smart.budget == 1_000_000_000


def test_parp_card_stating_its_window_in_prose() -> None:
    """A card that gives its window only in a sentence, in the words PARP announced Ścieżka
    SMART with (as rp.pl quoted them, 29.05.2024); the results' date is not a deadline."""
    body = """<html><body><main><ul>
      <li><a href="/component/grants/grants/sciezka-smart">Ścieżka SMART</a></li>
      </ul></main></body></html>"""
    spider = ParpSpider()
    (request,) = [
        r
        for r in spider.parse(HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8"))
        if isinstance(r, Request)
    ]
    card = """<html><head><title>Ścieżka SMART - PARP - Centrum Rozwoju MŚP</title></head>
      <body><div id="content"><article><h1>Ścieżka SMART</h1>
      <p>Polska Agencja Rozwoju Przedsiębiorczości ogłosiła nabór wniosków do „Ścieżki SMART”.
      Wnioski będzie można składać od 27 czerwca do 24 października 2024 r. W tym terminie
      odbędą się dwa równoległe nabory.</p>
      <p>Wyniki oceny zostaną ogłoszone do 28 lutego 2025 r.</p></article></div></body></html>"""
    response = HtmlResponse(request.url, body=card.encode(), encoding="utf-8", request=request)
    with freeze_time("2024-07-01"):
        (item,) = list(spider.parse_card(response, **request.cb_kwargs))
        record = records(spider, [item], "2024-07-01")["sciezka-smart"]
    assert record.deadlines == ["2024-10-24"]
    assert record.opening_date == date(2024, 6, 27) and record.status == "open"


def test_parp_card_of_several_rounds_keeps_each_rounds_deadline() -> None:
    """A card whose window has two rounds, linked from a schedule that gives no dates: the
    first round's closing was lost."""
    body = """<html><body><main><ul>
      <li><a href="/component/grants/grants/bony-na-innowacje">Bony na innowacje</a></li>
      </ul></main></body></html>"""
    spider = ParpSpider()
    (request,) = [
        r
        for r in spider.parse(HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8"))
        if isinstance(r, Request)
    ]
    card = """<html><body><div id="content"><article><h1>Bony na innowacje</h1>
      <p>Termin naboru: I runda 01.02.2027–31.03.2027, II runda 01.06.2027–31.07.2027</p>
      </article></div></body></html>"""
    response = HtmlResponse(request.url, body=card.encode(), encoding="utf-8", request=request)
    (item,) = list(spider.parse_card(response, **request.cb_kwargs))
    record = records(spider, [item], "2026-11-28")["bony-na-innowacje"]
    assert record.deadlines == ["2027-03-31", "2027-07-31"]
    assert record.opening_date == date(2027, 2, 1)


def test_parp_tile_of_a_rolling_call() -> None:
    """A tile whose closing slot says "nabór ciągły": no deadline, and no note that a date
    was not understood."""
    body = """<html><body><a href="https://www.parp.gov.pl/component/grants/grants/bony"
      class="schedule-main schedule-fepw"><p class="text-mm-18 text-dark">Bony</p>
      <p class="m-0 text-cr-18">01.03.2026</p><p class="mb-3 text-cr-13">rozpoczęcie naboru</p>
      <p class="m-0 text-cr-18">nabór ciągły</p><p class="mb-3 text-cr-13">zakończenie naboru</p>
      </a></body></html>"""
    spider = ParpSpider()
    response = HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8")
    with freeze_time("2026-09-27"):
        (request,) = list(spider.parse(response))
        tile = request.cb_kwargs["tile"]
        record = records(spider, [spider.call_item(tile["card"], tile, None)], "2026-09-27")["bony"]
    assert record.deadlines == [] and record.extra["rolling"] is True
    assert record.opening_date == date(2026, 3, 1) and record.status == "open"
    assert record.programme == "FEPW"


def test_parp_two_calls_sharing_a_card_stay_two() -> None:
    tile = (
        '<a href="/component/grants/grants/x" class="schedule-main schedule-feng">'
        '<p class="text-mm-18">{t}</p><p class="m-0 text-cr-18">{d}</p>'
        '<p class="mb-3 text-cr-13">zakończenie naboru</p></a>'
    )
    body = "<html><body>" + tile.format(t="A", d="01.12.2026") + tile.format(t="B", d="02.12.2026")
    response = HtmlResponse(SCHEDULE_URL, body=(body + "</body></html>").encode(), encoding="utf-8")
    with freeze_time("2026-09-27"):
        requests = list(ParpSpider().parse(response))
    assert [r.cb_kwargs["tile"]["id"] for r in requests] == ["x-a", "x-b"]


def test_parp_real_block_of_calls_of_2018() -> None:
    """PARP's real front page of 2018 (verbatim): each call a link holding only its window
    "27.02.2018 - 26.07.2018" and its name, grouped under programme headers; a call the
    site commented out and a link without dates are not calls."""
    spider = ParpSpider()
    response = page("parp-front-page-2018-nabory.html", "https://www.parp.gov.pl/")
    with freeze_time("2018-03-20"):
        requests = [r for r in spider.parse(response) if isinstance(r, Request)]
        items = [
            spider.call_item(r.cb_kwargs["tile"]["card"], r.cb_kwargs["tile"], None)
            for r in requests
        ]
        by_id = records(spider, items, "2018-03-20")
    assert spider.problems == []
    assert len(by_id) == 10
    assert not any("crosseuwba" in r.url or "proinnowacyjne" in r.url for r in requests)
    klastry = by_id["poddzialanie-2-3-3-umiedzynarodowienie-krajowych-klastrow-kluczowych"]
    assert klastry.title == "Umiędzynarodowienie Krajowych Klastrów Kluczowych"
    assert klastry.opening_date == date(2018, 2, 27) and klastry.deadlines == ["2018-07-26"]
    assert klastry.programme == "POIR" and klastry.status == "open"
    # The programme comes from the header the call is listed under.
    assert by_id["dzialanie-1-4-wzor-na-konkurencje"].programme == "POPW"
    assert by_id["akademia-menedzera-msp"].programme == "POWER"
    assert by_id["akademia-menedzera-msp"].status == "forthcoming"
    # Cards on PARP's programme hosts are PARP's own and are fetched.
    assert all(urlsplit(r.url).hostname.endswith("parp.gov.pl") for r in requests)


def test_parp_catalogue_cards_and_a_card_named_only_in_its_title() -> None:
    """The catalogue /component/grants/grants lists cards as <a><div class="card"><h2
    class="text-black">name</h2><p class="text-black">text</p> (markup a public scraper of
    it reads); a card page without a heading names its call in <title> before "- PARP -
    Centrum Rozwoju MŚP" (as that scraper saw). A rolling call has no deadline."""
    body = """<html><body><div class="row">
      <div class="col-xl-3 col-md-6 col-12 pb-3 wow pulse">
      <a href="/component/grants/grants/program-akceleracyjny-startup-spark"><div class="card">
        <h2 class="text-black">Program Akceleracyjny: Startup Spark</h2>
        <p class="text-black">Wsparcie dla start-upów z Polski Wschodniej.</p></div></a></div>
      </div></body></html>"""
    spider = ParpSpider()
    response = HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8")
    (request,) = [r for r in spider.parse(response) if isinstance(r, Request)]
    tile = request.cb_kwargs["tile"]
    assert tile["title"] == "Program Akceleracyjny: Startup Spark"
    assert tile["summary"] == "Wsparcie dla start-upów z Polski Wschodniej."
    card = """<html><head>
      <title>Program Akceleracyjny: Startup Spark 2.0 - PARP - Centrum Rozwoju MŚP</title>
      </head><body><div id="content"><article>
      <p><strong>Termin naboru:</strong> nabór ciągły</p>
      <p><strong>Status:</strong> Nabór ciągły</p></article></div></body></html>"""
    response = HtmlResponse(request.url, body=card.encode(), encoding="utf-8", request=request)
    with freeze_time("2026-09-27"):
        (item,) = list(spider.parse_card(response, **request.cb_kwargs))
        record = records(spider, [item], "2026-09-27")["program-akceleracyjny-startup-spark"]
    assert record.title == "Program Akceleracyjny: Startup Spark 2.0"
    assert record.deadlines == [] and record.extra["rolling"] is True
    assert record.status == "open" and record.programme == "FEPW"
    assert spider.notes[1:] == []


def test_parp_tiles_without_their_classes_are_found_by_their_labels() -> None:
    body = """<html><body><div class="tiles">
      <a href="/component/grants/grants/nowy-nabor"><h3>Nowy nabór</h3>
        <span>Rozpoczęcie naboru: 01.10.2026</span><span>Zakończenie naboru: 30.11.2026</span>
        <span>Fundusze Europejskie dla Polski Wschodniej</span></a>
      <a href="/o-nas">O nas</a></div></body></html>"""
    response = HtmlResponse(SCHEDULE_URL, body=body.encode(), encoding="utf-8")
    with freeze_time("2026-09-27"):
        spider = ParpSpider()
        requests = list(spider.parse(response))
        tile = requests[0].cb_kwargs["tile"]
        item = spider.call_item(tile["card"], tile, None)
    assert len(requests) == 1
    assert item.title == "Nowy nabór" and item.programme == "FEPW"
    assert item.deadlines == ["2026-11-30"] and item.opening == "01.10.2026"


# NCBR --------------------------------------------------------------------------------------


def test_ncbr_api_in_the_recorded_record_shape() -> None:
    spider = NcbrSpider()
    url = API_URL.format(page=0, size=50)
    body = (REAL / "ncbr-competition-search-dgate.json").read_bytes()
    response = TextResponse(url, body=body, encoding="utf-8")
    with freeze_time("2026-10-06"):
        items = list(spider.parse_api(response, page=0, size=50))
        by_id = records(spider, items, "2026-10-06")
    assert spider.notes == [] and spider.problems == []
    smart = by_id["feng010101-ip01-00326"]
    assert smart.title == "Ścieżka SMART - Projekty realizowane w konsorcjach"
    assert smart.link_key == "FENG.01.01-IP.01-003/26" and smart.programme == "FENG"
    # Warsaw time, summer: 16:00 is 14:00 UTC.
    assert smart.deadlines == ["2026-10-16T16:00:00+02:00"]
    assert smart.budget == 350_000_000 and smart.status == "open"
    # Arrays arrive as JSON text inside strings.
    assert smart.extra["types_of_applicant"] == ["large_enterprise", "consortium", "sme"]
    assert smart.extra["thematic_areas"] == ["innovative_technologies", "defence_and_security"]
    assert smart.extra["dates"][0]["name"] == "Ogłoszenie konkursu"
    perun = by_id["konkurs-nr-1perun2023"]
    assert perun.status == "closed" and perun.budget is None
    assert perun.extra["programme_types"] == ["defence_security"]
    eureka = by_id["eureka-2026"]
    # No applicationsEndDate: the window is read from the record's "dates".
    assert eureka.deadlines == ["2026-11-19T14:00:00+01:00"]
    assert eureka.opening_date == date(2026, 3, 2)
    assert eureka.programme == "international"


@pytest.mark.parametrize(
    ("start", "today", "expected"),
    [
        ("2026-11-02T09:00:00", "2026-10-06", "forthcoming"),
        # The API still says ANNOUNCED when the window it states has opened.
        ("2026-10-01T09:00:00", "2026-10-06", "open"),
        (None, "2026-10-06", "forthcoming"),
    ],
)
def test_ncbr_announced_competition_is_judged_by_its_window(
    start: str | None, today: str, expected: str
) -> None:
    from crawlers.spiders.ncbr import competition_item

    record = {
        "name": "FENG.01.01-IP.01-009/26 - Ścieżka SMART",
        "path": "/web/ncbr/feng010101-ip01-00926",
        "status": "ANNOUNCED",
        "applicationsStartDate": start,
        "applicationsEndDate": "2026-12-16T16:00:00",
    }
    spider = NcbrSpider()
    with freeze_time(today):
        call = records(spider, [competition_item(record)], today)["feng010101-ip01-00926"]
    assert call.status == expected


def test_ncbr_api_dates_under_other_keys_and_in_epoch_milliseconds() -> None:
    """A record whose dates moved: epoch milliseconds, a window as one ``dates`` entry with
    start and end, other key names, and status codes the spider has no entry for."""
    content = [
        {
            "name": "FENG.01.01-IP.01-001/27 - Ścieżka SMART",
            "path": "/web/ncbr/feng010101-ip01-00127",
            "status": "APPLICATIONS_SUSPENDED",
            "applicationsEndDate": 1800000000000,
            "dates": json.dumps(
                [
                    {
                        "label": "Nabór wniosków",
                        "startDate": "2027-01-04T09:00:00",
                        "endDate": "2027-01-15T10:40:00",
                    }
                ]
            ),
        },
        {
            "name": "Konkurs nr 2/2027 INFOSTRATEG",
            "path": "/web/ncbr/infostrateg-2-2027",
            "status": "COMING_SOON",
            "dates": {"Rozpoczęcie naboru": "2027-03-01", "Zakończenie naboru": "2027-05-31"},
        },
    ]
    body = json.dumps({"content": content, "totalElements": 2, "last": True}).encode()
    response = TextResponse(API_URL.format(page=0, size=50), body=body, encoding="utf-8")
    spider = NcbrSpider()
    with freeze_time("2026-12-01"):
        by_id = records(spider, list(spider.parse_api(response, page=0, size=50)), "2026-12-01")
    smart = by_id["feng010101-ip01-00127"]
    # 1800000000000 ms is 15 January 2027, 08:00 UTC: 09:00 in Warsaw.
    assert smart.deadlines == ["2027-01-15T09:00:00+01:00"]
    assert smart.opening_date == date(2027, 1, 4)
    assert smart.status == "closed"  # suspended: no applications now
    infostrateg = by_id["infostrateg-2-2027"]
    assert infostrateg.deadlines == ["2027-05-31"] and infostrateg.status == "forthcoming"
    assert infostrateg.opening_date == date(2027, 3, 1)


def test_ncbr_schedule_in_the_real_structure() -> None:
    spider = NcbrSpider()
    url = "https://www.gov.pl/web/ncbr/harmonogram-konkursow-2026"
    with freeze_time("2026-09-27"):
        items = list(spider.parse_schedule(page("ncbr-harmonogram-radargrantow.html", url)))
        by_title = {r.title: r for r in records(spider, items, "2026-09-27").values()}
    # The headings outside the article are not calls; every <details> is one.
    assert list(by_title) == [
        "Działanie FENG.01.01 Ścieżka SMART – Projekty realizowane w konsorcjach",
        "AGROSTRATEG I",
        "AGROSTRATEG II",
        "HYDROSTRATEG V",
    ]
    smart = by_title["Działanie FENG.01.01 Ścieżka SMART – Projekty realizowane w konsorcjach"]
    assert smart.deadlines == ["2026-10-16"] and smart.opening_date == date(2026, 8, 7)
    assert smart.budget is None  # "w trakcie ustalania"
    assert smart.programme == "Fundusze Europejskie dla Nowoczesnej Gospodarki"
    assert smart.extra["programme_code"] == "FENG"
    assert str(smart.url) == "https://www.gov.pl/web/ncbr/feng0101ip0100326"
    assert smart.status == "open"
    agro = by_title["AGROSTRATEG II"]
    # "Zakończenie naboru" (no "wniosków") is read too; quarters stay quarters.
    assert agro.deadlines == ["2027-Q2"] and agro.extra["opening"] == "2027-Q1"
    assert agro.budget == 100_000_000 and agro.status == "forthcoming"
    assert agro.programme == "Programy strategiczne"
    hydro = by_title["HYDROSTRATEG V"]
    assert hydro.deadlines == ["2026-12"] and hydro.budget == 200_000_000
    assert by_title["AGROSTRATEG I"].status == "closed"


def test_ncbr_schedule_in_a_theme_without_details() -> None:
    """The same schedule as an accordion of headings and panels (no <details>): each call is
    a heading followed by its labelled dates; the headings above them are programmes."""
    body = """<html><body><main><article>
      <h2>Harmonogram konkursów 2027</h2><p>Terminy mogą ulec zmianie.</p>
      <h3>Fundusze Europejskie dla Nowoczesnej Gospodarki</h3>
      <div class="accordion">
        <div class="accordion-item"><h4 class="accordion-header">
          <button type="button">Ścieżka SMART – konsorcja</button></h4>
          <div class="accordion-collapse"><table>
            <tr><td>Alokacja</td><td>300 mln zł</td></tr>
            <tr><td>Nabór wniosków</td><td>od 1 do 31 marca 2027 r.</td></tr></table></div></div>
        <div class="accordion-item"><h4 class="accordion-header">
          <button type="button">Innowacje w obronności</button></h4>
          <div class="accordion-collapse"><p><strong>Zakończenie naboru:</strong> II kw. 2027</p>
          </div></div>
      </div>
      <h3>Kontakt</h3><p>Infolinia: 22 39 07 401</p>
    </article></main></body></html>"""
    url = "https://www.gov.pl/web/ncbr/harmonogram-konkursow-2027"
    spider = NcbrSpider()
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    with freeze_time("2027-01-10"):
        by_title = {
            r.title: r
            for r in records(spider, list(spider.parse_schedule(response)), "2027-01-10").values()
        }
    assert list(by_title) == ["Ścieżka SMART – konsorcja", "Innowacje w obronności"]
    smart = by_title["Ścieżka SMART – konsorcja"]
    assert smart.deadlines == ["2027-03-31"] and smart.opening_date == date(2027, 3, 1)
    assert smart.budget == 300_000_000
    assert smart.programme == "Fundusze Europejskie dla Nowoczesnej Gospodarki"
    assert by_title["Innowacje w obronności"].deadlines == ["2027-Q2"]


def test_ncbr_schedule_entry_with_several_cut_offs_keeps_them_all() -> None:
    """Only the first cut-off of an entry was kept: the call was closed after it."""
    body = """<html><body><article><h3>Programy międzynarodowe</h3>
      <details><summary>EUREKA 2027</summary><ul>
      <li>Rozpoczęcie naboru wniosków: 1 lutego 2027 r.</li>
      <li>Zakończenie naboru wniosków: 15.03.2027 r., 17.09.2027 r. oraz 18.02.2028 r.</li>
      </ul></details></article></body></html>"""
    url = "https://www.gov.pl/web/ncbr/harmonogram-konkursow-2027"
    spider = NcbrSpider()
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    with freeze_time("2027-01-10"):
        (eureka,) = records(spider, list(spider.parse_schedule(response)), "2027-01-10").values()
    assert eureka.deadlines == ["2027-03-15", "2027-09-17", "2028-02-18"]
    assert eureka.opening_date == date(2027, 2, 1)


def test_links_wrapped_by_a_mail_filter_are_followed_to_their_target() -> None:
    """Schedules pasted from e-mail keep Outlook's safelinks around their addresses (seen in
    RadarGrantow's recorded fragments of these agencies' pages, id 71645193336)."""
    wrapped = (
        "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.gov.pl"
        "%2Fweb%2Fncbr%2Finfostrateg-iii&amp;data=05%7C02&amp;reserved=0"
    )
    body = f"""<html><body><article><h3>Programy strategiczne</h3>
      <details><summary>INFOSTRATEG III</summary><ul>
      <li>Zakończenie naboru wniosków: 15 grudnia 2026 r.</li></ul>
      <p><a href="{wrapped}">Szczegóły konkursu</a></p></details></article></body></html>"""
    url = "https://www.gov.pl/web/ncbr/harmonogram-konkursow-2026"
    spider = NcbrSpider()
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    (item,) = list(spider.parse_schedule(response))
    assert isinstance(item, RawCall)
    assert item.url == "https://www.gov.pl/web/ncbr/infostrateg-iii"
    tile = f"""<html><body><a href="{
        wrapped.replace(
            "gov.pl%2Fweb%2Fncbr%2Finfostrateg-iii",
            "parp.gov.pl%2Fcomponent%2Fgrants%2Fgrants%2Fbony-na-innowacje",
        )
    }"
        class="schedule-main schedule-feng"><p class="text-mm-18">Bony na innowacje</p>
      <p class="m-0 text-cr-18">31.12.2026</p><p class="mb-3 text-cr-13">zakończenie naboru</p>
      </a></body></html>"""
    response = HtmlResponse(SCHEDULE_URL, body=tile.encode(), encoding="utf-8")
    with freeze_time("2026-10-01"):
        (request,) = list(ParpSpider().parse(response))
    assert isinstance(request, Request)
    assert request.url == "https://www.parp.gov.pl/component/grants/grants/bony-na-innowacje"


# fe-portal ---------------------------------------------------------------------------------


def test_fe_portal_call_details_in_a_table_and_in_label_lines() -> None:
    """No real page was available: other plausible markups of the same details."""
    body = """<html><body><main><h1>Bony na innowacje</h1>
      <table><tr><th>Numer naboru</th><td>FENG.02.04-IP.01-001/26</td></tr>
      <tr><th>Program</th><td>Fundusze Europejskie dla Nowoczesnej Gospodarki 2021-2027</td></tr>
      <tr><th>Termin naboru</th><td>od 1.02.2026 do 30.04.2026 r., godz. 16:00</td></tr>
      <tr><th>Status</th><td>Nabór otwarty</td></tr></table>
      <p><strong>Kwota przeznaczona na dofinansowanie projektów:</strong> 1,5 mln zł</p>
      </main></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/bony-na-innowacje/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    with freeze_time("2026-03-01"):
        record = records(spider, list(spider.parse_call(response)), "2026-03-01")[
            "bony-na-innowacje"
        ]
    assert record.link_key == "FENG.02.04-IP.01-001/26" and record.programme == "FENG"
    assert record.deadlines == ["2026-04-30T16:00:00+02:00"]
    assert record.opening_date == date(2026, 2, 1)
    assert record.budget == 1_500_000 and record.status == "open"


def test_fe_portal_call_page_in_a_new_theme() -> None:
    """No <h1> (the title in og:title), the window in a sentence without a label ("Nabór
    trwa od 1 do 30 września 2026 r.", as listings write "Nabór do 22.04.2024"), the state
    in a badge, the details in a <dl>."""
    body = """<html><head><meta property="og:title"
      content="Ścieżka SMART – projekty w konsorcjach - Portal Funduszy Europejskich">
      <title>Nabór | Portal Funduszy Europejskich</title></head><body><main>
      <div class="call-header"><span class="badge badge-status">Trwa nabór</span>
      <p class="call-dates">Nabór trwa od 1 do 30 września 2026 r.</p></div>
      <dl><dt>Numer naboru</dt><dd>FENG.01.01-IP.02-002/26</dd>
      <dt>Program</dt><dd>Fundusze Europejskie dla Nowoczesnej Gospodarki</dd>
      <dt>Budżet naboru</dt><dd>200 000 000,00 zł</dd></dl></main></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/sciezka-smart-konsorcja-wrzesien/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    with freeze_time("2026-09-10"):
        by_id = records(spider, list(spider.parse_call(response)), "2026-09-10")
    record = by_id["sciezka-smart-konsorcja-wrzesien"]
    assert record.title == "Ścieżka SMART – projekty w konsorcjach"
    assert record.deadlines == ["2026-09-30"] and record.opening_date == date(2026, 9, 1)
    assert record.link_key == "FENG.01.01-IP.02-002/26" and record.programme == "FENG"
    assert record.budget == 200_000_000 and record.status == "open"


def test_fe_portal_call_page_with_labels_in_their_own_elements_without_a_colon() -> None:
    """Drupal's field markup (a label's <div> and its value's <div>, no colon) and a bold
    label on a line of its own: the details were not found, and a page holding only such
    details failed as a changed layout."""
    body = """<html><head><title>Kredyt ekologiczny - Portal Funduszy Europejskich</title>
      </head><body><main><article><h1>Kredyt ekologiczny</h1>
      <div class="field field--name-numer"><div class="field__label">Numer naboru</div>
        <div class="field__item">FENG.02.01-IP.01-002/27</div></div>
      <div class="field"><div class="field__label">Termin naboru</div>
        <div class="field__item"><time>02.03.2027</time> – <time>30.04.2027</time></div></div>
      <div class="field"><span class="label">Status naboru</span>
        <span class="value">Planowany</span></div>
      <p><strong>Budżet naboru</strong><br>100 000 000,00 zł</p>
      </article></main></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/kredyt-ekologiczny-2027/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    by_id = records(spider, list(spider.parse_call(response)), "2026-11-28")
    record = by_id["kredyt-ekologiczny-2027"]
    assert record.link_key == "FENG.02.01-IP.01-002/27" and record.programme == "FENG"
    assert record.deadlines == ["2027-04-30"] and record.opening_date == date(2027, 3, 2)
    assert record.budget == 100_000_000 and record.currency == "PLN"
    assert record.status == "forthcoming"


def test_fe_portal_call_of_several_rounds_keeps_each_rounds_deadline() -> None:
    """A window of two rounds: the first round's closing was lost, the call shown as open
    until the second's."""
    body = """<html><body><main><article><h1>Bony na innowacje</h1>
      <dl><dt>Termin naboru</dt><dd><ul><li>I runda: 02.03.2027 – 30.04.2027</li>
      <li>II runda: 01.09.2027 – 30.10.2027</li></ul></dd>
      <dt>Status</dt><dd>Nabór otwarty</dd></dl></article></main></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/bony-na-innowacje-rundy/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    by_id = records(spider, list(spider.parse_call(response)), "2026-11-28")
    record = by_id["bony-na-innowacje-rundy"]
    assert record.deadlines == ["2027-04-30", "2027-10-30"]
    assert record.opening_date == date(2027, 3, 2)


@pytest.mark.parametrize(
    "logo",
    [
        '<header><h1 class="logo"><a href="/"><span>Portal Funduszy Europejskich</span></a>'
        "</h1></header>",
        '<div class="site-name"><h1><a href="/">Fundusze Europejskie</a></h1></div>',
    ],
)
def test_a_site_logo_in_an_h1_is_no_part_of_the_calls_title(logo: str) -> None:
    """Sites that mark their logo as an <h1>: the call's title was both joined."""
    body = f"""<html><body>{logo}<main><article><h1>Ścieżka SMART</h1>
      <dl><dt>Termin naboru</dt><dd>od 1.02.2027 do 30.04.2027</dd></dl>
      </article></main></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/sciezka-smart-2027/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    (item,) = FePortalSpider().parse_call(response)
    assert item.title == "Ścieżka SMART"
    card = "https://www.parp.gov.pl/component/grants/grants/sciezka-smart"
    tile = {"title": "SMART", "rounds": [], "summary": "", "programme": None, "id": "s"}
    parp = ParpSpider().call_item(
        card,
        {**tile, "max_funding": None},
        HtmlResponse(card, body=body.encode(), encoding="utf-8"),
    )
    assert parp.title == "Ścieżka SMART"


def test_fe_portal_call_page_without_a_description_block_keeps_its_text() -> None:
    """A theme whose call text is in plain paragraphs of the article: the description was
    empty, so the call was tagged on its title alone and matched nobody."""
    body = """<html><body><nav><a href="/">Start</a></nav><main><article>
      <h1>Kredyt technologiczny</h1>
      <dl><dt>Termin naboru</dt><dd>od 1.02.2027 do 30.04.2027</dd></dl>
      <p>Wsparcie wdrożeń nowych technologii, m.in. układów scalonych i fotoniki.</p>
      </article></main><footer>Polityka prywatności</footer></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/kredyt-technologiczny-2027/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    record = records(spider, list(spider.parse_call(response)), "2026-11-28")[
        "kredyt-technologiczny-2027"
    ]
    assert "układów scalonych i fotoniki" in record.description
    assert "Polityka prywatności" not in record.description


def test_fe_portal_status_badge_is_a_small_element_not_any_class_holding_stan() -> None:
    """The status read from a badge: any element whose class held "stan" or "status" was
    one, such as a theme's "layout-standard" wrapper of the whole text, whose mention of an
    earlier round ("nabór zakończony") made an open call closed."""
    body = """<html><body><div class="layout-standard"><main><article>
      <h1>Ścieżka SMART 2027</h1>
      <dl><dt>Termin naboru</dt><dd>od 1.02.2027 do 30.04.2027</dd></dl>
      <p>Poprzedni nabór zakończony w 2026 r. cieszył się dużym zainteresowaniem.</p>
      <div class="status-bar"><p>Strona zaktualizowana: 10.01.2027</p>
      <p>Zobacz też: Nabór zakończony – Ścieżka SMART 2026</p></div>
      </article></main></div></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/sciezka-smart-2027/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    record = records(spider, list(spider.parse_call(response)), "2027-03-01")["sciezka-smart-2027"]
    assert record.status == "open"


def test_fe_portal_call_page_answering_questions_under_headings() -> None:
    """The portal's call pages "answer who, what, when, own contribution, how to apply" (as
    a public survey of the redesigned portal describes them; the markup is assumed): the
    details are sections under headings, not "Label: value" lines. A rolling call has no
    deadline and is not a deadline the page failed to state."""
    body = """<html><head><title>Bony na cyfryzację - Portal Funduszy Europejskich</title>
      </head><body><main><article><h1>Bony na cyfryzację dla MŚP</h1>
      <p>FEPW.01.04-IP.01-001/26</p>
      <h2>Dla kogo?</h2><p>Mikro, małe i średnie przedsiębiorstwa z Polski Wschodniej.</p>
      <h2>Na co?</h2><ul><li>Usługi doradcze</li><li>Wdrożenie rozwiązań cyfrowych</li></ul>
      <h2>Kiedy?</h2><p>Nabór trwa od 2 marca do 30 kwietnia 2026 r.</p>
      <p>Wyniki poznasz w lipcu 2026 r.</p>
      <h2>Wkład własny</h2><p>Co najmniej 15% wydatków kwalifikowalnych.</p>
      <h2>Jak złożyć wniosek?</h2><p>W systemie LSI PARP.</p></article></main></body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory/bony-na-cyfryzacje-dla-msp/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    spider = FePortalSpider()
    with freeze_time("2026-03-10"):
        record = records(spider, list(spider.parse_call(response)), "2026-03-10")[
            "bony-na-cyfryzacje-dla-msp"
        ]
    assert record.title == "Bony na cyfryzację dla MŚP"
    assert record.opening_date == date(2026, 3, 2) and record.deadlines == ["2026-04-30"]
    assert record.link_key == "FEPW.01.04-IP.01-001/26" and record.programme == "FEPW"
    assert record.extra["applicants"].startswith("Mikro, małe i średnie")
    assert record.extra["purpose"] == "Usługi doradcze Wdrożenie rozwiązań cyfrowych"
    assert record.extra["own_contribution"] == "Co najmniej 15% wydatków kwalifikowalnych."
    assert record.status == "open" and spider.notes == []

    rolling_body = body.replace(
        "Nabór trwa od 2 marca do 30 kwietnia 2026 r.", "Nabór ciągły, do wyczerpania alokacji."
    )
    response = HtmlResponse(url, body=rolling_body.encode(), encoding="utf-8")
    with freeze_time("2026-03-10"):
        (item,) = list(spider.parse_call(response))
    assert item.deadlines == [] and item.extra["rolling"] is True


def test_fe_portal_listing_skips_its_own_address_and_pages_by_word() -> None:
    body = """<html><body><a href="/nabory/">Nabory</a><a href="/nabory/a-1/">A</a>
      <a href="https://www.funduszeeuropejskie.gov.pl/nabory/b-2/">B</a>
      <a href="https://example.org/nabory/c/">C</a>
      <nav class="pagination"><a href="/nabory-wnioskow/?page=2">Następna ›</a></nav>
      </body></html>"""
    url = "https://www.funduszeeuropejskie.gov.pl/nabory-wnioskow/"
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8")
    urls = [r.url for r in FePortalSpider().parse(response)]
    assert urls == [
        "https://www.funduszeeuropejskie.gov.pl/nabory/a-1/",
        "https://www.funduszeeuropejskie.gov.pl/nabory/b-2/",
        "https://www.funduszeeuropejskie.gov.pl/nabory-wnioskow/?page=2",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nabór otwarty", "open"),
        ("Trwa nabór", "open"),
        ("zamknięty", "closed"),
        ("Status: Rozstrzygnięty", "closed"),
        ("APPLICATIONS IN EVALUATION", "closed"),
        ("Nabór zakończony", "closed"),
        ("planowany", "forthcoming"),
        ("Zaplanowany", "forthcoming"),
        # Words real listings use for their badges, and their negations.
        ("Aktualny", "open"),
        ("Nabór w trakcie", "open"),
        ("Nieaktualny", "closed"),
        ("nieaktywny", "closed"),
        ("Zawieszony", "closed"),
        ("Archiwalny", "closed"),
        ("Trwa ocena wniosków", "closed"),
        ("Nadchodzący", "forthcoming"),
        ("Status Status: Rozstrzygnięty", "closed"),
        ("Open for submission", "open"),
        ("Cancelled", "closed"),
        # A call not yet open, in the other ways a portal's badge says so.
        ("Oczekuje na rozpoczęcie", "forthcoming"),
        ("Nabór w przygotowaniu", "forthcoming"),
        ("Nie rozpoczęty", "forthcoming"),
        ("", None),
    ],
)
def test_status_words(text: str, expected: str | None) -> None:
    from crawlers.spiders.polish import status_word

    assert status_word(text) == expected
