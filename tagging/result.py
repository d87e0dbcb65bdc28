"""The tagger's input and output types."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CallText:
    """One call to tag. `language` is the source's own claim ('en' or 'pl'), if any."""

    id: str
    title: str
    description: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class AreaTag:
    """An assigned area: its taxonomy code, a score in [0, 1], and the sentences that led to
    it with the matched phrases marked «like this»."""

    code: str
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class TagResult:
    """The tags of one call. `domains` are those its areas imply plus `whole_domains`, the
    domains it concerns as a whole without naming an area in them (each with a score and
    evidence). `skipped` says why a call was not tagged; `notes` record what was done to
    its text on the way (truncation, an unsupported language guessed)."""

    id: str
    language: str | None
    areas: list[AreaTag] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    whole_domains: list[AreaTag] = field(default_factory=list)
    skipped: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The line written by file mode; `skipped` appears only on skipped calls."""
        line: dict[str, object] = {
            "id": self.id,
            "areas": [
                {"code": a.code, "score": a.score, "evidence": a.evidence} for a in self.areas
            ],
            "domains": self.domains,
        }
        if self.skipped:
            line["skipped"] = self.skipped
        return line
