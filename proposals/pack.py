"""Building a proposal pack (.zip), storing it versioned, and listing packs per member.

A pack holds the filled proposal draft, a profile of each participant, the mentor's notes,
a checklist, the call's text and its deadlines as an .ics calendar. Packs are kept under
``$CALLRADAR_DATA_DIR/packs/`` and recorded per consortium with a version number, so the web
app can serve each member the packs of the consortia it belongs to.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from callradar.members import load_members
from callradar.models import (
    Call,
    Consortium,
    ConsortiumPartner,
    ProposalPack,
    ProposalPackMember,
    utcnow,
)
from callradar.settings import get_settings
from callradar.text import ascii_letters, clean_text
from proposals.calendar import deadlines_ics
from proposals.catalogue import PROFILE, TEMPLATES, TEMPLATES_DIR, choose_template
from proposals.consortium import choose_mentor
from proposals.context import CALL_TEXT_FILE, build_context
from proposals.errors import ProposalError
from proposals.facts import CallFacts, MemberFacts, call_facts, find_call, member_facts
from proposals.render import render_docx
from proposals.wording import say

PACKS_FOLDER = "packs"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class PackInfo:
    """One stored pack, as the CLI and the web app list it."""

    id: int
    consortium_id: int
    call_id: str
    call_source: str
    call_title: str
    version: int
    template: str
    path: Path
    sha256: str
    created_at: datetime
    lead_id: str
    partner_ids: tuple[str, ...]
    mentor_id: str | None

    @property
    def member_ids(self) -> tuple[str, ...]:
        extra = (self.mentor_id,) if self.mentor_id else ()
        return (self.lead_id, *self.partner_ids, *extra)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "consortium": self.consortium_id,
            "call": self.call_id,
            "source": self.call_source,
            "title": self.call_title,
            "version": self.version,
            "template": self.template,
            "path": str(self.path),
            "sha256": self.sha256,
            "created_at": self.created_at.isoformat(),
            "lead": self.lead_id,
            "partners": list(self.partner_ids),
            "mentor": self.mentor_id,
        }


@dataclass(frozen=True, slots=True)
class PackResult:
    pack: PackInfo
    # Where the caller asked for a copy (``out_dir``), else the stored file.
    file: Path
    template_reason: str
    mentor_reason: str


def build_pack(
    session: Session,
    call_id: str,
    lead: str,
    partners: Sequence[str] = (),
    mentor: str | None = None,
    *,
    consortium: int | None = None,
    new_consortium: bool = False,
    source: str | None = None,
    template: str | None = None,
    out_dir: Path | None = None,
    templates_dir: Path = TEMPLATES_DIR,
    today: date | None = None,
) -> PackResult:
    """Build, store and record the next pack version of a consortium for the call ``call_id``.

    The consortium is ``consortium`` (the id of one of the call's consortia), else the one
    the call has still forming (``being_formed``), else — or with ``new_consortium`` — the
    one still forming that ``lead`` leads for the call, else a new one. It takes the lead,
    ``partners`` (member ids besides the lead) and mentor given; a new lead takes it over
    unless it already leads another consortium of the call still forming. Earlier versions
    stay stored, each recording its members. Without ``mentor`` the best-fitting mentor is
    chosen; ``template`` overrides the template chosen from the call. The caller commits.
    Raises ProposalError with a message for the coordinator.
    """
    now = utcnow()
    # The coordinator's day and time: at 00:30 in Warsaw it is still the day before in UTC.
    local = now.astimezone(ZoneInfo(get_settings().timezone))
    today = today or local.date()
    call = find_call(session, call_id, source)
    facts = call_facts(call)
    wanted = [lead, *[p for p in dict.fromkeys(partners) if p != lead]]
    members = {m.id: member_facts(m) for m in load_members(session)}
    unknown = [m for m in [*wanted, *([mentor] if mentor else [])] if m not in members]
    if unknown:
        field = "lead" if lead in unknown else "mentor" if unknown == [mentor] else "partners"
        raise ProposalError(say("error.unknown_members", ids=unknown), field)
    team = [members[m] for m in wanted]
    mentor_facts, mentor_reason = _mentor(facts, members, mentor, set(wanted))
    info, template_reason = choose_template(facts, template)
    _one_build_at_a_time(session, call)
    if consortium is None and not new_consortium:
        forming = being_formed(
            session.scalars(select(Consortium).where(Consortium.call_id == call.id))
        )
        consortium = forming.id if forming else None
    changed = _consortium(session, call, wanted, mentor_facts, consortium)
    version = (
        session.scalar(
            select(func.max(ProposalPack.version)).where(ProposalPack.consortium_id == changed.id)
        )
        or 0
    ) + 1
    context = build_context(
        facts, team[0], team[1:], mentor_facts, template=info.name, version=version, today=today
    )
    data = _zip(facts, context, info.name, templates_dir, local)
    relative = Path(
        PACKS_FOLDER,
        _safe(call.source),
        _safe(call.external_id),
        f"consortium-{changed.id}",
        # The consortium in the name too: another consortium of the same call and lead also
        # has a version 1, and the --out folder or a member's downloads hold both.
        f"{_safe(call.external_id)}-{_safe(lead)}-consortium-{changed.id}-v{version}.zip",
    )
    record = ProposalPack(
        consortium_id=changed.id,
        version=version,
        path=relative.as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        template=info.name,
        created_at=now,
        members=[
            ProposalPackMember(member_id=m, role="lead" if i == 0 else "partner")
            for i, m in enumerate(wanted)
        ]
        + ([ProposalPackMember(member_id=mentor_facts.id, role="mentor")] if mentor_facts else []),
    )
    session.add(record)
    # The row first: once its version is taken, the file at ``relative`` is this build's to
    # write, and to remove again if what follows fails (the caller rolls back).
    session.flush()
    stored = _write(get_settings().ensure_data_dir() / relative, data)
    file = stored
    if out_dir is not None:
        try:
            file = _write(out_dir / stored.name, data)
        except ProposalError:
            stored.unlink(missing_ok=True)
            raise
    return PackResult(_info(record, call), file, template_reason, mentor_reason)


def _one_build_at_a_time(session: Session, call: Call) -> None:
    """Wait for another pack build of the same call to commit, and hold off the next.

    Two builds at once (a double-click, two coordinators) otherwise both found no consortium
    of the lead and made two, or both numbered the same next version: one failed on the
    unique version and removed the file the other had just recorded. Writing the call's row
    (to what it holds) takes its row lock on PostgreSQL and the write lock on SQLite, so the
    consortium is chosen and the version numbered after the other build's commit.
    """
    session.execute(
        update(Call)
        .where(Call.id == call.id)
        .values(version=Call.version)
        .execution_options(synchronize_session=False)
    )


def _mentor(
    call: CallFacts, members: dict[str, MemberFacts], mentor: str | None, team: set[str]
) -> tuple[MemberFacts | None, str]:
    if mentor:
        return members[mentor], "chosen by hand"
    choice = choose_mentor(call, list(members.values()), team)
    if choice is None:
        return None, "no mentor has been in this programme or area; none chosen"
    return choice.member, "suggested: " + "; ".join(choice.reasons)


def being_formed(consortia: Iterable[Consortium]) -> Consortium | None:
    """The consortium of a call that a new pack changes unless another is named: the newest
    one still forming. One submitted or decided keeps the pack it went out with."""
    return max((c for c in consortia if c.status == "forming"), key=lambda c: c.id, default=None)


def _consortium(
    session: Session,
    call: Call,
    wanted: list[str],
    mentor: MemberFacts | None,
    consortium_id: int | None,
) -> Consortium:
    """The consortium the pack is for, created or brought up to date."""
    lead = wanted[0]
    # Only one still forming: a submitted or decided consortium keeps the members and pack it
    # went out with, and the lead may well try again at the call's next cut-off.
    led = session.scalar(
        select(Consortium)
        .where(
            Consortium.call_id == call.id,
            Consortium.lead_id == lead,
            Consortium.status == "forming",
        )
        .options(selectinload(Consortium.partners))
        .order_by(Consortium.id.desc())
        .limit(1)
    )
    if consortium_id is None:
        if led is None:
            led = Consortium(call_id=call.id, lead_id=lead)
            session.add(led)
        consortium = led
    else:
        named = session.get(Consortium, consortium_id, options=[selectinload(Consortium.partners)])
        if named is None or named.call_id != call.id:
            raise ProposalError(
                say("error.no_consortium", consortium=consortium_id, call=call.external_id),
                "consortium",
            )
        # One lead per consortium of a call, or "the consortium of lead X" would be ambiguous.
        if led is not None and led.id != named.id:
            raise ProposalError(say("error.lead_taken", consortium=led.id, lead=lead), "lead")
        consortium = named
        consortium.lead_id = lead
    consortium.mentor_id = mentor.id if mentor else None
    # Rows are kept in place: replacing them would insert a (consortium, member) pair before
    # the old one is deleted, which the unique constraint refuses.
    keep = set(wanted[1:])
    consortium.partners = [p for p in consortium.partners if p.member_id in keep]
    present = {p.member_id for p in consortium.partners}
    consortium.partners.extend(
        ConsortiumPartner(member_id=m) for m in wanted[1:] if m not in present
    )
    session.flush()
    return consortium


def _zip(
    facts: CallFacts, context: dict[str, Any], template: str, templates_dir: Path, made: datetime
) -> bytes:
    files: list[tuple[str, bytes]] = [
        (f"proposal-draft-{template}.docx", _render(template, context, templates_dir)),
        ("checklist.docx", _render("checklist", context, templates_dir)),
        ("mentor-notes.docx", _render("mentor-notes", context, templates_dir)),
    ]
    for participant in context["participants"]:
        files.append(
            (
                f"profiles/{participant['number']:02d}-{_safe(participant['id'])}.docx",
                _render(PROFILE, {**context, "member": participant}, templates_dir),
            )
        )
    # The whole text, unshortened: the drafts carry at most CALL_TEXT_LIMIT characters of it.
    call_text = "\n\n".join(x for x in (facts.title, facts.url, clean_text(facts.description)) if x)
    files.append((CALL_TEXT_FILE, call_text.encode("utf-8")))
    if facts.deadlines:
        # A calendar with no event is not valid iCalendar (RFC 5545): calendars refuse it.
        files.append(("deadlines.ics", deadlines_ics(facts, made)))
    buffer = io.BytesIO()
    # A zip holds wall-clock times with no zone, which unzipping shows as local: the
    # coordinator's, not UTC an hour or two off.
    stamp = made.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


def _render(name: str, context: dict[str, Any], templates_dir: Path) -> bytes:
    info = TEMPLATES[name]
    return render_docx(info.path(templates_dir), context, name=info.file)


def _write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all; raises ProposalError naming the path."""
    # Written aside and renamed, so a reader never sees half a pack.
    partial = path.with_suffix(".zip.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        # A full disk leaves the partial file behind otherwise: half a zip nobody records.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise ProposalError(
            say("error.cannot_write", path=str(path), why=exc.strerror or str(exc))
        ) from None
    return path


def _safe(text: str) -> str:
    # Polish letters folded, not dropped: "eureka-nabór" is eureka-nabor, not eureka-nab-r.
    return _UNSAFE.sub("-", ascii_letters(text)).strip("-.")[:80] or "x"


def _info(pack: ProposalPack, call: Call) -> PackInfo:
    path = Path(pack.path)
    roles: dict[str, list[str]] = {"lead": [], "partner": [], "mentor": []}
    for m in pack.members:
        roles.setdefault(m.role, []).append(m.member_id)
    return PackInfo(
        id=pack.id,
        consortium_id=pack.consortium_id,
        call_id=call.external_id,
        call_source=call.source,
        call_title=call.title,
        version=pack.version,
        template=pack.template,
        path=path if path.is_absolute() else get_settings().data_dir / path,
        sha256=pack.sha256,
        created_at=pack.created_at,
        lead_id=roles["lead"][0] if roles["lead"] else "",
        partner_ids=tuple(sorted(roles["partner"])),
        mentor_id=roles["mentor"][0] if roles["mentor"] else None,
    )


def list_packs(session: Session) -> list[PackInfo]:
    """Every stored pack, newest first."""
    return _packs(session, None)


def packs_for_member(session: Session, member_id: str) -> list[PackInfo]:
    """The packs made for ``member_id`` (as lead, partner or mentor), newest first: every
    version it was part of, and none made before it joined."""
    return _packs(session, member_id)


def _packs(session: Session, member_id: str | None) -> list[PackInfo]:
    query = (
        select(ProposalPack, Call)
        .join(Consortium, ProposalPack.consortium_id == Consortium.id)
        .join(Call, Consortium.call_id == Call.id)
        .options(selectinload(ProposalPack.members))
        .order_by(ProposalPack.created_at.desc(), ProposalPack.id.desc())
    )
    if member_id is not None:
        query = query.where(
            ProposalPack.id.in_(
                select(ProposalPackMember.pack_id).where(ProposalPackMember.member_id == member_id)
            )
        )
    return [_info(pack, call) for pack, call in session.execute(query)]
