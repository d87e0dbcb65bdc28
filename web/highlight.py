"""Marking the tagger's evidence in a call's text: escape first, then mark.

The tagger's evidence is the sentences that led to an area, each with its matched phrases
marked «like this»: those phrases are what lights up, wherever the text holds them. Evidence
with no marks (a bare phrase) lights up as it is.

The text is scraped and may hold HTML or scripts; every piece of it goes through
``markupsafe.escape`` and only our own ``<mark>`` tags are added as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

OPEN, CLOSE = Markup('<mark class="evidence">'), Markup("</mark>")
_MARKED = re.compile(r"«([^»]+)»")


def phrases(evidence: Iterable[str]) -> list[str]:
    """The phrases the evidence marks, or each unmarked piece of evidence as a phrase."""
    return [phrase for item in evidence for phrase in (_MARKED.findall(item) or [item])]


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


def evidence_spans(text: str, evidence: Iterable[str]) -> list[tuple[int, int]]:
    """Where the evidence's phrases occur in the text, overlapping occurrences merged."""
    spans: list[tuple[int, int]] = []
    for phrase in set(phrases(evidence)):
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


def highlight(text: str, evidence: Iterable[str]) -> Markup:
    parts: list[Markup] = []
    position = 0
    for start, end in evidence_spans(text, evidence):
        parts.extend((escape(text[position:start]), OPEN, escape(text[start:end]), CLOSE))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
