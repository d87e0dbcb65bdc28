"""Each spider parsed against its recorded pages, at their real URLs, with the clock frozen."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

import pytest
from freezegun import freeze_time
from scrapy.http import Request

from callradar.calls import CallRecord
from crawlers.items import RawCall
from crawlers.pipelines import normalise
from crawlers.spiders import eu_portal
from crawlers.spiders.base import CallSpider, LayoutChanged, SpiderArgs
from crawlers.spiders.eu_portal import EuPortalSpider
from crawlers.spiders.fe_portal import FePortalSpider
from crawlers.spiders.ncbr import NcbrSpider
from crawlers.spiders.ncn import NcnSpider
from crawlers.spiders.parp import ParpSpider
from tests.crawlers.recorded import file_response, follow

TODAY = "2026-11-20"
SPIDERS: list[type[CallSpider]] = [
    EuPortalSpider,
    NcbrSpider,
    ParpSpider,
    NcnSpider,
    FePortalSpider,
]


def start_requests(spider: CallSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [r async for r in spider.start()]

    return asyncio.run(collect())


def crawl_recorded(spider_cls: type[CallSpider], **args: Any) -> tuple[CallSpider, list[RawCall]]:
    spider = spider_cls(**args)
    with freeze_time(TODAY):
        return spider, follow(start_requests(spider))


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[CallSpider, list[RawCall]]]:
    return {cls.name: crawl_recorded(cls) for cls in SPIDERS}


@pytest.fixture(scope="module")
def records(parsed: dict[str, tuple[CallSpider, list[RawCall]]]) -> dict[str, list[CallRecord]]:
    return {
        name: [normalise(i, name, spider.language, date.fromisoformat(TODAY)) for i in items]
        for name, (spider, items) in parsed.items()
    }


ALL = [(cls.name, index) for cls in SPIDERS for index in range(5)]


@pytest.mark.parametrize(("source", "index"), ALL)
def test_item_invariants(records: dict[str, list[CallRecord]], source: str, index: int) -> None:
    """The first items of every source: a title, the source's real https URL, a deadline, a text."""
    record = records[source][index % len(records[source])]
    assert record.title and record.source == source
    assert record.url is not None and record.url.scheme == "https"
    assert "127.0.0.1" not in str(record.url)
    assert record.deadlines, record.id
    assert record.status in ("forthcoming", "open", "closed")
    assert record.language in ("en", "pl")


@pytest.mark.parametrize("spider_cls", SPIDERS)
def test_ids_unique_and_no_problems(
    parsed: dict[str, tuple[CallSpider, list[RawCall]]], spider_cls: type[CallSpider]
) -> None:
    spider, items = parsed[spider_cls.name]
    assert items
    assert len({i.id for i in items}) == len(items)
    assert spider.problems == []


def test_eu_portal_pages_to_the_end_and_merges_stubs(parsed: dict[str, Any]) -> None:
    spider, items = parsed["eu-portal"]
    # 120 topics over 3 pages of 50 rows, two of them index stubs of topics already listed.
    assert len(items) == 120
    pages = [json.loads(file_response(r).body) for r in _eu_page_urls()]
    assert [p["pageNumber"] for p in pages] == [1, 2, 3]
    stubbed = [r for p in pages for r in p["results"] if r["reference"].endswith("STUB")]
    assert stubbed
    for stub in stubbed:
        kept = next(i for i in items if i.id == stub["metadata"]["identifier"][0])
        assert kept.status is not None and kept.description


def _eu_page_urls() -> list[str]:
    base = "https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***"
    return [f"{base}&pageSize=50&pageNumber={n}" for n in (1, 2, 3)]


def test_eu_portal_request_is_multipart_with_json_parts() -> None:
    request = start_requests(EuPortalSpider())[0]
    assert request.method == "POST"
    assert request.headers["Content-Type"].startswith(b"multipart/form-data; boundary=")
    body = request.body.decode()
    for part in ("query", "languages", "sort"):
        assert f'name="{part}"; filename="blob"' in body
    assert body.count("Content-Type: application/json") == 3
    assert '{"field": "identifier", "order": "ASC"}' in body
    assert "43108390" in body and "43152860" in body and '"8"' in body


def test_eu_portal_recorded_topic(parsed: dict[str, Any], records: dict[str, Any]) -> None:
    _, items = parsed["eu-portal"]
    soil = next(i for i in items if i.id == "HORIZON-MISS-2027-05-SOIL-01-two-stage")
    # "2027-04-08T00:00:00.000+0000" is how the API writes a day (its `actions` blob says
    # "deadlineDates": ["2027-04-08", "2027-09-14"]); as a moment it was shown as 02:00
    # Warsaw time, and the portal's deadlines are at 17:00 Brussels time.
    assert soil.deadlines == ["2027-04-08", "2027-09-14"]
    assert soil.opening == "2027-02-04"
    # Brussels' midnight as a Java system in Brussels may write it, in UTC or its own offset.
    assert eu_portal._date_text("2027-04-07T22:00:00.000+0000") == "2027-04-08"
    assert eu_portal._date_text("2027-03-18T00:00:00.000+0100") == "2027-03-18"
    assert eu_portal._date_text("2027-03-18T17:00:00.000+0100") == "2027-03-18T17:00:00+01:00"
    assert soil.status == "forthcoming"
    assert soil.type_of_action == "HORIZON  Research and Innovation Actions"
    # The recorded budgetOverview was cut short: no budget rather than another topic's.
    assert soil.budget is None
    record = next(r for r in records["eu-portal"] if r.id == soil.id)
    assert record.type_of_action == "HORIZON Research and Innovation Actions"
    assert str(record.url).endswith("/topic-details/HORIZON-MISS-2027-05-SOIL-01-two-stage")
    digital = next(
        r for r in records["eu-portal"] if r.id == "HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"
    )
    assert digital.description.startswith("Expected Outcome:\n- European leadership")
    assert "\nScope:\nProposals should establish a forum" in digital.description


def test_eu_portal_legacy_shape_and_dates(records: dict[str, Any]) -> None:
    legacy = next(r for r in records["eu-portal"] if r.id == "HORIZON-CL5-2024-D2-01-03")
    # Its url is the topicDetails JSON; the public page is built from the identifier.
    assert "/topic-details/HORIZON-CL5-2024-D2-01-03" in str(legacy.url)
    assert legacy.extra["record_shape"] == "legacy"
    assert legacy.extra["keywords"][:2] == ["Energy storage", "Social Innovation"]
    # "Forthcoming" in the index, but its deadline passed in 2024.
    assert legacy.status == "closed"


def test_eu_portal_budget_of_this_topic_only(
    parsed: dict[str, Any], records: dict[str, Any]
) -> None:
    _, items = parsed["eu-portal"]
    chips = [i for i in items if i.id.startswith("HORIZON-JU-CHIPS")]
    assert chips and all(i.programme == "Horizon Europe – Chips JU" for i in chips)
    row = _row(chips[0].id)
    overview = json.loads(row["metadata"]["budgetOverview"][0])
    mine = [
        e
        for entries in overview["budgetTopicActionMap"].values()
        for e in entries
        if e["action"].startswith(chips[0].id + " - ")
    ]
    assert chips[0].budget == float(mine[0]["budgetYearMap"]["2027"])
    assert chips[0].currency == "EUR"
    multi = [r for r in records["eu-portal"] if len(r.deadlines) > 1]
    assert multi
    digital = [r for r in records["eu-portal"] if r.programme == "Digital Europe Programme"]
    assert digital
    cascade = [i for i in items if i.extra["type"] == "8"]
    assert cascade and all("/competitive-calls-cs/" in i.url for i in cascade)
    stale = [r for r in records["eu-portal"] if r.deadlines == ["2026-09-16T17:00:00+00:00"]]
    assert stale and all(r.status == "closed" for r in stale)


def _row(identifier: str) -> dict[str, Any]:
    for url in _eu_page_urls():
        for row in json.loads(file_response(url).body)["results"]:
            if (
                row["metadata"]["identifier"][0] == identifier
                and "budgetOverview" in row["metadata"]
            ):
                return row
    raise AssertionError(identifier)


def test_eu_portal_max_pages() -> None:
    _, items = crawl_recorded(EuPortalSpider, max_pages=1)
    assert 0 < len(items) <= 50


def test_spider_arguments_are_validated() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        EuPortalSpider(max_pages="0")
    with pytest.raises(ValueError, match="extra"):
        EuPortalSpider(since="2026")
    assert SpiderArgs.model_validate({"run_id": "3"}).run_id == 3


def test_ncbr_rereads_at_another_page_size_and_dedupes(parsed: dict[str, Any]) -> None:
    spider, items = parsed["ncbr"]
    # 62 competitions; pages of 50 repeat three and hide three, pages of 100 show all.
    assert len(spider.records) == 62
    assert spider.notes == []
    assert all(i.extra["ncbr_status"] != "FINISHED" for i in items)
    smart = next(i for i in items if i.call_identifier == "FENG.01.01-IP.01-003/26")
    assert smart.title == "Ścieżka SMART - Konsorcja"
    assert smart.url == "https://www.gov.pl/web/ncbr/feng0101ip0100326"
    assert smart.link_key == "FENG.01.01-IP.01-003/26"
    assert smart.programme == "FENG"


def test_ncbr_values(records: dict[str, Any]) -> None:
    smart = next(r for r in records["ncbr"] if r.id == "feng0101ip0100326")
    assert smart.budget == 350_000_000 and smart.currency == "PLN"
    assert smart.deadlines[0].endswith("T16:00:00+01:00") or smart.deadlines[0].endswith(
        "T16:00:00+02:00"
    )
    eureka = next(r for r in records["ncbr"] if r.title.startswith("EUREKA"))
    assert eureka.budget is None


def test_ncbr_falls_back_to_the_schedule_page() -> None:
    spider = NcbrSpider()
    with freeze_time(TODAY):
        requests = list(spider.fall_back("HTTP 500"))
        items = follow(requests)
    assert requests[0].url == "https://www.gov.pl/web/ncbr/harmonogram-konkursow-2026"
    assert spider.notes and "schedule page" in spider.notes[0]
    by_title = {i.title: i for i in items}
    smart = by_title["FENG.01.01-IP.01-006/26 - Ścieżka SMART - Konsorcja (nabór jesienny)"]
    assert smart.programme == "Fundusze Europejskie dla Nowoczesnej Gospodarki (FENG)"
    record = normalise(smart, "ncbr", "pl", date.fromisoformat(TODAY))
    assert record.deadlines == ["2027-Q1"]
    assert record.opening_date is None and record.extra["opening"] == "2026-11"
    assert record.budget == 400_000_000
    chips = normalise(
        by_title["Chips JU - krajowe współfinansowanie linii pilotażowych"],
        "ncbr",
        "pl",
        date.fromisoformat(TODAY),
    )
    assert chips.status == "forthcoming" and chips.deadlines == ["2027-Q2"]


def test_ncbr_garbage_answer_falls_back() -> None:
    spider = NcbrSpider()
    request = start_requests(spider)[0]
    from scrapy.http import TextResponse

    garbage = TextResponse(request.url, body=b'{"content": [', encoding="utf-8", request=request)
    with freeze_time(TODAY):
        out = list(request.callback(garbage, **request.cb_kwargs))
    assert out[0].url.endswith("/harmonogram-konkursow-2026")


def test_parp_merges_rounds_of_one_call(parsed: dict[str, Any], records: dict[str, Any]) -> None:
    _, items = parsed["parp"]
    assert sorted(i.id for i in items) == [
        "program-horizon-bridge",
        "sciezka-smart",
        "wzornictwo-w-msp",
    ]
    smart = next(r for r in records["parp"] if r.id == "sciezka-smart")
    assert smart.deadlines == ["2027-03-16", "2027-07-15"]
    assert smart.opening_date == date(2027, 1, 12)
    assert smart.status == "forthcoming"
    # The card's generic <title> is not the call's name.
    assert smart.title == "Ścieżka SMART"
    assert smart.link_key == "FENG.01.01-IP.02-001/27"
    assert smart.budget == 1_000_000_000 and smart.programme == "FENG"
    assert smart.extra["max_funding"] == "do 20 mln zł"


def test_parp_schedule_without_tiles_is_a_layout_change() -> None:
    from scrapy.http import HtmlResponse

    page = HtmlResponse(
        "https://www.parp.gov.pl/harmonogram-naborow", body=b"<html><body>Nowa strona</body></html>"
    )
    with pytest.raises(LayoutChanged):
        list(ParpSpider().parse(page))


def test_ncn_deadlines_from_the_call_pages(records: dict[str, Any]) -> None:
    by_id = {r.id: r for r in records["ncn"]}
    assert set(by_id) == {"opus32", "preludium26", "sonata-bis17"}
    assert by_id["opus32"].deadlines == ["2027-06-16T16:00:00+02:00"]
    assert by_id["opus32"].budget == 550_000_000
    assert by_id["opus32"].opening_date == date(2027, 3, 16)
    assert by_id["sonata-bis17"].deadlines == ["2026-12-15T16:00:00+01:00"]
    assert by_id["sonata-bis17"].status == "open"


def test_fe_portal_follows_paging(parsed: dict[str, Any], records: dict[str, Any]) -> None:
    _, items = parsed["fe-portal"]
    assert len(items) == 5
    by_id = {r.id: r for r in records["fe-portal"]}
    konsorcja = by_id["sciezka-smart-konsorcja-2026"]
    assert konsorcja.link_key == "FENG.01.01-IP.01-003/26"
    assert konsorcja.programme == "FENG"
    assert konsorcja.deadlines == ["2027-01-15"]
    assert konsorcja.opening_date == date(2026, 10, 1)
    assert konsorcja.status == "open"
    assert by_id["wzornictwo-polska-wschodnia-2027"].programme == "FEPW"
    _, first_page_only = crawl_recorded(FePortalSpider, max_pages=1)
    assert len(first_page_only) == 3
