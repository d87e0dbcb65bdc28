"""NCBR competitions through gov.pl's competition-search JSON API; the schedule page if it fails.

The API pages unstably (rows repeat across pages whatever the sort), so rows are merged by
their ``path`` and the distinct count is checked against ``totalElements``; when short, the
listing is read once more at another page size.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from callradar.calls import Status
from crawlers.items import RawCall
from crawlers.spiders.base import CALL_NUMBER, CallSpider, LayoutChanged, describe_failure, slug

API_URL = (
    "https://www.gov.pl/api/data/competition-search?type=NCBR&language=pl&page={page}&size={size}"
)
SITE = "https://www.gov.pl"
SCHEDULE_URL = "https://www.gov.pl/web/ncbr/harmonogram-konkursow-{year}"
PAGE_SIZES = (50, 100)
STATUSES: dict[str, Status] = {
    "ANNOUNCED": "forthcoming",
    "APPLICATIONS_IN_PROGRESS": "open",
    "APPLICATIONS_IN_EVALUATION": "closed",
    "FINISHED": "closed",
}


class NcbrSpider(CallSpider):
    name = "ncbr"
    title = "NCBR (gov.pl competition search)"
    home_url = "https://www.gov.pl/web/ncbr/konkursy"
    language = "pl"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records: dict[str, dict[str, Any]] = {}

    async def start(self) -> AsyncIterator[Request]:
        yield self.api_request(0, PAGE_SIZES[0])

    def api_request(self, page: int, size: int) -> Request:
        return self.request(
            API_URL.format(page=page, size=size),
            self.parse_api,
            errback=self.api_failed,
            cb_kwargs={"page": page, "size": size},
            headers={"Accept": "application/json"},
        )

    def parse_api(self, response: TextResponse, page: int, size: int) -> Iterator[Any]:
        try:
            data = response.json()
        except ValueError as exc:
            yield from self.fall_back(f"{response.url}: not JSON ({exc})")
            return
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            yield from self.fall_back(f"{response.url}: no 'content' list in the answer")
            return
        for record in data["content"]:
            if isinstance(record, dict) and record.get("path"):
                self.records.setdefault(record["path"], record)
        pages_read = page + 1
        if not data.get("last", not data["content"]) and (
            self.args.max_pages is None or pages_read < self.args.max_pages
        ):
            yield self.api_request(page + 1, size)
            return
        total = int(data.get("totalElements") or 0)
        if len(self.records) < total and size == PAGE_SIZES[0] and self.args.max_pages is None:
            # Unstable paging hid some rows; another page size shows them in other places.
            yield self.api_request(0, PAGE_SIZES[1])
            return
        if len(self.records) < total and self.args.max_pages is None:
            self.note(f"the API lists {total} competitions, {len(self.records)} were read")
        for path in sorted(self.records):
            record = self.records[path]
            if record.get("status") != "FINISHED":
                yield competition_item(record)

    def api_failed(self, failure: Failure) -> Iterator[Request]:
        yield from self.fall_back(describe_failure(failure))

    def fall_back(self, reason: str) -> Iterator[Request]:
        self.note(f"competition API unusable ({reason}); read the schedule page instead")
        self.records.clear()
        yield self.request(SCHEDULE_URL.format(year=self.today().year), self.parse_schedule)

    def parse_schedule(self, response: Response) -> Iterator[RawCall]:
        entries = response.css("article details")
        if not entries:
            raise LayoutChanged("schedule page has no <details> entries in <article>")
        for entry in entries:
            title = " ".join(entry.css("summary ::text").getall()).strip()
            if not title:
                continue
            fields = _labelled(entry.css("li"))
            heading = entry.xpath("preceding::h3[1]//text()").getall()
            number = CALL_NUMBER.search(title)
            yield RawCall(
                id=f"harmonogram-{slug(title)}",
                title=title,
                url=response.url,
                programme=" ".join(heading).strip() or None,
                call_identifier=number[0] if number else None,
                link_key=number[0] if number else None,
                deadlines=[fields["zakończenie naboru wniosków"]]
                if "zakończenie naboru wniosków" in fields
                else [],
                opening=fields.get("rozpoczęcie naboru wniosków"),
                budget=fields.get("alokacja"),
                extra={"announcement": fields.get("ogłoszenie konkursu"), "from": "schedule"},
            )


def competition_item(record: dict[str, Any]) -> RawCall:
    """The call item of one competition of the API."""
    name = " ".join(str(record.get("name") or "").split())
    number = CALL_NUMBER.search(name)
    title = name
    if number and name.startswith(number[0]):
        title = name[len(number[0]) :].lstrip(" -–") or name
    programme = number[0].split(".")[0] if number else None
    return RawCall(
        id=str(record["path"]).rstrip("/").rsplit("/", 1)[-1],
        title=title,
        url=SITE + str(record["path"]),
        description=str(record.get("description") or ""),
        programme=programme or _first_of(record.get("programmeTypes")) or "NCBR",
        call_identifier=number[0] if number else None,
        link_key=number[0] if number else None,
        status=STATUSES.get(str(record.get("status"))),
        deadlines=[record["applicationsEndDate"]] if record.get("applicationsEndDate") else [],
        opening=record.get("applicationsStartDate"),
        budget=record.get("budget"),
        extra={
            "ncbr_status": record.get("status"),
            "thematic_areas": record.get("thematicAreas") or [],
            "types_of_applicant": record.get("typesOfApplicant") or [],
            "sources_of_funding": record.get("sourcesOfFunding") or [],
            "announcement_date": record.get("announcementDate"),
            "results_date": record.get("resultsDate"),
        },
    )


def _first_of(values: Any) -> str | None:
    if isinstance(values, list) and values:
        return str(values[0])
    return None


def _labelled(items: Any) -> dict[str, str]:
    """'Alokacja: 100 mln zł' list items as {'alokacja': '100 mln zł'}."""
    fields: dict[str, str] = {}
    for item in items:
        text = " ".join(" ".join(item.css("::text").getall()).split())
        label, sep, value = text.partition(":")
        if sep:
            fields[label.strip().lower()] = value.strip()
    return fields
