"""File mode: tag a JSON-lines file of calls into a JSON-lines file of tags."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tagging.result import CallText
from tagging.tagger import Tagger


class InputError(ValueError):
    """A malformed input line; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class FileSummary:
    tagged: int
    skipped: list[str]


def read_calls(path: Path) -> list[CallText]:
    """Every call of the file, or an InputError naming the first bad line.

    The whole file is read before anything is tagged, so a bad line late in a file
    costs no tagging work and leaves no partial output.
    """
    calls: list[CallText] = []
    first_line: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(row).__name__}")
        call_id = row.get("id")
        if isinstance(call_id, bool) or not isinstance(call_id, str | int) or call_id == "":
            raise InputError(f"{where}: 'id' must be a non-empty string or an integer")
        call_id = str(call_id)
        if call_id in first_line:
            first = first_line[call_id]
            raise InputError(f"{where}: duplicate id {call_id!r} (first on line {first})")
        first_line[call_id] = number
        fields: dict[str, str] = {}
        for key in ("title", "description"):
            value = row.get(key, "")
            if not isinstance(value, str):
                raise InputError(f"{where}: {key!r} must be a string")
            fields[key] = value
        language = row.get("language")
        if language is not None and not isinstance(language, str):
            raise InputError(f"{where}: 'language' must be a string when given")
        calls.append(CallText(call_id, fields["title"], fields["description"], language))
    return calls


def _lines(tagger: Tagger, calls: list[CallText], skipped: list[str]) -> Iterator[str]:
    for result in tagger.tag_many(calls):
        if result.skipped:
            skipped.append(f"{result.id}: {result.skipped}")
        yield json.dumps(result.to_json(), ensure_ascii=False) + "\n"


def tag_file(input_path: Path, output_path: Path, tagger: Tagger | None = None) -> FileSummary:
    """Tag every call in `input_path` and write one line per call to `output_path`.

    The output is written to a temporary file beside it and renamed into place, so on any
    error the output path is left as it was.
    """
    calls = read_calls(input_path)
    tagger = tagger or Tagger.load()
    skipped: list[str] = []
    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=output_path.parent, prefix=f".{output_path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.writelines(_lines(tagger, calls, skipped))
        os.replace(tmp_name, output_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return FileSummary(tagged=len(calls) - len(skipped), skipped=skipped)
