"""The cluster's indicators as counted from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from callradar.db import session_scope
from callradar.models import Call, Consortium, Member
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
        data = indicators.compute(session, today=date(2026, 6, 1))
    assert data.years == [2022, 2023, 2024, 2025, 2026]
    assert data.new_members == [1, 0, 2, 0, 1]


def test_years_and_months_are_the_cluster_s_not_utc(engine: Engine) -> None:
    """Warsaw is an hour or two ahead of UTC: a consortium formed at 00:30 on New Year's Day
    and a call found at 00:30 on the 1st of June counted in the year and month before."""
    new_year = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # 2026-01-01 00:30 in Warsaw
    june = datetime(2026, 5, 31, 22, 30, tzinfo=UTC)  # 2026-06-01 00:30 in Warsaw
    with session_scope(engine) as session:
        session.add(Member(id="lead", name="Lead", kind="sme", joined=2020))
        session.add(Call(id=1, source="manual", external_id="c1", ref="C1", title="A call",
                         fingerprint="f", first_seen_at=june))
        session.flush()
        session.add(Consortium(call_id=1, lead_id="lead", status="submitted",
                               created_at=new_year))
    with session_scope(engine) as session:
        data = indicators.compute(session, today=date(2026, 6, 15))
    assert dict(zip(data.years, data.consortia, strict=True))[2026] == 1
    assert data.submitted[-1] == 1
    assert dict(zip(data.months, data.calls_found, strict=True)) == {
        **{m: 0 for m in data.months}, "2026-06": 1
    }
