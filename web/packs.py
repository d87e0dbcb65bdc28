"""Which proposal packs a user may see: the coordinator all, a member those of the consortia
it belongs to (as lead, partner or mentor)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from callradar.models import Consortium, ConsortiumPartner, ProposalPack, User
from callradar.settings import Settings


def _belongs(member_id: str) -> ColumnElement[bool]:
    return or_(
        Consortium.lead_id == member_id,
        Consortium.mentor_id == member_id,
        Consortium.id.in_(
            select(ConsortiumPartner.consortium_id).where(ConsortiumPartner.member_id == member_id)
        ),
    )


def consortia_of(session: Session, member_id: str) -> list[Consortium]:
    return list(
        session.scalars(
            select(Consortium)
            .where(_belongs(member_id))
            .options(selectinload(Consortium.packs), selectinload(Consortium.partners))
            .order_by(Consortium.created_at.desc())
        )
    )


def visible_pack(session: Session, user: User, pack_id: int) -> ProposalPack | None:
    query = select(ProposalPack).join(Consortium).where(ProposalPack.id == pack_id)
    if user.role != "coordinator":
        if user.member_id is None:
            return None
        query = query.where(_belongs(user.member_id))
    return session.scalar(query)


def pack_file(settings: Settings, pack: ProposalPack) -> Path:
    path = Path(pack.path)
    return path if path.is_absolute() else settings.data_dir / path
