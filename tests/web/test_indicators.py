"""The cluster's indicators as counted from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from callradar.db import session_scope
from callradar.models import Consortium, Member, Source
from tests.web.conftest import _call, _member
from web import indicators


def test_new_members_are_counted_by_the_year_they_joined(engine: Engine) -> None:
    """On the first import of the office's map every member was 'new' that year."""
    imported = datetime(2026, 3, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        for i, joined in enumerate([2022, 2024, 2024, None]):
            session.add(
                Member(id=f"m{i}", name=f"M{i}", kind="sme", joined=joined, created_at=imported)
            )
    with session_scope(engine) as session:
        data = indicators.compute(session, ZoneInfo("Europe/Warsaw"), date(2026, 6, 1))
    assert data.years == [2022, 2023, 2024, 2025, 2026]
    assert data.new_members == [1, 0, 2, 0, 1]


def test_years_and_months_are_the_clusters_own(engine: Engine) -> None:
    """Counted in CALLRADAR_TIMEZONE, as every moment the app shows: in UTC a consortium
    formed at half past midnight on New Year's Day in Warsaw counted in the year before."""
    warsaw = ZoneInfo("Europe/Warsaw")
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=warsaw)
    first_of_june = datetime(2026, 6, 1, 0, 30, tzinfo=warsaw)
    with session_scope(engine) as session:
        session.add(_member("lumen", "Lumen Photonics", {"integrated-photonics": 3}))
        call = _call("PIC", "Photonic pilot line", "Photonics.", date(2027, 3, 1))
        call.first_seen_at = first_of_june
        session.add(call)
        session.flush()
        session.add(Consortium(call_id=call.id, lead_id="lumen", created_at=new_year))
    with session_scope(engine) as session:
        # 00:10 on 1 January in Warsaw, still 31 December in UTC: the new year is shown.
        now = datetime(2027, 1, 1, 0, 10, tzinfo=warsaw)
        data = indicators.compute(session, warsaw, now.date())
    assert data.years[-1] == 2027 and data.consortia[-1] == 1
    assert data.calls_found[data.months.index("2026-06")] == 1
    assert data.months[-1] == "2027-01"


def test_a_competition_two_sources_list_is_one_call_found(engine: Engine) -> None:
    warsaw = ZoneInfo("Europe/Warsaw")
    with session_scope(engine) as session:
        session.add(Source(name="fe-portal", title="European Funds portal"))
        session.flush()
        first = _call("FENG-SMART", "SMART path (NCBR)", "Research.", date(2027, 3, 1))
        first.first_seen_at = datetime(2026, 5, 20, tzinfo=UTC)
        session.add(first)
        session.flush()
        # The European Funds portal lists the same competition, found a few weeks later.
        copy = _call("FENG-SMART", "SMART path (European Funds)", "Research.", date(2027, 3, 1))
        copy.source, copy.same_as_id = "fe-portal", first.id
        copy.first_seen_at = datetime(2026, 6, 10, tzinfo=UTC)
        session.add(copy)
    with session_scope(engine) as session:
        data = indicators.compute(session, warsaw, date(2026, 6, 30))
    found = dict(zip(data.months, data.calls_found, strict=True))
    assert (found["2026-05"], found["2026-06"]) == (1, 0)
