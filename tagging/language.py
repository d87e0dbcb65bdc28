"""Which of the tagger's languages a call is written in."""

from __future__ import annotations

from dataclasses import dataclass

from py3langid.langid import MODEL_FILE, LanguageIdentifier

SUPPORTED: tuple[str, ...] = ("en", "pl")
# Below this length langid's guesses among ~100 languages are unreliable ("Quantum sensing
# pilot line" comes out as Latin), so a short text is only asked "English or Polish?".
_MIN_CHARS_FOR_OTHER = 200
_MIN_CONFIDENCE_FOR_OTHER = 0.95
# The opening of a call settles its language; reading all of it only costs time.
_SAMPLE_CHARS = 300


@dataclass(frozen=True, slots=True)
class Detection:
    language: str | None
    reason: str | None = None


class LanguageDetector:
    """py3langid over all its languages, narrowed to English or Polish unless the text is
    long and confidently in another language."""

    def __init__(self) -> None:
        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> Detection:
        ranking = self._identifier.rank(text[:_SAMPLE_CHARS])
        best, confidence = ranking[0]
        if best in SUPPORTED:
            return Detection(best)
        if len(text) >= _MIN_CHARS_FOR_OTHER and confidence >= _MIN_CONFIDENCE_FOR_OTHER:
            return Detection(
                None, f"written in language {best!r}; only English and Polish calls are tagged"
            )
        return Detection(next(lang for lang, _ in ranking if lang in SUPPORTED))
