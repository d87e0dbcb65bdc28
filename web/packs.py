"""Which proposal packs a user may see: the coordinator all, a member the pack versions it was
part of (as lead, partner or mentor), as ``callradar packs list --member`` lists them: a member
dropped from a consortium keeps the versions it was in, one added later does not get the
earlier ones."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session, selectinload

from callradar.models import Consortium, ConsortiumPartner, ProposalPack, ProposalPackMember, User
from callradar.settings import Settings


def _belongs(member_id: str) -> ColumnElement[bool]:
    return or_(
        Consortium.lead_id == member_id,
        Consortium.mentor_id == member_id,
        Consortium.id.in_(
            select(ConsortiumPartner.consortium_id).where(ConsortiumPartner.member_id == member_id)
        ),
    )


def _packs_of(member_id: str) -> Select[int]:
    return select(ProposalPackMember.pack_id).where(ProposalPackMember.member_id == member_id)


def consortia_of(session: Session, member_id: str) -> list[tuple[Consortium, list[ProposalPack]]]:
    """The consortia the member is in now or had a pack of, newest first, each with the pack
    versions the member was part of."""
    mine = set(session.scalars(_packs_of(member_id)))
    had_packs = select(ProposalPack.consortium_id).where(ProposalPack.id.in_(_packs_of(member_id)))
    consortia = session.scalars(
        select(Consortium)
        .where(or_(_belongs(member_id), Consortium.id.in_(had_packs)))
        .options(selectinload(Consortium.packs), selectinload(Consortium.partners))
        .order_by(Consortium.created_at.desc(), Consortium.id.desc())
    )
    return [(c, [p for p in c.packs if p.id in mine]) for c in consortia]


def visible_pack(session: Session, user: User, pack_id: int) -> ProposalPack | None:
    query = select(ProposalPack).where(ProposalPack.id == pack_id)
    if user.role != "coordinator":
        if user.member_id is None:
            return None
        query = query.where(ProposalPack.id.in_(_packs_of(user.member_id)))
    return session.scalar(query)


def pack_file(settings: Settings, pack: ProposalPack) -> Path:
    path = Path(pack.path)
    return path if path.is_absolute() else settings.data_dir / path
