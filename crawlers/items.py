"""The raw call item every spider yields, before the pipelines validate it into a CallRecord.

Spiders copy what the page says; the pipelines own everything shared: parsing dates and
amounts, HTML to text, the language, the status checked against the dates, and validation
into ``callradar.calls.CallRecord`` (the one call schema).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from callradar.calls import Status


@dataclass(slots=True)
class RawCall:
    """One call as its source shows it."""

    id: str
    title: str
    url: str
    # HTML or plain text, as the source gives it.
    description: str = ""
    programme: str | None = None
    call_identifier: str | None = None
    type_of_action: str | None = None
    # The source's own status mapped to our vocabulary; the pipeline checks it against dates.
    status: Status | None = None
    # ISO values or the source's text ("do 16 czerwca 2026 r.", "I kw. 2027").
    deadlines: list[str] = field(default_factory=list)
    # When applications open: ISO or text; a day, a month or a quarter.
    opening: str | None = None
    # A number, or the source's text ("350 000 000 zł").
    budget: float | str | None = None
    currency: str | None = None
    language: str | None = None
    # An identifier another source shows for the same call (a FENG competition number).
    link_key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
