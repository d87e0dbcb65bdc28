"""Reading a file of calls entered by hand (from e-mails, newsletters): one JSON object a line."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from callradar.calls import CallRecord
from callradar.errors import InputFileError, Problem, problems_from_validation


def read_calls_jsonl(path: Path) -> list[CallRecord]:
    """Every call of the file, validated; InputFileError names each bad line and field."""
    if not path.is_file():
        raise InputFileError(path, [Problem("no such file")])
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InputFileError(path, [Problem(f"not UTF-8 text ({exc.reason})")]) from None
    records: list[CallRecord] = []
    problems: list[Problem] = []
    first_line: dict[tuple[str, str], int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        place = f"line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"malformed JSON: {exc.msg} (column {exc.colno})", place))
            continue
        if not isinstance(data, dict):
            problems.append(Problem("expected a JSON object", place))
            continue
        try:
            record = CallRecord.model_validate(data)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, {(): place}))
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
