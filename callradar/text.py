"""Cleaning text that comes from outside (scraped pages, users' files) before it is stored."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters but tab and newline, and the non-characters XML refuses:
# python-docx raises on them and docxtpl silently drops some. Lone surrogates too (a JSON
# "\ud800" escape makes one): no UTF-8 encodes them, so the database driver raised.
# Bidirectional embeddings, overrides and isolates go too: in a name or title they reverse
# what a terminal, a calendar or a page shows after them ("Trojan source" text). The marks
# LRM/RLM and right-to-left letters themselves are kept.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Characters that show nothing where they stand: a soft hyphen (Word's and CMS editors'
# hyphenation points), a zero-width space, a word joiner, a BOM inside the text. Kept, they
# split a word for every search ("Mikro\u00adelektronika" is not "mikroelektronika"); made
# a space, they cut it in two ("Foto nika").
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")


def clean_text(text: str | None) -> str:
    """NFC-normalised text with no control characters, runs of spaces collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    # _SPACES never spans a newline, so one pass over the whole text is the same as one a line.
    text = _SPACES.sub(" ", _INVISIBLE.sub("", _CONTROL.sub("", text)))
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str | None) -> str:
    """clean_text folded onto one line (titles, names)."""
    return " ".join(clean_text(text).split())


def ascii_letters(text: str) -> str:
    """``text`` with its letters' diacritics dropped ("Ścieżka, łódź" → "Sciezka, lodz"), for
    ids, file names and matching; characters with no ASCII letter in them go."""
    text = text.replace("ł", "l").replace("Ł", "L")  # no decomposition drops its stroke
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
