"""The analytics queries: every metric is computed by PostgreSQL (aggregates, window
functions, percentiles) over the tracker's and the reviews' tables.

Analytics is a read model over other contexts' tables; contexts do not import each
other's models, so these queries are written in SQL against the schema, which the
migrations own (`tests/test_models.py` keeps the table names honest through the
analytics tests that run them).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The reviews of an internship's cards in the period, one row per card: the latest
# accepted grade, returns and reviews.
_CARD_REVIEWS = """
  rv AS (
    SELECT r.card_id,
           count(*) FILTER (WHERE r.decision = 'return') AS returns,
           count(*) AS reviews,
           (array_agg(r.grade ORDER BY r.id DESC) FILTER (WHERE r.decision = 'accept'))[1]
             AS grade
      FROM reviews r
     WHERE r.internship_id = :internship_id
       AND r.created_at >= :period_start AND r.created_at < :period_end
     GROUP BY r.card_id
  )
"""
# The same for the cards of some interns or teams (`{cards}`: a subquery of card ids),
# found by card: the period filters the aggregates, not the scan, so that no plan (a
# prepared statement's generic plan guesses a date range to be tiny) walks all the
# internship's reviews by date instead.
_SCOPED_CARD_REVIEWS = """
  rv AS (
    SELECT r.card_id,
           count(*) FILTER (WHERE r.decision = 'return' AND r.created_at >= :period_start
                              AND r.created_at < :period_end) AS returns,
           count(*) FILTER (WHERE r.created_at >= :period_start
                              AND r.created_at < :period_end) AS reviews,
           (array_agg(r.grade ORDER BY r.id DESC)
              FILTER (WHERE r.decision = 'accept' AND r.created_at >= :period_start
                        AND r.created_at < :period_end))[1] AS grade
      FROM reviews r
     WHERE r.internship_id = :internship_id AND r.card_id IN ({cards})
     GROUP BY r.card_id
  )
"""
_INTERNS_CARDS = "SELECT a.card_id FROM card_assignees a JOIN interns i ON i.user_id = a.user_id"
_TEAMS_CARDS = """SELECT c.id
                   FROM cards c
                   JOIN boards b ON b.id = c.board_id
                   JOIN projects pr ON pr.id = b.project_id
                  WHERE pr.team_id = ANY(CAST(:team_ids AS bigint[]))"""

# Per-card facts are computed once (booleans and hours), so the aggregates below read
# narrow rows; the card scan is a single pass joined to the reviews aggregated per card
# (1.1 s → 0.5 s for the whole internship on the large set).
_INTERN_METRICS = """
WITH
  interns AS (
    SELECT p.user_id, tm.team_id
      FROM internship_participants p
      LEFT JOIN team_members tm
        ON tm.internship_id = p.internship_id AND tm.user_id = p.user_id
       AND tm.role = 'member' AND tm.archived_at IS NULL
     WHERE p.internship_id = :internship_id AND p.role = 'intern' AND p.archived_at IS NULL
       AND (CAST(:team_ids AS bigint[]) IS NULL
            OR tm.team_id = ANY(CAST(:team_ids AS bigint[]))){interns}
  ),
{reviews},
  ic AS (
    SELECT a.user_id,
           c.completed_at >= :period_start AND c.completed_at < :period_end AS done,
           c.due_at IS NOT NULL AS has_due,
           c.completed_at <= c.due_at AS on_time,
           c.completed_at IS NULL AND c.due_completed_at IS NULL AND c.due_at < :now AS overdue,
           c.completed_at IS NULL AND col.kind IN ('todo', 'in_progress', 'review')
             AND c.moved_at < :stuck_before AS stuck,
           c.estimate,
           extract(epoch FROM c.completed_at - c.started_at) / 3600.0 AS cycle_hours,
           extract(epoch FROM c.completed_at - c.created_at) / 3600.0 AS lead_hours,
           rv.grade, rv.returns, rv.reviews
      FROM card_assignees a
      JOIN interns i ON i.user_id = a.user_id
      JOIN cards c ON c.id = a.card_id
      JOIN board_columns col ON col.id = c.column_id
      LEFT JOIN rv ON rv.card_id = c.id
     WHERE c.board_id IN (
             SELECT b.id
               FROM boards b
               JOIN projects pr ON pr.id = b.project_id
               JOIN teams t ON t.id = pr.team_id
              WHERE t.internship_id = :internship_id)
       AND c.archived_at IS NULL AND c.created_at < :period_end
  ),
  per_intern AS (
    -- Aggregated by the integer id first; names are joined to the 2 000 results, not
    -- sorted along with the 260 000 card rows.
    SELECT ic.user_id,
           count(*) AS assigned,
           count(*) FILTER (WHERE ic.done) AS completed,
           count(*) FILTER (WHERE ic.done AND ic.has_due) AS completed_with_due,
           count(*) FILTER (WHERE ic.done AND ic.on_time) AS completed_on_time,
           count(*) FILTER (WHERE ic.overdue) AS open_overdue,
           count(*) FILTER (WHERE ic.stuck) AS stuck,
           avg(ic.grade) AS average_grade,
           sum(ic.grade * ic.estimate)
             / nullif(sum(ic.estimate) FILTER (WHERE ic.grade IS NOT NULL), 0) AS weighted_grade,
           coalesce(sum(ic.returns), 0) AS returns,
           coalesce(sum(ic.reviews), 0) AS reviews,
           avg(ic.cycle_hours) FILTER (WHERE ic.done) AS cycle_hours_avg,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ic.cycle_hours)
             FILTER (WHERE ic.done) AS cycle_hours_median,
           avg(ic.lead_hours) FILTER (WHERE ic.done) AS lead_hours_avg,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ic.lead_hours)
             FILTER (WHERE ic.done) AS lead_hours_median
      FROM ic
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
# Separate texts for the whole internship, some interns and some teams, not one with
# `:user_ids IS NULL OR …`: a prepared statement's generic plan would otherwise serve one
# intern with the whole internship's plan, and vice versa. (Seen after a few executions:
# one intern's metrics 1.6 ms with its own plan, 20 ms with the generic plan.)
_SCOPED_REVIEWS = _SCOPED_CARD_REVIEWS.format(cards=_INTERNS_CARDS)
_INTERN_METRICS_ALL = _INTERN_METRICS.format(interns="", reviews=_CARD_REVIEWS)
_INTERN_METRICS_OF_INTERNS = _INTERN_METRICS.format(
    interns="\n       AND p.user_id = ANY(CAST(:user_ids AS bigint[]))", reviews=_SCOPED_REVIEWS
)
_INTERN_METRICS_OF_TEAMS = _INTERN_METRICS.format(
    interns="\n       AND tm.team_id = ANY(CAST(:team_ids AS bigint[]))", reviews=_SCOPED_REVIEWS
)

_TEAM_METRICS = (
    "WITH"  # noqa: S608 - constant SQL fragments; values are bound parameters
    + "{reviews}"
    + """,
tc AS (
  SELECT pr.team_id,
         c.completed_at >= :period_start AND c.completed_at < :period_end AS done,
         c.due_at IS NOT NULL AS has_due,
         c.completed_at <= c.due_at AS on_time,
         c.completed_at IS NULL AND c.due_completed_at IS NULL AND c.due_at < :now AS overdue,
         c.estimate,
         extract(epoch FROM c.completed_at - c.started_at) / 3600.0 AS cycle_hours,
         extract(epoch FROM c.completed_at - c.created_at) / 3600.0 AS lead_hours,
         rv.grade, rv.returns, rv.reviews
    FROM cards c
    JOIN boards b ON b.id = c.board_id
    JOIN projects pr ON pr.id = b.project_id
    LEFT JOIN rv ON rv.card_id = c.id
   WHERE pr.team_id IN (
           SELECT t.id
             FROM teams t
            WHERE t.internship_id = :internship_id AND t.archived_at IS NULL
              AND (CAST(:team_ids AS bigint[]) IS NULL OR t.id = ANY(CAST(:team_ids AS bigint[]))))
     AND c.archived_at IS NULL AND c.created_at < :period_end
),
per_team AS (
  SELECT tc.team_id,
         count(*) AS assigned,
         count(*) FILTER (WHERE tc.done) AS completed,
         count(*) FILTER (WHERE tc.done AND tc.has_due) AS completed_with_due,
         count(*) FILTER (WHERE tc.done AND tc.on_time) AS completed_on_time,
         count(*) FILTER (WHERE tc.overdue) AS open_overdue,
         avg(tc.grade) AS average_grade,
         sum(tc.grade * tc.estimate)
           / nullif(sum(tc.estimate) FILTER (WHERE tc.grade IS NOT NULL), 0) AS weighted_grade,
         coalesce(sum(tc.returns), 0) AS returns,
         coalesce(sum(tc.reviews), 0) AS reviews,
         avg(tc.cycle_hours) FILTER (WHERE tc.done) AS cycle_hours_avg,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY tc.cycle_hours)
           FILTER (WHERE tc.done) AS cycle_hours_median,
         avg(tc.lead_hours) FILTER (WHERE tc.done) AS lead_hours_avg,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY tc.lead_hours)
           FILTER (WHERE tc.done) AS lead_hours_median
    FROM tc
   GROUP BY tc.team_id
)
SELECT t.id AS team_id, t.name,
       coalesce(m.assigned, 0) AS assigned,
       coalesce(m.completed, 0) AS completed,
       coalesce(m.completed_with_due, 0) AS completed_with_due,
       coalesce(m.completed_on_time, 0) AS completed_on_time,
       coalesce(m.open_overdue, 0) AS open_overdue,
       m.average_grade, m.weighted_grade,
       coalesce(m.returns, 0) AS returns,
       coalesce(m.reviews, 0) AS reviews,
       m.cycle_hours_avg, m.cycle_hours_median, m.lead_hours_avg, m.lead_hours_median
  FROM teams t
  LEFT JOIN per_team m ON m.team_id = t.id
 WHERE t.internship_id = :internship_id AND t.archived_at IS NULL
   AND (CAST(:team_ids AS bigint[]) IS NULL OR t.id = ANY(CAST(:team_ids AS bigint[])))
 ORDER BY t.name, t.id
"""
)
_TEAM_METRICS_ALL = _TEAM_METRICS.format(reviews=_CARD_REVIEWS)
_TEAM_METRICS_OF_TEAMS = _TEAM_METRICS.format(
    reviews=_SCOPED_CARD_REVIEWS.format(cards=_TEAMS_CARDS)
)

# Completed cards per week, weeks counted in the internship's time zone from Monday.
# A team's cards are found through its boards; an intern's through card_assignees (the
# index on user_id: a hundred cards, not a scan of the 200 000).
_WEEKLY_THROUGHPUT_TEAM = """
SELECT date_trunc('week', c.completed_at AT TIME ZONE :tz)::date AS week, count(*) AS n
  FROM cards c
  JOIN boards b ON b.id = c.board_id
  JOIN projects pr ON pr.id = b.project_id
  JOIN teams t ON t.id = pr.team_id
 WHERE t.internship_id = :internship_id AND t.id = :team_id AND c.archived_at IS NULL
   AND c.completed_at >= :period_start AND c.completed_at < :period_end
 GROUP BY 1 ORDER BY 1
"""

_WEEKLY_THROUGHPUT_INTERN = """
SELECT date_trunc('week', c.completed_at AT TIME ZONE :tz)::date AS week, count(*) AS n
  FROM card_assignees a
  JOIN cards c ON c.id = a.card_id
  JOIN boards b ON b.id = c.board_id
  JOIN projects pr ON pr.id = b.project_id
  JOIN teams t ON t.id = pr.team_id
 WHERE a.user_id = :user_id AND t.internship_id = :internship_id AND c.archived_at IS NULL
   AND c.completed_at >= :period_start AND c.completed_at < :period_end
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


# What a cached dashboard of the internship was computed from, read in about a
# millisecond: the newest activity event, review and grade correction anywhere (primary
# keys only grow; every card write logs an event; "last activity" counts an intern's
# events on any board, so the whole log matters, not just this internship's boards), and
# a checksum of the row versions (xmin) of the internship, its participants, team
# members, teams and rubric — any insert, update or delete of those rows changes it.
# `in_flight` lists the transactions running when the values were read: one of them
# committing later may have written below the newest ids, so that makes them stale
# (transactions known to run in another database of the server are left out).
_STAMP = """
SELECT
  (SELECT max(e.id) FROM activity_events e) AS last_event_id,
  (SELECT max(r.id) FROM reviews r) AS last_review_id,
  (SELECT max(g.id) FROM grade_corrections g) AS last_correction_id,
  (SELECT CAST(i.xmin AS text) FROM internships i WHERE i.id = :internship_id) AS internship,
  (SELECT count(*) || ':' || coalesce(sum(CAST(CAST(x.xmin AS text) AS bigint)), 0)
     FROM internship_participants x WHERE x.internship_id = :internship_id) AS participants,
  (SELECT count(*) || ':' || coalesce(sum(CAST(CAST(x.xmin AS text) AS bigint)), 0)
     FROM team_members x WHERE x.internship_id = :internship_id) AS members,
  (SELECT count(*) || ':' || coalesce(sum(CAST(CAST(x.xmin AS text) AS bigint)), 0)
     FROM teams x WHERE x.internship_id = :internship_id) AS teams,
  (SELECT count(*) || ':' || coalesce(sum(CAST(CAST(x.xmin AS text) AS bigint)), 0)
     FROM rubric_criteria x WHERE x.internship_id = :internship_id) AS criteria"""
# Read before a computation: the stamp and the transactions in flight.
_FRESHNESS = (
    _STAMP  # noqa: S608 - constant SQL fragments; values are bound parameters
    + """,
  ARRAY(
    SELECT CAST(CAST(x AS text) AS bigint)
      FROM pg_snapshot_xip(pg_current_snapshot()) x
     WHERE NOT EXISTS (  -- leave out only what surely writes to another database
             SELECT 1 FROM pg_stat_activity a
              WHERE a.backend_xid = xid(x) AND a.datname <> current_database())
  ) AS in_flight
"""
)
# Read before serving a kept dashboard: the stamp now, and whether any transaction that
# was in flight when it was computed has committed since.
_FRESHNESS_CHECK = (
    _STAMP  # noqa: S608 - constant SQL fragments; values are bound parameters
    + """,
  (SELECT coalesce(bool_or(pg_xact_status(CAST(CAST(x AS text) AS xid8)) = 'committed'), false)
     FROM unnest(CAST(:in_flight AS bigint[])) x) AS in_flight_committed
"""
)
_STAMP_COLUMNS = (
    "last_event_id",
    "last_review_id",
    "last_correction_id",
    "internship",
    "participants",
    "members",
    "teams",
    "criteria",
)


@dataclass(frozen=True, slots=True)
class Freshness:
    """The state a dashboard was computed from (see `_FRESHNESS`)."""

    stamp: tuple[Any, ...]
    in_flight: tuple[int, ...]


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
            _INTERN_METRICS_ALL
            if user_ids is None and team_ids is None
            else _INTERN_METRICS_OF_TEAMS
            if user_ids is None
            else _INTERN_METRICS_OF_INTERNS,
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
            _TEAM_METRICS_ALL if team_ids is None else _TEAM_METRICS_OF_TEAMS,
            internship_id=internship_id,
            period_start=period_start,
            period_end=period_end,
            now=now,
            team_ids=_ids(team_ids),
        )

    async def team_weekly_throughput(
        self,
        internship_id: int,
        team_id: int,
        *,
        tz: str,
        period_start: dt.datetime,
        period_end: dt.datetime,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _WEEKLY_THROUGHPUT_TEAM,
            internship_id=internship_id,
            team_id=team_id,
            tz=tz,
            period_start=period_start,
            period_end=period_end,
        )

    async def intern_weekly_throughput(
        self,
        internship_id: int,
        user_id: int,
        *,
        tz: str,
        period_start: dt.datetime,
        period_end: dt.datetime,
    ) -> list[dict[str, Any]]:
        return await self._rows(
            _WEEKLY_THROUGHPUT_INTERN,
            internship_id=internship_id,
            user_id=user_id,
            tz=tz,
            period_start=period_start,
            period_end=period_end,
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

    async def freshness(self, internship_id: int) -> Freshness:
        """The internship's freshness stamp now, with the transactions in flight."""
        result = await self.session.execute(text(_FRESHNESS), {"internship_id": internship_id})
        row = result.one()._mapping
        return Freshness(
            stamp=tuple(row[column] for column in _STAMP_COLUMNS),
            in_flight=tuple(row["in_flight"]),
        )

    async def is_fresh(self, internship_id: int, seen: Freshness) -> bool:
        """Whether nothing has changed since `seen` was read (see `_FRESHNESS`)."""
        result = await self.session.execute(
            text(_FRESHNESS_CHECK),
            {"internship_id": internship_id, "in_flight": list(seen.in_flight)},
        )
        row = result.one()._mapping
        stamp = tuple(row[column] for column in _STAMP_COLUMNS)
        return stamp == seen.stamp and not row["in_flight_committed"]
