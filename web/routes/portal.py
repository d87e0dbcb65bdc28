"""The members' portal: my calls, my profile, my packs, the calendar feed; pack downloads."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from starlette.responses import Response

from callradar.competence_map import CompetenceMap
from callradar.members import import_members, load_members
from callradar.models import Call, Match, Member, Notification, User
from matching.feedback import NOT_RELEVANT, MatchNotFound, mark_not_relevant
from matching.review import DISMISSED
from web import calendar_feed, profile_form
from web.accounts import links_lead_nowhere
from web.deps import DB, AnyUser, AppSettings, MemberUser, RowId
from web.packs import consortia_of, pack_file, visible_pack
from web.render import flash, render
from web.review_queue import next_deadline

router = APIRouter()


def member_matches(session: DB, member_id: str) -> list[tuple[Match, Call]]:
    """The member's matched calls, less those the coordinator dismissed (never sent to
    members either). A competition two sources list (calls linked by ``same_as_id``) is one
    call, as in the members' messages: the listing the member called not relevant (which
    holds for the competition), else the one its latest message was about (a change only
    one source published, a moved deadline, is told as that listing's), else the
    first-stored one."""
    rows = session.execute(
        select(Match, Call)
        .join(Call, Call.id == Match.call_id)
        .where(Match.member_id == member_id, Call.review_status != DISMISSED)
        .options(selectinload(Call.deadlines))
        .order_by(Call.id)
    ).all()
    linked = [call.id for _, call in rows if call.same_as_id is not None]
    linked += [call.same_as_id for _, call in rows if call.same_as_id is not None]
    last_told: dict[int, datetime] = {}
    if linked:
        last_told = {
            call_id: moment
            for call_id, moment in session.execute(
                select(Notification.call_id, func.max(Notification.created_at))
                .where(
                    Notification.member_id == member_id,
                    Notification.call_id.in_(linked),
                    Notification.status == "sent",
                )
                .group_by(Notification.call_id)
            )
        }

    def preference(match: Match, call: Call) -> tuple[bool, datetime | None]:
        return match.feedback == NOT_RELEVANT, last_told.get(call.id)

    shown: dict[int, tuple[Match, Call]] = {}
    for match, call in rows:
        competition = call.same_as_id or call.id
        kept = shown.get(competition)
        if kept is None or _prefer(preference(match, call), preference(*kept)):
            shown[competition] = (match, call)
    return list(shown.values())


def _prefer(new: tuple[bool, datetime | None], kept: tuple[bool, datetime | None]) -> bool:
    if new[0] != kept[0]:
        return new[0]
    return new[1] is not None and (kept[1] is None or new[1] > kept[1])


@router.get("/my/calls")
def my_calls(request: Request, session: DB, settings: AppSettings, user: MemberUser) -> Response:
    assert user.member_id is not None
    today = settings.today()
    rows = [
        (match, call, next_deadline(call, today))
        for match, call in member_matches(session, user.member_id)
    ]
    # Calls still open to apply come first, the nearest deadline on top.
    rows.sort(key=lambda r: (r[2] is None, r[2].latest if r[2] else date.max, -r[0].score))
    member = session.get(Member, user.member_id)
    return render(request, "my_calls.html", {"rows": rows, "member": member})


@router.post("/my/calls/{call_id}/not-relevant")
def not_relevant(request: Request, session: DB, user: MemberUser, call_id: RowId) -> Response:
    assert user.member_id is not None
    try:
        mark_not_relevant(session, user.member_id, call_id)
    except MatchNotFound:
        raise HTTPException(404) from None
    session.commit()
    flash(request, "my_calls.marked")
    return RedirectResponse("/my/calls", status_code=303)


@router.get("/my/calendar")
def my_calendar(request: Request, session: DB, settings: AppSettings, user: MemberUser) -> Response:
    if user.calendar_token is None:
        user.calendar_token = secrets.token_urlsafe(32)
        session.commit()
    client = request.client.host if request.client else ""
    if links_lead_nowhere(settings, request.url.hostname or "", client):
        # An address on this server's loopback, which no calendar program elsewhere reaches.
        return render(request, "my_calendar.html", {"feed_url": None})
    base = settings.base_url or str(request.base_url).rstrip("/")
    return render(
        request, "my_calendar.html", {"feed_url": f"{base}/calendar/{user.calendar_token}.ics"}
    )


@router.post("/my/calendar/renew")
def renew_calendar(request: Request, session: DB, user: MemberUser) -> Response:
    user.calendar_token = secrets.token_urlsafe(32)
    session.commit()
    flash(request, "calendar.renewed")
    return RedirectResponse("/my/calendar", status_code=303)


@router.get("/calendar/{token}.ics")
def calendar(request: Request, session: DB, settings: AppSettings, token: str) -> Response:
    # No session here: calendar programs fetch the feed with the secret address alone.
    user = session.scalar(select(User).where(User.calendar_token == token)) if token else None
    if user is None or not user.active or user.role != "member" or user.member_id is None:
        raise HTTPException(404)
    calls = [
        call
        for match, call in member_matches(session, user.member_id)
        if match.feedback != NOT_RELEVANT
    ]
    base = settings.base_url or str(request.base_url)
    body = calendar_feed.feed(calls, "callradar", base, ZoneInfo(settings.timezone))
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/my/profile")
def my_profile(request: Request, session: DB, user: MemberUser) -> Response:
    member = load_members(session, [user.member_id or ""])[0]
    return render(
        request,
        "my_profile.html",
        {"member": member, "data": profile_form.current(member), "problems": []},
    )


@router.post("/my/profile")
async def save_profile(request: Request, session: DB, user: MemberUser) -> Response:
    form = await request.form()
    if not profile_form.is_complete(form):
        raise HTTPException(400)
    member = load_members(session, [user.member_id or ""])[0]
    data = profile_form.apply_form(member, form)
    validated, problems = profile_form.validate(data)
    if validated is None:
        context = {"member": member, "data": data, "problems": problems}
        return render(request, "my_profile.html", context, status_code=400)
    import_members(session, CompetenceMap(members=[validated]))
    session.commit()
    flash(request, "profile.saved")
    return RedirectResponse("/my/profile", status_code=303)


@router.get("/my/packs")
def my_packs(request: Request, session: DB, user: MemberUser) -> Response:
    assert user.member_id is not None
    consortia = consortia_of(session, user.member_id)
    call_ids = [k.call_id for k, _ in consortia]
    calls = {c.id: c for c in session.scalars(select(Call).where(Call.id.in_(call_ids)))}
    members = {m.id: m for m in session.scalars(select(Member))}
    return render(
        request, "my_packs.html", {"consortia": consortia, "calls": calls, "members": members}
    )


@router.get("/packs/{pack_id}/download")
def download_pack(session: DB, settings: AppSettings, user: AnyUser, pack_id: RowId) -> Response:
    pack = visible_pack(session, user, pack_id)
    if pack is None:
        raise HTTPException(404)
    path = pack_file(settings, pack)
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="application/zip", filename=path.name)
