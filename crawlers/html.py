"""HTML from the sources turned into clean text that keeps its structure as lines.

Headings and paragraphs become lines of their own, so the portal's section labels
("Expected Outcome:", "Scope:") stay visible for the tagger and for readers; list items
become "- " lines.
"""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from lxml import etree, html

from callradar.text import clean_text

_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "button", "form", "nav", "footer"}
)
# Page furniture marked by its role or class rather than its tag: menus, breadcrumbs, share
# buttons. A call card read from its <main> or <body> would otherwise begin with the menu.
_FURNITURE_ROLES = frozenset({"navigation", "menubar", "search", "contentinfo"})
_FURNITURE_CLASS = re.compile(
    r"(?:^|\s)(?:[\w-]*breadcrumb[\w-]*|(?:social|share|sharing)(?:-[\w-]*)?)(?=\s|$)"
)
# A "<" that starts no tag, comment or declaration closed by its ">": sources write
# "power <P_max" or "<GHz range" unescaped, and the parser took it for a tag that ran to
# the end of the text, dropping everything after it.
_STRAY_LESS_THAN = re.compile(
    r"""<(?!/?[A-Za-z](?:"[^"]*"|'[^']*'|[^"'<>])*>|!--|![A-Za-z\[][^<>]*>|\?[^<>]*>)"""
)


def html_to_text(markup: str | None) -> str:
    """Clean text of an HTML fragment (or of plain text, which passes through cleaned)."""
    if not markup or not markup.strip():
        return ""
    if "<" not in markup:
        # Text without a tag may still be escaped ("Konkurs &quot;SMART&quot;"), as JSON
        # sources send their CMS's text; lxml decodes entities only of markup it parses.
        return clean_text(unescape(markup))
    try:
        root = html.fragment_fromstring(_STRAY_LESS_THAN.sub("&lt;", markup), create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(markup)
    parts: list[str] = []
    _walk(root, parts)
    # One line a block: blank lines between list items read as separate sections.
    lines = list(filter(None, map(_clean_line, _lines("".join(parts)))))
    # A list item whose text is a paragraph of its own ("<li><p>…</p></li>", as editors
    # write lists) keeps its dash on its text's line, not on a line alone.
    for index in range(len(lines) - 1, 0, -1):
        if lines[index - 1] == "-":
            lines[index - 1 : index + 1] = [f"- {lines[index]}"]
    return "\n".join(lines)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _clean_line(line: str) -> str:
    """What clean_text makes of one line: printable lines (most) without its regexes,
    which scanned every character of every description twice (once more in validation)."""
    if line.isprintable():
        return " ".join(unicodedata.normalize("NFC", line).split())
    return clean_text(line)


def _walk(element: html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED or _furniture(element):
        if element.tail:
            parts.append(element.tail)
        return
    if tag == "tr":
        _row(element, parts)
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if tag == "li":
        parts.append("- ")
    elif tag == "br":
        parts.append("\n")
    if element.text and tag != "br" and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def _row(row: html.HtmlElement, parts: list[str]) -> None:
    """A table row as one line, its cells apart by " | ": read one cell a line, a figure
    lost the label it stands by."""
    cells = []
    for cell in row:
        if cell.tag in ("td", "th"):
            text: list[str] = []
            _walk(cell, text)
            cells.append(" ".join("".join(text).split()))
    parts.append("\n" + " | ".join(c for c in cells if c) + "\n")
    if row.tail:
        parts.append(row.tail)


def _furniture(element: html.HtmlElement) -> bool:
    attributes = element.attrib if isinstance(element.tag, str) else {}
    return attributes.get("role") in _FURNITURE_ROLES or bool(
        _FURNITURE_CLASS.search(attributes.get("class", ""))
    )
