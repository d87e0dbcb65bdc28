"""The coordinator's overview pages: the sources' last runs and the cluster's indicators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from starlette.responses import Response

from callradar.models import Call, Source, SourceRun
from web import indicators
from web.charts import Series, bar_chart
from web.deps import DB, AppSettings, Coordinator
from web.i18n import Translator
from web.render import language, render

router = APIRouter()


@router.get("/sources")
def sources_page(request: Request, session: DB, _user: Coordinator) -> Response:
    last_run = (
        select(SourceRun.source, func.max(SourceRun.id).label("run_id"))
        .group_by(SourceRun.source)
        .subquery()
    )
    runs = {
        run.source: run
        for run in session.scalars(
            select(SourceRun).join(last_run, SourceRun.id == last_run.c.run_id)
        )
    }
    counts: dict[str, int] = {
        source: count
        for source, count in session.execute(
            select(Call.source, func.count()).group_by(Call.source)
        )
    }
    rows = [
        (source, runs.get(source.name), counts.get(source.name, 0))
        for source in session.scalars(select(Source).order_by(Source.name))
    ]
    return render(request, "sources.html", {"rows": rows})


@router.get("/indicators")
def indicators_page(
    request: Request, session: DB, settings: AppSettings, _user: Coordinator
) -> Response:
    _ = Translator(language(request))
    data = indicators.compute(session, settings.zone, settings.today())
    years = [str(y) for y in data.years]
    charts = {
        "consortia": bar_chart(
            years,
            [Series(_("ind.consortia"), data.consortia)],
            _("ind.consortia"),
            goal=indicators.CONSORTIA_GOAL,
            goal_label=_("ind.goal", n=str(indicators.CONSORTIA_GOAL)),
        ),
        "proposals": bar_chart(
            years,
            [
                Series(_("ind.funded"), data.funded),
                Series(_("ind.rejected"), data.rejected),
                Series(_("ind.awaiting"), data.awaiting),
            ],
            _("ind.proposals"),
        ),
        "members": bar_chart(
            years,
            [Series(_("ind.new_members"), data.new_members)],
            _("ind.new_members"),
            goal=indicators.NEW_MEMBERS_GOAL,
            goal_label=_("ind.goal", n=str(indicators.NEW_MEMBERS_GOAL)),
        ),
        "calls": bar_chart(
            data.months, [Series(_("ind.calls_found"), data.calls_found)], _("ind.calls_found")
        ),
        "notified": bar_chart(
            data.months,
            [Series(_("ind.members_notified"), data.members_notified)],
            _("ind.members_notified"),
        ),
    }
    context = {
        "data": data,
        "charts": charts,
        "consortia_goal": indicators.CONSORTIA_GOAL,
        "members_goal": indicators.NEW_MEMBERS_GOAL,
    }
    return render(request, "indicators.html", context)
