"""Filling a .docx template with a context, in a sandboxed, autoescaping Jinja environment.

Every failure comes out as one ``RenderError`` naming the template and the field or the
template text where it happened; a document that would not be valid Word XML is refused,
never written.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.opc.exceptions import OpcError
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from proposals.errors import RenderError
from proposals.safetext import xml_incompatible
from proposals.wording import say

_XML_TAGS = re.compile(r"<[^>]+>")
_WORD_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


def make_environment() -> SandboxedEnvironment:
    """The one Jinja environment templates are rendered in.

    Sandboxed: a template edited in Word can read the context and nothing else. Autoescaping:
    ``&`` and ``<`` in the data are written as XML entities instead of cutting the document.
    Strict: a misspelt field is an error, not an empty place in the draft.
    """
    return SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=lambda value: "" if value is None else value,
    )


class _BrokenXmlError(Exception):
    pass


class _StrictDocxTemplate(DocxTemplate):  # type: ignore[misc]
    def fix_tables(self, xml: str) -> Any:
        # docxtpl re-parses the rendered body with recover=True, which silently drops
        # whatever follows a broken spot: check it strictly first.
        try:
            etree.fromstring(xml.encode("utf-8"))
        except etree.XMLSyntaxError as exc:
            raise _BrokenXmlError(str(exc)) from None
        return super().fix_tables(xml)


def render_docx(template: Path, context: Mapping[str, Any], name: str | None = None) -> bytes:
    """The .docx ``template`` filled with ``context``; raises RenderError saying where."""
    name = name or template.name
    check_context(context, name)
    doc = _StrictDocxTemplate(str(template))
    try:
        # Loaded here, not inside render: a missing or damaged template file is named as such.
        doc.init_docx()
    except (OpcError, zipfile.BadZipFile, zlib.error, KeyError, OSError) as exc:
        raise RenderError(name, say("error.unreadable_template", why=str(exc))) from None
    try:
        doc.render(dict(context), make_environment(), autoescape=True)
    except TemplateSyntaxError as exc:
        raise RenderError(
            name, say("error.broken_tag", why=exc.message), _near(exc, template)
        ) from None
    except UndefinedError as exc:
        raise RenderError(
            name, say("error.unknown_field", why=exc.message), _near(exc, template)
        ) from None
    except SecurityError as exc:
        raise RenderError(
            name, say("error.not_allowed", why=str(exc)), _near(exc, template)
        ) from None
    except TemplateError as exc:
        raise RenderError(
            name, say("error.cannot_fill", why=str(exc)), _near(exc, template)
        ) from None
    except _BrokenXmlError as exc:
        raise RenderError(name, say("error.bad_word_xml"), str(exc)) from None
    except (KeyError, ValueError, TypeError, ArithmeticError) as exc:
        # Arithmetic on the data ({{ a / b }}, {{ x * 2 }}) fits the sample but can fail on a
        # real call or member: no partners, no readiness range, no budget.
        raise RenderError(
            name, say("error.cannot_fill", why=str(exc)), _near(exc, template)
        ) from None
    out = io.BytesIO()
    doc.save(out)
    data = out.getvalue()
    _check_package(data, name)
    return data


def _near(exc: Exception, template: Path) -> str | None:
    """The text of the template paragraph where Jinja stopped."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        # Jinja maps its runtime errors back to template lines under this file name.
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    if not lineno:
        return None
    return paragraph_at(template_source(template), lineno) or None


def template_source(path: Path) -> str:
    """The template as Jinja reads it: docxtpl's cleaned XML of the body, then headers and
    footers, one paragraph a line as docxtpl renders it, so a line number is a paragraph."""
    doc = DocxTemplate(str(path))
    doc.init_docx()
    parts = [doc.patch_xml(doc.get_xml())]
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        for _, part in doc.get_headers_footers(uri):
            parts.append(doc.patch_xml(doc.get_part_xml(part)))
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", "".join(parts))


def paragraph_at(source: str, lineno: int) -> str:
    """The text (tags stripped) of line ``lineno`` of ``template_source``."""
    lines = source.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    return " ".join(_XML_TAGS.sub("", lines[lineno - 1]).split())[:160]


def check_context(context: Mapping[str, Any], template: str) -> None:
    """Refuse a context that is not plain JSON data or holds text XML cannot hold,
    naming the field (``participants[2].description``)."""
    stack: list[tuple[str, Any]] = [(key, value) for key, value in context.items()]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if (bad := xml_incompatible(value)) is not None:
                raise RenderError(
                    template, say("error.bad_character", path=path, char=f"U+{ord(bad):04X}"), path
                )
        elif isinstance(value, Mapping):
            stack.extend((f"{path}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif value is not None and not isinstance(value, bool | int | float):
            raise RenderError(
                template, say("error.not_plain_data", path=path, kind=type(value).__name__), path
            )


def _check_package(data: bytes, template: str) -> None:
    """Parse every Word part strictly: what was written can be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for part in package.namelist():
                if _WORD_PARTS.match(part):
                    etree.fromstring(package.read(part))
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise RenderError(template, say("error.invalid_document", why=str(exc))) from None
