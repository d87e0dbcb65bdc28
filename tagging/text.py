"""Turning a call's raw title and description into the text the pipeline reads."""

from __future__ import annotations

import html
import re
import unicodedata

# Calls run to tens of thousands of characters; past this the rest is annexes and
# boilerplate, and a megabyte of text would only slow the batch down.
MAX_CHARS = 100_000

_INVISIBLE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article)\b[^>]*>", re.I
)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Control and format characters (C0 and C1 controls, zero-width and bidi marks, BOM,
# non-characters) except tab and line feed; they break documents and hide words. Lone
# surrogates too (half of a UTF-16 pair a source cut in two, sent as a JSON escape): no
# UTF-8 text holds one, and spaCy cannot hash a word holding one.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufffe\uffff"
    "\ud800-\udfff]"
)
# Printable ASCII, tab and line feed: what is left of a text once they are deleted from it
# (as UTF-8 bytes, one 256-byte table look-up a byte) holds every control character it
# has, and little else: the regular expression then reads a few characters, not all.
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n"
# Runs of spaces, tabs and no-break spaces become one space (a lone space is left alone:
# replacing every space with itself costs more than the rest of the cleaning).
_SPACES = re.compile(r"[ \t\u00a0]{2,}|[\t\u00a0]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Where `_BLANK_LINES` would change something: a run longer than "\n\n" (a third line
# break, or whitespace after a line break before the next). Real texts' paragraphs are
# separated by exactly "\n\n", which `_BLANK_LINES` would replace by itself, copying the text.
_UNEVEN_BLANK_LINES = re.compile(r"\n(?:\n\s*\n|[^\S\n]\s*\n)")


def _has_control(text: str) -> bool:
    """Whether `_CONTROL` finds a character in `text`.

    ASCII text has one if anything is left after deleting printable ASCII, tab and line
    feed (what is left is C0 controls and DEL, all in `_CONTROL`). Other text is looked at
    without its ASCII characters (`_outside_ascii`)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _PLAIN_ASCII))
    return _holds_control(_outside_ascii(text))


def _outside_ascii(text: str) -> bytes:
    """The UTF-8 of `text` without its printable ASCII, tabs and line feeds: deleting whole
    ASCII characters from UTF-8 leaves valid UTF-8 of the others (lone surrogates pass
    through as they are)."""
    return text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_ASCII)


def _holds_control(rest: bytes) -> bool:
    return _CONTROL.search(rest.decode("utf-8", "surrogatepass")) is not None


# Text taken from PDFs or typed on macOS may come decomposed ("o" and a combining acute
# accent for "ó") and with typographic ligatures ("ﬁbre", "ﬂexible"), and web pages break
# long words with soft hyphens ("półprze&shy;wodnikowych"): the dictionaries and the
# phrases know the words composed, spelled out and whole, so such words matched nothing.
# In UTF-8, the combining marks (U+0300 to U+036F) start with byte 0xCC or 0xCD, the Latin
# ligatures (U+FB00 to U+FB06) with 0xEF 0xAC, and the soft hyphen is 0xC2 0xAD: texts
# without those bytes (nearly all) are neither looked at again nor copied.
_MAY_BE_UNCOMPOSED = (b"\xcc", b"\xcd", b"\xef\xac", b"\xc2\xad")
_SPELLED_OUT: dict[int, str | None] = {
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st",
    0xFB06: "st", 0xAD: None,
}


def _may_be_uncomposed(rest: bytes) -> bool:
    """Whether text whose `_outside_ascii` is `rest` may hold decomposed letters, ligatures
    or soft hyphens."""
    return any(mark in rest for mark in _MAY_BE_UNCOMPOSED)


def _composed(text: str) -> str:
    """`text` with its letters composed (NFC), its Latin ligatures spelled out and its soft
    hyphens dropped."""
    return unicodedata.normalize("NFC", text).translate(_SPELLED_OUT)


def _without_markup(text: str) -> str:
    """`text` with scripts, comments and tags removed, block-level tags as line breaks."""
    text = _COMMENT.sub(" ", _INVISIBLE.sub(" ", text))
    return _TAG.sub(" ", _BLOCK_TAG.sub("\n", text))


def clean(raw: str) -> str:
    """Plain text from a string that may hold HTML, entities and control characters.

    Block-level tags become line breaks, so list items and paragraphs stay separate
    sentences for the evidence; control and format characters are dropped.
    """
    text = raw
    # Each step only where it can change something: the markup steps need a "<", entities
    # a "&", and control characters are looked for once (again only if an entity was
    # decoded, as one may stand for such a character). A "&" in "R&D" no longer costs a
    # second pass over a long text.
    if text.isascii():
        control = _has_control(text)
        uncomposed = False
    else:
        rest = _outside_ascii(text)
        control, uncomposed = _holds_control(rest), _may_be_uncomposed(rest)
    if "<" in text:
        text = _without_markup(text)
    if "&" in text:
        decoded = html.unescape(text)
        if decoded != text:
            # Some sources escape their HTML once more ("&lt;p&gt;", "&amp;nbsp;"): the
            # markup and entities that decoding reveals go the same way.
            if "<" in decoded:
                decoded = _without_markup(decoded)
            if "&" in decoded:
                decoded = html.unescape(decoded)
            text = decoded
            control = control or _has_control(text)
            uncomposed = uncomposed or (
                not text.isascii() and _may_be_uncomposed(_outside_ascii(text))
            )
    if control:
        text = _CONTROL.sub(" ", text)
    if uncomposed:
        text = _composed(text)
    if "  " in text or "\t" in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    if "\n" in text and _UNEVEN_BLANK_LINES.search(text):
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


# spaCy's tokenizer splits leading and trailing punctuation off a word one mark at a time,
# copying the rest of the word each time: a word made of thousands of marks (a garbage page,
# a rule of "=", a form's dot leaders run together) took time growing with the square of its
# length (4,000 "=" 6 s, 100,000 "(" over ten minutes). Such a run is cut by a space every
# `_SYMBOL_RUN` marks; shorter runs, and every word, stay as they are.
_SYMBOL_RUN = 32
_SYMBOLS = re.compile(rf"(?:[^\w\s]|_){{{_SYMBOL_RUN + 1},}}")
# A quick first look, so that the expression (slow over Unicode) reads only texts that may
# hold such a run: in the UTF-8 bytes ASCII punctuation and every byte of a character
# outside ASCII become "!", the rest a space; a run needs that many "!" in a row (Polish
# words, whose letters outside ASCII are two bytes between ASCII ones, never make one).
_MAY_BE_SYMBOL = bytes.maketrans(
    bytes(range(256)),
    bytes(
        0x21 if byte >= 0x80 or (0x21 <= byte <= 0x7E and not chr(byte).isalnum()) else 0x20
        for byte in range(256)
    ),
)
_SYMBOL_RUN_BYTES = b"!" * (_SYMBOL_RUN + 1)


def _break_symbol_runs(text: str) -> str:
    if _SYMBOL_RUN_BYTES not in text.encode("utf-8").translate(_MAY_BE_SYMBOL):
        return text
    return _SYMBOLS.sub(_broken, text)


def _broken(run: re.Match[str]) -> str:
    marks = run.group()
    return " ".join(marks[at : at + _SYMBOL_RUN] for at in range(0, len(marks), _SYMBOL_RUN))


def call_document(title: str, description: str) -> tuple[str, list[str]]:
    """The text to tag for one call (title, blank line, description) and notes on what was
    done to it."""
    title, description = clean(title), clean(description)
    # The blank line after the title is where the combiner reads the title to end, so a
    # title given alone (listings often give nothing more) keeps it.
    text = f"{title}\n\n{description}" if title else description
    notes: list[str] = []
    if len(text) > MAX_CHARS:
        notes.append(f"text cut from {len(text)} to its first {MAX_CHARS} characters")
        text = text[:MAX_CHARS]
    return _break_symbol_runs(text), notes


def has_words(text: str) -> bool:
    """Whether `text` has a letter. Texts start with one, and looking at the first
    character alone costs a fifth of setting up the generator that looks at them all (170
    ns instead of 940)."""
    return text[:1].isalpha() or any(ch.isalpha() for ch in text)
