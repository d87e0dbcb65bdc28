"""Building a call's consortium from the proposals' suggestion, generating its packs, and
recording how the proposal fared (coordinator only).

Every build makes a pack: the first version of a new consortium, or the next version of the
consortium being changed — its lead, partners or mentor may change, and its earlier versions
are kept, each recording who was in it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from callradar.models import Call, Consortium
from matching.review import CONFIRMED
from proposals.errors import ProposalError
from proposals.pack import build_pack
from web.deps import DB, Coordinator, RowId, row_id
from web.render import flash, language
from web.routes.review import RefusedBuild, show_call

router = APIRouter()

STATUSES = ("forming", "submitted", "funded", "rejected", "withdrawn")


def _build(
    session: Session,
    call: Call,
    lead: str,
    partners: list[str],
    mentor: str | None,
    consortium: Consortium | None,
) -> int:
    """Build and commit the pack; its version. Raises ProposalError, nothing changed."""
    try:
        result = build_pack(
            session,
            call.external_id,
            lead,
            partners,
            mentor,
            consortium=consortium.id if consortium else None,
            new_consortium=consortium is None,
            source=call.source,
        )
    except ProposalError:
        session.rollback()
        raise
    session.commit()
    return result.pack.version


def _built(request: Request, call: Call, version: int) -> Response:
    flash(request, "consortium.pack_ready", version=str(version))
    return RedirectResponse(f"/calls/{call.id}#consortia", status_code=303)


@router.post("/calls/{call_id}/consortium")
def build_consortium(
    request: Request,
    session: DB,
    user: Coordinator,
    call_id: RowId,
    lead: Annotated[str, Form()],
    partners: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
    mentor: Annotated[str, Form()] = "",
    consortium: Annotated[str, Form()] = "",
) -> Response:
    """Build a consortium for the call and its pack. ``consortium`` names the consortium of
    this call to change (a new pack version of it), or is empty for a new one; a new one
    whose lead already leads a consortium of the call still forming gets that consortium's
    next version."""
    call = session.get(Call, call_id)
    if call is None:
        raise HTTPException(404)
    if call.review_status != CONFIRMED:
        # The page offers no form then; a page left open while the call was dismissed (or
        # a hand-made post) still sends one.
        flash(request, "consortium.confirm_first", "error")
        return RedirectResponse(f"/calls/{call.id}#consortia", status_code=303)
    target = None
    if consortium:
        number = row_id(consortium)
        target = session.get(Consortium, number) if number is not None else None
        if target is None or target.call_id != call.id:
            raise HTTPException(400)
    try:
        version = _build(session, call, lead, partners, mentor or None, target)
    except ProposalError as exc:
        # The form again, as the coordinator filled it, the reason at the field it is about.
        refused = RefusedBuild(
            lead=lead,
            partners=partners,
            mentor=mentor or None,
            consortium=target.id if target else None,
            field=exc.field,
            error=exc.text(language(request)),
        )
        return show_call(request, session, user, call.id, refused)
    return _built(request, call, version)


def _consortium(session: Session, consortium_id: int) -> tuple[Consortium, Call]:
    consortium = session.get(Consortium, consortium_id)
    if consortium is None:
        raise HTTPException(404)
    call = session.get(Call, consortium.call_id)
    assert call is not None
    return consortium, call


@router.post("/consortia/{consortium_id}/pack")
def regenerate_pack(
    request: Request, session: DB, _user: Coordinator, consortium_id: RowId
) -> Response:
    consortium, call = _consortium(session, consortium_id)
    partners = [p.member_id for p in consortium.partners]
    try:
        version = _build(
            session, call, consortium.lead_id, partners, consortium.mentor_id, consortium
        )
    except ProposalError as exc:
        flash(request, "consortium.failed", "error", reason=exc.text(language(request)))
        return RedirectResponse(f"/calls/{call.id}#consortia", status_code=303)
    return _built(request, call, version)


@router.post("/consortia/{consortium_id}/status")
def set_status(
    request: Request,
    session: DB,
    _user: Coordinator,
    consortium_id: RowId,
    status: Annotated[str, Form()],
) -> Response:
    consortium, call = _consortium(session, consortium_id)
    if status not in STATUSES:
        raise HTTPException(400)
    consortium.status = status
    session.commit()
    flash(request, "consortium.status_saved")
    return RedirectResponse(f"/calls/{call.id}#consortia", status_code=303)
