"""Progress analytics of interns, teams and internships.

The progress score (0–100) of an intern or a team is a weighted mean of the parts that
have data, with the internship's weights (defaults in brackets):
- completion rate (0.35): completed ÷ assigned;
- on-time rate (0.25): completed on or before the due date ÷ completed with a due date;
- grade (0.30): (average grade − scale minimum) ÷ (scale maximum − scale minimum);
- quality (0.10): 1 − rework rate (returned reviews ÷ reviews).
A part without data (no cards with due dates, no grades…) is left out and the other
weights are renormalised; with no part at all the score is empty.

Caching. The whole-internship computation (every intern, the teams, grades, rubric,
mentors: about a second of PostgreSQL on the large data set) is kept in this process per
(internship, teams in scope, period), and one intern's dashboard as JSON per (internship,
intern, period) when its viewer sees every intern. An entry is served only if
- `MetricsRepository.is_fresh`: the same stamp is read as when it was computed (the newest
  activity event, review and grade correction ids; a checksum of the row versions of the
  internship, its participants, team members, teams and rubric) and none of the
  transactions running at that moment has committed since — so a committed write is in
  the next dashboard; the stamp is read before the computation, never after;
- it is younger than ANALYTICS_CACHE_MAX_AGE_SECONDS (60 s; 0 turns the cache off), which
  bounds what the stamp does not watch: metrics measured against «now», user renames,
  deletions of archived cards.
Concurrent misses of one internship entry compute once (`DashboardCache.load`); every
request ends its read-only transaction before waiting — for the computation or for the
heavy-query limiter — so waiting holds no pooled connection (16 waiting requests used to
exhaust the pool into 503s). Responses are serialised once per entry (JSON per sort
order, CSV, XLSX) and served as bytes.
"""

import asyncio
import datetime as dt
import os
import statistics
import time
import weakref
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...board.services.board_service import board_service
from ...config.project_config import get_settings
from ...internship.constants import GradingScale, ParticipantRole
from ...internship.exceptions import ParticipantNotFoundError
from ...internship.schemas.internship_schema import AnalyticsConfig
from ...internship.services.internship_service import internship_service
from ...internship.services.team_service import team_service
from ...lib.clock import utcnow
from ...lib.security.actor import Actor
from ..exceptions import AnalyticsPermissionError, InvalidPeriodError
from ..repositories.metrics_repository import MetricsRepository
from ..schemas.analytics_schema import (
    BoardFlow,
    Burndown,
    BurndownDay,
    CriterionAverage,
    FlowDay,
    GradeBucket,
    InternDashboard,
    InternMetrics,
    InternshipDashboard,
    InternSort,
    MentorResponse,
    Metrics,
    Period,
    RiskFlag,
    TeamDashboard,
    TeamMetrics,
    WeekPoint,
)
from .dashboard_cache import CachedDashboard, DashboardCache, DashboardKey
from .export_service import INTERN_COLUMNS, TEAM_COLUMNS, to_csv, to_xlsx

DEFAULT_MIN_GRADE = {
    GradingScale.FIVE_POINT: Decimal("3.5"),
    GradingScale.ONE_TO_FIVE: Decimal("3"),
    GradingScale.HUNDRED_POINT: Decimal("60"),
}
# Whole-internship computations, weighed by their rows: one for the large data set's
# 2 000 interns and 334 teams is about 20 MB with its kept responses, and at most three
# such are kept (a mentor's few teams weigh little); one intern's dashboards as JSON,
# a few kB each.
dashboard_cache: DashboardCache[InternshipDashboard] = DashboardCache(
    max_weight=8_000, weigh=lambda d: 1 + len(d.interns) + len(d.teams)
)
intern_cache: DashboardCache[bytes] = DashboardCache(max_weight=4_096, weigh=lambda _: 1)
_heavy: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = (
    weakref.WeakKeyDictionary()
)


def _heavy_queries() -> asyncio.Semaphore:
    """At most one whole-internship computation per core at a time (per event loop)."""
    loop = asyncio.get_running_loop()
    semaphore = _heavy.get(loop)
    if semaphore is None:
        semaphore = _heavy[loop] = asyncio.Semaphore(max(1, os.cpu_count() or 1))
    return semaphore


@dataclass(frozen=True, slots=True)
class _Internship:
    """What analytics reads of an internship, copied out of the ORM object so that it
    outlives the request's transaction (which ends before waiting on the cache)."""

    id: int
    timezone: str
    start_date: dt.date
    end_date: dt.date
    grading_scale: str
    analytics_config: dict[str, Any] | None

    @classmethod
    def of(cls, internship: Any) -> "_Internship":
        return cls(
            id=internship.id,
            timezone=internship.timezone,
            start_date=internship.start_date,
            end_date=internship.end_date,
            grading_scale=internship.grading_scale,
            analytics_config=internship.analytics_config,
        )


async def _hand_back_connection(session: AsyncSession) -> None:
    """End the request's read-only transaction, so its pooled connection goes back while
    the request waits (for the heavy-query limiter or another request's computation);
    the session checks one out again if it queries later. Analytics writes nothing, and
    no dependency before it does, so ending the transaction discards nothing."""
    await session.rollback()


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _float(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


class _Window:
    """A period in the internship's time zone, as dates and as UTC bounds."""

    def __init__(self, tz: str, date_from: dt.date, date_to: dt.date) -> None:
        zone = zoneinfo.ZoneInfo(tz)
        self.tz = tz
        self.date_from = date_from
        self.date_to = date_to
        self.start = dt.datetime.combine(date_from, dt.time(), tzinfo=zone)
        self.end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=zone)

    def period(self) -> Period:
        return Period(date_from=self.date_from, date_to=self.date_to, timezone=self.tz)


class AnalyticsService:
    # --- scope ------------------------------------------------------------------------

    async def _scope(
        self, session: AsyncSession, actor: Actor, internship_id: int
    ) -> tuple[_Internship, ParticipantRole | None, list[int] | None]:
        """The internship, the actor's role and the teams they may analyse (None: all)."""
        found, access = await internship_service.access(session, actor, internship_id)
        internship = _Internship.of(found)
        if access.is_admin or access.role is ParticipantRole.OBSERVER:
            return internship, access.role, None
        if access.role is ParticipantRole.MENTOR:
            teams = await team_service.list_teams(
                session, actor, internship_id, include_archived=False
            )
            mine = [t.id for t in teams if any(m.user_id == actor.user_id for m in t.mentors)]
            return internship, access.role, mine
        return internship, access.role, []

    def _window(
        self, internship: Any, date_from: dt.date | None, date_to: dt.date | None
    ) -> _Window:
        tz = internship.timezone
        today = utcnow().astimezone(zoneinfo.ZoneInfo(tz)).date()
        start = date_from or internship.start_date
        end = date_to or min(internship.end_date, max(today, internship.start_date))
        if end < start:
            raise InvalidPeriodError(
                "The period ends before it starts.", field="date_to", location="query"
            )
        if (end - start).days > 3660:
            raise InvalidPeriodError(
                "The period is longer than ten years.", field="date_to", location="query"
            )
        return _Window(tz, start, end)

    # --- shaping rows -----------------------------------------------------------------

    def _metrics(
        self, row: dict[str, Any], scale: GradingScale, config: AnalyticsConfig
    ) -> dict[str, Any]:
        low, high = scale.bounds
        completion = _ratio(row["completed"], row["assigned"])
        on_time = _ratio(row["completed_on_time"], row["completed_with_due"])
        rework = _ratio(int(row["returns"]), int(row["reviews"]))
        grade = _float(row["average_grade"])
        parts = [
            (config.weights.completion, completion),
            (config.weights.on_time, on_time),
            (config.weights.grade, None if grade is None else (grade - low) / (high - low)),
            (config.weights.quality, None if rework is None else 1 - rework),
        ]
        present = [(w, v) for w, v in parts if v is not None and w > 0]
        weight = sum(w for w, _ in present)
        score = round(100 * sum(w * v for w, v in present) / weight, 1) if weight else None
        return {
            "assigned": row["assigned"],
            "completed": row["completed"],
            "completion_rate": completion,
            "on_time_rate": on_time,
            "open_overdue": row["open_overdue"],
            "average_grade": grade,
            "weighted_grade": _float(row["weighted_grade"]),
            "rework_rate": rework,
            "cycle_hours_avg": _float(row["cycle_hours_avg"]),
            "cycle_hours_median": _float(row["cycle_hours_median"]),
            "lead_hours_avg": _float(row["lead_hours_avg"]),
            "lead_hours_median": _float(row["lead_hours_median"]),
            "progress_score": score,
        }

    def _flags(
        self,
        row: dict[str, Any],
        metrics: dict[str, Any],
        scale: GradingScale,
        config: AnalyticsConfig,
        now: dt.datetime,
    ) -> list[RiskFlag]:
        risk = config.risk
        flags = []
        last = row["last_activity_at"]
        if last is None or now - last > dt.timedelta(days=risk.inactive_days):
            days = "ни разу" if last is None else f"{(now - last).days} дн."
            flags.append(
                RiskFlag(
                    code="inactive",
                    reason=f"Нет активности {days} (порог — {risk.inactive_days} дн.)",
                )
            )
        if row["open_overdue"] >= risk.overdue_cards:
            flags.append(
                RiskFlag(
                    code="overdue",
                    reason=f"Просрочено открытых задач: {row['open_overdue']} "
                    f"(порог — {risk.overdue_cards})",
                )
            )
        if row["stuck"]:
            flags.append(
                RiskFlag(
                    code="stuck",
                    reason=f"Задач без движения дольше {risk.stuck_days} дн.: {row['stuck']}",
                )
            )
        min_grade = risk.min_grade if risk.min_grade is not None else DEFAULT_MIN_GRADE[scale]
        if (
            metrics["average_grade"] is not None
            and Decimal(str(metrics["average_grade"])) < min_grade
        ):
            flags.append(
                RiskFlag(
                    code="low_grade",
                    reason=f"Средняя оценка {metrics['average_grade']} ниже {min_grade}",
                )
            )
        if metrics["rework_rate"] is not None and metrics["rework_rate"] > risk.max_rework_rate:
            flags.append(
                RiskFlag(
                    code="rework",
                    reason=f"Доля возвратов на доработку {metrics['rework_rate']:.0%} "
                    f"выше {risk.max_rework_rate:.0%}",
                )
            )
        return flags

    async def _interns(
        self,
        session: AsyncSession,
        internship: Any,
        window: _Window,
        *,
        user_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
    ) -> list[InternMetrics]:
        config = AnalyticsConfig.model_validate(internship.analytics_config or {})
        scale = GradingScale(internship.grading_scale)
        now = utcnow()
        rows = await MetricsRepository(session).intern_metrics(
            internship.id,
            period_start=window.start,
            period_end=window.end,
            now=now,
            stuck_before=now - dt.timedelta(days=config.risk.stuck_days),
            user_ids=user_ids,
            team_ids=team_ids,
        )
        result = []
        for row in rows:
            metrics = self._metrics(row, scale, config)
            result.append(
                InternMetrics(
                    **metrics,
                    user_id=row["user_id"],
                    full_name=row["full_name"],
                    username=row["username"],
                    team_id=row["team_id"],
                    stuck_cards=row["stuck"],
                    last_activity_at=row["last_activity_at"],
                    flags=self._flags(row, metrics, scale, config, now),
                )
            )
        return result

    async def _teams(
        self,
        session: AsyncSession,
        internship: Any,
        window: _Window,
        team_ids: Sequence[int] | None,
    ) -> list[TeamMetrics]:
        config = AnalyticsConfig.model_validate(internship.analytics_config or {})
        scale = GradingScale(internship.grading_scale)
        rows = await MetricsRepository(session).team_metrics(
            internship.id,
            period_start=window.start,
            period_end=window.end,
            now=utcnow(),
            team_ids=team_ids,
        )
        return [
            TeamMetrics(
                **self._metrics(row, scale, config), team_id=row["team_id"], name=row["name"]
            )
            for row in rows
        ]

    # --- dashboards -------------------------------------------------------------------

    async def internship_dashboard(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
        sort: InternSort = "full_name",
        descending: bool = False,
    ) -> InternshipDashboard:
        """Organisers and observers: everyone; mentors: their teams; interns: not theirs."""
        entry = await self._internship_entry(session, actor, internship_id, date_from, date_to)
        return _view(entry.dashboard, sort, descending)

    async def internship_dashboard_json(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
        sort: InternSort = "full_name",
        descending: bool = False,
    ) -> bytes:
        """`internship_dashboard` as JSON, serialised once per cached computation and order."""
        entry = await self._internship_entry(session, actor, internship_id, date_from, date_to)
        return entry.render(
            ("json", sort, descending),
            lambda: _view(entry.dashboard, sort, descending).model_dump_json().encode(),
        )

    async def export_table(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
        table: str,
        file_format: str,
    ) -> bytes:
        """The intern or team table of the dashboard as CSV or XLSX, made once per entry."""
        entry = await self._internship_entry(session, actor, internship_id, date_from, date_to)

        def make() -> bytes:
            dashboard = _view(entry.dashboard, "full_name", False)
            rows = dashboard.interns if table == "interns" else dashboard.teams
            columns = INTERN_COLUMNS if table == "interns" else TEAM_COLUMNS
            if file_format == "xlsx":
                return to_xlsx(rows, columns, "Стажёры" if table == "interns" else "Команды")
            return to_csv(rows, columns)

        return entry.render(("export", table, file_format), make)

    async def _internship_entry(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> CachedDashboard[InternshipDashboard]:
        internship, role, team_ids = await self._scope(session, actor, internship_id)
        if role is ParticipantRole.INTERN and not actor.is_admin:
            raise AnalyticsPermissionError(
                "Interns see their own progress, not the internship's ranking."
            )
        window = self._window(internship, date_from, date_to)
        return await self._cached(session, internship, window, team_ids)

    async def _cached(
        self,
        session: AsyncSession,
        internship: _Internship,
        window: _Window,
        team_ids: Sequence[int] | None,
    ) -> CachedDashboard[InternshipDashboard]:
        """The whole-internship computation for this scope and period, from the cache when
        nothing it depends on has changed since (see `MetricsRepository.is_fresh`) and it
        is younger than ANALYTICS_CACHE_MAX_AGE_SECONDS; computed once for all concurrent
        requests otherwise."""
        scope = None if team_ids is None else tuple(sorted(set(team_ids)))
        key: DashboardKey = (internship.id, scope, window.date_from, window.date_to)
        max_age = get_settings().analytics.cache_max_age_seconds
        repo = MetricsRepository(session)
        while True:
            checked_at = time.monotonic()
            entry = dashboard_cache.get(key, max_age) if max_age > 0 else None
            if entry is not None and await repo.is_fresh(internship.id, entry.freshness):
                return entry
            await _hand_back_connection(session)
            if max_age <= 0:
                return await self._compute(session, internship, window, scope)
            loaded = await dashboard_cache.load(
                key, checked_at, lambda: self._compute(session, internship, window, scope)
            )
            if loaded is not None:
                return loaded

    async def _compute(
        self,
        session: AsyncSession,
        internship: _Internship,
        window: _Window,
        team_ids: Sequence[int] | None,
    ) -> CachedDashboard[InternshipDashboard]:
        # Whole-internship passes are heavy: a few at a time, the rest wait their turn
        # (holding no connection) instead of all slowing down together.
        async with _heavy_queries():
            started = time.monotonic()
            repo = MetricsRepository(session)
            # Read before the metrics: what they show is at least as new as this stamp.
            freshness = await repo.freshness(internship.id)
            interns = await self._interns(session, internship, window, team_ids=team_ids)
            teams = await self._teams(session, internship, window, team_ids)
            scale = GradingScale(internship.grading_scale)
            bucket = 10.0 if scale is GradingScale.HUNDRED_POINT else 1.0
            grades = await repo.grade_distribution(
                internship.id,
                bucket=bucket,
                period_start=window.start,
                period_end=window.end,
                team_ids=team_ids,
            )
            rubric = await repo.rubric_averages(
                internship.id, period_start=window.start, period_end=window.end, team_ids=team_ids
            )
            mentors = await repo.mentor_response_times(
                internship.id, period_start=window.start, period_end=window.end, team_ids=team_ids
            )
            # The next wait (the limiter, another key) must not hold the connection either.
            await _hand_back_connection(session)
        dashboard = InternshipDashboard(
            period=window.period(),
            interns=interns,
            teams=teams,
            grade_distribution=[
                GradeBucket(grade=float(r["bucket"]), count=r["n"]) for r in grades
            ],
            rubric_averages=[
                CriterionAverage(**{**r, "average": _float(r["average"])}) for r in rubric
            ],
            mentor_response=[
                MentorResponse(
                    **{
                        **r,
                        "hours_avg": _float(r["hours_avg"]),
                        "hours_median": _float(r["hours_median"]),
                    }
                )
                for r in mentors
            ],
            at_risk=[i for i in interns if i.flags],
        )
        return CachedDashboard(dashboard=dashboard, freshness=freshness, computed_at=started)

    async def intern_dashboard(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        user_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> InternDashboard:
        """One intern: themself, their teams' mentors, observers and organisers."""
        internship, window, team_ids = await self._intern_scope(
            session, actor, internship_id, user_id, date_from, date_to
        )
        return await self._intern_dashboard(session, internship, window, user_id, team_ids)

    async def intern_dashboard_json(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        user_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> bytes:
        """`intern_dashboard` as JSON; cached like the internship's (same freshness check)
        for the viewers who see every intern (the intern, observers, organisers)."""
        internship, window, team_ids = await self._intern_scope(
            session, actor, internship_id, user_id, date_from, date_to
        )
        max_age = get_settings().analytics.cache_max_age_seconds
        if team_ids is not None or max_age <= 0:
            # A mentor: their teams decide whether this intern is visible at all.
            dashboard = await self._intern_dashboard(session, internship, window, user_id, team_ids)
            return dashboard.model_dump_json().encode()
        key: DashboardKey = (internship.id, user_id, window.date_from, window.date_to)
        repo = MetricsRepository(session)
        entry = intern_cache.get(key, max_age)
        if entry is not None and await repo.is_fresh(internship.id, entry.freshness):
            return entry.dashboard
        started = time.monotonic()
        # Read before the computation: what it shows is at least as new as this.
        freshness = await repo.freshness(internship.id)
        dashboard = await self._intern_dashboard(session, internship, window, user_id, None)
        body = dashboard.model_dump_json().encode()
        intern_cache.put(
            key, CachedDashboard(dashboard=body, freshness=freshness, computed_at=started)
        )
        return body

    async def _intern_scope(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        user_id: int,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> tuple[_Internship, _Window, list[int] | None]:
        """The internship, the period and the teams that bound the view (None: all)."""
        internship, role, team_ids = await self._scope(session, actor, internship_id)
        if role is ParticipantRole.INTERN and not actor.is_admin and user_id != actor.user_id:
            raise AnalyticsPermissionError("Interns see only their own progress.")
        window = self._window(internship, date_from, date_to)
        return internship, window, None if role is ParticipantRole.INTERN else team_ids

    async def _intern_dashboard(
        self,
        session: AsyncSession,
        internship: _Internship,
        window: _Window,
        user_id: int,
        team_ids: Sequence[int] | None,
    ) -> InternDashboard:
        rows = await self._interns(
            session, internship, window, user_ids=[user_id], team_ids=team_ids
        )
        if not rows:
            raise ParticipantNotFoundError
        repo = MetricsRepository(session)
        completed = await repo.intern_weekly_throughput(
            internship.id,
            user_id,
            tz=window.tz,
            period_start=window.start,
            period_end=window.end,
        )
        activity = await repo.weekly_activity(
            user_id, tz=window.tz, period_start=window.start, period_end=window.end
        )
        return InternDashboard(
            period=window.period(),
            metrics=rows[0],
            weekly=_weeks(window, completed, activity),
            cohort_median=await self._cohort_median(session, internship, window),
        )

    async def _cohort_median(
        self, session: AsyncSession, internship: _Internship, window: _Window
    ) -> Metrics:
        """The median intern of the whole internship, from the cached computation."""
        entry = await self._cached(session, internship, window, None)
        if entry.cohort_median is None:
            entry.cohort_median = _median(entry.dashboard.interns)
        return entry.cohort_median

    async def team_dashboard(
        self,
        session: AsyncSession,
        actor: Actor,
        team_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> TeamDashboard:
        access = await team_service.team_access(session, actor, team_id)
        internship, role, team_ids = await self._scope(session, actor, access.internship_id)
        if role is ParticipantRole.INTERN and not actor.is_admin:
            raise AnalyticsPermissionError("Interns see their own progress, not the team's table.")
        if team_ids is not None and team_id not in team_ids:
            raise AnalyticsPermissionError("Mentors see the analytics of their own teams.")
        window = self._window(internship, date_from, date_to)
        teams = await self._teams(session, internship, window, [team_id])
        if not teams:
            raise AnalyticsPermissionError("The team is archived.")
        members = await self._interns(session, internship, window, team_ids=[team_id])
        completed = await MetricsRepository(session).team_weekly_throughput(
            internship.id,
            team_id,
            tz=window.tz,
            period_start=window.start,
            period_end=window.end,
        )
        return TeamDashboard(
            period=window.period(),
            metrics=teams[0],
            members=members,
            weekly=_weeks(window, completed, []),
        )

    # --- boards: flow and burndown ----------------------------------------------------

    async def _board_window(
        self,
        session: AsyncSession,
        actor: Actor,
        board_id: int,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> _Window:
        _, access = await board_service.board_access(session, actor, board_id)
        internship = await internship_service.get(session, Actor.system(), access.internship_id)
        window = self._window(internship, date_from, date_to)
        if (window.date_to - window.date_from).days > 400:
            raise InvalidPeriodError(
                "Daily charts cover at most 400 days.", field="date_to", location="query"
            )
        return window

    async def board_flow(
        self,
        session: AsyncSession,
        actor: Actor,
        board_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
    ) -> BoardFlow:
        """Cumulative flow: cards per column kind at the end of each day, from the log."""
        window = await self._board_window(session, actor, board_id, date_from, date_to)
        rows = await MetricsRepository(session).daily_states(
            board_id, tz=window.tz, day_from=window.date_from, day_to=window.date_to
        )
        days: dict[dt.date, FlowDay] = {
            window.date_from + dt.timedelta(days=n): FlowDay(
                day=window.date_from + dt.timedelta(days=n)
            )
            for n in range((window.date_to - window.date_from).days + 1)
        }
        for row in rows:
            if row["kind"] in FlowDay.model_fields:
                setattr(days[row["day"]], row["kind"], row["cards"])
        return BoardFlow(board_id=board_id, period=window.period(), days=list(days.values()))

    async def burndown(
        self,
        session: AsyncSession,
        actor: Actor,
        board_id: int,
        *,
        date_from: dt.date | None,
        date_to: dt.date | None,
        unit: str = "cards",
    ) -> Burndown:
        """What is not done yet at the end of each day, beside the straight ideal line."""
        window = await self._board_window(session, actor, board_id, date_from, date_to)
        rows = await MetricsRepository(session).daily_states(
            board_id, tz=window.tz, day_from=window.date_from, day_to=window.date_to
        )
        key = "points" if unit == "points" else "cards"
        remaining: dict[dt.date, float] = {}
        for row in rows:
            if row["kind"] != "done":
                remaining[row["day"]] = remaining.get(row["day"], 0.0) + float(row[key])
        total_days = (window.date_to - window.date_from).days
        first = remaining.get(window.date_from, 0.0)
        days = []
        for n in range(total_days + 1):
            day = window.date_from + dt.timedelta(days=n)
            ideal = first * (1 - n / total_days) if total_days else 0.0
            days.append(
                BurndownDay(day=day, remaining=remaining.get(day, 0.0), ideal=round(ideal, 2))
            )
        return Burndown(
            board_id=board_id,
            period=window.period(),
            unit="points" if unit == "points" else "cards",
            days=days,
        )


def _view(dashboard: InternshipDashboard, sort: str, descending: bool) -> InternshipDashboard:
    """The cached dashboard in the requested order (the at-risk list follows it)."""
    interns = _sorted(list(dashboard.interns), sort, descending)
    return dashboard.model_copy(
        update={"interns": interns, "at_risk": [i for i in interns if i.flags]}
    )


def _median(interns: Sequence[InternMetrics]) -> Metrics:
    values: dict[str, Any] = {}
    for name in Metrics.model_fields:
        numbers = [getattr(i, name) for i in interns if getattr(i, name) is not None]
        median = statistics.median(numbers) if numbers else None
        if name in {"assigned", "completed", "open_overdue"}:
            median = int(median) if median is not None else 0
        values[name] = median
    return Metrics(**values)


def _sorted(interns: list[InternMetrics], key: str, descending: bool) -> list[InternMetrics]:
    present = [i for i in interns if getattr(i, key) is not None]
    missing = [i for i in interns if getattr(i, key) is None]
    present.sort(key=lambda i: (getattr(i, key), i.user_id), reverse=descending)
    return present + missing  # empty values last, whichever the direction


def _weeks(
    window: _Window, completed: list[dict[str, Any]], activity: list[dict[str, Any]]
) -> list[WeekPoint]:
    monday = window.date_from - dt.timedelta(days=window.date_from.weekday())
    points: dict[dt.date, WeekPoint] = {}
    while monday <= window.date_to:
        points[monday] = WeekPoint(week=monday)
        monday += dt.timedelta(days=7)
    for row in completed:
        if row["week"] in points:
            points[row["week"]].completed = row["n"]
    for row in activity:
        if row["week"] in points:
            points[row["week"]].events = row["events"]
            points[row["week"]].comments = row["comments"]
    return list(points.values())


analytics_service = AnalyticsService()
