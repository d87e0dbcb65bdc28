"""The errors of the proposal assembler: each says what went wrong and where, in English
(the CLI's language) or Polish (``text("pl")``, for the web app), from one ``Text`` of
``proposals.wording``."""

from __future__ import annotations

from proposals.wording import Text


class ProposalError(Exception):
    """A pack or a suggestion cannot be made; the message is meant for the coordinator."""

    def __init__(self, message: Text, field: str | None = None) -> None:
        self.message = message
        # The choice it is about ("lead", "partners", "mentor", "consortium"), where one is:
        # a form shows the message at that field.
        self.field = field
        super().__init__(message.text("en"))

    def text(self, language: str = "en") -> str:
        """The message in ``language`` ("en" or "pl")."""
        return self.message.text(language)


class RenderError(ProposalError):
    """A template could not be filled: names the template, and the field or the text near it."""

    def __init__(self, template: str, message: Text, where: str | None = None) -> None:
        self.template = template
        self.where = where
        super().__init__(message)
        self.args = (self.text("en"),)

    def text(self, language: str = "en") -> str:
        said = self.message.text(language)
        if language == "pl":
            place = f" (w pobliżu: {self.where})" if self.where else ""
            return f"szablon {self.template}: {said}{place}"
        place = f" (near: {self.where})" if self.where else ""
        return f"{self.template}: {said}{place}"
