"""What is wrong in a competence map file, said as its user sees the file.

Pydantic names a value by its path in the model ("members.3.contacts.0.email") and says
what is wrong in its own words ("Input should be less than or equal to 3"). The people who
keep the map see a line and a key of the YAML file, or a sheet, a row and a column of the
workbook, and the value they typed: each problem names those.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from callradar.competence_map import CompetenceMap, ContactIn, MemberIn, ProjectIn
from callradar.errors import Loc, Place, Problem, locate

# The columns the readiness range is given in, in a workbook.
TRL_COLUMNS = ("trl_min", "trl_max")
KEY = "key"
COLUMN = "column"


def yaml_field(loc: Loc) -> str | None:
    """The key the user wrote: ``email``, an area's code, ``keywords`` (of an item in it)."""
    keys = [part for part in loc if isinstance(part, str)]
    if not keys or keys == ["members"]:
        return None if len(loc) > 1 else "members"
    return keys[-1]


def xlsx_field(loc: Loc, key_error: bool) -> str | None:
    """The column of the workbook the value came from."""
    parts = list(loc[2:])  # after "members", index
    if not parts:
        return None
    head = parts[0]
    if head == "trl":
        if len(parts) > 1 and isinstance(parts[1], int) and parts[1] < 2:
            return TRL_COLUMNS[parts[1]]
        return " and ".join(TRL_COLUMNS)
    if head == "areas":
        # A code is a row of the areas sheet: its column, or its level's.
        return "code" if key_error or len(parts) == 1 else "level"
    if head in {"contacts", "projects"}:
        return next((p for p in parts[2:] if isinstance(p, str)), None)
    return str(head)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    shape = tuple(isinstance(part, int) for part in loc)
    if shape == ():
        return CompetenceMap
    if shape == (False, True):
        return MemberIn
    if shape == (False, True, False, True):
        return ContactIn if loc[2] == "contacts" else ProjectIn
    return None


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return f"yes/no ({value})"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a group of keys"
    if isinstance(value, datetime | date | time):
        return f"a date or time ({value})"
    return repr(value)


def message(err: ErrorDetails, column: bool) -> str:
    """Pydantic's error in words about the value as the user typed it."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing" or (value is None and kind.endswith("_type")):
        return "required, but empty" if column else "required, but not given"
    if kind == "extra_forbidden":
        model = _model_at(err["loc"][:-1])
        known = f": the keys here are {', '.join(model.model_fields)}" if model else ""
        return f"unknown key{known}"
    if kind == "literal_error":
        return f"{_what(value)} is not one of {ctx['expected']}"
    if kind in {"less_than_equal", "less_than"}:
        return f"{_what(value)} is more than the highest allowed, {ctx.get('le', ctx.get('lt'))}"
    if kind in {"greater_than_equal", "greater_than"}:
        low = ctx.get("ge", ctx.get("gt"))
        return f"{_what(value)} is less than the lowest allowed, {low}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{_what(value)} is not a whole number"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{_what(value)}: write yes or no (tak or nie)"
    if kind == "string_too_long":
        return f"{len(value)} characters long: at most {ctx['max_length']} characters"
    if kind == "string_too_short":
        if not str(value).strip():
            return "required, but empty"
        return f"{_what(value)} is too short: at least {ctx['min_length']} characters"
    if kind == "string_type":
        return f"{_what(value)} where text is expected"
    if err["loc"][-1:] == ("trl",) and kind in {"list_type", "tuple_type", "too_short", "too_long"}:
        return (
            f"{_what(value)}: the readiness range is two levels, the lowest and the highest, [4, 7]"
        )
    if err["loc"][-1:] == ("areas",) and kind == "dict_type":
        return f"{_what(value)}: give each area's code with its level, 1 to 3 (chip-design: 3)"
    if kind in {"list_type", "tuple_type"}:
        return f"{_what(value)} where a list is expected"
    if kind in {"dict_type", "model_type"}:
        return f"{_what(value)} where a group of keys is expected (key: value)"
    if kind.startswith("url_"):
        return f"{_what(value)} is not a web address ({ctx.get('error', err['msg'])})"
    text = err["msg"].removeprefix("Value error, ")
    prefix = "value is not a valid email address: "
    if text.startswith(prefix):
        return f"{_what(value)} is not an e-mail address: {text.removeprefix(prefix)}"
    return text


def problems(
    error: ValidationError, places: Mapping[Loc, Place], *, workbook: bool
) -> list[Problem]:
    """The validation errors of a map read from a YAML file or (``workbook``) an XLSX one."""
    found = []
    for err in error.errors():
        key_error = "[key]" in err["loc"]
        loc = tuple(part for part in err["loc"] if part != "[key]")
        if workbook:
            field, label = xlsx_field(loc, key_error), COLUMN
        else:
            field, label = yaml_field(loc), KEY
        text = message(err, workbook)
        # An item of a list: the list's key or cell is named, then which of its items.
        if isinstance(loc[-1], int) and len(loc) > 2 and (not workbook or loc[-2] != "trl"):
            text = f"item {loc[-1] + 1}: {text}"
        found.append(Problem(text, locate(loc, places), field, label))
    return found
