"""The pages' text search: what the coordinator types, found in stored text whatever its case
and whether or not either side has the Polish letters."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """``text`` without case or diacritics ("ŁÓDŹ" and "lodz" alike); other characters (µ,
    Greek, digits) stay, so a search for them finds only them."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def mentions(query: str, texts: Iterable[str | None]) -> bool:
    """Whether any of ``texts`` holds ``query``, taken literally (no wildcards)."""
    needle = fold(query)
    return any(needle in fold(text or "") for text in texts)
