"""The one error type of the proposal assembler: it says what went wrong and where.

The message is raised in English (the CLI's language); ``text("pl")`` says it in Polish for
the web app. The Polish wording of each message the assembler raises is kept here, matched
on the English one, so the raising code stays a plain ``raise ProposalError(f"...")``; a
message with no Polish wording yet is shown as raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable


class ProposalError(Exception):
    """A pack or a suggestion cannot be made; the message is meant for the coordinator."""

    def text(self, language: str = "en") -> str:
        """The message in ``language`` ("en" or "pl")."""
        message = str(self)
        return polish(message) if language == "pl" else message


class RenderError(ProposalError):
    """A template could not be filled: names the template, and the field or the text near it."""

    def __init__(self, template: str, message: str, where: str | None = None) -> None:
        self.template = template
        self.where = where
        self.message = message
        place = f" (near: {where})" if where else ""
        super().__init__(f"{template}: {message}{place}")

    def text(self, language: str = "en") -> str:
        if language != "pl":
            return str(self)
        place = f" (w pobliżu: {self.where})" if self.where else ""
        return f"szablon {self.template}: {polish(self.message)}{place}"


def _members(m: re.Match[str]) -> str:
    ids = m["ids"]
    one = len(re.findall(r"'[^']*'|\"[^\"]*\"", ids)) == 1
    noun = "nieznany identyfikator członka" if one else "nieznane identyfikatory członków"
    return f"{noun}: {ids}; identyfikatory członków wypisuje `callradar members list`"


def _no_call(m: re.Match[str]) -> str:
    where = f" ze źródła {m['source']}" if m["source"] else ""
    return (
        f"nie ma naboru {m['call']}{where}; identyfikatory naborów wypisuje `callradar calls list`"
    )


# (the English message, in full, as a pattern; its Polish wording, from the pattern's groups)
_POLISH: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"no call (?P<call>.+?)(?: of source (?P<source>.+))?; "
            r"`callradar calls list` shows the ids"
        ),
        _no_call,
    ),
    (
        re.compile(
            r"call id (?P<call>.+) is used by several sources \((?P<sources>.*)\); "
            r"name one with --source"
        ),
        lambda m: (
            f"identyfikator naboru {m['call']} występuje w kilku źródłach "
            f"({m['sources']}); wskaż jedno opcją --source"
        ),
    ),
    (
        re.compile(r"unknown member\(s\) (?P<ids>.+); `callradar members list` shows the ids"),
        _members,
    ),
    (
        re.compile(r"no proposal template (?P<name>.+); choose one of (?P<names>.*)"),
        lambda m: f"nie ma szablonu wniosku {m['name']}; dostępne szablony: {m['names']}",
    ),
    # What a template's rendering can fail on (the message of a RenderError).
    (re.compile(r"broken tag: (?P<why>.*)", re.S), lambda m: f"błędny znacznik: {m['why']}"),
    (
        re.compile(
            r"unknown field: (?P<why>.*); `callradar templates check` lists the fields a "
            r"template can use",
            re.S,
        ),
        lambda m: (
            f"nieznane pole: {m['why']}; pola, których może używać szablon, wypisuje "
            "`callradar templates check`"
        ),
    ),
    (
        re.compile(r"not allowed in a template: (?P<why>.*)", re.S),
        lambda m: f"niedozwolone w szablonie: {m['why']}",
    ),
    (
        re.compile(r"cannot fill the template: (?P<why>.*)", re.S),
        lambda m: f"nie można wypełnić szablonu: {m['why']}",
    ),
    (
        re.compile(r"the filled template is not valid Word XML; .*", re.S),
        lambda m: (
            "wypełniony szablon nie jest poprawnym dokumentem Worda; znacznik {%tr %}, "
            "{%tc %} lub {%p %} prawdopodobnie nie stoi sam w swoim wierszu tabeli, komórce lub "
            "akapicie"
        ),
    ),
    (
        re.compile(
            r"field (?P<path>.+) holds the character (?P<char>U\+[0-9A-F]+), which a Word "
            r"document cannot hold; clean the text first"
        ),
        lambda m: (
            f"pole {m['path']} zawiera znak {m['char']}, którego dokument Worda nie może "
            "zawierać; najpierw oczyść tekst"
        ),
    ),
    (
        re.compile(r"field (?P<path>.+) is an? (?P<type>\w+); a context holds only plain data"),
        lambda m: (
            f"pole {m['path']} jest typu {m['type']}; kontekst może zawierać tylko proste dane"
        ),
    ),
    (
        re.compile(r"the filled document is not valid: (?P<why>.*)", re.S),
        lambda m: f"wypełniony dokument jest niepoprawny: {m['why']}",
    ),
]


def polish(message: str) -> str:
    """The Polish wording of an English message of the assembler, or the message as it is."""
    for pattern, wording in _POLISH:
        if found := pattern.fullmatch(message):
            return wording(found)
    return message
