"""The analytics queries: every metric is computed by PostgreSQL (aggregates, window
functions, percentiles) over the tracker's and the reviews' tables.

Analytics is a read model over other contexts' tables; contexts do not import each
other's models, so these queries are written in SQL against the schema, which the
migrations own (`tests/test_models.py` keeps the table names honest through the
analytics tests that run them).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Cards of an internship with their assignee, column kind and latest review facts.
_CARD_FACTS = """
  interns AS (
    SELECT p.user_id, tm.team_id
      FROM internship_participants p
      LEFT JOIN team_members tm
        ON tm.internship_id = p.internship_id AND tm.user_id = p.user_id
       AND tm.role = 'member' AND tm.archived_at IS NULL
     WHERE p.internship_id = :internship_id AND p.role = 'intern' AND p.archived_at IS NULL
       AND (CAST(:user_ids AS bigint[]) IS NULL OR p.user_id = ANY(CAST(:user_ids AS bigint[])))
       AND (CAST(:team_ids AS bigint[]) IS NULL OR tm.team_id = ANY(CAST(:team_ids AS bigint[])))
  ),
  internship_boards AS (
    SELECT b.id
      FROM boards b
      JOIN projects pr ON pr.id = b.project_id
      JOIN teams t ON t.id = pr.team_id
     WHERE t.internship_id = :internship_id
  ),
  ic AS (
    SELECT a.user_id, c.id, c.created_at, c.completed_at, c.due_at, c.estimate,
           c.started_at, c.moved_at, col.kind
      FROM card_assignees a
      JOIN interns i ON i.user_id = a.user_id
      JOIN cards c ON c.id = a.card_id
      JOIN board_columns col ON col.id = c.column_id
     WHERE c.board_id IN (SELECT id FROM internship_boards)
       AND c.archived_at IS NULL AND c.created_at < :period_end
  ),
  rv AS (
    SELECT r.card_id,
           count(*) FILTER (WHERE r.decision = 'return') AS returns,
           count(*) AS reviews,
           (array_agg(r.grade ORDER BY r.id DESC) FILTER (WHERE r.decision = 'accept'))[1]
             AS grade
      FROM reviews r
     WHERE r.internship_id = :internship_id
       AND r.created_at >= :period_start AND r.created_at < :period_end
       AND r.card_id IN (SELECT id FROM ic)
     GROUP BY r.card_id
  )
"""

_INTERN_METRICS = (
    "WITH"  # noqa: S608 - constant SQL fragments; values are bound parameters
    + _CARD_FACTS
    + """,
  per_intern AS (
    -- Aggregated by the integer id first; names are joined to the 2 000 results, not
    -- sorted along with the 260 000 card rows.
    SELECT ic.user_id,
           count(*) AS assigned,
           count(*) FILTER (WHERE ic.completed_at >= :period_start
                              AND ic.completed_at < :period_end) AS completed,
           count(*) FILTER (WHERE ic.completed_at >= :period_start
                              AND ic.completed_at < :period_end
                              AND ic.due_at IS NOT NULL) AS completed_with_due,
           count(*) FILTER (WHERE ic.completed_at >= :period_start
                              AND ic.completed_at < :period_end
                              AND ic.completed_at <= ic.due_at) AS completed_on_time,
           count(*) FILTER (WHERE ic.completed_at IS NULL AND ic.due_at < :now) AS open_overdue,
           count(*) FILTER (WHERE ic.completed_at IS NULL
                              AND ic.kind IN ('todo', 'in_progress', 'review')
                              AND ic.moved_at < :stuck_before) AS stuck,
           avg(rv.grade) AS average_grade,
           sum(rv.grade * ic.estimate)
             / nullif(sum(ic.estimate) FILTER (WHERE rv.grade IS NOT NULL), 0) AS weighted_grade,
           coalesce(sum(rv.returns), 0) AS returns,
           coalesce(sum(rv.reviews), 0) AS reviews,
           avg(extract(epoch FROM ic.completed_at - ic.started_at) / 3600.0)
             FILTER (WHERE ic.completed_at >= :period_start AND ic.completed_at < :period_end
                       AND ic.started_at IS NOT NULL) AS cycle_hours_avg,
           percentile_cont(0.5) WITHIN GROUP (
             ORDER BY extract(epoch FROM ic.completed_at - ic.started_at) / 3600.0)
             FILTER (WHERE ic.completed_at >= :period_start AND ic.completed_at < :period_end
                       AND ic.started_at IS NOT NULL) AS cycle_hours_median,
           avg(extract(epoch FROM ic.completed_at - ic.created_at) / 3600.0)
             FILTER (WHERE ic.completed_at >= :period_start AND ic.completed_at < :period_end)
             AS lead_hours_avg,
           percentile_cont(0.5) WITHIN GROUP (
             ORDER BY extract(epoch FROM ic.completed_at - ic.created_at) / 3600.0)
             FILTER (WHERE ic.completed_at >= :period_start AND ic.completed_at < :period_end)
             AS lead_hours_median
      FROM ic
      LEFT JOIN rv ON rv.card_id = ic.id
     GROUP BY ic.user_id
  )
SELECT i.user_id, i.team_id,
       coalesce(m.assigned, 0) AS assigned,
       coalesce(m.completed, 0) AS completed,
       coalesce(m.completed_with_due, 0) AS completed_with_due,
       coalesce(m.completed_on_time, 0) AS completed_on_time,
       coalesce(m.open_overdue, 0) AS open_overdue,
       coalesce(m.stuck, 0) AS stuck,
       m.average_grade, m.weighted_grade,
       coalesce(m.returns, 0) AS returns,
       coalesce(m.reviews, 0) AS reviews,
       m.cycle_hours_avg, m.cycle_hours_median, m.lead_hours_avg, m.lead_hours_median,
       (SELECT max(e.created_at) FROM activity_events e WHERE e.actor_id = i.user_id)
         AS last_activity_at,
       u.full_name, u.username
  FROM interns i
  JOIN users u ON u.id = i.user_id
  LEFT JOIN per_intern m ON m.user_id = i.user_id
 ORDER BY u.full_name, i.user_id
"""
)

_TEAM_METRICS = """
WITH tc AS (
  SELECT t.id AS team_id, t.name, c.id, c.created_at, c.completed_at, c.due_at, c.estimate,
         c.started_at
    FROM teams t
    JOIN projects pr ON pr.team_id = t.id
    JOIN boards b ON b.project_id = pr.id
    JOIN cards c ON c.board_id = b.id
   WHERE t.internship_id = :internship_id AND t.archived_at IS NULL AND c.archived_at IS NULL
     AND c.created_at < :period_end
     AND (CAST(:team_ids AS bigint[]) IS NULL OR t.id = ANY(CAST(:team_ids AS bigint[])))
),
rv AS (
  SELECT r.card_id,
         count(*) FILTER (WHERE r.decision = 'return') AS returns,
         count(*) AS reviews,
         (array_agg(r.grade ORDER BY r.id DESC) FILTER (WHERE r.decision = 'accept'))[1] AS grade
    FROM reviews r
   WHERE r.internship_id = :internship_id
     AND r.created_at >= :period_start AND r.created_at < :period_end
   GROUP BY r.card_id
)
SELECT t.id AS team_id, t.name,
       count(tc.id) AS assigned,
       count(tc.id) FILTER (WHERE tc.completed_at >= :period_start
                              AND tc.completed_at < :period_end) AS completed,
       count(tc.id) FILTER (WHERE tc.completed_at >= :period_start
                              AND tc.completed_at < :period_end
                              AND tc.due_at IS NOT NULL) AS completed_with_due,
       count(tc.id) FILTER (WHERE tc.completed_at >= :period_start
                              AND tc.completed_at < :period_end
                              AND tc.completed_at <= tc.due_at) AS completed_on_time,
       count(tc.id) FILTER (WHERE tc.completed_at IS NULL AND tc.due_at < :now) AS open_overdue,
       avg(rv.grade) AS average_grade,
       sum(rv.grade * tc.estimate) / nullif(sum(tc.estimate) FILTER (WHERE rv.grade IS NOT NULL), 0)
         AS weighted_grade,
       coalesce(sum(rv.returns), 0) AS returns,
       coalesce(sum(rv.reviews), 0) AS reviews,
       avg(extract(epoch FROM tc.completed_at - tc.started_at) / 3600.0)
         FILTER (WHERE tc.completed_at >= :period_start AND tc.completed_at < :period_end
                   AND tc.started_at IS NOT NULL) AS cycle_hours_avg,
       percentile_cont(0.5) WITHIN GROUP (
         ORDER BY extract(epoch FROM tc.completed_at - tc.started_at) / 3600.0)
         FILTER (WHERE tc.completed_at >= :period_start AND tc.completed_at < :period_end
                   AND tc.started_at IS NOT NULL) AS cycle_hours_median,
       avg(extract(epoch FROM tc.completed_at - tc.created_at) / 3600.0)
         FILTER (WHERE tc.completed_at >= :period_start AND tc.completed_at < :period_end)
         AS lead_hours_avg,
       percentile_cont(0.5) WITHIN GROUP (
         ORDER BY extract(epoch FROM tc.completed_at - tc.created_at) / 3600.0)
         FILTER (WHERE tc.completed_at >= :period_start AND tc.completed_at < :period_end)
         AS lead_hours_median
  FROM teams t
  LEFT JOIN tc ON tc.team_id = t.id
  LEFT JOIN rv ON rv.card_id = tc.id
 WHERE t.internship_id = :internship_id AND t.archived_at IS NULL
   AND (CAST(:team_ids AS bigint[]) IS NULL OR t.id = ANY(CAST(:team_ids AS bigint[])))
 GROUP BY t.id, t.name
 ORDER BY t.name, t.id
"""

# Completed cards per week, weeks counted in the internship's time zone from Monday.
_WEEKLY_THROUGHPUT = """
SELECT date_trunc('week', c.completed_at AT TIME ZONE :tz)::date AS week, count(DISTINCT c.id) AS n
  FROM cards c
  JOIN boards b ON b.id = c.board_id
  JOIN projects pr ON pr.id = b.project_id
  JOIN teams t ON t.id = pr.team_id
 WHERE t.internship_id = :internship_id AND c.archived_at IS NULL
   AND c.completed_at >= :period_start AND c.completed_at < :period_end
   AND (CAST(:team_id AS bigint) IS NULL OR t.id = :team_id)
   AND (CAST(:user_id AS bigint) IS NULL OR c.id IN (
         SELECT a.card_id FROM card_assignees a WHERE a.user_id = :user_id))
 GROUP BY 1 ORDER BY 1
"""

_WEEKLY_ACTIVITY = """
SELECT date_trunc('week', e.created_at AT TIME ZONE :tz)::date AS week,
       count(*) AS events,
       count(*) FILTER (WHERE e.kind = 'comment_added') AS comments
  FROM activity_events e
 WHERE e.actor_id = :user_id AND e.created_at >= :period_start AND e.created_at < :period_end
 GROUP BY 1 ORDER BY 1
"""

# Where each card of the board stood at the end of every day: intervals from the log.
_DAILY_STATES = """
WITH moves AS (
  SELECT e.card_id, e.created_at AS at,
         CASE WHEN e.kind = 'card_created' THEN e.data->>'column_kind'
              ELSE e.data->>'to_kind' END AS kind
    FROM activity_events e
   WHERE e.board_id = :board_id
     AND (e.kind = 'card_created'
          OR (e.kind = 'card_moved' AND e.data->>'from_column_id' <> e.data->>'to_column_id'))
),
spans AS (
  SELECT m.card_id, m.kind, m.at AS since,
         lead(m.at) OVER (PARTITION BY m.card_id ORDER BY m.at) AS until
    FROM moves m
),
archiving AS (
  SELECT e.card_id, e.created_at AS at, e.kind
    FROM activity_events e
   WHERE e.board_id = :board_id AND e.kind IN ('card_archived', 'card_restored')
),
days AS (
  -- Local midnight after each day, as an instant: the day's end in the internship's zone.
  SELECT g::date AS day, ((g::date + 1)::timestamp AT TIME ZONE :tz) AS day_end
    FROM generate_series(CAST(:day_from AS date), CAST(:day_to AS date), interval '1 day') g
)
SELECT d.day, s.kind, count(*) AS cards, coalesce(sum(c.estimate), 0) AS points
  FROM days d
  JOIN spans s ON s.since < d.day_end AND (s.until IS NULL OR s.until >= d.day_end)
  JOIN cards c ON c.id = s.card_id
 WHERE (SELECT a.kind FROM archiving a
         WHERE a.card_id = s.card_id AND a.at < d.day_end
         ORDER BY a.at DESC LIMIT 1) IS DISTINCT FROM 'card_archived'
 GROUP BY d.day, s.kind
 ORDER BY d.day, s.kind
"""

_GRADE_DISTRIBUTION = """
SELECT round(r.grade / :bucket) * :bucket AS bucket, count(*) AS n
  FROM reviews r
 WHERE r.internship_id = :internship_id AND r.decision = 'accept'
   AND r.created_at >= :period_start AND r.created_at < :period_end
   AND (CAST(:team_ids AS bigint[]) IS NULL OR r.team_id = ANY(CAST(:team_ids AS bigint[])))
 GROUP BY 1 ORDER BY 1
"""

_RUBRIC_AVERAGES = """
SELECT rc.id AS criterion_id, rc.name, rc.max_score,
       avg((r.scores ->> rc.id::text)::numeric) AS average, count(r.id) AS reviews
  FROM rubric_criteria rc
  LEFT JOIN reviews r
    ON r.internship_id = rc.internship_id AND r.decision = 'accept'
   AND r.scores ? rc.id::text
   AND r.created_at >= :period_start AND r.created_at < :period_end
   AND (CAST(:team_ids AS bigint[]) IS NULL OR r.team_id = ANY(CAST(:team_ids AS bigint[])))
 WHERE rc.internship_id = :internship_id AND rc.archived_at IS NULL
 GROUP BY rc.id, rc.name, rc.max_score, rc.position
 ORDER BY rc.position, rc.id
"""

_MENTOR_RESPONSE = """
SELECT r.reviewer_id, u.full_name, count(*) AS reviews,
       avg(r.response_seconds) / 3600.0 AS hours_avg,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY r.response_seconds) / 3600.0 AS hours_median
  FROM reviews r
  JOIN users u ON u.id = r.reviewer_id
 WHERE r.internship_id = :internship_id
   AND r.created_at >= :period_start AND r.created_at < :period_end
   AND (CAST(:team_ids AS bigint[]) IS NULL OR r.team_id = ANY(CAST(:team_ids AS bigint[])))
 GROUP BY r.reviewer_id, u.full_name
 ORDER BY hours_median, r.reviewer_id
"""


def _ids(values: Sequence[int] | None) -> list[int] | None:
    return None if values is None else list(values)


class MetricsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        result = await self.session.execute(text(sql), params)
        return [dict(row._mapping) for row in result]

    async def intern_metrics(
        self,
        internship_id: int,
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
        now: dt.datetime,
        stuck_before: dt.datetime,
        user_ids: Sequence[int] | None = None,
        team_ids: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _INTERN_METRICS,
            internship_id=internship_id,
            period_start=period_start,
            period_end=period_end,
            now=now,
            stuck_before=stuck_before,
            user_ids=_ids(user_ids),
            team_ids=_ids(team_ids),
        )

    async def team_metrics(
        self,
        internship_id: int,
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
        now: dt.datetime,
        team_ids: Sequence[int] | None = None,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _TEAM_METRICS,
            internship_id=internship_id,
            period_start=period_start,
            period_end=period_end,
            now=now,
            team_ids=_ids(team_ids),
        )

    async def weekly_throughput(
        self,
        internship_id: int,
        *,
        tz: str,
        period_start: dt.datetime,
        period_end: dt.datetime,
        team_id: int | None = None,
        user_id: int | None = None,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _WEEKLY_THROUGHPUT,
            internship_id=internship_id,
            tz=tz,
            period_start=period_start,
            period_end=period_end,
            team_id=team_id,
            user_id=user_id,
        )

    async def weekly_activity(
        self, user_id: int, *, tz: str, period_start: dt.datetime, period_end: dt.datetime
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _WEEKLY_ACTIVITY,
            user_id=user_id,
            tz=tz,
            period_start=period_start,
            period_end=period_end,
        )

    async def daily_states(
        self, board_id: int, *, tz: str, day_from: dt.date, day_to: dt.date
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _DAILY_STATES, board_id=board_id, tz=tz, day_from=day_from, day_to=day_to
        )

    async def grade_distribution(
        self,
        internship_id: int,
        *,
        bucket: float,
        period_start: dt.datetime,
        period_end: dt.datetime,
        team_ids: Sequence[int] | None,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _GRADE_DISTRIBUTION,
            internship_id=internship_id,
            bucket=bucket,
            period_start=period_start,
            period_end=period_end,
            team_ids=_ids(team_ids),
        )

    async def rubric_averages(
        self,
        internship_id: int,
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
        team_ids: Sequence[int] | None,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _RUBRIC_AVERAGES,
            internship_id=internship_id,
            period_start=period_start,
            period_end=period_end,
            team_ids=_ids(team_ids),
        )

    async def mentor_response_times(
        self,
        internship_id: int,
        *,
        period_start: dt.datetime,
        period_end: dt.datetime,
        team_ids: Sequence[int] | None,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _MENTOR_RESPONSE,
            internship_id=internship_id,
            period_start=period_start,
            period_end=period_end,
            team_ids=_ids(team_ids),
        )
