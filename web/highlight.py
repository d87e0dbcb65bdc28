"""Marking the tagger's evidence in a call's text: escape first, then mark.

The text is scraped and may hold HTML or scripts; every piece of it goes through
``markupsafe.escape`` and only our own ``<mark>`` tags are added as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

OPEN, CLOSE = Markup('<mark class="evidence">'), Markup("</mark>")


def _pattern(phrase: str) -> re.Pattern[str] | None:
    words = phrase.split()
    if not words:
        return None
    # Whitespace may differ between the evidence and the stored text (line breaks, doubled
    # spaces); a short phrase must not light up inside a longer word.
    body = r"\s+".join(re.escape(word) for word in words)
    start = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    end = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def evidence_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where the phrases occur in the text, overlapping occurrences merged."""
    spans: list[tuple[int, int]] = []
    for phrase in phrases:
        pattern = _pattern(phrase)
        if pattern is not None:
            spans.extend(m.span() for m in pattern.finditer(text))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, phrases: Iterable[str]) -> Markup:
    parts: list[Markup] = []
    position = 0
    for start, end in evidence_spans(text, phrases):
        parts.extend((escape(text[position:start]), OPEN, escape(text[start:end]), CLOSE))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
