"""`callradar templates check`: every shipped template passes; broken ones are explained."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document

from proposals.catalogue import TEMPLATES, TEMPLATES_DIR
from proposals.lint import check_templates
from tests.conftest import CliRun


def test_every_shipped_template_passes() -> None:
    reports = check_templates()
    assert {r.name for r in reports} == set(TEMPLATES)
    assert [(r.name, r.errors, r.warnings) for r in reports if r.errors or r.warnings] == []


def _broken_copy(tmp_path: Path, name: str, *paragraphs: str) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, folder)
    doc = Document(str(folder / TEMPLATES[name].file))
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(folder / TEMPLATES[name].file))
    return folder


def test_broken_tags_and_unknown_fields_are_explained(tmp_path: Path) -> None:
    folder = _broken_copy(tmp_path, "checklist", "Budget: {{ call.budget_text }", "end")
    report = {r.name: r for r in check_templates(folder)}["checklist"]
    assert len(report.errors) == 1
    assert report.errors[0].startswith("broken tag: unexpected '}'")
    assert 'in the paragraph "Budget: {{ call.budget_text }' in report.errors[0]

    folder = _broken_copy(
        tmp_path / "2", "mentor-notes", "Led by {{ leader.name }}", "{{ call.titel }}"
    )
    report = {r.name: r for r in check_templates(folder)}["mentor-notes"]
    assert report.errors[0].startswith("unknown field {{ leader }}: the pack has no such field")
    assert "call, consortium, documents, lead, mentor, pack" in report.errors[0]

    folder = _broken_copy(tmp_path / "3", "partner-profile", "{{ call.titel }}")
    report = {r.name: r for r in check_templates(folder)}["partner-profile"]
    assert report.errors == [
        "unknown field: 'dict object' has no attribute 'titel'; `callradar templates check` "
        'lists the fields a template can use; near "{{ call.titel }}"'
    ]


def test_the_profiles_member_is_unknown_in_the_other_templates(tmp_path: Path) -> None:
    # Only a participant's profile is filled with ``member``: the pack fails on it elsewhere.
    folder = _broken_copy(tmp_path, "checklist", "Contact: {{ member.name }}")
    reports = {r.name: r for r in check_templates(folder)}
    assert reports["checklist"].errors[0].startswith("unknown field {{ member }}")
    folder = _broken_copy(tmp_path / "2", "partner-profile", "Contact: {{ member.name }}")
    assert {r.name: r for r in check_templates(folder)}["partner-profile"].ok


def test_an_unknown_filter_is_a_broken_tag(tmp_path: Path) -> None:
    folder = _broken_copy(tmp_path, "checklist", "Title: {{ call.title | uper }}")
    report = {r.name: r for r in check_templates(folder)}["checklist"]
    assert report.errors == [
        "broken tag: No filter named 'uper'.; in the paragraph \"Title: {{ call.title | uper }}\""
    ]


def test_templates_check_command(cli: CliRun, tmp_path: Path) -> None:
    ok = cli("templates", "check")
    assert ok.exit_code == 0 and ok.stdout.count(": ok") == len(TEMPLATES)
    folder = _broken_copy(tmp_path, "horizon-ria-ia", "{% for p in participants %}")
    (folder / TEMPLATES["checklist"].file).unlink()
    (folder / "my-own.docx").write_bytes((TEMPLATES_DIR / "checklist.docx").read_bytes())
    bad = cli("templates", "check", "--dir", folder)
    assert bad.exit_code == 1
    assert "horizon-europe-part-b-ria-ia.docx: ERRORS" in bad.stdout
    assert "Unexpected end of template" in bad.stdout
    assert "checklist.docx is missing" in bad.stdout
    assert "my-own.docx: ok" in bad.stdout and "no pack uses it" in bad.stdout


def test_templates_check_of_a_folder_that_is_not_there_is_a_usage_error(
    cli: CliRun, tmp_path: Path
) -> None:
    for wrong in (tmp_path / "no-such-folder", TEMPLATES_DIR / TEMPLATES["checklist"].file):
        result = cli("templates", "check", "--dir", wrong)
        assert result.exit_code == 2 and "--dir" in result.output
        assert "is missing" not in result.output
