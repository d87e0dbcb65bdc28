"""Why a call matched a member, in words the member understands, in English and Polish."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from callradar import taxonomy

LEVELS = {
    "en": {3: "core competence", 2: "strong competence", 1: "some experience"},
    "pl": {3: "kluczowa kompetencja", 2: "silna kompetencja", 1: "pewne doświadczenie"},
}
# The tagger marks the phrases it found in an evidence sentence «like this».
_MARKED = re.compile(r"«([^»]+)»")
_MAX_PHRASE = 80


class Kind(StrEnum):
    AREA = "area"  # the member works in the very area the call asks for
    DOMAIN = "domain"  # the member named the whole domain of the call's area
    WHOLE_DOMAIN = "whole-domain"  # the call is open to a whole domain the member works in
    KEYWORDS = "keywords"
    ELIGIBLE = "eligible"  # the call is restricted, and the member is of the kind it wants


@dataclass(frozen=True, slots=True)
class Reason:
    kind: Kind
    code: str = ""
    level: int = 0
    member_code: str = ""
    phrases: tuple[str, ...] = ()

    def text(self, language: str) -> str:
        lang = "pl" if language == "pl" else "en"
        name = taxonomy.label(self.code, lang) if self.code else ""
        level = LEVELS[lang].get(self.level, "")
        asked = ", ".join(self.phrases)
        if self.kind is Kind.AREA:
            if lang == "pl":
                why = f"nabór dotyczy: {asked}" if asked else "nabór oznaczono tym obszarem"
            else:
                why = f"the call asks for {asked}" if asked else "the call is tagged with this area"
            return f"{name} ({level}) — {why}"
        if self.kind is Kind.DOMAIN:
            member = taxonomy.label(self.member_code, lang)
            topic = asked or name
            if lang == "pl":
                return f"{member} ({level}, cała dziedzina) — nabór dotyczy: {topic}"
            return f"{member} ({level}, the whole domain) — the call asks for {topic}"
        if self.kind is Kind.WHOLE_DOMAIN:
            member = taxonomy.label(self.member_code, lang)
            if lang == "pl":
                return (
                    f"{name} ogólnie — nabór obejmuje całą dziedzinę; "
                    f"Państwa obszar: {member} ({level})"
                )
            return (
                f"{name} as a whole — the call is open to the whole domain; "
                f"you work in {member} ({level})"
            )
        if self.kind is Kind.KEYWORDS:
            quoted_pl = ", ".join(f"„{p}”" for p in self.phrases)
            quoted_en = ", ".join(f"“{p}”" for p in self.phrases)
            if lang == "pl":
                if len(self.phrases) == 1:
                    return f"Państwa słowo kluczowe {quoted_pl} występuje w treści naboru"
                return f"Państwa słowa kluczowe w treści naboru: {quoted_pl}"
            if len(self.phrases) == 1:
                return f"your keyword {quoted_en} is in the call text"
            return f"your keywords in the call text: {quoted_en}"
        # An eligibility reason carries its condition as (English, Polish).
        if lang == "pl":
            return f"nabór jest dla: {self.phrases[1]} — spełniają Państwo ten warunek"
        return f"the call is for {self.phrases[0]} — you qualify"


def phrases_of(evidence: list[str], limit: int = 2) -> tuple[str, ...]:
    """The phrases an area was found by: the marked ones, or short evidence as it is."""
    found: list[str] = []
    for sentence in evidence:
        marked = _MARKED.findall(sentence)
        candidates = marked or ([sentence] if len(sentence) <= _MAX_PHRASE else [])
        for phrase in candidates:
            phrase = " ".join(phrase.split())
            if phrase and phrase.lower() not in (f.lower() for f in found):
                found.append(phrase)
    return tuple(found[:limit])
