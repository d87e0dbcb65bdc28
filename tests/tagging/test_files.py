from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callradar.errors import InputFileError
from tagging.cli import app
from tagging.files import read_calls, tag_file
from tagging.tagger import Tagger


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tag_file_writes_one_line_per_call(tmp_path: Path, tagger: Tagger) -> None:
    source = write(
        tmp_path / "in.jsonl",
        json.dumps({"id": "a", "title": "Radar and antennas", "description": "mmWave"}),
        "",
        json.dumps({"id": 7, "title": "", "description": "<br>", "language": "en"}),
    )
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
        ("not json", "line 2: malformed JSON"),
        ("[1, 2]", "line 2: expected a JSON object, got list"),
        ('{"title": "x"}', "line 2, field 'id': required field is missing"),
        (
            '{"id": "", "title": "x"}',
            "line 2, field 'id': must be a non-empty string or an integer",
        ),
        ('{"id": true}', "line 2, field 'id': must be a non-empty string or an integer"),
        ('{"id": "b", "title": 3}', "line 2, field 'title': Input should be a valid string"),
        ('{"id": "a", "title": "x"}', "line 2, field 'id': duplicate id 'a' (first on line 1)"),
        ('{"id": "b", "description": ["x"]}', "line 2, field 'description': Input should be"),
    ],
)
def test_malformed_input_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    source = write(tmp_path / "in.jsonl", '{"id": "a", "title": "t"}', line)
    with pytest.raises(InputFileError) as refused:
        read_calls(source)
    assert refused.value.path == source
    assert any(str(p).startswith(message) for p in refused.value.problems), refused.value.problems


def test_nothing_is_written_on_error(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", '{"id": "a"}', "{broken")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    result = CliRunner().invoke(app, ["--input", str(source), "--output", str(out)])
    assert result.exit_code == 2
    assert "in.jsonl: line 2: malformed JSON" in result.output
    assert "nothing was written" in result.output
    assert out.read_text() == "previous\n"
    assert not list(tmp_path.glob(".out.jsonl.*"))


def test_cli_needs_both_input_and_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--input", str(tmp_path / "x.jsonl")])
    assert result.exit_code != 0


def test_cli_output_that_is_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    source = write(tmp_path / "in.jsonl", '{"id": "a", "title": "Chips", "description": "x"}')
    result = CliRunner().invoke(app, ["--input", str(source), "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "directory" in result.output


def test_cli_prints_file_names_as_they_are(tmp_path: Path) -> None:
    source = write(tmp_path / "calls[draft].jsonl", '{"id": "a"}', "{broken")
    result = CliRunner().invoke(app, ["--input", str(source), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "calls[draft].jsonl: refused, nothing was written" in result.output


def test_a_lone_surrogate_in_a_call_is_dropped_not_a_crash(tmp_path: Path, tagger: Tagger) -> None:
    """JSON may escape half of a UTF-16 pair ("\\ud83d", an emoji cut in two by a source
    that shortened its text): the call is tagged and the output is valid UTF-8."""
    source = write(
        tmp_path / "in.jsonl",
        '{"id": "a", "title": "Silicon photonics \\ud83d", "description": "PICs \\udc00 for 6G"}',
    )
    summary = tag_file(source, tmp_path / "out.jsonl", tagger)
    assert summary.tagged == 1 and not summary.skipped
    line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert "integrated-photonics" in [area["code"] for area in line["areas"]]
