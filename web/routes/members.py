"""The competence map (search, import, export) and the users of the app (invitations)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.responses import Response

from callradar import competence_map_io, taxonomy
from callradar import members as members_service
from callradar.errors import InputFileError
from callradar.models import Member, User
from matching.channels import DeliveryError
from web.accounts import ROLES, AccountError, create_user, links_lead_nowhere, send_link
from web.deps import DB, AppSettings, Coordinator, RowId
from web.render import flash, render
from web.search import mentions
from web.tokens import Purpose

router = APIRouter()

MAP_SUFFIXES = (".yaml", ".yml", ".xlsx")
MAX_UPLOAD = 5 * 1024 * 1024
EXPORT_TYPES = {
    "yaml": "application/yaml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def matches_search(member: Member, area: str | None, q: str | None) -> bool:
    if area:
        codes = (
            {area, *(a.code for a in taxonomy.areas_of(area))}
            if taxonomy.is_domain(area)
            else {area}
        )
        if not codes & {c.code for c in member.competences}:
            return False
    if q:
        fields = [member.id, member.name, member.city, member.description, *member.keywords]
        return mentions(q, fields)
    return True


def _members_page(
    request: Request,
    session: DB,
    area: str | None,
    q: str | None,
    problems: list[str] | None = None,
) -> Response:
    area = area if area in taxonomy.ALL_CODES else None
    members = [m for m in members_service.load_members(session) if matches_search(m, area, q)]
    context = {"members": members, "area": area, "q": q or "", "problems": problems or []}
    return render(request, "members.html", context, status_code=400 if problems else 200)


@router.get("/members")
def members_page(
    request: Request, session: DB, _user: Coordinator, area: str = "", q: str = ""
) -> Response:
    return _members_page(request, session, area or None, q.strip()[:200] or None)


@router.get("/members/export")
def export_map(session: DB, _user: Coordinator, format: str = "yaml") -> Response:
    if format not in EXPORT_TYPES:
        raise HTTPException(404)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"competence-map.{format}"
        competence_map_io.write(
            members_service.to_competence_map(members_service.load_members(session)), path
        )
        content = path.read_bytes()
    return Response(
        content,
        media_type=EXPORT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="competence-map.{format}"'},
    )


@router.post("/members/import")
async def import_map(
    request: Request, session: DB, _user: Coordinator, file: UploadFile
) -> Response:
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    content = await file.read(MAX_UPLOAD + 1)
    if suffix not in MAP_SUFFIXES or len(content) > MAX_UPLOAD or not content:
        flash(request, "members.import_bad_file", "error", name=name)
        return RedirectResponse("/members", status_code=303)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            competence_map = competence_map_io.load(path)
        except InputFileError as exc:
            # The problems name the uploaded file, not our temporary copy of it.
            return _members_page(
                request, session, None, None, [f"{name}: {p}" for p in exc.problems]
            )
    summary = members_service.import_members(session, competence_map)
    session.commit()
    flash(
        request,
        "members.imported",
        name=name,
        created=str(len(summary.created)),
        updated=str(len(summary.updated)),
    )
    return RedirectResponse("/members", status_code=303)


@router.get("/users")
def users_page(request: Request, session: DB, _user: Coordinator) -> Response:
    users = list(session.scalars(select(User).order_by(User.role, User.email)))
    members = list(session.scalars(select(Member).order_by(Member.name)))
    return render(request, "users.html", {"users": users, "members": members, "roles": ROLES})


@router.post("/users/invite")
def invite(
    request: Request,
    session: DB,
    settings: AppSettings,
    _user: Coordinator,
    email: Annotated[str, Form()],
    role: Annotated[str, Form()],
    member_id: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "pl",
) -> Response:
    try:
        user = create_user(session, email, role, member_id or None, language)
    except AccountError as exc:
        flash(request, exc.key, "error", **exc.params)
        return RedirectResponse("/users", status_code=303)
    session.commit()
    _mail_link(request, settings, user, Purpose.INVITE, "users.invited")
    return RedirectResponse("/users", status_code=303)


def _mail_link(
    request: Request, settings: AppSettings, user: User, purpose: Purpose, sent_key: str
) -> None:
    """Mail the user a password link built on the address the coordinator browses at (or
    CALLRADAR_BASE_URL), and say how it went."""
    client = request.client.host if request.client else ""
    if links_lead_nowhere(settings, request.url.hostname or "", client):
        flash(request, "users.link_loopback", "error", email=user.email)
        return
    try:
        _, where = send_link(settings, user, purpose, str(request.base_url))
    except DeliveryError as exc:
        flash(request, "users.mail_failed", "error", email=user.email, error=str(exc))
    else:
        flash(request, sent_key, email=user.email, where=where)


def _user_or_404(session: DB, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(404)
    return user


@router.post("/users/{user_id}/resend")
def resend(
    request: Request, session: DB, settings: AppSettings, _user: Coordinator, user_id: RowId
) -> Response:
    user = _user_or_404(session, user_id)
    if not user.active:
        # Its link would only say "invalid" when followed.
        flash(request, "users.inactive_no_link", "error", email=user.email)
        return RedirectResponse("/users", status_code=303)
    purpose = Purpose.INVITE if user.password_hash is None else Purpose.RESET
    _mail_link(request, settings, user, purpose, "users.link_sent")
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/active")
def set_active(
    request: Request,
    session: DB,
    me: Coordinator,
    user_id: RowId,
    active: Annotated[bool, Form()],
) -> Response:
    user = _user_or_404(session, user_id)
    if user.id == me.id:
        flash(request, "users.not_yourself", "error")
    else:
        if not active:
            # Its sessions end for good: turned on again, the account does not revive a
            # cookie left on a lost laptop or with someone who left.
            user.session_epoch += 1
        user.active = active
        session.commit()
    return RedirectResponse("/users", status_code=303)
