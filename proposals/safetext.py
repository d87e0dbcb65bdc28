"""Making any text from members or sources safe to put into a Word document.

Word's XML refuses control characters and lone surrogates, which `clean_text` drops with
bidirectional overrides (they make a name read differently from what it is); a word of
thousands of letters never wraps; and a megabyte of scraped text does not belong in a draft.
Each is dealt with here, visibly.
"""

from __future__ import annotations

import re

from callradar.text import clean_text

_SURROGATES = re.compile(r"[\ud800-\udfff]")
LONG_WORD = 60
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD + 1},}}")
# Word wraps after a hyphen by itself: only a stretch of a word without one needs help.
_UNWRAPPABLE = re.compile(rf"[^-\u2010\u2013]{{{LONG_WORD + 1},}}")
_ZWSP = "\u200b"


def docx_text(
    value: object, limit: int | None = None, where: str = "", language: str = "en"
) -> str:
    """``value`` as text a document can hold: cleaned, long words breakable, clipped.

    ``limit`` clips to that many characters and says so in the text, in the draft's
    ``language`` (en or pl), naming ``where`` the full text is.
    """
    text = clean_text(_SURROGATES.sub("", str(value or "")))
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
        text = f"{cut} […] {_shortened_note(len(text), where, language)}"
    return _LONG_WORD.sub(_breakable, text)


def _shortened_note(length: int, where: str, language: str) -> str:
    if language == "pl":
        # Polish groups thousands with a (non-breaking) space: 12 345.
        count = f"{length:,}".replace(",", "\u00a0")
        return f"[skrócono: {count} znaków w całości" + (
            f"; pełny tekst w pliku {where}]" if where else "]"
        )
    return f"[shortened: {length:,} characters in all" + (
        f"; the full text is in {where}]" if where else "]"
    )


def _breakable(match: re.Match[str]) -> str:
    # A zero-width space every LONG_WORD characters lets Word wrap the word in a table cell;
    # none where a hyphen does it already: a long id (infostrateg-viii---zaawansowane-…)
    # copied from the draft would carry the invisible character along.
    word = match.group(0)
    if word.startswith(("http://", "https://")):
        return word
    return _UNWRAPPABLE.sub(_spaced, word)


def _spaced(match: re.Match[str]) -> str:
    run = match.group(0)
    return _ZWSP.join(run[i : i + LONG_WORD] for i in range(0, len(run), LONG_WORD))


def docx_line(value: object, limit: int | None = None) -> str:
    """docx_text folded onto one line (names, titles, table cells)."""
    return " ".join(docx_text(value, limit).split())


_XML_INCOMPATIBLE = re.compile(r"[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_incompatible(text: str) -> str | None:
    """The first character an XML document cannot hold, or None."""
    match = _XML_INCOMPATIBLE.search(text)
    return match.group(0) if match else None
