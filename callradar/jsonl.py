"""Reading JSON-lines files from users: one JSON object a line, each with its line number."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from callradar.errors import InputFileError, Problem


def json_lines(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Each line's object with its line number, and a Problem for each line that is not a
    JSON object; blank lines are skipped. A missing or non-UTF-8 file raises
    InputFileError: nothing of it can be read."""
    if path.is_dir():
        raise InputFileError(path, [Problem("a folder, not a file")])
    if not path.is_file():
        raise InputFileError(path, [Problem("no such file")])
    try:
        # utf-8-sig: Notepad and Excel start a UTF-8 file with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            path, [Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from None
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    # Lines end at "\n" only (a "\r" before it is JSON whitespace): splitlines() also broke
    # at U+2028, U+0085 and the like, which JSON strings hold unescaped (json.dumps with
    # ensure_ascii=False writes them so), cutting such a line in pieces.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        place = f"line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"malformed JSON: {exc.msg} (column {exc.colno})", place))
            continue
        except RecursionError:
            problems.append(Problem("JSON nested too deeply", place))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(f"expected a JSON object, got {type(data).__name__}", place))
            continue
        rows.append((number, data))
    return rows, problems
