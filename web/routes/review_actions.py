"""The coordinator's decisions on a flagged call: confirm, dismiss with a reason, correct
its areas; each holds for every listing of the competition (calls linked by ``same_as_id``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from callradar import taxonomy
from callradar.models import Call
from callradar.text import clean_text
from matching.review import competition, confirm_call, dismiss_call
from tagging.store import correct_tags
from web.deps import DB, Coordinator, RowId
from web.render import flash

router = APIRouter()
MAX_REASON = 2000


def _note(reason: str) -> str:
    # Pasted text may hold control characters: a NUL fails PostgreSQL's driver.
    return clean_text(reason)[:MAX_REASON]


def _call(session: DB, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise HTTPException(404)
    return call


@router.post("/calls/{call_id}/confirm")
def confirm(
    request: Request,
    session: DB,
    _user: Coordinator,
    call_id: RowId,
    reason: Annotated[str, Form()] = "",
) -> Response:
    confirm_call(session, _call(session, call_id), _note(reason) or None)
    session.commit()
    flash(request, "review.confirmed")
    return RedirectResponse(f"/calls/{call_id}", status_code=303)


@router.post("/calls/{call_id}/dismiss")
def dismiss(
    request: Request,
    session: DB,
    _user: Coordinator,
    call_id: RowId,
    reason: Annotated[str, Form()] = "",
) -> Response:
    call = _call(session, call_id)
    note = _note(reason)
    if not note:
        flash(request, "review.reason_required", "error")
        return RedirectResponse(f"/calls/{call_id}", status_code=303)
    dismiss_call(session, call, note)
    session.commit()
    flash(request, "review.dismissed")
    return RedirectResponse("/review", status_code=303)


@router.post("/calls/{call_id}/areas")
def correct_areas(
    request: Request,
    session: DB,
    _user: Coordinator,
    call_id: RowId,
    codes: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies defaults
) -> Response:
    chosen = [c for c in codes if c in taxonomy.ALL_CODES]
    # A competition two sources list is one call: each listing is matched on its own areas,
    # and one left as the tagger saw it would reach the members the correction ruled out.
    for listing in competition(session, _call(session, call_id)):
        correct_tags(session, listing, chosen)
    session.commit()
    flash(request, "review.areas_saved")
    return RedirectResponse(f"/calls/{call_id}", status_code=303)
