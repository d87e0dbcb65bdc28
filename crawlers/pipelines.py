"""Item pipelines: normalise and validate each raw item into a CallRecord, then store a crawl.

``NormalisePipeline`` owns what every source shares: dates and amounts parsed, HTML made
text, the language, the status checked against the dates, validation into
``callradar.calls.CallRecord``, and per-field counts in the crawl's stats.

``StorePipeline`` keeps a crawl's records and writes them when the spider has closed, in
one session with ``store_calls``, only if the crawl succeeded and ran to its end: a source
that failed or was stopped part-way changes nothing stored (its earlier calls stay as they
were), and its SourceRun says why.
Holding the writes to the end also keeps concurrent spiders of one process from holding
SQLite's write lock against each other.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from scrapy import signals
from scrapy.exceptions import DropItem
from sqlalchemy import Engine

from callradar.calls import CallRecord, Outcome, store_calls
from callradar.db import current_revision, make_engine, session_scope, upgrade
from callradar.deadlines import parse_deadline
from callradar.models import SourceRun, utcnow
from callradar.settings import get_settings
from crawlers.amounts import parse_amount
from crawlers.dates import normalise_date, period_start
from crawlers.html import html_to_text
from crawlers.items import RawCall
from crawlers.source_runs import ensure_source, last_good_field_stats, start_run
from crawlers.validation import TRACKED_FIELDS, field_shares, layout_warnings, present_fields

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawlers.spiders.base import CallSpider

STATS_PREFIX = "callradar"

# How the message of a crawl that answered but held no call begins: source health reports
# such a source as empty, not as unreachable.
NO_CALLS = "no calls found: an empty answer or a changed layout"


class NormalisePipeline:
    """RawCall → CallRecord; an item that does not validate is dropped and counted."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: RawCall) -> CallRecord:
        spider: CallSpider = self.crawler.spider  # type: ignore[assignment]
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"{STATS_PREFIX}/items")
        try:
            record = normalise(item, spider.name, spider.language, get_settings().today())
        except ValidationError as exc:
            stats.inc_value(f"{STATS_PREFIX}/invalid")
            problem = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3]
            )
            spider.note(f"item {item.id!r} refused: {problem}")
            raise DropItem(f"invalid call {item.id!r}: {problem}") from None
        except Exception as exc:  # noqa: BLE001 - a value of a type no parser expects
            # Scrapy would log it and lose the item unseen by the run; this costs the item only.
            stats.inc_value(f"{STATS_PREFIX}/invalid")
            problem = f"{type(exc).__name__}: {exc}"
            spider.note(f"item {item.id!r} refused: {problem}")
            raise DropItem(f"unreadable call {item.id!r}: {problem}") from None
        unparsed = [d for d in item.deadlines if normalise_date(d) is None]
        if unparsed:
            spider.note(f"item {item.id!r}: deadline text not understood: {unparsed[0]!r}")
        return record


def normalise(item: RawCall, source: str, language: str, today: Any) -> CallRecord:
    """The validated CallRecord of a raw item (raises pydantic's ValidationError)."""
    deadlines = [v for v in (normalise_date(d) for d in item.deadlines) if v is not None]
    opening = normalise_date(item.opening)
    extra = dict(item.extra)
    opening_date = None
    if opening is not None:
        if parse_deadline(opening).precision in ("date", "datetime"):
            opening_date = parse_deadline(opening).latest
        else:
            # Known only to a month or a quarter: kept as such, never given a day.
            extra["opening"] = opening
    budget, currency = _money(item.budget, item.currency)
    status = item.status
    if status is None and opening is not None and period_start(opening) > today:
        status = "forthcoming"
    # Validated from a plain mapping: the spider's strings (the URL among them) are
    # untrusted input that pydantic parses, not values of the model's types already.
    record = CallRecord.model_validate(
        {
            "id": item.id,
            "source": source,
            # A JSON source's title may come escaped ("&ndash;", "&quot;") or with its CMS's
            # tags ("<i>in situ</i>"); a page's is decoded. One line, whatever its <br>.
            "title": " ".join(html_to_text(item.title).split()),
            "description": html_to_text(item.description),
            "url": item.url,
            "programme": item.programme,
            "call_identifier": item.call_identifier,
            "type_of_action": item.type_of_action,
            "status": status,
            "deadlines": deadlines,
            "opening_date": opening_date,
            "budget": budget,
            "currency": currency,
            "language": _language_code(item.language) or language,
            "link_key": item.link_key,
            "extra": extra,
        }
    )
    record.status = record.checked_status(today)
    return record


def _language_code(value: str | None) -> str | None:
    """The two-letter code of a source's language field ("EN", "en-GB", "pl_PL"), or None
    when it holds none: the field is not worth refusing a call over."""
    code = re.split(r"[-_]", str(value or "").strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _money(budget: float | str | None, currency: str | None) -> tuple[float | None, str | None]:
    if isinstance(budget, int | float):
        return float(budget), currency
    parsed = parse_amount(budget)
    if parsed is None:
        return None, None
    return parsed


@lru_cache
def ready_engine(url: str) -> Engine:
    """One engine per database URL and process (spiders of a process share it).

    A database never migrated (a first ``scrapy crawl``) is migrated; an existing one is
    taken as it is, because loading the migrations costs seconds on every crawl
    (``callradar db upgrade`` brings an older one up to date).
    """
    engine = make_engine(url)
    if current_revision(engine) is None:
        upgrade(engine)
    return engine


class StorePipeline:
    """Keeps a crawl's records; stores them and fills in the SourceRun when the spider closes."""

    def __init__(self, crawler: Crawler, engine: Engine) -> None:
        self.crawler = crawler
        self.engine = engine
        self.records: dict[str, CallRecord] = {}
        self.duplicates = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        url = crawler.settings.get("CALLRADAR_DATABASE_URL") or get_settings().resolved_database_url
        pipeline = cls(crawler, ready_engine(url))
        # Not close_spider: pipelines close before the engine says why the spider closed,
        # and a crawl stopped early (a timeout, a shutdown) must not be stored as whole.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, record: CallRecord) -> dict[str, Any]:
        """Keep the record; pass on its JSON form (what ``scrapy crawl -O`` writes)."""
        if record.id in self.records:
            self.duplicates += 1
        else:
            self.records[record.id] = record
        return record.model_dump(mode="json")

    def spider_closed(self, reason: str) -> None:
        spider: CallSpider = self.crawler.spider  # type: ignore[assignment]
        stats = self.crawler.stats
        assert stats is not None
        problems = spider.problems + spider.closing_problems()
        if (
            not self.records
            and not spider.held
            and not spider.unreachable
            and not spider.may_be_empty
        ):
            # The source answered but held no call: first, so source health sees it.
            problems.insert(0, NO_CALLS)
        if reason != "finished":
            problems.append(f"the crawl stopped early ({reason})")
        # Counted once over the kept records, not a stats call per field and item.
        counts: Counter[str] = Counter()
        for record in self.records.values():
            counts.update(present_fields(record))
        for name in TRACKED_FIELDS:
            stats.set_value(f"{STATS_PREFIX}/field/{name}", counts[name])
        shares = field_shares(counts, len(self.records))
        outcomes: Counter[Outcome] = Counter()
        if not problems:
            try:
                outcomes = self._store(spider)
            except Exception as exc:  # noqa: BLE001 - any database error fails this source only
                problems.append(f"storing the calls failed: {type(exc).__name__}: {exc}")
        self._finish_run(spider, problems, shares, outcomes)

    def _store(self, spider: CallSpider) -> Counter[Outcome]:
        with session_scope(self.engine) as session:
            ensure_source(session, spider.name, spider.title, spider.home_url)
            results = store_calls(session, list(self.records.values()), now=utcnow())
        return Counter(result.outcome for result in results)

    def _finish_run(
        self,
        spider: CallSpider,
        problems: list[str],
        shares: dict[str, Any],
        outcomes: Counter[Outcome],
    ) -> None:
        stats = self.crawler.stats
        assert stats is not None
        invalid = int(stats.get_value(f"{STATS_PREFIX}/invalid", 0))
        with session_scope(self.engine) as session:
            ensure_source(session, spider.name, spider.title, spider.home_url)
            run = session.get(SourceRun, spider.args.run_id) if spider.args.run_id else None
            if run is None:
                run = start_run(session, spider.name)
            notes = list(spider.notes)
            if self.duplicates:
                notes.append(f"{self.duplicates} item(s) repeated an id and were skipped")
            if not problems:
                notes += layout_warnings(
                    last_good_field_stats(session, spider.name, run.id), shares
                )
            run.ok = not problems
            run.finished_at = utcnow()
            run.seen = int(stats.get_value(f"{STATS_PREFIX}/items", 0))
            run.new = outcomes[Outcome.NEW]
            run.changed = outcomes[Outcome.CHANGED]
            run.unchanged = outcomes[Outcome.UNCHANGED]
            run.errors = invalid + len(problems)
            run.field_stats = shares
            run.message = "\n".join(problems + notes) or None
