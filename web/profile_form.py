"""A member's profile form: its fields to the competence map's model, validated the same way
as the cluster's file, and stored with the same upsert (contacts kept by e-mail)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from callradar import taxonomy
from callradar.competence_map import MemberIn
from callradar.errors import problems_from_validation
from callradar.members import to_competence_map
from callradar.models import Member

CONTACT_FIELDS = ("name", "email", "language", "notify", "digest")
# What the profile page always sends (its contacts end with an empty row to add one). A post
# lacking any of them is not that page's: read as it is, it would save them emptied and
# delete all the member's areas and contacts (with their "stop these messages").
PAGE_FIELDS = (
    "description",
    "keywords",
    "trl_min",
    "trl_max",
    "contact-0-email",
    *(f"area-{code}" for code in sorted(taxonomy.ALL_CODES)),
)


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def current(member: Member) -> dict[str, Any]:
    """The member as the competence map holds it, JSON-ready."""
    return to_competence_map([member]).members[0].model_dump(mode="json")


def is_complete(form: FormData) -> bool:
    return all(name in form for name in PAGE_FIELDS)


def apply_form(member: Member, form: FormData) -> dict[str, Any]:
    """The member's data with the form's changes; the fields the form does not show (name,
    kind, projects, ...) stay as they are."""
    data = current(member)
    data["description"] = _field(form, "description")
    data["areas"] = {
        code: int(level)
        for code in sorted(taxonomy.ALL_CODES)
        if (level := _field(form, f"area-{code}")) in ("1", "2", "3")
    }
    data["keywords"] = _split(_field(form, "keywords"))
    low, high = _field(form, "trl_min"), _field(form, "trl_max")
    # Validated as the map's TRL, so half a range or a value that is no number is refused
    # with the field's name rather than dropped (or failing in int()).
    data["trl"] = [low, high] if low or high else None
    contacts = []
    index = 0
    while f"contact-{index}-email" in form:
        row = {f: _field(form, f"contact-{index}-{f}") for f in CONTACT_FIELDS}
        index += 1
        if form.get(f"contact-{index - 1}-remove") or not (row["name"] or row["email"]):
            continue
        contacts.append({**row, "notify": _split(row["notify"].replace(" ", ";"))})
    data["contacts"] = contacts
    return data


def validate(data: dict[str, Any]) -> tuple[MemberIn | None, list[str]]:
    try:
        return MemberIn.model_validate(data), []
    except ValidationError as exc:
        return None, [str(p) for p in problems_from_validation(exc, {})]
