"""The competence map in the database: upsert members from a file, list and export them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from callradar.competence_map import (
    LIST_COMMA,
    CompetenceMap,
    ContactIn,
    MemberIn,
    ProjectIn,
    split_list,
)
from callradar.models import Competence, Contact, Member, Notification, PastProject


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: list[str]
    updated: list[str]


def import_members(session: Session, competence_map: CompetenceMap) -> ImportSummary:
    """Upsert every member of the map by id; members not in the map are left as they are.

    The caller commits, so a failure anywhere leaves the database as it was.
    """
    created: list[str] = []
    updated: list[str] = []
    existing = {
        m.id: m
        for m in session.scalars(
            select(Member)
            .where(Member.id.in_([m.id for m in competence_map.members]))
            .options(selectinload(Member.all_contacts), selectinload(Member.competences))
        )
    }
    for data in competence_map.members:
        member = existing.get(data.id)
        if member is None:
            member = Member(id=data.id)
            session.add(member)
            created.append(data.id)
        else:
            updated.append(data.id)
        _apply(member, data)
    session.flush()
    removed = [c.id for m in existing.values() for c in m.all_contacts if c.removed]
    # Messages not yet handed to a sender are dropped, not kept: a contact back on the list
    # is then told of those calls, as it never was.
    session.execute(
        delete(Notification).where(
            Notification.contact_id.in_(removed), Notification.status == "pending"
        )
    )
    for member in existing.values():
        session.expire(member, ["contacts"])
    return ImportSummary(created, updated)


def _apply(member: Member, data: MemberIn) -> None:
    member.name = data.name
    member.kind = data.kind
    member.city = data.city
    member.country = data.country
    member.website = str(data.website) if data.website else None
    member.description = data.description.strip()
    member.keywords = list(data.keywords)
    member.trl_min, member.trl_max = data.trl if data.trl else (None, None)
    member.roles = list(data.roles)
    member.mentor = data.mentor
    member.joined = data.joined
    _apply_competences(member, data.areas)
    member.projects = [_project(i, p) for i, p in enumerate(data.projects)]
    _apply_contacts(member, data.contacts)


def _apply_competences(member: Member, areas: dict[str, int]) -> None:
    # Updated in place: replacing the rows would insert a (member, code) pair before the
    # old one is deleted, which the unique constraint refuses.
    by_code = {c.code: c for c in member.competences}
    kept = []
    for code, level in areas.items():
        competence = by_code.get(code) or Competence(code=code)
        competence.level = level
        kept.append(competence)
    member.competences = kept


def _apply_contacts(member: Member, contacts: list[ContactIn]) -> None:
    # Contacts are updated in place by e-mail, and those left out are kept, marked removed,
    # so that their notification history and an earlier "stop these messages" survive a
    # re-import, also one that leaves a contact out for a while.
    by_email = {c.email.lower(): c for c in member.all_contacts}
    for known in member.all_contacts:
        known.removed = True
    corrected = _corrected_addresses(member.all_contacts, contacts)
    for position, data in enumerate(contacts):
        contact = by_email.get(data.email.lower()) or corrected.get(data.email.lower())
        if contact is None:
            contact = Contact(unsubscribe_token=secrets.token_urlsafe(32))
            member.all_contacts.append(contact)
        contact.removed = False
        contact.position = position
        contact.name = data.name
        contact.email = data.email
        contact.language = data.language
        contact.notify = list(data.notify)
        contact.digest = data.digest


def _person(name: str) -> str:
    return " ".join(name.split()).casefold()


def _corrected_addresses(known: list[Contact], given: list[ContactIn]) -> dict[str, Contact]:
    """Contacts whose address the file corrects: a new address given to the one name of the
    member's contacts whose address the file no longer gives.

    The same person with a typo fixed is not a new contact: as one, their "stop these
    messages" was lost and every call they had heard of was sent to them again. Only where
    the name points at one person on each side; otherwise a new address is a new contact.
    """
    addresses = {c.email.lower() for c in given}
    left_out: dict[str, list[Contact]] = {}
    for contact in known:
        if contact.email.lower() not in addresses:
            left_out.setdefault(_person(contact.name), []).append(contact)
    new: dict[str, list[str]] = {}
    known_addresses = {c.email.lower() for c in known}
    for data in given:
        if data.email.lower() not in known_addresses:
            new.setdefault(_person(data.name), []).append(data.email.lower())
    return {
        emails[0]: left_out[name][0]
        for name, emails in new.items()
        if len(emails) == 1 and len(left_out.get(name, ())) == 1
    }


def _project(position: int, data: ProjectIn) -> PastProject:
    return PastProject(
        position=position,
        programme=data.programme,
        call=data.call,
        acronym=data.acronym,
        title=data.title,
        role=data.role,
        year=data.year,
        areas=list(data.areas),
        outcome=data.outcome,
        lessons=data.lessons,
    )


def load_members(session: Session, ids: list[str] | None = None) -> list[Member]:
    query = (
        select(Member)
        .order_by(Member.id)
        .options(
            selectinload(Member.competences),
            selectinload(Member.contacts),
            selectinload(Member.projects),
        )
    )
    if ids is not None:
        query = query.where(Member.id.in_(ids))
    return list(session.scalars(query))


def keywords_of(member: Member) -> list[str]:
    """The member's keywords one by one.

    A keyword stored before ';', line breaks and list commas were refused in one comes back
    as the keywords it holds: checked as one, it made the export and the member's profile
    page fail, and matched as one phrase, none of them was ever found in a call.
    """
    return [
        piece.strip()
        for keyword in member.keywords or ()
        for part in split_list(keyword)
        for piece in LIST_COMMA.split(part)
        if piece.strip()
    ]


def to_competence_map(members: list[Member]) -> CompetenceMap:
    """The stored members as the competence map file's model (for export)."""
    return CompetenceMap(members=[_member_in(m) for m in members])


def _member_in(member: Member) -> MemberIn:
    trl = (member.trl_min, member.trl_max) if member.trl_min and member.trl_max else None
    data = MemberIn(
        id=member.id,
        name=member.name,
        kind=member.kind,  # type: ignore[arg-type]
        city=member.city,
        website=member.website,  # type: ignore[arg-type]
        description=member.description,
        areas={c.code: c.level for c in member.competences},
        keywords=keywords_of(member),
        trl=trl,
        roles=member.roles,  # type: ignore[arg-type]
        mentor=member.mentor,
        joined=member.joined,
        contacts=[
            # As stored, not checked again: a webhook saved before a rule refused it (or
            # whose host has no address today) must not stop the export or the profile page;
            # saving it back is input again, and checked.
            ContactIn.model_construct(
                name=c.name,
                email=c.email,
                language=c.language,  # type: ignore[arg-type]
                notify=c.notify,
                digest=c.digest,  # type: ignore[arg-type]
            )
            for c in member.contacts
        ],
        projects=[
            ProjectIn(
                programme=p.programme,
                call=p.call,
                acronym=p.acronym,
                title=p.title,
                role=p.role,  # type: ignore[arg-type]
                year=p.year,
                areas=p.areas,
                outcome=p.outcome,  # type: ignore[arg-type]
                lessons=p.lessons,
            )
            for p in member.projects
        ],
    )
    # As stored, not checked again: a country stored before only ISO codes were taken must not
    # stop the export or the profile page; saving it back is input again, and checked.
    data.country = member.country
    return data


def member_summary(member: Member) -> dict[str, Any]:
    """The JSON form `callradar members list --json` prints for a member."""
    return {
        "id": member.id,
        "name": member.name,
        "kind": member.kind,
        "city": member.city,
        "country": member.country,
        "areas": {c.code: c.level for c in member.competences},
        "keywords": keywords_of(member),
        "roles": member.roles,
        "mentor": member.mentor,
        "joined": member.joined,
        "contacts": len(member.contacts),
        "projects": len(member.projects),
    }
