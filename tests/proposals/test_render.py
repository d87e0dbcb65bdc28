"""Rendering: autoescaped, sandboxed, strict; every failure names the template and the place."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from proposals.catalogue import TEMPLATES_DIR
from proposals.errors import RenderError
from proposals.render import render_docx
from proposals.sample import sample_context


def template(tmp_path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    return path


def texts(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_xml_special_characters_are_escaped_not_cutting_the_document(tmp_path: Path) -> None:
    path = template(tmp_path, "A {{ x }} B", "after")
    data = render_docx(path, {"x": "R&D <b>bold</b> \"q\" 'a' ]]> &amp;"})
    assert texts(data) == ["A R&D <b>bold</b> \"q\" 'a' ]]> &amp; B", "after"]


def test_a_field_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    path = template(tmp_path, "{{ x }}")
    with pytest.raises(RenderError, match=r"field partners\[1\]\.name holds the character U\+0007"):
        render_docx(path, {"x": "", "partners": [{"name": "ok"}, {"name": "bell\x07"}]})
    with pytest.raises(RenderError, match="field when is a date"):
        from datetime import date

        render_docx(path, {"x": "", "when": date(2027, 1, 1)})


def test_template_errors_say_where(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"t.docx: unknown field: 'call' is undefined") as exc:
        render_docx(template(tmp_path, "Intro", "Title: {{ call.title }}"), {})
    assert exc.value.where is not None and "Title:" in exc.value.where
    with pytest.raises(RenderError, match="broken tag"):
        render_docx(template(tmp_path, "{% if x %}never closed"), {"x": True})
    with pytest.raises(RenderError, match="has no attribute 'titel'"):
        render_docx(template(tmp_path, "{{ call.titel }}"), {"call": {"title": "t"}})


def test_arithmetic_that_fails_on_the_data_says_where(tmp_path: Path) -> None:
    # Fine on the sample context, failing on a call or member that lacks a number.
    path = template(tmp_path, "Intro", "Share: {{ total / count }}")
    with pytest.raises(RenderError, match="division by zero") as exc:
        render_docx(path, {"total": 10, "count": 0})
    assert exc.value.where is not None and "Share:" in exc.value.where
    with pytest.raises(RenderError, match="unsupported operand"):
        render_docx(template(tmp_path, "{{ trl * 2 }}"), {"trl": None})


@pytest.mark.parametrize("content", [None, b"not a docx", b"PK\x03\x04 half a zip"])
def test_a_missing_or_damaged_template_file_is_named(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "t.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RenderError, match="t.docx: the template cannot be opened as a Word"):
        render_docx(path, {})


def test_templates_cannot_reach_python(tmp_path: Path) -> None:
    escape = "{{ x.__class__.__mro__[1].__subclasses__() }}"
    with pytest.raises(RenderError):
        render_docx(template(tmp_path, escape), {"x": "text"})
    # Jinja in the data is data: it is written, not run.
    data = render_docx(template(tmp_path, "{{ x }}"), {"x": "{{ 7 * 7 }} {% if 1 %}"})
    assert texts(data) == ["{{ 7 * 7 }} {% if 1 %}"]


def test_newlines_become_line_breaks_and_none_is_empty(tmp_path: Path) -> None:
    data = render_docx(template(tmp_path, "{{ a }}|{{ b }}"), {"a": "one\ntwo", "b": None})
    assert texts(data) == ["one\ntwo|"]


def test_every_shipped_template_renders_the_sample(tmp_path: Path) -> None:
    from proposals.catalogue import TEMPLATES

    context = sample_context()
    for info in TEMPLATES.values():
        text = "\n".join(texts(render_docx(info.path(), context)))
        assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize(("size", "said"), [(1, "1 participant from"), (3, "3 participants from")])
def test_the_draft_counts_its_participants_in_english(size: int, said: str) -> None:
    context = sample_context("horizon-europe-part-b-ria-ia.docx")
    context["consortium"]["size"] = size
    data = render_docx(TEMPLATES_DIR / "horizon-europe-part-b-ria-ia.docx", context)
    assert any(f"brings together {said}" in text for text in texts(data))
