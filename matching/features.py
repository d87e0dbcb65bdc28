"""What matching reads from a call's text, computed once per content of the call.

Who may apply (``conditions_of``) and the stems of the text's words (for members' keywords)
are most of the cost of matching a call, yet they depend only on the call's own fields.
They are kept per call (``CallMatchFeatures``) under a key made of those fields and of the
code that reads them, so a new member or a changed profile re-matches every call without
reading any text again, and a call is read again only when it, or that code, changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from callradar import countries
from callradar.models import Call
from matching import conditions as conditions_module
from matching import keywords as keywords_module
from matching.conditions import Conditions, Restriction, conditions_of
from matching.keywords import stem_hashes

# The code that computes features is part of their key: stored features computed by an
# older version of it are recomputed, with nobody having to remember to bump a number.
_CODE = hashlib.sha256(
    b"".join(
        Path(module.__file__ or "").read_bytes()
        for module in (conditions_module, keywords_module, countries)
    )
).hexdigest()


@dataclass(frozen=True, slots=True)
class TextFeatures:
    conditions: Conditions
    # ``keywords.stem_hashes`` of the title and description.
    stem_hashes: bytes


def features_of(
    *,
    title: str,
    description: str = "",
    type_of_action: str | None = None,
    programme: str | None = None,
    call_identifier: str | None = None,
    source: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> TextFeatures:
    conditions = conditions_of(
        title=title,
        description=description,
        type_of_action=type_of_action,
        programme=programme,
        call_identifier=call_identifier,
        source=source,
        extra=extra,
    )
    return TextFeatures(conditions, stem_hashes(f"{title}\n{description}"))


def call_features(call: Call) -> TextFeatures:
    return features_of(
        title=call.title,
        description=call.description,
        type_of_action=call.type_of_action,
        programme=call.programme,
        call_identifier=call.call_identifier,
        source=call.source,
        extra=call.extra,
    )


def features_key(call: Call) -> str:
    """Changes when any field the features are read from, or the code reading them, does."""
    fields = [
        call.title,
        call.description,
        call.type_of_action,
        call.programme,
        call.call_identifier,
        call.source,
        call.extra or {},
    ]
    raw = json.dumps([_CODE, fields], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def conditions_to_json(conditions: Conditions) -> list[list[Any]]:
    return [
        [r.dimension, sorted(r.allowed), r.label_en, r.label_pl] for r in conditions.restrictions
    ]


def conditions_from_json(stored: list[list[Any]]) -> Conditions:
    # Calls share a few dozen distinct conditions: each is rebuilt once, and equal ones are
    # the same object (the matcher keeps a mask per distinct conditions).
    return _conditions(json.dumps(stored, ensure_ascii=False))


@lru_cache(maxsize=1024)
def _conditions(stored: str) -> Conditions:
    return Conditions(
        tuple(
            Restriction(dimension, frozenset(allowed), label_en, label_pl)
            for dimension, allowed, label_en, label_pl in json.loads(stored)
        )
    )
