"""The one error type of the proposal assembler: it says what went wrong and where."""

from __future__ import annotations


class ProposalError(Exception):
    """A pack or a suggestion cannot be made; the message is meant for the coordinator."""


class RenderError(ProposalError):
    """A template could not be filled: names the template, and the field or the text near it."""

    def __init__(self, template: str, message: str, where: str | None = None) -> None:
        self.template = template
        self.where = where
        self.message = message
        place = f" (near: {where})" if where else ""
        super().__init__(f"{template}: {message}{place}")
