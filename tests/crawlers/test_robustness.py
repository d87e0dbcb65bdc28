"""Records and answers in shapes our recorded pages do not have: each bad record costs
itself only, and odd but readable values are read (synthesised variants under
``tests/fixtures/variants/``)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, select

from callradar.db import session_scope
from callradar.models import Call
from crawlers.amounts import parse_amount
from crawlers.dates import period_in
from crawlers.items import RawCall
from crawlers.middlewares import MirrorMiddleware, PolishCharsetMiddleware
from crawlers.mirror_server import MirrorServer
from crawlers.pipelines import NormalisePipeline, normalise
from crawlers.run import crawl
from crawlers.spiders import eu_portal
from crawlers.spiders.eu_portal import EuPortalSpider
from crawlers.spiders.fe_portal import FePortalSpider
from crawlers.spiders.ncbr import NcbrSpider
from crawlers.spiders.ncn import NcnSpider
from crawlers.spiders.parp import ParpSpider
from tests.crawlers.recorded import FIXTURES, file_response

TODAY = date(2026, 11, 20)
VARIANTS = FIXTURES / "variants"
EU_SEARCH = (
    "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
    "?apiKey=SEDIA&text=***&pageSize=50&pageNumber=1"
)


def _eu_items(name: str) -> tuple[EuPortalSpider, dict[str, RawCall]]:
    spider = EuPortalSpider()
    body = (VARIANTS / name).read_bytes()
    response = TextResponse(EU_SEARCH, body=body, encoding="utf-8", request=Request(EU_SEARCH))
    results: list[Any] = list(spider.parse_page(response, number=1))
    assert all(isinstance(r, RawCall) for r in results), "a short page is the last"
    return spider, {r.id: r for r in results}


def test_eu_portal_rows_in_other_shapes_are_read_not_lost() -> None:
    spider, items = _eu_items("eu-portal-search-odd-records.json")
    assert sorted(items) == [
        "DIGITAL-2027-SEMICON-10-004",
        "DIGITAL-2027-SEMICON-10-010",
        "DIGITAL-2027-SEMICON-10-016",
        "DIGITAL-2027-SEMICON-10-022",
    ]
    records = {i: normalise(item, "eu-portal", "en", TODAY) for i, item in items.items()}
    # A budget figure that is not a number gives no budget, not a crash nor 0 EUR.
    odd_budget = records["DIGITAL-2027-SEMICON-10-010"]
    assert odd_budget.budget is None and odd_budget.currency is None
    assert records["DIGITAL-2027-SEMICON-10-004"].budget == 8_000_000
    # Values sent bare, not as one-element lists: the whole title, the whole deadline.
    bare = records["DIGITAL-2027-SEMICON-10-016"]
    assert bare.title.startswith("Chips") and len(bare.title) > 20
    assert bare.deadlines and bare.deadlines[0].startswith("2027-")
    assert bare.status == "forthcoming"
    # The actions blob as one object, its status by name, its deadline in epoch ms.
    action = records["DIGITAL-2027-SEMICON-10-022"]
    assert action.status == "open"
    assert action.deadlines == ["2027-04-17T16:00:00+00:00"]
    assert any("not an object" in n for n in spider.notes)


@pytest.mark.parametrize("blank", [[" "], ["&nbsp;"], [None], [""], []])
def test_eu_portal_blank_title_falls_back_to_the_rows_summary(blank: list[Any]) -> None:
    """A topic whose metadata title is blank (a space, "&nbsp;"): the title was blank and
    the topic refused, though the row's summary names it."""
    row = {
        "summary": "Photonic integrated circuits for sensing",
        "metadata": {"identifier": ["HORIZON-CL4-2027-04-DIGITAL-EMERGING-11"], "title": blank},
    }
    item = eu_portal.topic_item("HORIZON-CL4-2027-04-DIGITAL-EMERGING-11", row)
    assert normalise(item, "eu-portal", "en", TODAY).title == row["summary"]


def test_eu_portal_a_row_that_cannot_be_read_costs_that_topic_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = eu_portal.topic_item

    def topic_item(identifier: str, row: dict[str, Any]) -> RawCall:
        if identifier == "DIGITAL-2027-SEMICON-10-010":
            raise KeyError("a shape no parser foresaw")
        return real(identifier, row)

    monkeypatch.setattr(eu_portal, "topic_item", topic_item)
    spider, items = _eu_items("eu-portal-search-odd-records.json")
    assert len(items) == 3 and "DIGITAL-2027-SEMICON-10-010" not in items
    assert not spider.problems
    assert any("'DIGITAL-2027-SEMICON-10-010' skipped: KeyError" in note for note in spider.notes)


@pytest.mark.parametrize(
    "odd",
    [
        {"description": [["<p>Scope</p>"]]},
        {"deadlines": [1807977600000]},
        {"budget": {"value": 1_000_000}},
        {"opening": ["2026-10-01"]},
    ],
)
def test_an_item_with_a_value_of_another_type_is_dropped_and_counted(odd: dict[str, Any]) -> None:
    crawler = get_crawler(EuPortalSpider)
    crawler.spider = crawler._create_spider()
    crawler.stats.open_spider()
    pipeline = NormalisePipeline.from_crawler(crawler)
    good = RawCall(id="T-1", title="A topic", url="https://example.eu/t-1")
    bad = RawCall(id="T-2", title="Another", url="https://example.eu/t-2", **odd)
    assert pipeline.process_item(good).id == "T-1"
    with pytest.raises(DropItem, match="T-2"):
        pipeline.process_item(bad)
    assert crawler.stats.get_value("callradar/invalid") == 1
    assert any("'T-2' refused" in note for note in crawler.spider.notes)


@pytest.mark.parametrize(
    ("given", "stored"),
    [("EN", "en"), ("en-GB", "en"), ("pl_PL", "pl"), (" de ", "de"), ("english", "en"), ("", "en")],
)
def test_a_language_written_otherwise_than_as_a_code_keeps_the_call(
    given: str, stored: str
) -> None:
    """The portal's metadata give a language per topic; "EN" or "en-GB" refused the whole
    call over a field the tagger can do without. A code is read from the value, and a value
    that holds none leaves the source's own language."""
    item = RawCall(id="T-1", title="A topic", url="https://example.eu/t-1", language=given)
    assert normalise(item, "eu-portal", "en", TODAY).language == stored


NCBR_API = "https://www.gov.pl/api/data/competition-search?type=NCBR&language=pl&page=0&size=50"


def test_ncbr_budgets_escaped_or_bare_are_read_in_zloty() -> None:
    spider = NcbrSpider()
    body = (VARIANTS / "ncbr-competition-search-budgets.json").read_bytes()
    response = TextResponse(NCBR_API, body=body, encoding="utf-8", request=Request(NCBR_API))
    items = [i for i in spider.parse_api(response, page=0, size=50) if isinstance(i, RawCall)]
    budgets = {
        item.id: (record.budget, record.currency)
        for item in items
        for record in [normalise(item, "ncbr", "pl", TODAY)]
    }
    assert budgets == {
        # HTML-escaped spaces: no amount (and "…&nbsp;000 zł" was 0 PLN, below).
        "wariant-budzetu-1": (350_000_000, "PLN"),
        # A JSON number took the default currency, EUR.
        "wariant-budzetu-2": (120_000_000, "PLN"),
        # A figure in a string, with no currency word, was no amount.
        "wariant-budzetu-3": (80_000_000, "PLN"),
    }


def test_amount_with_html_escaped_spaces() -> None:
    assert parse_amount("350&nbsp;000&nbsp;000 zł") == (350_000_000, "PLN")
    assert parse_amount("EUR&#160;2&#160;000&#160;000") == (2_000_000, "EUR")


@pytest.mark.parametrize(
    "location", ["/harmonogram-naborow-2027", "https://www.parp.gov.pl/harmonogram-naborow-2027"]
)
def test_mirror_mode_follows_a_redirect_to_the_mirror(location: str) -> None:
    mirror = MirrorMiddleware("http://127.0.0.1:8765")
    redirects = RedirectMiddleware.from_crawler(get_crawler(ParpSpider))
    sent = mirror.process_request(Request("https://www.parp.gov.pl/harmonogram-naborow"))
    assert sent is not None
    answer = mirror.process_response(
        sent, Response(sent.url, status=301, headers={"Location": location}, request=sent)
    )
    follow = redirects.process_response(sent, answer)
    assert isinstance(follow, Request)
    # The redirect's target goes to the mirror too, never to the site itself, and its
    # answer comes back under the target's real URL.
    mirrored = mirror.process_request(follow)
    assert mirrored is not None
    assert mirrored.url == "http://127.0.0.1:8765/www.parp.gov.pl/harmonogram-naborow-2027"
    page = Response(mirrored.url, body=b"<html></html>", request=mirrored)
    assert (
        mirror.process_response(mirrored, page).url
        == "https://www.parp.gov.pl/harmonogram-naborow-2027"
    )
    # A retry of a mirrored request is not mirrored twice.
    assert mirror.process_request(mirrored.replace(dont_filter=True)) is None


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("ncn-opus32-windows-1250.html", "text/html"),
        ("ncn-opus32-windows-1250.html", "text/html; charset=utf-8"),
        ("ncn-opus32-iso-8859-2.html", "text/html"),
    ],
)
def test_polish_page_in_an_8bit_charset_it_does_not_declare(name: str, content_type: str) -> None:
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus32"
    raw = HtmlResponse(
        url,
        body=(VARIANTS / name).read_bytes(),
        headers={"Content-Type": content_type},
        request=Request(url),
    )
    response = PolishCharsetMiddleware().process_response(raw.request, raw)
    assert isinstance(response, HtmlResponse)
    (item,) = NcnSpider().parse_call(response, listed_as="OPUS 32")
    record = normalise(item, "ncn", "pl", TODAY)
    assert "ogłasza konkurs OPUS 32" in record.description
    # Read with a wrong charset, "zł" and the month's name were lost with them.
    assert record.budget == 550_000_000 and record.currency == "PLN"
    assert record.deadlines == ["2027-06-16T16:00:00+02:00"]


def test_a_page_in_utf8_or_in_the_charset_it_declares_is_left_alone() -> None:
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus32"
    middleware = PolishCharsetMiddleware()
    page = (FIXTURES / "ncn.gov.pl/ogloszenia/konkursy/opus32").read_bytes()
    utf8 = HtmlResponse(url, body=page, headers={"Content-Type": "text/html"})
    assert middleware.process_response(Request(url), utf8) is utf8
    latin2 = HtmlResponse(
        url,
        body=(VARIANTS / "ncn-opus32-iso-8859-2.html").read_bytes(),
        headers={"Content-Type": "text/html; charset=iso-8859-2"},
    )
    assert middleware.process_response(Request(url), latin2) is latin2


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=ISO-8859-1", "text/html; charset=iso-8859-2", "text/html; charset=cp1250"],
)
def test_a_utf8_page_its_server_declares_in_an_8bit_charset_is_read_as_utf8(
    content_type: str,
) -> None:
    """A server's default header (Apache's "charset=ISO-8859-1") in front of a UTF-8 page:
    read in the header's charset, "Nabór" became "NabÃ³r", and the month's name and "zł"
    were lost with it."""
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus32"
    page = (FIXTURES / "ncn.gov.pl/ogloszenia/konkursy/opus32").read_bytes()
    raw = HtmlResponse(url, body=page, headers={"Content-Type": content_type}, request=Request(url))
    response = PolishCharsetMiddleware().process_response(raw.request, raw)
    assert isinstance(response, HtmlResponse)
    (item,) = NcnSpider().parse_call(response, listed_as="OPUS 32")
    record = normalise(item, "ncn", "pl", TODAY)
    assert "ogłasza konkurs OPUS 32" in record.description
    assert record.budget == 550_000_000 and record.currency == "PLN"
    assert record.deadlines == ["2027-06-16T16:00:00+02:00"]


def test_eu_portal_listing_ending_before_its_total_is_noted() -> None:
    spider = EuPortalSpider()
    first = EU_SEARCH
    (page_2,) = spider.parse_page(file_response(first, Request(first)), number=1)
    assert isinstance(page_2, Request) and page_2.cb_kwargs == {"number": 2}
    body = (VARIANTS / "eu-portal-search-empty-page-2.json").read_bytes()
    empty = TextResponse(page_2.url, body=body, encoding="utf-8", request=page_2)
    items = list(spider.parse_page(empty, number=2))
    # What was read is kept; the shortfall is told, not passed over.
    assert items and all(isinstance(i, RawCall) for i in items)
    assert not spider.problems
    assert "the search API stated 122 results, 50 were received" in " ".join(spider.notes)


@pytest.mark.parametrize(
    ("text", "window"),
    [
        # The dashes of an ISO date are no range: its year-month was taken as the opening
        # (so a call open now was "forthcoming"), and "od 2026-10-01" lost its opening.
        ("2026-12-31", (None, "2026-12-31")),
        ("2027-03-15T16:00:00", (None, "2027-03-15T16:00:00+01:00")),
        ("od 2026-10-01", ("2026-10-01", None)),
        ("2026-10-01 - 2026-12-31", ("2026-10-01", "2026-12-31")),
        ("2026-10-01-2026-12-31", ("2026-10-01", "2026-12-31")),
        # "r." typed without its space.
        ("15.03.2027r.", (None, "2027-03-15")),
        (
            "od 1.02.2027r. do 15 marca 2027r. do godz. 16:00",
            ("2027-02-01", "2027-03-15T16:00:00+01:00"),
        ),
        # A quarter with a slash before its year was read as a month ("4/2026": April).
        ("Q4/2026", (None, "2026-Q4")),
        ("Q3/Q4 2026", (None, "2026-Q4")),
    ],
)
def test_dates_written_in_other_ways(text: str, window: tuple[str | None, str | None]) -> None:
    assert period_in(text) == window


def test_ncbr_paths_written_as_urls_or_without_their_slash() -> None:
    spider = NcbrSpider()
    body = (VARIANTS / "ncbr-competition-search-paths.json").read_bytes()
    response = TextResponse(NCBR_API, body=body, encoding="utf-8", request=Request(NCBR_API))
    items = [i for i in spider.parse_api(response, page=0, size=50) if isinstance(i, RawCall)]
    # Was "https://www.gov.plhttps//www.gov.pl/web/ncbr/…" and "https://www.gov.plweb/ncbr/…";
    # one competition under a URL and under its path is one call.
    assert {i.id: i.url for i in items} == {
        "wariant-sciezki-1": "https://www.gov.pl/web/ncbr/wariant-sciezki-1",
        "wariant-sciezki-2": "https://www.gov.pl/web/ncbr/wariant-sciezki-2",
    }
    assert not spider.notes


def test_ncbr_a_record_without_its_path_is_noted_not_dropped_unseen() -> None:
    """A competition without a ``path`` has no page nor id: it is left out, and the run
    says so (it was dropped without a word)."""
    spider = NcbrSpider()
    body = json.dumps(
        {
            "content": [
                {"name": "Konkurs bez adresu", "path": None, "status": "ANNOUNCED"},
                {"name": "Konkurs z adresem", "path": "/web/ncbr/z-adresem"},
            ],
            "totalElements": 2,
            "last": True,
        }
    ).encode()
    response = TextResponse(NCBR_API, body=body, encoding="utf-8", request=Request(NCBR_API))
    items = [i for i in spider.parse_api(response, page=0, size=50) if isinstance(i, RawCall)]
    assert [i.id for i in items] == ["z-adresem"]
    assert any("'Konkurs bez adresu' skipped" in note for note in spider.notes)


def test_ncbr_an_empty_page_ends_the_listing_whatever_its_last_says() -> None:
    spider = NcbrSpider()
    first = NCBR_API
    (page_1,) = spider.parse_api(file_response(first, Request(first)), page=0, size=50)
    assert isinstance(page_1, Request) and page_1.cb_kwargs == {"page": 1, "size": 50}
    body = (VARIANTS / "ncbr-competition-search-empty-page-not-last.json").read_bytes()
    empty = TextResponse(page_1.url, body=body, encoding="utf-8", request=page_1)
    (after,) = spider.parse_api(empty, page=1, size=50)
    # Paging on would ask for page after empty page, a hundred of them; the listing is
    # short of its total, so it is read once more at the other page size.
    assert isinstance(after, Request) and after.cb_kwargs == {"page": 0, "size": 100}


def test_parp_calls_sharing_a_card_are_both_stored(tmp_path: Path, engine: Engine) -> None:
    """Through Scrapy's scheduler, whose duplicate filter dropped the second request of a
    card silently: its call was never stored, and the run said nothing."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "www.parp.gov.pl", site / "www.parp.gov.pl")
    shutil.copy(
        VARIANTS / "parp-harmonogram-shared-card.html", site / "www.parp.gov.pl/harmonogram-naborow"
    )
    server = MirrorServer(site).start()
    try:
        (summary,) = crawl(["parp"], server.url, engine)
    finally:
        server.stop()
    assert summary.ok and summary.new == 4, summary.message
    with session_scope(engine) as session:
        rows = session.execute(
            select(Call.external_id, Call.title).where(
                Call.source == "parp", Call.external_id.startswith("sciezka-smart")
            )
        )
        titles = {external_id: title for external_id, title in rows}
    assert set(titles) == {
        "sciezka-smart-sciezka-smart",
        "sciezka-smart-sciezka-smart-modul-internacjonalizacja",
    }
    # Each under its own tile's title, not both under the card's.
    assert len(set(titles.values())) == 2, titles


def test_entities_in_a_json_sources_title_and_plain_description_are_decoded() -> None:
    item = RawCall(
        id="feng-x",
        title="FENG &ndash; &quot;Ścieżka SMART&quot; &amp; Konsorcja",
        url="https://www.gov.pl/web/ncbr/feng-x",
        description="Konkurs &bdquo;Ścieżka SMART&rdquo; dla MŚP &amp; konsorcjów.",
    )
    record = normalise(item, "ncbr", "pl", TODAY)
    assert record.title == 'FENG – "Ścieżka SMART" & Konsorcja'
    assert record.description == "Konkurs „Ścieżka SMART” dla MŚP & konsorcjów."


def test_ncbr_name_with_escaped_dash_after_its_number() -> None:
    """The competition's number is cut off its name before the name is decoded: the dash
    after it, sent as "&ndash;", began the stored title ("– Ścieżka SMART")."""
    from crawlers.spiders.ncbr import competition_item

    item = competition_item(
        {
            "name": "FENG.01.01-IP.01-003/26 &ndash; &bdquo;Ścieżka SMART&rdquo;",
            "path": "/web/ncbr/feng010101-ip01-00326",
        }
    )
    assert normalise(item, "ncbr", "pl", TODAY).title == "„Ścieżka SMART”"
    assert item.call_identifier == "FENG.01.01-IP.01-003/26"


@pytest.mark.parametrize(
    ("title", "stored"),
    [
        ("Konkurs <b>SMART</b> 2027", "Konkurs SMART 2027"),
        ("Photonics for <i>in situ</i> sensing", "Photonics for in situ sensing"),
        ("Ścieżka SMART<br>MŚP", "Ścieżka SMART MŚP"),
        ("Power &lt; 5 W", "Power < 5 W"),
        ("Power < 5 W chips", "Power < 5 W chips"),
    ],
)
def test_markup_in_a_json_sources_title_is_not_stored(title: str, stored: str) -> None:
    """JSON sources send their CMS's title as written: its tags went into the stored title,
    the messages and the proposal packs."""
    item = RawCall(id="x", title=title, url="https://www.gov.pl/web/ncbr/x")
    assert normalise(item, "ncbr", "pl", TODAY).title == stored


@pytest.mark.parametrize(
    "name", ["fe-portal-listing-page-2-empty.html", "fe-portal-listing-page-2-repeating.html"]
)
def test_fe_portal_paging_ends_on_a_page_with_no_new_call(name: str) -> None:
    spider = FePortalSpider()
    first = "https://www.funduszeeuropejskie.gov.pl/nabory-wnioskow/"
    requests = list(spider.parse(file_response(first, Request(first))))
    (page_2,) = [r for r in requests if r.cb_kwargs.get("page") == 2]
    body = (VARIANTS / name).read_bytes()
    response = HtmlResponse(page_2.url, body=body, encoding="utf-8", request=page_2)
    # An empty page was a layout change that failed the source; a page repeating calls
    # already listed led on to page 3, 4 … as long as the site answered.
    assert list(spider.parse(response, page=2)) == []
    assert not spider.problems
    assert any("listing page 2 lists no call not already read" in n for n in spider.notes)


def test_eu_portal_without_a_total_pages_while_pages_bring_new_topics() -> None:
    spider = EuPortalSpider()
    body = (VARIANTS / "eu-portal-search-no-total.json").read_bytes()
    first = TextResponse(EU_SEARCH, body=body, encoding="utf-8", request=Request(EU_SEARCH))
    (page_2,) = spider.parse_page(first, number=1)
    assert isinstance(page_2, Request), "a full page and no total: the next page is read"
    # The same full page again, as an API ignoring the page number would answer.
    again = TextResponse(page_2.url, body=body, encoding="utf-8", request=page_2)
    items = list(spider.parse_page(again, number=2))
    assert items and all(isinstance(i, RawCall) for i in items)


def test_ncn_open_call_linked_as_a_document_is_noted_not_a_failure() -> None:
    url = "https://ncn.gov.pl/sites/default/files/pliki/ogloszenia/ogloszenie_opus32.pdf"
    document = Response(
        url, body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", headers={"Content-Type": "application/pdf"}
    )
    spider = NcnSpider()
    assert list(spider.parse_call(document, listed_as="OPUS 32")) == []
    assert not spider.problems
    assert any(
        "'OPUS 32' links to a document, not a page (application/pdf: " in n for n in spider.notes
    )


def test_parp_tile_linking_a_document_keeps_the_tile() -> None:
    schedule = "https://www.parp.gov.pl/harmonogram-naborow"
    spider = ParpSpider()
    cards = [r for r in spider.parse(file_response(schedule)) if isinstance(r, Request)]
    request = cards[0]
    url = "https://www.parp.gov.pl/images/regulamin.pdf"
    document = Response(
        url, body=b"%PDF-1.4\n", headers={"Content-Type": "application/pdf"}, request=request
    )
    with freeze_time("2026-11-20"):
        (item,) = spider.parse_card(document, **request.cb_kwargs)
    record = normalise(item, "parp", "pl", TODAY)
    assert record.title == request.cb_kwargs["tile"]["title"] and record.deadlines
    assert not spider.problems
    assert any("call card is a document (application/pdf: " in n for n in spider.notes)


@pytest.mark.parametrize(
    ("source", "folder", "gone"),
    [
        ("ncn", "ncn.gov.pl", "ogloszenia/konkursy/sonata-bis17"),
        (
            "fe-portal",
            "www.funduszeeuropejskie.gov.pl",
            "nabory/bony-na-innowacje-dla-msp-2027/index.html",
        ),
    ],
)
def test_a_listed_call_whose_page_is_gone_is_left_out_not_a_failure(
    tmp_path: Path, engine: Engine, source: str, folder: str, gone: str
) -> None:
    """A call withdrawn while the listing still links it: its page answers 404. It failed
    the whole source, every day until the listing dropped it."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / folder, site / folder)
    (site / folder / gone).unlink()
    server = MirrorServer(site).start()
    try:
        (summary,) = crawl([source], server.url, engine)
    finally:
        server.stop()
    assert summary.ok, summary.message
    assert summary.new >= 2
    assert "call page gone" in (summary.message or "") and "HTTP 404" in (summary.message or "")


@pytest.mark.parametrize(
    "sentence",
    [
        "Wnioski należy składać do 15 marca 2027 r., 17 września 2027 r. i 18 lutego 2028 r.",
        "Termin składania wniosków: 15.03.2027, 17.09.2027 oraz 18.02.2028.",
    ],
)
def test_ncn_call_naming_several_cut_offs_keeps_them_all(sentence: str) -> None:
    """Only the first cut-off was stored: after it the call was closed, though two more
    rounds were still to come."""
    url = "https://ncn.gov.pl/ogloszenia/konkursy/opus32"
    page = (FIXTURES / "ncn.gov.pl/ogloszenia/konkursy/opus32").read_text(encoding="utf-8")
    original = (
        "Nabór wniosków w systemie OSF trwa od 16 marca do 16 czerwca 2027 r. do godziny 16:00."
    )
    assert original in page
    response = HtmlResponse(
        url, body=page.replace(original, sentence).encode(), encoding="utf-8", request=Request(url)
    )
    (item,) = NcnSpider().parse_call(response, listed_as="OPUS 32")
    record = normalise(item, "ncn", "pl", TODAY)
    assert record.deadlines == ["2027-03-15", "2027-09-17", "2028-02-18"]
    assert record.checked_status(date(2027, 3, 20)) == "open"
