"""The evidence users read: whole words, each part of the text shown once."""

from __future__ import annotations

import re

from tagging.result import CallText
from tagging.tagger import Tagger

# A real call's opening in the shape that has no sentence end for hundreds of characters:
# one long sentence of institutions and topics (translated from the University of Macau's
# SKL-AMSV open call), with the matched phrases far from any full stop.
_LONG_SENTENCE = (
    "The State Key Laboratory of Analog and Mixed-Signal VLSI (University of Macau) "
    "(hereinafter referred to as the laboratory), was established by the University of "
    "Macau to conduct cutting-edge research on state-of-the-art electronics and other "
    "related emerging fields with research emphasis in analog and mixed-signal integrated "
    "circuits, radio-frequency integrated circuits and mixed-signal chip design for "
    "biomedical devices, power management units, data converters, wireless transceivers "
    "and sensor interfaces, and its open fund supports visiting researchers from "
    "universities and research institutes in mainland China, Hong Kong, Taiwan and abroad "
    "who wish to work on the topics listed by the laboratory together with its staff and "
    "students for a period of up to twelve months in the laboratory's premises in Taipa"
)


def _plain(evidence: str) -> str:
    return evidence.replace("«", "").replace("»", "").strip("…")


def test_evidence_in_a_long_sentence_is_whole_words_each_shown_once(tagger: Tagger) -> None:
    text = f"Open fund 2026\n\n{_LONG_SENTENCE}."
    result = tagger.tag(CallText("macau", "Open fund 2026", f"{_LONG_SENTENCE}."))
    assert result.areas
    for area in result.areas:
        shown: list[tuple[int, int]] = []
        for evidence in area.evidence:
            plain = _plain(evidence)
            at = text.find(plain)
            assert at >= 0, evidence
            end = at + len(plain)
            # Neither end cuts a word: a cut is shown by "…" at whole words.
            assert at == 0 or not (text[at - 1].isalnum() and text[at].isalnum()), evidence
            assert end == len(text) or not (
                text[end - 1].isalnum() and text[end].isalnum()
            ), evidence
            assert evidence.startswith("…") == (at > 0 and text[at - 1] not in ".\n"), evidence
            assert evidence.endswith("…") == (end < len(text) and text[end - 1] != "."), evidence
            # No stretch of the text is shown twice.
            assert all(end <= start or stop <= at for start, stop in shown), area.evidence
            shown.append((at, end))
        marked = [m for e in area.evidence for m in re.findall("«(.*?)»", e)]
        assert marked, area.evidence
