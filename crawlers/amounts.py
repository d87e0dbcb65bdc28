"""Money amounts as the sources write them: "350 000 000 zł", "2,1 mld zł", "EUR 24 000 000".

Forms seen on the sources (gov.pl competition search, PARP tiles, NCN announcements):
"350 000 000 zł", "120 000 000,00 zł", "536 912,50 zł", "1.000.000 zł", "66,000 PLN",
"1,5 mln zł", "300 mln zł", "784 tys. euro", "1 950 000 euro", "296 982 000 PLN (70% …)",
"0,222 mld zł" (a decimal comma before a multiplier, not a thousands separator: PARP's
"budżet: 0,222 mld zł" as the press quoted it), "50 tysięcy złotych" (NCN's prize),
"100 000 000,- zł" (whole złoty, as Polish accounting writes them).
A figure with no currency next to it ("100% kosztów", "2 projekty", a year) is not money,
and prose such as "nie ma określonej alokacji" or "w trakcie ustalania" gives nothing.
"""

from __future__ import annotations

import html
import re

_MULTIPLIERS = {
    "tys": 1e3,
    "tysięcy": 1e3,
    "tysiące": 1e3,
    "tysiąc": 1e3,
    "thousand": 1e3,
    "k": 1e3,
    "mln": 1e6,
    "milionów": 1e6,
    "miliona": 1e6,
    "miliony": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mld": 1e9,
    "miliardów": 1e9,
    "miliarda": 1e9,
    "miliardy": 1e9,
    "billion": 1e9,
    "bn": 1e9,
}
_CURRENCIES = {
    "zł": "PLN",
    "zl": "PLN",
    "pln": "PLN",
    "złotych": "PLN",
    "zlotych": "PLN",
    "złote": "PLN",
    "eur": "EUR",
    "euro": "EUR",
    "€": "EUR",
}
_SEP = "[ \u00a0\u202f]"
# Thousands grouped by spaces, dots or commas, or no grouping at all; a decimal part after.
_NUMBER = (
    rf"\d{{1,3}}(?:{_SEP}\d{{3}})+(?:[.,]\d+)?"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d+(?:[.,]\d+)?"
)
_AMOUNT = re.compile(
    r"(?P<pre>€|\beur\b|\bpln\b)?[\s\u00a0\u202f]*"
    rf"(?<![\d.,])(?P<number>{_NUMBER})(?![\d])"
    # Whole złoty written "100 000,- zł": the dash stands for no grosze.
    r"(?:,[-–—])?"
    r"[\s\u00a0\u202f]*(?P<mult>tysięcy|tysiące|tysiąc|tys\.?|thousand|mln\.?|milion[a-zó]*|million[s]?"
    r"|mld\.?|miliard[a-zó]*|billion|bn|[km]\b)?"
    r"[\s\u00a0\u202f]*(?P<post>zł|zl\b|pln\b|złotych|zlotych|złote\b|eur\b|euro\b|€)?",
    re.IGNORECASE,
)
_ENGLISH_GROUPS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DOTTED_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_amount(text: str | None) -> tuple[float, str] | None:
    """The first amount with a currency in ``text`` as (value, ISO currency), or None.

    An amount with no currency next to it is not taken: figures such as "2 projekty" or a
    year are not money. "nie ma określonej alokacji" gives None.
    """
    if not text:
        return None
    # JSON sources send their CMS's text as written: "350&nbsp;000&nbsp;000 zł" would
    # otherwise be read as "000 zł".
    for match in _AMOUNT.finditer(html.unescape(text)):
        currency_word = (match["pre"] or match["post"] or "").lower()
        if not currency_word:
            continue
        multiplier = (match["mult"] or "").lower().rstrip(".")
        if multiplier in ("k", "m") and not match["pre"]:
            # "5 m zł" is not written; a lone k/m is only read after "EUR"/"€".
            multiplier = ""
        value = _number(match["number"], decimal_comma=bool(multiplier))
        if value is None:
            continue
        if multiplier:
            factor = _MULTIPLIERS.get(multiplier) or next(
                (f for word, f in _MULTIPLIERS.items() if multiplier.startswith(word[:6])), 1.0
            )
            value *= factor
        return round(value, 2), _CURRENCIES[currency_word]
    return None


def _number(raw: str, *, decimal_comma: bool = False) -> float | None:
    """The value of a figure: "350 000 000", "1.500.000,00", "66,000" (English grouping).

    Before a multiplier ("0,222 mld", "2,125 mln") a comma is Polish's decimal comma, and
    a figure starting with 0 is never grouped in thousands.
    """
    digits = re.sub(r"[\s\u00a0\u202f]", "", raw)
    english = _ENGLISH_GROUPS.match(digits) and not digits.startswith("0")
    if decimal_comma and re.fullmatch(r"\d+,\d+", digits):
        english = None
    if english:
        digits = digits.replace(",", "")
    elif _DOTTED_GROUPS.match(digits):
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None
