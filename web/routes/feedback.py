"""The links of the members' messages: "not relevant" for one call, and "stop these messages".

They work without logging in: the contact's secret token in the address stands for the
member. A GET only asks (mail scanners open links); the POST does it.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select
from starlette.responses import Response

from callradar.models import Call, Contact, Match
from matching.feedback import contact_for_token, not_relevant_by_token, unsubscribe
from web.deps import DB, RowId
from web.render import render

router = APIRouter()


def _in_contacts_language(request: Request, contact: Contact) -> None:
    # Whoever follows the link of a message reads it in the message's language, unless they
    # have chosen one here (or are logged in with their own).
    request.session.setdefault("lang", contact.language)


def _speaking_contact(session: DB, token: str) -> Contact:
    """The contact whose token speaks for its member: not one the member's profile left out
    (someone who left keeps the old messages, and their links)."""
    contact = contact_for_token(session, token)
    if contact is None or contact.removed:
        raise HTTPException(404)
    return contact


@router.get("/not-relevant/{token}/{call_id}")
def not_relevant_page(request: Request, session: DB, token: str, call_id: RowId) -> Response:
    contact = _speaking_contact(session, token)
    _in_contacts_language(request, contact)
    # Only a call that matched the contact's member: the page shows its title, and a token
    # must not reveal the calls of other members.
    match = session.scalar(
        select(Match).where(Match.member_id == contact.member_id, Match.call_id == call_id)
    )
    call = session.get(Call, call_id) if match is not None else None
    if call is None:
        raise HTTPException(404)
    return render(request, "feedback.html", {"kind": "not_relevant", "call": call, "done": False})


@router.post("/not-relevant/{token}/{call_id}")
def not_relevant(request: Request, session: DB, token: str, call_id: RowId) -> Response:
    _in_contacts_language(request, _speaking_contact(session, token))
    if not_relevant_by_token(session, token, call_id) is None:
        raise HTTPException(404)
    session.commit()
    call = session.get(Call, call_id)
    return render(request, "feedback.html", {"kind": "not_relevant", "call": call, "done": True})


@router.get("/unsubscribe/{token}")
def unsubscribe_page(request: Request, session: DB, token: str) -> Response:
    contact = contact_for_token(session, token)
    if contact is None:
        raise HTTPException(404)
    _in_contacts_language(request, contact)
    return render(request, "feedback.html", {"kind": "unsubscribe", "call": None, "done": False})


@router.post("/unsubscribe/{token}")
def unsubscribe_now(request: Request, session: DB, token: str) -> Response:
    contact = unsubscribe(session, token)
    if contact is None:
        raise HTTPException(404)
    session.commit()
    _in_contacts_language(request, contact)
    return render(request, "feedback.html", {"kind": "unsubscribe", "call": None, "done": True})
