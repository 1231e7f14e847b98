"""The authorisation matrix: every route of the OpenAPI schema × every kind of caller.

Each entry names a route and the status each caller gets. A route that is missing
from the matrix fails `test_every_route_is_in_the_matrix`, so new routes must say who
may call them. Callers: anonymous, an intern, a mentor, an organiser (admin); later
issues add callers from other teams and internships.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.constants import InvitationRole
from src.auth.schemas.invitation_schema import InvitationCreate
from src.auth.schemas.password_reset_schema import PasswordResetCreate
from src.auth.services.auth_service import auth_service
from src.auth.services.invitation_service import invitation_service
from src.auth.services.password_reset_service import password_reset_service
from src.lib.security.actor import Actor
from tests.conftest import auth_headers
from tests.factories import DEFAULT_PASSWORD, create_user

CALLERS = ("anonymous", "intern", "mentor", "admin")


@dataclass
class World:
    """Objects the matrix requests point at."""

    headers: dict[str, dict[str, str]]
    ids: dict[str, Any]


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    expect: dict[str, int]
    body: Callable[[World], dict[str, Any]] | None = None
    form: Callable[[World], dict[str, str]] | None = None
    params: dict[str, str] = field(default_factory=dict)
    # Path parameter -> key in World.ids, where the names differ.
    bind: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def members(status: int, *, admin: int | None = None) -> dict[str, int]:
    """Authenticated callers get `status` (the organiser `admin`), anonymous 401."""
    return {"anonymous": 401, "intern": status, "mentor": status, "admin": admin or status}


def organisers_only(success: int, *, others: int = 403) -> dict[str, int]:
    return {"anonymous": 401, "intern": others, "mentor": others, "admin": success}


MATRIX: list[Case] = [
    Case("GET", "/health", everyone(200)),
    Case("GET", "/ready", everyone(200)),
    # --- auth ---
    Case(
        "POST",
        "/api/v1/auth/token",
        everyone(200),
        form=lambda w: {"username": "target", "password": DEFAULT_PASSWORD},
    ),
    Case(
        "POST",
        "/api/v1/auth/login",
        everyone(200),
        body=lambda w: {"login": "target", "password": DEFAULT_PASSWORD},
    ),
    Case(
        "POST",
        "/api/v1/auth/refresh",
        everyone(200),
        body=lambda w: {"refresh_token": w.ids["refresh_token"]},
    ),
    Case("POST", "/api/v1/auth/logout", members(204), body=lambda w: {}),
    Case("GET", "/api/v1/auth/me", members(200)),
    Case(
        "POST",
        "/api/v1/auth/password",
        members(200),
        body=lambda w: {"current_password": DEFAULT_PASSWORD, "new_password": "fresh-secret-42"},
    ),
    Case("GET", "/api/v1/auth/login-attempts", organisers_only(200)),
    Case(
        "POST",
        "/api/v1/auth/invitations",
        organisers_only(201),
        body=lambda w: {"email": "new.intern@example.com", "role": "intern"},
    ),
    Case("GET", "/api/v1/auth/invitations", organisers_only(200)),
    Case(
        "POST",
        "/api/v1/auth/invitations/{invitation_id}/revoke",
        organisers_only(200, others=404),
    ),
    Case("GET", "/api/v1/auth/invitations/{token}", everyone(200)),
    Case(
        "POST",
        "/api/v1/auth/invitations/{token}/accept",
        everyone(201),
        body=lambda w: {"username": "newcomer", "full_name": "Новый Стажёр", "password": "x-" * 6},
    ),
    Case(
        "POST",
        "/api/v1/auth/password-resets",
        organisers_only(201, others=404),
        body=lambda w: {"user_id": w.ids["target_id"]},
    ),
    Case(
        "POST",
        "/api/v1/auth/password-resets/{token}/complete",
        everyone(204),
        bind={"token": "reset_token"},
        body=lambda w: {"new_password": "reset-secret-42"},
    ),
    # --- users ---
    Case(
        "POST",
        "/api/v1/users",
        organisers_only(201),
        body=lambda w: {
            "email": "created@example.com",
            "username": "created",
            "password": "created-secret-1",
            "full_name": "Созданный Пользователь",
        },
    ),
    Case("GET", "/api/v1/users", members(200)),
    Case("PATCH", "/api/v1/users/me", members(200), body=lambda w: {"full_name": "Новое Имя"}),
    Case("GET", "/api/v1/users/by-username/{username}", organisers_only(200, others=404)),
    Case("GET", "/api/v1/users/{user_id}", organisers_only(200, others=404)),
    Case("POST", "/api/v1/users/{user_id}/deactivate", organisers_only(200, others=404)),
    Case("POST", "/api/v1/users/{user_id}/reactivate", organisers_only(200, others=404)),
]


@pytest.fixture
async def world(session: AsyncSession) -> World:
    admin = await create_user(session, username="matrix.admin", is_admin=True)
    mentor = await create_user(session, username="matrix.mentor")
    intern = await create_user(session, username="matrix.intern")
    target = await create_user(session, username="target", full_name="Цель Проверки")
    system = Actor.system()
    invitation = await invitation_service.invite(
        session, system, InvitationCreate(email="invited@example.com", role=InvitationRole.INTERN)
    )
    reset = await password_reset_service.issue(
        session, Actor(user_id=admin.id, is_admin=True), PasswordResetCreate(user_id=target.id)
    )
    tokens = await auth_service.issue_tokens(session, target.id)
    await session.commit()
    return World(
        headers={
            "anonymous": {},
            "intern": auth_headers(intern),
            "mentor": auth_headers(mentor),
            "admin": auth_headers(admin),
        },
        ids={
            "user_id": target.id,
            "target_id": target.id,
            "username": target.username,
            "invitation_id": invitation.id,
            "token": invitation.token,
            "reset_token": reset.token,
            "refresh_token": tokens.refresh_token,
        },
    )


CASES = [(case, caller) for case in MATRIX for caller in CALLERS]


@pytest.mark.parametrize(("case", "caller"), CASES, ids=[f"{c.key} as {who}" for c, who in CASES])
async def test_authorization_matrix(
    client: httpx.AsyncClient, world: World, case: Case, caller: str
) -> None:
    path = case.path.format(**{**world.ids, **{k: world.ids[v] for k, v in case.bind.items()}})
    kwargs: dict[str, Any] = {"headers": world.headers[caller], "params": case.params}
    if case.body is not None:
        kwargs["json"] = case.body(world)
    if case.form is not None:
        kwargs["data"] = case.form(world)
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
    for case in MATRIX:
        assert set(case.expect) == set(CALLERS), case.key
