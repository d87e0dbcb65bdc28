"""The one error type for bad input from users' files: it says where and what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

# A location inside a file: ("line 12") or ("sheet 'contacts', row 4").
Place = str
Loc = tuple[int | str, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in an input file: where (place and field) and what."""

    message: str
    place: Place | None = None
    field: str | None = None
    # What the field is called where the user sees it: a JSON field, a YAML key, a column.
    label: str = "field"

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.place, f"{self.label} {self.field!r}" if self.field else None) if p
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class InputFileError(Exception):
    """A user's file was refused whole; nothing of it was stored."""

    path: Path
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"{self.path}: refused, nothing was imported"
        return "\n".join([head, *(f"  {self.path}: {p}" for p in self.problems)])


def dotted(loc: Iterable[int | str]) -> str:
    """``members[3].contacts[0].email`` for a pydantic error location."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def locate(loc: Loc, places: Mapping[Loc, Place]) -> Place | None:
    """The place of the deepest part of ``loc`` whose place is known."""
    for end in range(len(loc), -1, -1):
        place = places.get(loc[:end])
        if place is not None:
            return place
    return None


def problems_from_validation(
    error: ValidationError, places: Mapping[Loc, Place], prefix: Loc = ()
) -> list[Problem]:
    """Pydantic's errors as problems, each placed at the line or row it came from."""
    problems = []
    for err in error.errors():
        loc = prefix + tuple(part for part in err["loc"] if part != "[key]")
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "extra_forbidden":
            message = "unknown field"
        problems.append(Problem(message, locate(loc, places), dotted(loc) or None))
    return problems
