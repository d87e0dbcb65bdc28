"""File mode: tag a JSON-lines file of calls into a JSON-lines file of tags."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictStr,
    ValidationError,
    field_validator,
)

from callradar.errors import InputFileError, Problem, problems_from_validation
from callradar.jsonl import json_lines
from tagging.result import CallText
from tagging.tagger import Tagger


class InputLine(BaseModel):
    """One line of an input file: a call to tag (other keys are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    title: StrictStr = ""
    description: StrictStr = ""
    language: StrictStr | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        # Booleans are ints to Python; a call's id is text or a number, never a flag.
        if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
            raise ValueError("must be a non-empty string or an integer")
        return str(value)


@dataclass(frozen=True, slots=True)
class FileSummary:
    tagged: int
    skipped: list[str]


def read_calls(path: Path) -> list[CallText]:
    """Every call of the file, or InputFileError naming each bad line and field.

    The whole file is read before anything is tagged, so a bad line late in a file
    costs no tagging work and leaves no partial output.
    """
    rows, problems = json_lines(path)
    calls: list[CallText] = []
    first_line: dict[str, int] = {}
    for number, row in rows:
        place = f"line {number}"
        try:
            line = InputLine.model_validate(row)
        except ValidationError as exc:
            problems.extend(problems_from_validation(exc, {(): place}))
            continue
        call_id = line.id
        if call_id in first_line:
            problems.append(
                Problem(
                    f"duplicate id {call_id!r} (first on line {first_line[call_id]})", place, "id"
                )
            )
            continue
        first_line[call_id] = number
        calls.append(CallText(call_id, line.title, line.description, line.language))
    if problems:
        raise InputFileError(path, problems)
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
