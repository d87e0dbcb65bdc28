"""``callradar templates check``: lint every template before a pack needs it.

For each .docx it reports broken tags (with the text of the paragraph they are in), fields
the context does not have, and whether a sample pack fills into a valid document, in words a
coordinator who edits the templates in Word can act on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from jinja2 import TemplateSyntaxError, meta

from proposals.catalogue import TEMPLATES, TEMPLATES_DIR
from proposals.errors import RenderError
from proposals.render import make_environment, paragraph_at, render_docx, template_source
from proposals.sample import sample_context

_TAG_LEFT = re.compile(r"\{\{|\{%|%\}|\}\}")


@dataclass
class TemplateReport:
    name: str
    path: Path
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_templates(directory: Path = TEMPLATES_DIR) -> list[TemplateReport]:
    """Lint every shipped template in ``directory`` (and flag unknown .docx files there)."""
    # Each against its own context: a field only the profile has fails in any other template.
    reports = [
        check_template(t.path(directory), t.name, sample_context(t.name))
        for t in TEMPLATES.values()
    ]
    known = {t.file for t in TEMPLATES.values()}
    for path in sorted(directory.glob("*.docx")):
        if path.name not in known and not path.name.startswith("~$"):
            reports.append(
                TemplateReport(
                    path.stem,
                    path,
                    warnings=["not one of callradar's templates, so no pack uses it"],
                )
            )
    return reports


def check_template(path: Path, name: str, context: dict[str, Any]) -> TemplateReport:
    report = TemplateReport(name, path)
    if not path.exists():
        report.errors.append(
            f"{path} is missing: restore it from git or run `python -m proposals.build_templates`"
        )
        return report
    try:
        source = template_source(path)
    except Exception as exc:  # a file Word cannot open either: say so, whatever the cause
        report.errors.append(f"cannot be opened as a Word document: {exc}")
        return report
    env = make_environment()
    try:
        # find_undeclared_variables compiles the template: an unknown filter or test
        # ({{ x | uper }}) is found there, not by parse.
        undeclared = meta.find_undeclared_variables(env.parse(source))
    except TemplateSyntaxError as exc:
        near = paragraph_at(source, exc.lineno)
        report.errors.append(f'broken tag: {exc.message}; in the paragraph "{near}"')
        return report
    for variable in sorted(undeclared - set(context)):
        report.errors.append(
            f"unknown field {{{{ {variable} }}}}: the pack has no such field; the fields are "
            + ", ".join(sorted(context))
        )
    if report.errors:
        return report
    try:
        filled = render_docx(path, context, name=path.name)
    except RenderError as exc:
        report.errors.append(exc.message.en + (f'; near "{exc.where}"' if exc.where else ""))
        return report
    for text in _texts(filled):
        if _TAG_LEFT.search(text):
            report.warnings.append(
                f'a tag was left unfilled, probably split by formatting in Word: "{text[:120]}"; '
                "retype it in one go, with the same formatting throughout"
            )
    return report


def _texts(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return texts
