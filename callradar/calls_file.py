"""Reading a file of calls entered by hand (from e-mails, newsletters): one JSON object a line."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from pydantic import ValidationError

from callradar.calls import CallRecord
from callradar.errors import InputFileError, Problem, problems_from_validation
from callradar.jsonl import json_lines


def read_calls_jsonl(path: Path, crawled: Collection[str]) -> list[CallRecord]:
    """Every call of the file, validated; InputFileError names each bad line and field.

    ``crawled`` are the sources a crawler stores: a call entered by hand cannot be one of
    theirs, or the next crawl would overwrite it (or it a crawled call of the same id)."""
    rows, problems = json_lines(path)
    records: list[CallRecord] = []
    first_line: dict[tuple[str, str], int] = {}
    for number, data in rows:
        place = f"line {number}"
        try:
            record = CallRecord.model_validate(data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, {(): place}))
            continue
        if record.source in crawled:
            problems.append(
                Problem(
                    f"{record.source!r} is a crawled source: a call entered by hand keeps a "
                    "source of its own (default 'manual'); 'link_key' links it to a crawled call",
                    place,
                    "source",
                )
            )
            continue
        key = (record.source, record.id)
        if key in first_line:
            problems.append(
                Problem(
                    f"duplicate call id {record.id!r} of source {record.source!r} "
                    f"(first on line {first_line[key]})",
                    place,
                    "id",
                )
            )
            continue
        first_line[key] = number
        records.append(record)
    if problems:
        raise InputFileError(path, problems)
    if not records:
        raise InputFileError(path, [Problem("the file holds no calls")])
    return records
