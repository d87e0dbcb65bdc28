from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tagging.cli import app
from tagging.files import InputError, read_calls, tag_file
from tagging.tagger import Tagger


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tag_file_writes_one_line_per_call(tmp_path: Path, tagger: Tagger) -> None:
    source = write(tmp_path / "in.jsonl",
                   json.dumps({"id": "a", "title": "Radar and antennas", "description": "mmWave"}),
                   "",
                   json.dumps({"id": 7, "title": "", "description": "<br>", "language": "en"}))
    summary = tag_file(source, tmp_path / "out.jsonl", tagger)
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [x["id"] for x in lines] == ["a", "7"]
    assert lines[0]["areas"][0]["code"] == "rf-wireless"
    assert set(lines[0]) == {"id", "areas", "domains"}
    assert set(lines[0]["areas"][0]) == {"code", "score", "evidence"}
    assert lines[1]["skipped"] and summary.skipped == [f"7: {lines[1]['skipped']}"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", r"in\.jsonl:2: not valid JSON"),
        ("[1, 2]", r"in\.jsonl:2: expected a JSON object"),
        ('{"title": "x"}', r"in\.jsonl:2: 'id' must be"),
        ('{"id": "a", "title": 3}', r"in\.jsonl:2: duplicate id 'a' \(first on line 1\)"),
        ('{"id": "b", "description": ["x"]}', r"in\.jsonl:2: 'description' must be a string"),
    ],
)
def test_malformed_input_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    source = write(tmp_path / "in.jsonl", '{"id": "a", "title": "t"}', line)
    with pytest.raises(InputError, match=message):
        read_calls(source)


def test_nothing_is_written_on_error(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", '{"id": "a"}', "{broken")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = CliRunner().invoke(app, ["--input", str(source), "--output", str(out)])
    assert result.exit_code == 2
    assert "in.jsonl:2" in result.output and "nothing written" in result.output
    assert out.read_text() == "previous\n"
    assert not list(tmp_path.glob(".out.jsonl.*"))


def test_cli_needs_both_input_and_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--input", str(tmp_path / "x.jsonl")])
    assert result.exit_code != 0
