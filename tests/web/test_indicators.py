"""The cluster's indicators as counted from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Engine

from callradar.db import session_scope
from callradar.models import Member
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
