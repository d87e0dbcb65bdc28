"""The competence map file's schema: what each member can do, whom to tell, past projects.

This is the validated form of the cluster office's members file, whether it came from
YAML or from an XLSX workbook (see ``competence_map_io``).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AnyUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    UrlConstraints,
    field_validator,
    model_validator,
)

from callradar.countries import EU_ABBREVIATIONS, ISO_CODES
from callradar.settings import get_settings
from callradar.taxonomy import ALL_CODES
from callradar.text import clean_text
from callradar.webhooks import WebhookRefused, check_webhook


def _lower(value: Any) -> Any:
    # A choice is written "SME", "Partner" or "PL" as often as "sme": its case says nothing.
    return value.lower() if isinstance(value, str) else value


LIST_SEPARATOR = ";"


def split_list(value: Any) -> list[str]:
    """A list given in one cell: parts separated by ";" or line breaks, blanks dropped."""
    if value is None:
        return []
    return [
        part.strip()
        for part in str(value).replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR)
        if part.strip()
    ]


def _one_or_more(value: Any) -> Any:
    # "roles: partner" is how people write a list of one, and "keywords: SiC; GaN" a list on
    # one line, as in a workbook's cell.
    return split_list(value) if isinstance(value, str) else value


OneOrMore = BeforeValidator(_one_or_more)
# A contact told of nothing (kept for the proposal packs): its notify list, in one word.
NO_CHANNEL = "none"
Choice = BeforeValidator(_lower)
MemberKind = Annotated[Literal["sme", "large", "research", "university", "other"], Choice]
Role = Annotated[Literal["coordinator", "partner"], Choice]
ProjectRole = Annotated[Literal["coordinator", "partner", "third-party"], Choice]
Outcome = Annotated[Literal["funded", "rejected", "ongoing"], Choice]
Language = Annotated[Literal["pl", "en"], Choice]
Digest = Annotated[Literal["immediate", "daily", "weekly"], Choice]
_MEMBER_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _check_member_id(member_id: str) -> str:
    # Said in words: pydantic's own message shows the regular expression.
    if not _MEMBER_ID.fullmatch(member_id):
        raise ValueError(
            f"{member_id!r}: an id is lowercase letters and digits, words joined by '-' "
            "(such as lumen-photonics)"
        )
    return member_id


MemberId = Annotated[
    str, StringConstraints(min_length=2, max_length=64), AfterValidator(_check_member_id)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _column(width: int) -> StringConstraints:
    # At most the width of the database column the value goes to: PostgreSQL refuses a
    # longer value with an error naming no field (SQLite stores it anyway).
    return StringConstraints(max_length=width)


def _check_code(code: str) -> str:
    if code not in ALL_CODES:
        raise ValueError(f"unknown area or domain code {code!r}")
    return code


AreaCode = Annotated[str, Choice, AfterValidator(_check_code)]


def _check_country(code: str) -> str:
    # Eligibility is checked against ISO codes: a member under any other code was excluded
    # from every call open only to some countries.
    code = EU_ABBREVIATIONS.get(code.upper(), code.upper())
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise ValueError(f"{code!r}: use the country's ISO 3166 two-letter code, such as PL")
    if code not in ISO_CODES:
        raise ValueError(f"unknown country code {code!r} (ISO 3166 two-letter codes, such as PL)")
    return code


CountryCode = Annotated[str, AfterValidator(_check_country)]


# A comma but one between digits ("1,55 µm"): "MEMS, SiC, GaN" is a list written as people
# write lists, and as one keyword it would never be found in a call.
LIST_COMMA = re.compile(r",(?!\d)|(?<!\d),")


def _one_keyword(keyword: str) -> str:
    # A workbook cell and the profile form separate keywords by ";" and line breaks: a
    # keyword holding one would come back from an XLSX export as two.
    if ";" in keyword or "\n" in keyword or LIST_COMMA.search(keyword):
        raise ValueError(
            f"{keyword!r}: ';' and line breaks separate keywords, not ','; give each one on its own"
        )
    return keyword


Keyword = Annotated[Text, AfterValidator(_one_keyword)]
Level = Annotated[int, Field(ge=1, le=3)]


def _yes_no(value: Any) -> Any:
    # Polish yes and no; pydantic reads the English words (yes, no, true, 1, …) itself.
    if isinstance(value, str):
        return {"tak": True, "nie": False}.get(value.strip().lower(), value)
    return value


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Trl = Annotated[int, Field(ge=1, le=9)]


class Strict(BaseModel):
    # A grant number or a wavelength typed as text is a number to YAML and to Excel.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_not_given(cls, data: Any) -> Any:
        # A YAML key left blank ("keywords:") is null: like an empty cell of a workbook, the
        # field is not given, so it takes its default (or is named as missing).
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        # Text typed into a profile or pasted into the map may carry control characters;
        # stored, they made the XLSX export fail (its XML refuses them).
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list):
            return [clean_text(item) if isinstance(item, str) else item for item in value]
        return value


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def _web_address(value: Any) -> Any:
    # "www.lumen.pl" is how people write an address; as a URL it has no scheme.
    if isinstance(value, str) and value and not _SCHEME.match(value):
        return f"https://{value}"
    return value


class ContactIn(Strict):
    name: Annotated[Text, _column(200)]
    email: EmailStr
    language: Language = "pl"
    # A channel is a column of every outbox row (500 wide): on PostgreSQL a longer webhook
    # URL failed queueing the messages of every member, not only this contact's.
    notify: Annotated[list[Annotated[str, _column(500)]], OneOrMore] = ["email"]
    digest: Digest = "daily"

    @field_validator("notify", mode="before")
    @classmethod
    def _email_as_written(cls, channels: Any) -> Any:
        # "Email", "E-mail", "EMAIL": the e-mail channel as people write it, not a webhook.
        channels = _one_or_more(channels)
        # A workbook's empty cell means the default, e-mail: no channel at all is said so.
        if isinstance(channels, list) and [str(c).strip().lower() for c in channels] == [
            NO_CHANNEL
        ]:
            return []
        if isinstance(channels, list):
            return [
                "email"
                if isinstance(c, str) and c.strip().lower().replace("-", "") == "email"
                else c
                for c in channels
            ]
        return channels

    @field_validator("notify")
    @classmethod
    def _channels(cls, channels: list[str]) -> list[str]:
        allowed = get_settings().allowed_webhook_hosts
        for channel in channels:
            if channel == "email":
                continue
            # Anything else is the Apprise URL of a chat webhook, which the server will send
            # to: only chat services, never an address on its own network.
            try:
                check_webhook(channel, allowed)
            except WebhookRefused as exc:
                raise ValueError(f"webhook {channel!r}: {exc}") from None
        if len(set(channels)) != len(channels):
            raise ValueError("a channel is listed twice")
        return channels


class ProjectIn(Strict):
    programme: Annotated[Text, _column(200)]
    call: Annotated[str, _column(200)] | None = None
    acronym: Annotated[str, _column(100)] | None = None
    title: Text
    role: ProjectRole
    year: int = Field(ge=1984, le=2100)
    areas: Annotated[list[AreaCode], OneOrMore] = Field(default_factory=list)
    outcome: Outcome
    lessons: str | None = None


class MemberIn(Strict):
    id: MemberId
    name: Annotated[Text, _column(300)]
    kind: MemberKind
    city: Annotated[str, _column(100)] | None = None
    country: CountryCode = "PL"
    website: (
        Annotated[AnyUrl, UrlConstraints(max_length=500), BeforeValidator(_web_address)] | None
    ) = None
    description: str = ""
    areas: dict[AreaCode, Level] = Field(default_factory=dict)
    keywords: Annotated[list[Keyword], OneOrMore] = Field(default_factory=list)
    trl: tuple[Trl, Trl] | None = None
    roles: Annotated[list[Role], OneOrMore] = ["partner"]
    mentor: YesNo = False
    # The year it joined the cluster.
    joined: int | None = Field(default=None, ge=1990)
    contacts: list[ContactIn] = Field(default_factory=list)
    projects: list[ProjectIn] = Field(default_factory=list)

    @field_validator("areas", mode="before")
    @classmethod
    def _areas_once(cls, areas: Any) -> Any:
        # Codes are read in any case: two spellings of one would keep only the last level.
        if isinstance(areas, dict):
            seen: set[Any] = set()
            for code in map(_lower, areas):
                if code in seen:
                    raise ValueError(f"area {code!r} is given twice")
                seen.add(code)
        return areas

    @field_validator("joined")
    @classmethod
    def _joined(cls, year: int | None) -> int | None:
        if year is not None and year > date.today().year:
            raise ValueError(f"joined in {year}, a year still to come")
        return year

    @field_validator("trl")
    @classmethod
    def _trl(cls, trl: tuple[int, int] | None) -> tuple[int, int] | None:
        if trl is not None and trl[0] > trl[1]:
            raise ValueError(f"readiness range {list(trl)} runs backwards")
        return trl

    @model_validator(mode="after")
    def _unique_contacts(self) -> MemberIn:
        emails = [c.email.lower() for c in self.contacts]
        for email in emails:
            if emails.count(email) > 1:
                raise ValueError(f"contact e-mail {email} is listed twice")
        return self


class CompetenceMap(Strict):
    members: list[MemberIn]
