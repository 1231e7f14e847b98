"""The authorisation matrix: every route of the OpenAPI schema × every kind of caller.

Each entry names a route and the status each caller gets. A route missing from the
matrix fails `test_every_route_is_in_the_matrix`, so a new route must say who may call
it. The callers live in one world: an internship with two teams (A and B), each with a
mentor and an intern; an observer of that internship; an intern of another internship
(the outsider); an organiser (admin); and nobody (anonymous). Requests aim at team A.
"""

import datetime as dt
import io
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.trello_export import build_export
from src.auth.constants import InvitationRole
from src.auth.schemas.invitation_schema import InvitationCreate
from src.auth.schemas.password_reset_schema import PasswordResetCreate
from src.auth.services.auth_service import auth_service
from src.auth.services.invitation_service import invitation_service
from src.auth.services.password_reset_service import password_reset_service
from src.board.schemas.board_schema import BoardCreate, ColumnCreate, LabelCreate
from src.board.schemas.card_schema import (
    CardCreate,
    ChecklistCreate,
    ChecklistItemCreate,
    CommentCreate,
)
from src.board.services.board_service import board_service
from src.board.services.card_detail_service import card_detail_service
from src.board.services.card_service import card_service
from src.importer.models.import_job_model import ImportJob
from src.internship.constants import ParticipantRole
from src.internship.schemas.internship_schema import InternshipCreate, InternshipStatusChange
from src.internship.schemas.team_schema import ProjectCreate, TeamCreate
from src.internship.services.internship_service import internship_service
from src.internship.services.team_service import team_service
from src.lib.security.actor import Actor
from src.review.schemas.review_schema import ReviewCreate
from src.review.services.review_service import review_service
from src.user.user_model import User
from tests.conftest import auth_headers, truncate_all
from tests.factories import DEFAULT_PASSWORD, create_user

CALLERS = (
    "anonymous",
    "intern",
    "mentor",
    "observer",
    "other_intern",
    "other_mentor",
    "outsider",
    "admin",
)
AUTHENTICATED = CALLERS[1:]


@dataclass
class World:
    headers: dict[str, dict[str, str]]
    ids: dict[str, Any]


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, int]
    body: Callable[[World], dict[str, Any]] | None = None
    form: Callable[[World], dict[str, str]] | None = None
    files: Callable[[World], dict[str, Any]] | None = None
    params: dict[str, str] = field(default_factory=dict)
    # Path parameter -> key in World.ids, where the names differ.
    bind: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def expect(default: int, *, anonymous: int = 401, **overrides: int) -> dict[str, int]:
    """`default` for every authenticated caller unless overridden; anonymous 401."""
    result = dict.fromkeys(AUTHENTICATED, default)
    result["anonymous"] = anonymous
    unknown = set(overrides) - set(CALLERS)
    assert not unknown, unknown
    result.update(overrides)
    return result


def public(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def organisers(success: int, *, others: int = 403, **overrides: int) -> dict[str, int]:
    return expect(others, admin=success, **overrides)


# Team A as seen by each caller: who reads it, who manages it.
TEAM_READ = expect(200, other_intern=404, outsider=404)
TEAM_MANAGE = expect(403, mentor=200, admin=200, other_intern=404, outsider=404)
INTERNSHIP_ADMIN = organisers(200, outsider=404)
# Team A's boards: its members and mentors work on cards, observers read, mentors manage;
# mentors and interns of other teams do not see them at all.
BOARD_READ = expect(200, other_intern=404, other_mentor=404, outsider=404)


def card_work(success: int) -> dict[str, int]:
    return expect(success, observer=403, other_intern=404, other_mentor=404, outsider=404)


def board_manage(success: int) -> dict[str, int]:
    return expect(
        403, mentor=success, admin=success, other_intern=404, other_mentor=404, outsider=404
    )


# Analytics: interns see only themselves; mentors their own teams; observers everyone.
INTERNSHIP_ANALYTICS = expect(200, intern=403, other_intern=403, outsider=404)
INTERN_ANALYTICS = expect(200, other_intern=403, other_mentor=404, outsider=404)
TEAM_ANALYTICS = expect(403, mentor=200, observer=200, admin=200, other_intern=404, outsider=404)
ADMIN_DELETE = expect(403, admin=204, other_intern=404, other_mentor=404, outsider=404)
AUTHOR_ONLY = expect(403, intern=200, other_intern=404, other_mentor=404, outsider=404)

TRELLO_EXPORT = orjson.dumps(build_export(cards=3, lists=3, members=2, seed=7))
INTERNHUB_EXPORT = orjson.dumps(
    {
        "format": "internhub.board",
        "version": 1,
        "board": {"name": "Копия доски"},
        "columns": [{"key": "c1", "name": "Готово", "kind": "done"}],
        "cards": [{"column": "c1", "title": "Готово", "created_at": "2026-03-01T10:00:00Z"}],
    }
)

MATRIX: list[Case] = [
    Case("GET", "/health", public(200)),
    Case("GET", "/ready", public(200)),
    # --- auth ---
    Case(
        "POST",
        "/api/v1/auth/token",
        public(200),
        form=lambda w: {"username": "target", "password": DEFAULT_PASSWORD},
    ),
    Case(
        "POST",
        "/api/v1/auth/login",
        public(200),
        body=lambda w: {"login": "target", "password": DEFAULT_PASSWORD},
    ),
    Case(
        "POST",
        "/api/v1/auth/refresh",
        public(200),
        body=lambda w: {"refresh_token": w.ids["refresh_token"]},
    ),
    Case("POST", "/api/v1/auth/logout", expect(204), body=lambda w: {}),
    Case("GET", "/api/v1/auth/me", expect(200)),
    Case(
        "POST",
        "/api/v1/auth/password",
        expect(200),
        body=lambda w: {"current_password": DEFAULT_PASSWORD, "new_password": "fresh-secret-42"},
    ),
    Case("GET", "/api/v1/auth/login-attempts", organisers(200)),
    Case(
        "POST",
        "/api/v1/auth/invitations",
        # Into team A as an intern: organisers and team A's mentor.
        expect(403, admin=201, mentor=201, other_intern=404, outsider=404),
        body=lambda w: {
            "email": "new.intern@example.com",
            "role": "intern",
            "internship_id": w.ids["internship_id"],
            "team_id": w.ids["team_id"],
        },
    ),
    Case("GET", "/api/v1/auth/invitations", organisers(200)),
    Case("POST", "/api/v1/auth/invitations/{invitation_id}/revoke", organisers(200, others=404)),
    Case("GET", "/api/v1/auth/invitations/{token}", public(200)),
    Case(
        "POST",
        "/api/v1/auth/invitations/{token}/accept",
        public(201),
        body=lambda w: {
            "username": "newcomer",
            "full_name": "Новый Стажёр",
            "password": "violet-lantern-harbour-42",
        },
    ),
    Case(
        "POST",
        "/api/v1/auth/password-resets",
        organisers(201, others=404),
        body=lambda w: {"user_id": w.ids["target_id"]},
    ),
    Case(
        "POST",
        "/api/v1/auth/password-resets/{token}/complete",
        public(204),
        body=lambda w: {"new_password": "reset-secret-42"},
        bind={"token": "reset_token"},
    ),
    # --- users ---
    Case(
        "POST",
        "/api/v1/users",
        organisers(201),
        body=lambda w: {
            "email": "created@example.com",
            "username": "created",
            "password": "created-secret-1",
            "full_name": "Созданный Пользователь",
        },
    ),
    Case("GET", "/api/v1/users", expect(200)),
    Case("PATCH", "/api/v1/users/me", expect(200), body=lambda w: {"full_name": "Новое Имя"}),
    # The target takes part in nothing: only organisers see them.
    Case("GET", "/api/v1/users/by-username/{username}", organisers(200, others=404)),
    Case("GET", "/api/v1/users/{user_id}", organisers(200, others=404)),
    Case("POST", "/api/v1/users/{user_id}/deactivate", organisers(200, others=404)),
    Case("POST", "/api/v1/users/{user_id}/reactivate", organisers(200, others=404)),
    Case(
        "POST",
        "/api/v1/users/{user_id}/merge",
        organisers(200, others=404),
        body=lambda w: {"into_user_id": w.ids["target_id"]},
        bind={"user_id": "placeholder_id"},
    ),
    # --- internships ---
    Case(
        "POST",
        "/api/v1/internships",
        organisers(201),
        body=lambda w: {"name": "Осень 2026", "start_date": "2026-09-01", "end_date": "2026-12-20"},
    ),
    Case("GET", "/api/v1/internships", expect(200)),
    Case("GET", "/api/v1/internships/{internship_id}", expect(200, outsider=404)),
    Case(
        "PATCH",
        "/api/v1/internships/{internship_id}",
        INTERNSHIP_ADMIN,
        body=lambda w: {"description": "Обновлённое описание"},
    ),
    Case(
        "POST",
        "/api/v1/internships/{internship_id}/status",
        INTERNSHIP_ADMIN,
        body=lambda w: {"status": "finished"},
    ),
    Case(
        "POST",
        "/api/v1/internships/{internship_id}/participants",
        organisers(201, outsider=404),
        body=lambda w: {"user_id": w.ids["target_id"], "role": "intern"},
    ),
    Case("GET", "/api/v1/internships/{internship_id}/participants", expect(200, outsider=404)),
    Case(
        "GET",
        "/api/v1/internships/{internship_id}/participants/{user_id}",
        expect(200, other_intern=404, outsider=404),
        bind={"user_id": "intern_id"},
    ),
    Case(
        "PATCH",
        "/api/v1/internships/{internship_id}/participants/{user_id}",
        expect(403, admin=200, other_intern=404, outsider=404),
        body=lambda w: {"status": "dropped", "reason": "Перешёл в другую компанию"},
        bind={"user_id": "intern_id"},
    ),
    Case(
        "DELETE",
        "/api/v1/internships/{internship_id}/participants/{user_id}",
        expect(403, admin=200, other_intern=404, outsider=404),
        bind={"user_id": "intern_id"},
    ),
    Case(
        "POST",
        "/api/v1/internships/{internship_id}/participants/import",
        organisers(200, outsider=404),
        files=lambda w: {
            "file": ("people.csv", "email;ФИО;роль;команда\nnew@example.com;Новый;стажёр;А\n")
        },
        params={"dry_run": "true"},
    ),
    Case(
        "POST",
        "/api/v1/internships/{internship_id}/teams",
        organisers(201, outsider=404),
        body=lambda w: {"name": "Команда В"},
    ),
    Case("GET", "/api/v1/internships/{internship_id}/teams", expect(200, outsider=404)),
    # --- teams ---
    Case("GET", "/api/v1/teams/{team_id}", TEAM_READ),
    Case(
        "PATCH",
        "/api/v1/teams/{team_id}",
        TEAM_MANAGE,
        body=lambda w: {"description": "Команда разрабатывает бота"},
    ),
    Case(
        "POST", "/api/v1/teams/{team_id}/archive", organisers(200, other_intern=404, outsider=404)
    ),
    Case(
        "POST", "/api/v1/teams/{team_id}/restore", organisers(200, other_intern=404, outsider=404)
    ),
    Case(
        "POST",
        "/api/v1/teams/{team_id}/members",
        expect(403, mentor=201, admin=201, other_intern=404, outsider=404),
        body=lambda w: {"user_id": w.ids["free_intern_id"], "role": "member"},
    ),
    Case(
        "DELETE",
        "/api/v1/teams/{team_id}/members/{user_id}",
        TEAM_MANAGE,
        bind={"user_id": "intern_id"},
    ),
    # --- projects ---
    Case(
        "POST",
        "/api/v1/teams/{team_id}/projects",
        expect(403, mentor=201, admin=201, other_intern=404, outsider=404),
        body=lambda w: {"name": "Чат-бот поддержки"},
    ),
    Case("GET", "/api/v1/teams/{team_id}/projects", TEAM_READ),
    Case("GET", "/api/v1/projects/{project_id}", TEAM_READ),
    Case("PATCH", "/api/v1/projects/{project_id}", TEAM_MANAGE, body=lambda w: {"goal": "MVP"}),
    Case("POST", "/api/v1/projects/{project_id}/archive", TEAM_MANAGE),
    Case("POST", "/api/v1/projects/{project_id}/restore", TEAM_MANAGE),
    # --- boards ---
    Case("GET", "/api/v1/projects/{project_id}/boards", BOARD_READ),
    Case(
        "POST",
        "/api/v1/projects/{project_id}/boards",
        board_manage(201),
        body=lambda w: {"name": "Баги"},
    ),
    Case("GET", "/api/v1/boards/{board_id}", BOARD_READ),
    Case("PATCH", "/api/v1/boards/{board_id}", board_manage(200), body=lambda w: {"name": "Доска"}),
    Case("POST", "/api/v1/boards/{board_id}/archive", board_manage(200)),
    Case("POST", "/api/v1/boards/{board_id}/restore", board_manage(200)),
    Case(
        "DELETE", "/api/v1/boards/{board_id}", ADMIN_DELETE, bind={"board_id": "archived_board_id"}
    ),
    Case("GET", "/api/v1/boards/{board_id}/columns", BOARD_READ),
    Case(
        "POST",
        "/api/v1/boards/{board_id}/columns",
        board_manage(201),
        body=lambda w: {"name": "Тестирование", "kind": "review", "wip_limit": 3},
    ),
    Case(
        "POST",
        "/api/v1/boards/{board_id}/labels",
        card_work(201),
        body=lambda w: {"name": "Срочно", "color": "red"},
    ),
    Case("GET", "/api/v1/boards/{board_id}/cards/archived", BOARD_READ),
    Case(
        "POST",
        "/api/v1/boards/{board_id}/cards",
        card_work(201),
        body=lambda w: {"title": "Новая задача"},
    ),
    Case("GET", "/api/v1/boards/{board_id}/activity", BOARD_READ),
    Case(
        "PATCH", "/api/v1/columns/{column_id}", board_manage(200), body=lambda w: {"wip_limit": 9}
    ),
    Case("POST", "/api/v1/columns/{column_id}/move", board_manage(200), body=lambda w: {}),
    Case("POST", "/api/v1/columns/{column_id}/archive", board_manage(200)),
    Case("POST", "/api/v1/columns/{column_id}/restore", board_manage(200)),
    Case(
        "DELETE",
        "/api/v1/columns/{column_id}",
        ADMIN_DELETE,
        bind={"column_id": "archived_column_id"},
    ),
    Case("PATCH", "/api/v1/labels/{label_id}", card_work(200), body=lambda w: {"color": "blue"}),
    Case("POST", "/api/v1/labels/{label_id}/archive", card_work(200)),
    # --- cards ---
    Case("GET", "/api/v1/cards/my", expect(200)),
    Case("GET", "/api/v1/cards/search", expect(200), params={"q": "отчёт"}),
    Case("GET", "/api/v1/cards/{card_id}", BOARD_READ),
    Case("PATCH", "/api/v1/cards/{card_id}", card_work(200), body=lambda w: {"priority": "high"}),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/move",
        card_work(200),
        body=lambda w: {"column_id": w.ids["second_column_id"]},
    ),
    Case("POST", "/api/v1/cards/{card_id}/archive", card_work(200)),
    Case("POST", "/api/v1/cards/{card_id}/restore", card_work(200)),
    Case("DELETE", "/api/v1/cards/{card_id}", ADMIN_DELETE, bind={"card_id": "archived_card_id"}),
    Case("GET", "/api/v1/cards/{card_id}/activity", BOARD_READ),
    Case("GET", "/api/v1/cards/{card_id}/checklists", BOARD_READ),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/checklists",
        card_work(201),
        body=lambda w: {"title": "Проверить"},
    ),
    Case(
        "PATCH",
        "/api/v1/cards/{card_id}/checklists/{checklist_id}",
        card_work(200),
        body=lambda w: {"title": "Переименовать"},
    ),
    Case("POST", "/api/v1/cards/{card_id}/checklists/{checklist_id}/archive", card_work(204)),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/checklists/{checklist_id}/items",
        card_work(201),
        body=lambda w: {"text": "Написать тесты"},
    ),
    Case(
        "PATCH",
        "/api/v1/cards/{card_id}/checklist-items/{item_id}",
        card_work(200),
        body=lambda w: {"is_done": True},
    ),
    Case("POST", "/api/v1/cards/{card_id}/checklist-items/{item_id}/archive", card_work(204)),
    Case("GET", "/api/v1/cards/{card_id}/comments", BOARD_READ),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/comments",
        card_work(201),
        body=lambda w: {"body": "Готово, @matrix.mentor посмотрите"},
    ),
    Case(
        "PATCH",
        "/api/v1/cards/{card_id}/comments/{comment_id}",
        AUTHOR_ONLY,
        body=lambda w: {"body": "Исправил"},
    ),
    Case(
        "DELETE",
        "/api/v1/cards/{card_id}/comments/{comment_id}",
        {**AUTHOR_ONLY, "intern": 204, "admin": 204},
    ),
    Case("GET", "/api/v1/cards/{card_id}/attachments", BOARD_READ),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/attachments",
        card_work(201),
        files=lambda w: {"file": ("отчёт.txt", "Итоги недели".encode(), "text/plain")},
    ),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/attachments/links",
        card_work(201),
        body=lambda w: {"url": "https://git.example.com/team-a", "title": "Репозиторий"},
    ),
    Case("GET", "/api/v1/attachments/{attachment_id}/download", BOARD_READ),
    Case("DELETE", "/api/v1/attachments/{attachment_id}", card_work(204)),
    # --- reviews ---
    Case("GET", "/api/v1/internships/{internship_id}/rubric", expect(200, outsider=404)),
    Case(
        "PUT",
        "/api/v1/internships/{internship_id}/rubric",
        organisers(200, outsider=404),
        body=lambda w: {"criteria": [{"name": "Качество кода", "max_score": 5}]},
    ),
    Case(
        "GET",
        "/api/v1/internships/{internship_id}/reviews/pending",
        expect(200, intern=403, other_intern=403, outsider=404),
    ),
    Case("POST", "/api/v1/cards/{card_id}/submit", card_work(201)),
    Case(
        "POST",
        "/api/v1/cards/{card_id}/review",
        board_manage(201),
        body=lambda w: {"decision": "accept", "grade": "4.5", "feedback": "Хорошая работа"},
        bind={"card_id": "submitted_card_id"},
    ),
    Case(
        "GET",
        "/api/v1/cards/{card_id}/reviews",
        BOARD_READ,
        bind={"card_id": "reviewed_card_id"},
    ),
    Case(
        "POST",
        "/api/v1/reviews/{review_id}/corrections",
        board_manage(200),
        body=lambda w: {"grade": "4", "reason": "Пересмотрел после защиты"},
    ),
    # --- imports and exports ---
    Case(
        "POST",
        "/api/v1/projects/{project_id}/imports/trello",
        board_manage(202),
        files=lambda w: {"file": ("trello.json", TRELLO_EXPORT, "application/json")},
    ),
    Case(
        "POST",
        "/api/v1/projects/{project_id}/imports/internhub",
        board_manage(202),
        files=lambda w: {"file": ("board.json", INTERNHUB_EXPORT, "application/json")},
    ),
    Case("GET", "/api/v1/projects/{project_id}/imports", board_manage(200)),
    # Imports are seen by whoever may import into their project; others get 404.
    Case("GET", "/api/v1/imports/{import_id}", expect(404, mentor=200, admin=200)),
    Case("POST", "/api/v1/imports/{import_id}/retry", expect(404, mentor=409, admin=409)),
    Case("GET", "/api/v1/boards/{board_id}/export", BOARD_READ, params={"format": "csv"}),
    # --- analytics ---
    *[
        Case("GET", path, INTERNSHIP_ANALYTICS)
        for path in (
            "/api/v1/internships/{internship_id}/analytics",
            "/api/v1/internships/{internship_id}/analytics/export",
            "/api/v1/internships/{internship_id}/analytics/charts/grades.svg",
        )
    ],
    Case(
        "GET",
        "/api/v1/internships/{internship_id}/analytics/me",
        expect(404, intern=200, other_intern=200),
    ),
    *[
        Case("GET", path, INTERN_ANALYTICS, bind={"user_id": "intern_id"})
        for path in (
            "/api/v1/internships/{internship_id}/analytics/interns/{user_id}",
            "/api/v1/internships/{internship_id}/analytics/interns/{user_id}/charts/throughput.svg",
        )
    ],
    *[
        Case("GET", path, TEAM_ANALYTICS)
        for path in (
            "/api/v1/teams/{team_id}/analytics",
            "/api/v1/teams/{team_id}/analytics/charts/throughput.svg",
        )
    ],
    *[
        Case("GET", f"/api/v1/boards/{{board_id}}/analytics/{tail}", BOARD_READ)
        for tail in ("flow", "burndown", "charts/flow.svg", "charts/burndown.svg")
    ],
]


@pytest.fixture(scope="module")
async def world(engine: AsyncEngine) -> AsyncIterator[World]:
    """Built and committed once for the module; every request runs in a test transaction
    that is rolled back, and the tables are emptied when the module ends."""
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        world = await _build_world(session)
        await session.commit()
    try:
        yield world
    finally:
        await truncate_all(engine)


async def _build_world(session: AsyncSession) -> World:
    system = Actor.system()
    admin = await create_user(session, username="matrix.admin", is_admin=True)
    people = {
        name: await create_user(session, username=f"matrix.{name}")
        for name in (
            "intern",
            "mentor",
            "observer",
            "other_intern",
            "other_mentor",
            "outsider",
            "free_intern",
        )
    }
    target = await create_user(session, username="target", full_name="Цель Проверки")
    today = dt.date.today()
    internship = await internship_service.create(
        session,
        system,
        InternshipCreate(name="Весна", start_date=today, end_date=today + dt.timedelta(days=90)),
    )
    await internship_service.change_status(
        session, system, internship.id, InternshipStatusChange(status="active")
    )
    other = await internship_service.create(
        session,
        system,
        InternshipCreate(name="Чужая", start_date=today, end_date=today + dt.timedelta(days=90)),
    )
    roles = {
        "intern": ParticipantRole.INTERN,
        "mentor": ParticipantRole.MENTOR,
        "observer": ParticipantRole.OBSERVER,
        "other_intern": ParticipantRole.INTERN,
        "other_mentor": ParticipantRole.MENTOR,
        "free_intern": ParticipantRole.INTERN,
    }
    for name, role in roles.items():
        await internship_service.enrol(session, internship.id, people[name].id, role)
    await internship_service.enrol(session, other.id, people["outsider"].id, ParticipantRole.INTERN)
    team_a = await team_service.create_team(
        session,
        system,
        internship.id,
        TeamCreate(
            name="Команда А",
            mentor_ids=[people["mentor"].id],
            member_ids=[people["intern"].id],
        ),
    )
    await team_service.create_team(
        session,
        system,
        internship.id,
        TeamCreate(
            name="Команда Б",
            mentor_ids=[people["other_mentor"].id],
            member_ids=[people["other_intern"].id],
        ),
    )
    project = await team_service.create_project(
        session, system, team_a.id, ProjectCreate(name="Трекер задач")
    )
    intern_actor = Actor(user_id=people["intern"].id)
    board = (await board_service.list_boards(session, system, project.id, archived=False))[0]
    columns = await board_service.list_columns(session, system, board.id, archived=False)
    label = await board_service.create_label(
        session, system, board.id, LabelCreate(name="Отчёт", color="green")
    )
    card = await card_service.create(
        session,
        intern_actor,
        board.id,
        CardCreate(
            title="Подготовить отчёт",
            assignee_ids=[people["intern"].id],
            label_ids=[label.id],
        ),
    )
    archived_card = await card_service.create(
        session, intern_actor, board.id, CardCreate(title="Старая задача")
    )
    await card_service.set_archived(session, system, archived_card.id, archived=True)
    checklist = await card_detail_service.create_checklist(
        session, intern_actor, card.id, ChecklistCreate(title="Шаги")
    )
    item = await card_detail_service.add_item(
        session, intern_actor, card.id, checklist.id, ChecklistItemCreate(text="Собрать данные")
    )
    comment = await card_detail_service.add_comment(
        session, intern_actor, card.id, CommentCreate(body="Начал работу")
    )
    attachment = await card_detail_service.upload(
        session, intern_actor, card.id, filename="план.txt", stream=io.BytesIO(b"plan")
    )
    extra_column = await board_service.create_column(
        session, system, board.id, ColumnCreate(name="Заморожено")
    )
    await board_service.set_column_archived(session, system, extra_column.id, archived=True)
    old_board = await board_service.create_board(
        session, system, project.id, BoardCreate(name="Прошлый спринт")
    )
    await board_service.set_board_archived(session, system, old_board.id, archived=True)
    mentor_actor = Actor(user_id=people["mentor"].id)
    submitted = await card_service.create(
        session,
        intern_actor,
        board.id,
        CardCreate(title="На проверку", assignee_ids=[people["intern"].id]),
    )
    await review_service.submit(session, intern_actor, submitted.id)
    reviewed = await card_service.create(
        session,
        intern_actor,
        board.id,
        CardCreate(title="Проверено", assignee_ids=[people["intern"].id]),
    )
    await review_service.submit(session, intern_actor, reviewed.id)
    review = await review_service.review(
        session,
        mentor_actor,
        reviewed.id,
        ReviewCreate(decision="accept", grade=Decimal("5"), feedback="Отлично"),
    )
    invitation = await invitation_service.invite(
        session, system, InvitationCreate(email="invited@example.com", role=InvitationRole.INTERN)
    )
    reset = await password_reset_service.issue(
        session, Actor(user_id=admin.id, is_admin=True), PasswordResetCreate(user_id=target.id)
    )
    tokens = await auth_service.issue_tokens(session, target.id)
    placeholder = User(
        email="trello-member@placeholder.invalid",
        username="member.trello",
        full_name="Участник из Trello",
        hashed_password="!",
        is_active=False,
        is_placeholder=True,
        external_id="trello:5f1a2b3c4d5e6f7a8b9c0d1e",
    )
    session.add(placeholder)
    job = ImportJob(
        project_id=project.id,
        created_by_id=people["mentor"].id,
        board_id=board.id,
        source="trello",
        status="succeeded",
        filename="trello.json",
        size=1024,
        report={"imported": {"cards": 0}},
    )
    session.add(job)
    await session.flush()
    headers = {name: auth_headers(user) for name, user in people.items()}
    headers.update(anonymous={}, admin=auth_headers(admin))
    return World(
        headers=headers,
        ids={
            "user_id": target.id,
            "target_id": target.id,
            "username": target.username,
            "intern_id": people["intern"].id,
            "free_intern_id": people["free_intern"].id,
            "internship_id": internship.id,
            "team_id": team_a.id,
            "project_id": project.id,
            "board_id": board.id,
            "archived_board_id": old_board.id,
            "column_id": columns[0].id,
            "second_column_id": columns[1].id,
            "archived_column_id": extra_column.id,
            "label_id": label.id,
            "card_id": card.id,
            "archived_card_id": archived_card.id,
            "checklist_id": checklist.id,
            "item_id": item.id,
            "comment_id": comment.id,
            "attachment_id": attachment.id,
            "submitted_card_id": submitted.id,
            "reviewed_card_id": reviewed.id,
            "review_id": review.id,
            "placeholder_id": placeholder.id,
            "import_id": job.id,
            "invitation_id": invitation.id,
            "token": invitation.token,
            "reset_token": reset.token,
            "refresh_token": tokens.refresh_token,
        },
    )


CASES = [(case, caller) for case in MATRIX for caller in CALLERS]


@pytest.mark.parametrize(("case", "caller"), CASES, ids=[f"{c.key} as {w}" for c, w in CASES])
async def test_authorization_matrix(
    client: httpx.AsyncClient, world: World, case: Case, caller: str
) -> None:
    path = case.path.format(**{**world.ids, **{k: world.ids[v] for k, v in case.bind.items()}})
    kwargs: dict[str, Any] = {"headers": world.headers[caller], "params": case.params}
    if case.body is not None:
        kwargs["json"] = case.body(world)
    if case.form is not None:
        kwargs["data"] = case.form(world)
    if case.files is not None:
        kwargs["files"] = case.files(world)
    response = await client.request(case.method, path, **kwargs)
    expected = case.expect[caller]
    assert response.status_code == expected, f"{case.key} as {caller}: {response.text}"
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    schema = app.openapi()
    routes = {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }
    covered = {case.key for case in MATRIX}
    assert routes - covered == set(), "routes without an authorisation entry"
    assert covered - routes == set(), "matrix entries for routes that do not exist"
    assert len(covered) == len(MATRIX), "a route is listed twice"
    for case in MATRIX:
        assert set(case.expect) == set(CALLERS), case.key
