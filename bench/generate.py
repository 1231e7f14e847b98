"""Deterministic benchmark data, loaded with COPY into a freshly migrated database.

`large`: 2 000 interns, 200 000 cards, 1 000 000 activity events. Team 1's board holds
exactly 1 000 cards (the "full board" scenario). Every user's password is
`BENCH_PASSWORD`; the organiser is `bench.admin`.
"""

import asyncio
import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from src.lib.security.passwords import password_hash

from .sizes import Size

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - a benchmark fixture
KINDS = ["backlog", "todo", "in_progress", "review", "done"]
COLUMN_NAMES = ["Бэклог", "К выполнению", "В работе", "На проверке", "Готово"]
WORDS = [
    "отчёт",
    "интеграция",
    "форма",
    "API",
    "тесты",
    "дизайн",
    "база",
    "миграция",
    "поиск",
    "авторизация",
    "уведомления",
    "экспорт",
    "график",
    "документация",
    "исправление",
]


@dataclass
class Dataset:
    """Ids the scenarios need."""

    internship_id: int = 1
    admin_username: str = "bench.admin"
    big_board_id: int = 1
    big_board_intern: str = "bench.intern.1"
    mentor_username: str = "bench.mentor.1"
    intern_ids: list[int] = field(default_factory=list)
    card_ids_on_big_board: list[int] = field(default_factory=list)
    big_board_columns: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _key(n: int) -> str:
    """Fractional-index keys 'a0', 'a1', … as the app makes them (base 62, sortable)."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    if n < 62:
        return "a" + digits[n]
    if n < 62**2:
        return "b" + digits[n // 62] + digits[n % 62]
    return "c" + digits[n // 3844] + digits[(n // 62) % 62] + digits[n % 62]


async def generate(dsn: str, size: Size, *, seed: int = 2026) -> Dataset:
    rng = random.Random(seed)
    started = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        data = await _load(conn, size, rng)
    finally:
        await conn.close()
    data.counts["seconds"] = int(time.perf_counter() - started)
    return data


async def _copy(
    conn: asyncpg.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    if rows:
        await conn.copy_records_to_table(table, records=rows, columns=columns)


async def _load(conn: asyncpg.Connection, size: Size, rng: random.Random) -> Dataset:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = (now - dt.timedelta(weeks=8)).date()
    begin = dt.datetime.combine(start, dt.time(6, 0), tzinfo=dt.UTC)
    hashed = password_hash().hash(BENCH_PASSWORD)
    data = Dataset()

    # People.
    users: list[tuple[Any, ...]] = []
    uid = 0

    def user(username: str, name: str, admin: bool = False) -> int:
        nonlocal uid
        uid += 1
        users.append(
            (uid, f"{username}@bench.example.com", username, name, hashed, True, admin, now, now)
        )
        return uid

    user("bench.admin", "Организатор Бенчмарка", admin=True)
    mentors = [user(f"bench.mentor.{i + 1}", f"Ментор {i + 1}") for i in range(size.mentors)]
    interns = [user(f"bench.intern.{i + 1}", f"Стажёр {i + 1}") for i in range(size.interns)]
    observer = user("bench.observer", "Наблюдатель")
    data.intern_ids = interns
    await _copy(
        conn,
        "users",
        [
            "id",
            "email",
            "username",
            "full_name",
            "hashed_password",
            "is_active",
            "is_admin",
            "created_at",
            "updated_at",
        ],
        users,
    )

    await _copy(
        conn,
        "internships",
        [
            "id",
            "name",
            "description",
            "start_date",
            "end_date",
            "timezone",
            "status",
            "grading_scale",
            "created_at",
            "updated_at",
        ],
        [
            (
                1,
                "Бенчмарк-стажировка",
                "",
                start,
                start + dt.timedelta(weeks=12),
                "Europe/Moscow",
                "active",
                "2-5",
                now,
                now,
            )
        ],
    )
    participants = [(i + 1, 1, m, "mentor", "active", now, now) for i, m in enumerate(mentors)]
    participants += [
        (len(participants) + i + 1, 1, u, "intern", "active", now, now)
        for i, u in enumerate(interns)
    ]
    participants.append((len(participants) + 1, 1, observer, "observer", "active", now, now))
    await _copy(
        conn,
        "internship_participants",
        ["id", "internship_id", "user_id", "role", "status", "created_at", "updated_at"],
        participants,
    )

    # Teams, projects, boards, columns.
    teams, members, projects, boards, columns = [], [], [], [], []
    team_interns: dict[int, list[int]] = {}
    team_mentor: dict[int, int] = {}
    column_ids: dict[int, list[int]] = {}
    member_id = 0
    for t in range(size.teams):
        team_id = t + 1
        teams.append((team_id, 1, f"Команда {team_id}", "", now, now))
        mentor = mentors[t // 2]
        team_mentor[team_id] = mentor
        people = interns[t * size.team_size : (t + 1) * size.team_size]
        team_interns[team_id] = people
        member_id += 1
        members.append((member_id, team_id, 1, mentor, "mentor", now, now))
        for person in people:
            member_id += 1
            members.append((member_id, team_id, 1, person, "member", now, now))
        projects.append(
            (
                team_id,
                team_id,
                f"Проект {team_id}",
                "",
                "",
                start,
                start + dt.timedelta(weeks=12),
                "[]",
                "active",
                now,
                now,
            )
        )
        boards.append((team_id, team_id, "Основная доска", "", True, now, now))
        ids = []
        for k, (name, kind) in enumerate(zip(COLUMN_NAMES, KINDS, strict=True)):
            cid = t * 5 + k + 1
            columns.append((cid, team_id, name, _key(k), kind, now, now))
            ids.append(cid)
        column_ids[team_id] = ids
    await _copy(
        conn,
        "teams",
        ["id", "internship_id", "name", "description", "created_at", "updated_at"],
        teams,
    )
    await _copy(
        conn,
        "team_members",
        ["id", "team_id", "internship_id", "user_id", "role", "created_at", "updated_at"],
        members,
    )
    await _copy(
        conn,
        "projects",
        [
            "id",
            "team_id",
            "name",
            "description",
            "goal",
            "start_date",
            "end_date",
            "links",
            "status",
            "created_at",
            "updated_at",
        ],
        projects,
    )
    await _copy(
        conn,
        "boards",
        ["id", "project_id", "name", "description", "is_default", "created_at", "updated_at"],
        boards,
    )
    await _copy(
        conn,
        "board_columns",
        ["id", "board_id", "name", "position", "kind", "created_at", "updated_at"],
        columns,
    )
    data.big_board_columns = column_ids[1]

    # Cards with their history.
    per_board = [size.big_board_cards] + [0] * (size.teams - 1)
    rest = max(0, size.cards - size.big_board_cards)
    for n in range(rest):
        per_board[1 + n % (size.teams - 1) if size.teams > 1 else 0] += 1
    cards, assignees, events, reviews, requests = [], [], [], [], []
    card_id = event_id = assignee_id = review_id = 0
    positions: dict[int, int] = {}
    span = (now - begin).total_seconds()
    for board_index, count in enumerate(per_board):
        team_id = board_index + 1
        people = team_interns[team_id] or interns[:1]
        for _ in range(count):
            card_id += 1
            created = begin + dt.timedelta(seconds=rng.uniform(0, span * 0.9))
            stage = min(
                4, int((now - created).total_seconds() / span * 5.5 * rng.uniform(0.4, 1.2))
            )
            if size.events_per_card >= 5 and stage < 4 and rng.random() < 0.5:
                stage = min(4, stage + 1)
            moment = created
            times = [created]
            for _ in range(stage):
                moment = min(
                    now - dt.timedelta(minutes=1), moment + dt.timedelta(hours=rng.uniform(4, 72))
                )
                times.append(moment)
            column = column_ids[team_id][stage]
            positions[column] = positions.get(column, 0) + 1
            who = rng.sample(people, k=min(len(people), 1 if rng.random() < 0.7 else 2))
            due = created + dt.timedelta(days=rng.randint(5, 25))
            completed = times[-1] if stage == 4 else None
            started = times[2] if stage >= 2 else None
            estimate = rng.choice([1, 2, 3, 5, 8])
            title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} №{card_id}"
            cards.append(
                (
                    card_id,
                    team_id,
                    column,
                    _key(positions[column]),
                    title,
                    "Описание задачи: " + title,
                    rng.choice(["low", "medium", "high"]),
                    due,
                    estimate,
                    completed,
                    started,
                    times[-1],
                    1,
                    created,
                    times[-1],
                )
            )
            for person in who:
                assignee_id += 1
                assignees.append((assignee_id, card_id, person, created, created))
            event_id += 1
            events.append(
                (
                    event_id,
                    team_id,
                    card_id,
                    who[0],
                    "card_created",
                    json.dumps(
                        {
                            "column_id": column_ids[team_id][0],
                            "column_kind": "backlog",
                            "title": title,
                        }
                    ),
                    created,
                    created,
                )
            )
            for step in range(1, stage + 1):
                event_id += 1
                actor = team_mentor[team_id] if step == 4 else who[0]
                events.append(
                    (
                        event_id,
                        team_id,
                        card_id,
                        actor,
                        "card_moved",
                        json.dumps(
                            {
                                "from_column_id": column_ids[team_id][step - 1],
                                "to_column_id": column_ids[team_id][step],
                                "from_kind": KINDS[step - 1],
                                "to_kind": KINDS[step],
                            }
                        ),
                        times[step],
                        times[step],
                    )
                )
            extra = size.events_per_card - 1 - stage
            for _ in range(max(0, extra)):
                event_id += 1
                at = created + dt.timedelta(
                    seconds=rng.uniform(0, max(1, (times[-1] - created).total_seconds()))
                )
                events.append(
                    (
                        event_id,
                        team_id,
                        card_id,
                        rng.choice(who),
                        "comment_added",
                        json.dumps({"comment_id": None}),
                        at,
                        at,
                    )
                )
            if stage == 4:
                review_id += 1
                submitted = times[3]
                requests.append(
                    (
                        review_id,
                        card_id,
                        1,
                        team_id,
                        who[0],
                        submitted,
                        "accepted",
                        times[4],
                        submitted,
                        times[4],
                    )
                )
                grade = rng.choice([3, 3.5, 4, 4, 4.5, 5, 5])
                reviews.append(
                    (
                        review_id,
                        review_id,
                        card_id,
                        1,
                        team_id,
                        team_mentor[team_id],
                        "accept",
                        grade,
                        "{}",
                        "Принято",
                        int((times[4] - submitted).total_seconds()),
                        times[4],
                        times[4],
                    )
                )
    await _copy(
        conn,
        "cards",
        [
            "id",
            "board_id",
            "column_id",
            "position",
            "title",
            "description",
            "priority",
            "due_at",
            "estimate",
            "completed_at",
            "started_at",
            "moved_at",
            "version",
            "created_at",
            "updated_at",
        ],
        cards,
    )
    data.card_ids_on_big_board = [c[0] for c in cards if c[1] == 1]
    await _copy(
        conn, "card_assignees", ["id", "card_id", "user_id", "created_at", "updated_at"], assignees
    )
    await _copy(
        conn,
        "activity_events",
        ["id", "board_id", "card_id", "actor_id", "kind", "data", "created_at", "updated_at"],
        events,
    )
    await _copy(
        conn,
        "review_requests",
        [
            "id",
            "card_id",
            "internship_id",
            "team_id",
            "submitted_by_id",
            "submitted_at",
            "status",
            "closed_at",
            "created_at",
            "updated_at",
        ],
        requests,
    )
    await _copy(
        conn,
        "reviews",
        [
            "id",
            "request_id",
            "card_id",
            "internship_id",
            "team_id",
            "reviewer_id",
            "decision",
            "grade",
            "scores",
            "feedback",
            "response_seconds",
            "created_at",
            "updated_at",
        ],
        reviews,
    )
    for table in (
        "users",
        "internships",
        "internship_participants",
        "teams",
        "team_members",
        "projects",
        "boards",
        "board_columns",
        "cards",
        "card_assignees",
        "activity_events",
        "review_requests",
        "reviews",
    ):
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
        )
    await conn.execute("ANALYZE")
    data.counts.update(
        users=len(users),
        teams=len(teams),
        cards=len(cards),
        events=len(events),
        reviews=len(reviews),
    )
    return data


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    from .sizes import SIZES

    print(
        asyncio.run(
            generate(sys.argv[1], SIZES[sys.argv[2] if len(sys.argv) > 2 else "small"])
        ).counts
    )
