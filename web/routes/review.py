"""The review desk (coordinator) and a call's page (the coordinator, or a matched member)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.responses import Response

from callradar import taxonomy
from callradar.members import load_members
from callradar.models import Call, CallVersion, Consortium, Match, Member, User
from matching.review import DISMISSED, competition
from proposals.consortium import suggest_consortium
from proposals.errors import ProposalError
from proposals.facts import member_facts
from proposals.pack import being_formed
from proposals.rules import check_rules
from web.deps import DB, AnyUser, AppSettings, Coordinator, RowId
from web.render import language, render
from web.review_queue import Filters, choices, flagged_calls, next_deadline

router = APIRouter()

REVIEW_CHOICES = ("pending", "confirmed", "dismissed", "all")
STATUS_CHOICES = ("open", "forthcoming", "closed")
WINDOW_CHOICES = (7, 14, 30, 60, 90)
# Looked up as text: int() refuses some digits str.isdigit admits ("²").
WINDOWS = {str(days): days for days in WINDOW_CHOICES}


def _filters(params: dict[str, str]) -> Filters:
    """The query string as filters; unknown values are ignored rather than refused."""
    review = params.get("review", "pending")
    within = params.get("within", "")
    area = params.get("area") or None
    return Filters(
        review=review if review in REVIEW_CHOICES else "pending",  # type: ignore[arg-type]
        source=params.get("source") or None,
        programme=params.get("programme") or None,
        area=area if area in taxonomy.ALL_CODES else None,
        status=params.get("status") if params.get("status") in STATUS_CHOICES else None,
        within_days=WINDOWS.get(within),
        q=(params.get("q") or "").strip()[:200] or None,
        sort="newest" if params.get("sort") == "newest" else "deadline",
    )


@router.get("/review")
def review_desk(
    request: Request, session: DB, settings: AppSettings, _user: Coordinator
) -> Response:
    filters = _filters(dict(request.query_params))
    today = settings.today()
    rows, total = flagged_calls(session, filters, today)
    context = {
        "rows": [(row, next_deadline(row.call, today)) for row in rows],
        # The list is cut at LIMIT calls; the page must not claim that is all there is.
        "total": total,
        "filters": filters,
        "choices": choices(session),
        "review_choices": REVIEW_CHOICES,
        "status_choices": STATUS_CHOICES,
        "window_choices": WINDOW_CHOICES,
    }
    return render(request, "review.html", context)


def version_changes(versions: list[CallVersion]) -> list[dict[str, Any]]:
    """Each version, newest first, with the old and new value of each changed field."""
    out = []
    for i, version in enumerate(versions):
        before = versions[i - 1].snapshot if i else {}
        out.append(
            {
                "version": version,
                "changes": [
                    (field, before.get(field), version.snapshot.get(field))
                    for field in version.changed_fields
                ],
            }
        )
    return out[::-1]


@dataclass(frozen=True, slots=True)
class RefusedBuild:
    """A consortium build the app refused: what the coordinator chose, and why, at which
    field (None: the build as a whole)."""

    lead: str
    partners: list[str]
    mentor: str | None
    consortium: int | None
    field: str | None
    error: str


def consortium_builder(
    session: DB,
    call: Call,
    consortia: list[Consortium],
    lang: str,
    refused: RefusedBuild | None = None,
) -> dict[str, Any]:
    """What the coordinator's consortium form starts from: the choices of a build just
    refused, else the consortium still being formed (changing it makes its next pack
    version), else the proposals' suggestion."""
    try:
        suggestion = suggest_consortium(session, call.external_id, call.source)
    except ProposalError as exc:
        return {
            "suggestion": None,
            "suggestion_error": exc.text(lang),
            "members": [],
            "refused": refused,
        }
    members = list(session.scalars(select(Member).order_by(Member.name)))
    target = being_formed(consortia)
    rules = suggestion.rules
    if refused is not None:
        target = next((c for c in consortia if c.id == refused.consortium), None)
        lead: str | None = refused.lead
        partners = [p for p in refused.partners if p != refused.lead]
        mentor = refused.mentor
    elif target is not None:
        lead = target.lead_id
        partners = [p.member_id for p in target.partners if p.member_id != target.lead_id]
        mentor = target.mentor_id
    else:
        lead = suggestion.lead.member.id if suggestion.lead else None
        partners = [p.member.id for p in suggestion.partners]
        mentor = suggestion.mentor.member.id if suggestion.mentor else None
    if lead is not None and (refused is not None or target is not None):
        # The rules checked on the team preselected, not on the suggested one.
        team = [lead, *partners]
        facts = {m.id: member_facts(m) for m in load_members(session, team)}
        rules = check_rules(suggestion.call, [facts[m] for m in team if m in facts])
    chosen = {"lead": lead, "partners": partners, "mentor": mentor}
    return {
        "suggestion": suggestion,
        "suggestion_error": None,
        "members": members,
        "target": target,
        "chosen": chosen,
        "rules": rules,
        "refused": refused,
    }


@router.get("/calls/{call_id}")
def call_page(request: Request, session: DB, user: AnyUser, call_id: RowId) -> Response:
    return show_call(request, session, user, call_id)


def show_call(
    request: Request,
    session: DB,
    user: User,
    call_id: int,
    refused: RefusedBuild | None = None,
) -> Response:
    """A call's page; with ``refused``, its consortium form holds the choices of the build
    refused, the reason at its field (answered 400)."""
    call = session.scalar(
        select(Call)
        .where(Call.id == call_id)
        .options(selectinload(Call.deadlines), selectinload(Call.tags), selectinload(Call.versions))
    )
    if call is None:
        raise HTTPException(404)
    coordinator = user.role == "coordinator"
    query = (
        select(Match, Member)
        .join(Member, Member.id == Match.member_id)
        .where(Match.call_id == call.id)
    )
    if not coordinator:
        # A member sees a call only through its own match, and only its own reasons; not a
        # call the coordinator dismissed.
        if call.review_status == DISMISSED:
            raise HTTPException(404)
        query = query.where(Match.member_id == user.member_id)
    matches = session.execute(query.order_by(Match.score.desc())).all()
    if not coordinator and not matches:
        raise HTTPException(404)
    tags = sorted(call.tags, key=lambda t: -t.score)
    context: dict[str, Any] = {
        "call": call,
        "tags": tags,
        "evidence": [phrase for tag in tags for phrase in tag.evidence],
        "versions": version_changes(call.versions),
        "matches": matches,
        "coordinator": coordinator,
        "consortia": [],
        "others": [],
    }
    if coordinator:
        context["others"] = [c for c in competition(session, call) if c.id != call.id]
        context["consortia"] = list(
            session.scalars(
                select(Consortium)
                .where(Consortium.call_id == call.id)
                .options(selectinload(Consortium.partners), selectinload(Consortium.packs))
                .order_by(Consortium.id)
            )
        )
        context.update(
            consortium_builder(session, call, context["consortia"], language(request), refused)
        )
    return render(request, "call.html", context, 400 if refused else 200)
