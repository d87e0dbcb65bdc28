"""Per-field validation figures of a crawl, and the warning when they drop sharply.

Like City Bureau's ValidationPipeline: for each field, the share of a run's items that had
a valid value. A source whose layout changed usually still answers, but its deadlines or
texts vanish; a share falling far below the last good run's is reported as a probable
layout change.
"""

from __future__ import annotations

from typing import Any

from callradar.calls import CallRecord

TRACKED_FIELDS = ("title", "description", "url", "deadlines", "status", "opening_date", "budget")
# A fall of this many percentage points from the last good run is a probable layout change.
SHARP_DROP = 0.3


def present_fields(record: CallRecord) -> list[str]:
    """The tracked fields ``record`` has a value for."""
    return [name for name in TRACKED_FIELDS if getattr(record, name) not in (None, "", [])]


def field_shares(counts: dict[str, int], items: int) -> dict[str, Any]:
    """The figures stored in SourceRun.field_stats: item count and each field's share."""
    return {
        "items": items,
        "fields": {
            name: round(counts.get(name, 0) / items, 3) if items else 0.0 for name in TRACKED_FIELDS
        },
    }


def layout_warnings(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """Warnings for fields whose share fell sharply since the last good run."""
    if not previous or not previous.get("items") or not current.get("items"):
        return []
    warnings = []
    for name, share in current["fields"].items():
        before = previous.get("fields", {}).get(name)
        if before is not None and before - share >= SHARP_DROP:
            warnings.append(
                f"probable layout change: {name} found on {share:.0%} of items (was {before:.0%})"
            )
    return warnings
