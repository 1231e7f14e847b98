"""Dashboards, flow and burndown, exports and SVG charts."""

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.params import IdPath
from ...lib.problem_details import WRITE_ERRORS
from ..schemas.analytics_schema import (
    BoardFlow,
    Burndown,
    InternDashboard,
    InternshipDashboard,
    InternSort,
    TeamDashboard,
)
from ..services import svg_charts
from ..services.analytics_service import analytics_service

internship_router = APIRouter()
team_router = APIRouter()
board_router = APIRouter()

DateFrom = Annotated[dt.date | None, Query(description="First day (internship time zone).")]
DateTo = Annotated[dt.date | None, Query(description="Last day, inclusive.")]


@dataclass(frozen=True, slots=True)
class PeriodParams:
    date_from: dt.date | None
    date_to: dt.date | None


def period_params(date_from: DateFrom = None, date_to: DateTo = None) -> PeriodParams:
    """The period every analytics endpoint takes (defaults: the internship so far)."""
    return PeriodParams(date_from=date_from, date_to=date_to)


PeriodDep = Annotated[PeriodParams, Depends(period_params)]
SVG: dict[int | str, dict[str, Any]] = {200: {"content": {"image/svg+xml": {}}}}
FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        }
    }
}


def _svg(markup: str) -> Response:
    return Response(
        markup,
        media_type="image/svg+xml; charset=utf-8",
        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )


@internship_router.get(
    "/{internship_id}/analytics", response_model=InternshipDashboard, responses=WRITE_ERRORS
)
async def internship_dashboard(
    internship_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
    sort: InternSort = "full_name",
    order: Literal["asc", "desc"] = "asc",
) -> Response:
    """Interns sorted by any metric, teams compared, grades, rubric, mentors, risks."""
    # The body is the InternshipDashboard serialised once per cached computation.
    body = await analytics_service.internship_dashboard_json(
        session,
        actor,
        internship_id,
        date_from=period.date_from,
        date_to=period.date_to,
        sort=sort,
        descending=order == "desc",
    )
    return Response(body, media_type="application/json")


@internship_router.get(
    "/{internship_id}/analytics/me", response_model=InternDashboard, responses=WRITE_ERRORS
)
async def my_dashboard(
    internship_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> Response:
    """Your own progress beside the cohort's median."""
    body = await analytics_service.intern_dashboard_json(
        session,
        actor,
        internship_id,
        actor.user_id,
        date_from=period.date_from,
        date_to=period.date_to,
    )
    return Response(body, media_type="application/json")


@internship_router.get(
    "/{internship_id}/analytics/interns/{user_id}",
    response_model=InternDashboard,
    responses=WRITE_ERRORS,
)
async def intern_dashboard(
    internship_id: IdPath,
    user_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> Response:
    """One intern's progress: weekly throughput and activity, flags, cohort median."""
    body = await analytics_service.intern_dashboard_json(
        session, actor, internship_id, user_id, date_from=period.date_from, date_to=period.date_to
    )
    return Response(body, media_type="application/json")


@internship_router.get(
    "/{internship_id}/analytics/export",
    responses={
        **WRITE_ERRORS,
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        },
    },
    response_class=Response,
)
async def export_table(
    internship_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
    table: Literal["interns", "teams"] = "interns",
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """The intern or team table as CSV (UTF-8 with BOM, `;`) or XLSX."""
    body = await analytics_service.export_table(
        session,
        actor,
        internship_id,
        date_from=period.date_from,
        date_to=period.date_to,
        table=table,
        file_format=format,
    )
    name = f"internship-{internship_id}-{table}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "xlsx":
        return Response(
            body,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers=headers,
        )
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@internship_router.get(
    "/{internship_id}/analytics/charts/grades.svg",
    response_class=Response,
    responses={**WRITE_ERRORS, **SVG},
)
async def grades_chart(
    internship_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> Response:
    """Grade distribution as SVG."""
    dashboard = await analytics_service.internship_dashboard(
        session, actor, internship_id, date_from=period.date_from, date_to=period.date_to
    )
    buckets = dashboard.grade_distribution
    return _svg(
        svg_charts.bar_chart(
            "Распределение оценок", [f"{b.grade:g}" for b in buckets], [b.count for b in buckets]
        )
    )


@internship_router.get(
    "/{internship_id}/analytics/interns/{user_id}/charts/throughput.svg",
    response_class=Response,
    responses={**WRITE_ERRORS, **SVG},
)
async def intern_throughput_chart(
    internship_id: IdPath,
    user_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> Response:
    """An intern's completed cards per week as SVG."""
    dashboard = await analytics_service.intern_dashboard(
        session, actor, internship_id, user_id, date_from=period.date_from, date_to=period.date_to
    )
    weeks = dashboard.weekly
    return _svg(
        svg_charts.bar_chart(
            f"Выполнено за неделю — {dashboard.metrics.full_name}",
            [w.week.strftime("%d.%m") for w in weeks],
            [w.completed for w in weeks],
        )
    )


@team_router.get("/{team_id}/analytics", response_model=TeamDashboard, responses=WRITE_ERRORS)
async def team_dashboard(
    team_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> TeamDashboard:
    """The team's metrics, its members' metrics and weekly throughput."""
    return await analytics_service.team_dashboard(
        session, actor, team_id, date_from=period.date_from, date_to=period.date_to
    )


@team_router.get(
    "/{team_id}/analytics/charts/throughput.svg",
    response_class=Response,
    responses={**WRITE_ERRORS, **SVG},
)
async def team_throughput_chart(
    team_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> Response:
    """The team's completed cards per week as SVG."""
    dashboard = await analytics_service.team_dashboard(
        session, actor, team_id, date_from=period.date_from, date_to=period.date_to
    )
    return _svg(
        svg_charts.bar_chart(
            f"Выполнено за неделю — команда «{dashboard.metrics.name}»",
            [w.week.strftime("%d.%m") for w in dashboard.weekly],
            [w.completed for w in dashboard.weekly],
        )
    )


@board_router.get("/{board_id}/analytics/flow", response_model=BoardFlow, responses=WRITE_ERRORS)
async def board_flow(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> BoardFlow:
    """Cumulative flow: cards per column kind at the end of each day."""
    return await analytics_service.board_flow(
        session, actor, board_id, date_from=period.date_from, date_to=period.date_to
    )


@board_router.get("/{board_id}/analytics/burndown", response_model=Burndown, responses=WRITE_ERRORS)
async def board_burndown(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
    unit: Literal["cards", "points"] = "cards",
) -> Burndown:
    """Remaining work at the end of each day beside the ideal line."""
    return await analytics_service.burndown(
        session, actor, board_id, date_from=period.date_from, date_to=period.date_to, unit=unit
    )


@board_router.get(
    "/{board_id}/analytics/charts/flow.svg",
    response_class=Response,
    responses={**WRITE_ERRORS, **SVG},
)
async def board_flow_chart(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
) -> Response:
    """Cumulative flow diagram as SVG."""
    flow = await analytics_service.board_flow(
        session, actor, board_id, date_from=period.date_from, date_to=period.date_to
    )
    kinds = ["done", "review", "in_progress", "todo", "backlog"]
    return _svg(
        svg_charts.stacked_area_chart(
            "Накопительная диаграмма потока",
            [d.day.strftime("%d.%m") for d in flow.days],
            {kind: [getattr(d, kind) for d in flow.days] for kind in kinds},
        )
    )


@board_router.get(
    "/{board_id}/analytics/charts/burndown.svg",
    response_class=Response,
    responses={**WRITE_ERRORS, **SVG},
)
async def board_burndown_chart(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    period: PeriodDep,
    unit: Literal["cards", "points"] = "cards",
) -> Response:
    """Burndown as SVG."""
    chart = await analytics_service.burndown(
        session, actor, board_id, date_from=period.date_from, date_to=period.date_to, unit=unit
    )
    return _svg(
        svg_charts.line_chart(
            "Диаграмма сгорания",
            [d.day.strftime("%d.%m") for d in chart.days],
            {
                "Осталось": [d.remaining for d in chart.days],
                "Идеально": [d.ideal for d in chart.days],
            },
        )
    )
