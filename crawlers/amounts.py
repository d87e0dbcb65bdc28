"""Money amounts as the sources write them: "350 000 000 zł", "2,1 mld zł", "EUR 24 000 000"."""

from __future__ import annotations

import re

_MULTIPLIERS = {
    "tys": 1e3,
    "tysięcy": 1e3,
    "thousand": 1e3,
    "mln": 1e6,
    "milionów": 1e6,
    "miliona": 1e6,
    "million": 1e6,
    "mld": 1e9,
    "miliardów": 1e9,
    "miliarda": 1e9,
    "billion": 1e9,
}
_CURRENCIES = {
    "zł": "PLN",
    "zl": "PLN",
    "pln": "PLN",
    "złotych": "PLN",
    "eur": "EUR",
    "euro": "EUR",
    "€": "EUR",
}
_AMOUNT = re.compile(
    r"(?P<pre>€|eur\b|pln\b)?\s*"
    r"(?P<number>\d[\d\s\u00a0.,]*\d|\d)"
    r"\s*(?P<mult>tys\.?|tysięcy|thousand|mln|milion[a-zó]*|million|mld|miliard[a-zó]*|billion)?"
    r"\s*(?P<post>zł|zl\b|pln\b|złotych|eur\b|euro\b|€)?",
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
    for match in _AMOUNT.finditer(text):
        currency_word = (match["pre"] or match["post"] or "").lower()
        if not currency_word:
            continue
        value = _number(match["number"])
        if value is None:
            continue
        multiplier = match["mult"]
        if multiplier:
            key = multiplier.lower().rstrip(".")
            factor = _MULTIPLIERS.get(key) or next(
                (f for word, f in _MULTIPLIERS.items() if key.startswith(word[:6])), 1.0
            )
            value *= factor
        return round(value, 2), _CURRENCIES[currency_word]
    return None


def _number(raw: str) -> float | None:
    digits = re.sub(r"[\s\u00a0]", "", raw)
    if _ENGLISH_GROUPS.match(digits):
        digits = digits.replace(",", "")
    elif _DOTTED_GROUPS.match(digits):
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None
