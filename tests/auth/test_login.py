"""Login, refresh rotation, logout, password change, throttling and the login audit."""

import datetime as dt

import httpx
import pytest
from fastapi import FastAPI
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models.login_attempt_model import LoginAttempt
from src.auth.models.refresh_token_model import RefreshToken
from src.config.project_config import get_settings
from src.user.user_model import User
from tests.conftest import auth_headers
from tests.factories import DEFAULT_PASSWORD, create_user


async def login(
    client: httpx.AsyncClient, login_name: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"login": login_name, "password": password})


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
async def client_from(app: FastAPI):  # type: ignore[no-untyped-def]
    """A client whose requests come from another IP address."""
    clients: list[httpx.AsyncClient] = []

    def make(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        c = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        clients.append(c)
        return c

    yield make
    for c in clients:
        await c.aclose()


async def test_login_by_username_or_email_ignoring_case(
    client: httpx.AsyncClient, member: User
) -> None:
    for name in ("ivan", "IVAN", "ivan@example.com", "Ivan@Example.COM"):
        response = await login(client, name)
        assert response.status_code == 200, name
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 15 * 60
        assert body["refresh_expires_in"] == 30 * 24 * 3600
        me = await client.get("/api/v1/auth/me", headers=bearer(body))
        assert me.json()["username"] == "ivan"
        assert "hashed_password" not in me.text


async def test_oauth2_password_form_logs_in(client: httpx.AsyncClient, member: User) -> None:
    response = await client.post(
        "/api/v1/auth/token", data={"username": "ivan", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["access_token"].count(".") == 2


async def test_wrong_password_and_unknown_user_look_the_same(
    client: httpx.AsyncClient, member: User
) -> None:
    wrong = await login(client, "ivan", "not-the-password")
    unknown = await login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")


async def test_deactivated_user_cannot_log_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, username="gone", is_active=False)
    assert (await login(client, "gone")).status_code == 401


async def test_every_attempt_is_recorded_with_ip(
    client: httpx.AsyncClient, session: AsyncSession, member: User, admin_headers: dict[str, str]
) -> None:
    await login(client, "ivan", "wrong-password")
    await login(client, "ivan")
    rows = (await session.execute(select(LoginAttempt).order_by(LoginAttempt.id))).scalars().all()
    assert [(r.user_id, r.succeeded, r.outcome, r.ip_address) for r in rows] == [
        (member.id, False, "bad_password", "127.0.0.1"),
        (member.id, True, "success", "127.0.0.1"),
    ]
    audit = await client.get(
        "/api/v1/auth/login-attempts", params={"user_id": member.id}, headers=admin_headers
    )
    assert audit.status_code == 200
    assert [item["outcome"] for item in audit.json()["items"]] == ["success", "bad_password"]
    forbidden = await client.get("/api/v1/auth/login-attempts", headers=auth_headers(member))
    assert forbidden.status_code == 403


async def test_refresh_rotates_and_reuse_revokes_the_family(
    client: httpx.AsyncClient, member: User
) -> None:
    first = (await login(client, "ivan")).json()
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/api/v1/auth/me", headers=bearer(second))).status_code == 200

    reused = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert reused.status_code == 401
    assert reused.json()["code"] == "refresh_token_reused"
    # The thief's replay also kills the legitimate successor.
    after = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert after.status_code == 401


async def test_other_logins_survive_a_family_revocation(
    client: httpx.AsyncClient, member: User
) -> None:
    laptop = (await login(client, "ivan")).json()
    phone = (await login(client, "ivan")).json()
    await client.post("/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    await client.post("/api/v1/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    still = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": phone["refresh_token"]}
    )
    assert still.status_code == 200


async def test_refresh_rejects_unknown_expired_and_deactivated(
    client: httpx.AsyncClient, session: AsyncSession, member: User, admin_headers: dict[str, str]
) -> None:
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 43})
    ).status_code == 401
    tokens = (await login(client, "ivan")).json()
    await session.execute(
        update(RefreshToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    expired = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert expired.status_code == 401

    tokens = (await login(client, "ivan")).json()
    await client.post(f"/api/v1/users/{member.id}/deactivate", headers=admin_headers)
    dead = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert dead.status_code == 401


async def test_logout_revokes_access_and_refresh(client: httpx.AsyncClient, member: User) -> None:
    tokens = (await login(client, "ivan")).json()
    response = await client.post(
        "/api/v1/auth/logout",
        json={"refresh_token": tokens["refresh_token"]},
        headers=bearer(tokens),
    )
    assert response.status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=bearer(tokens))).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401


async def test_logout_everywhere_ends_every_session(
    client: httpx.AsyncClient, member: User
) -> None:
    laptop = (await login(client, "ivan")).json()
    phone = (await login(client, "ivan")).json()
    await client.post("/api/v1/auth/logout", json={"everywhere": True}, headers=bearer(laptop))
    assert (await client.get("/api/v1/auth/me", headers=bearer(phone))).status_code == 401
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": phone["refresh_token"]}
    )
    assert refreshed.status_code == 401
    assert (await login(client, "ivan")).status_code == 200


async def test_password_change_needs_the_current_password(
    client: httpx.AsyncClient, member: User
) -> None:
    tokens = (await login(client, "ivan")).json()
    wrong = await client.post(
        "/api/v1/auth/password",
        json={"current_password": "nope-nope", "new_password": "brand-new-secret-1"},
        headers=bearer(tokens),
    )
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "wrong_current_password"
    weak = await client.post(
        "/api/v1/auth/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "password123"},
        headers=bearer(tokens),
    )
    assert weak.status_code == 422
    assert (await login(client, "ivan")).status_code == 200


async def test_password_change_ends_other_sessions_but_keeps_this_one(
    client: httpx.AsyncClient, member: User
) -> None:
    other = (await login(client, "ivan")).json()
    this = (await login(client, "ivan")).json()
    changed = await client.post(
        "/api/v1/auth/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "brand-new-secret-1"},
        headers=bearer(this),
    )
    assert changed.status_code == 200
    fresh = changed.json()
    assert (await client.get("/api/v1/auth/me", headers=bearer(fresh))).status_code == 200
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}
    )
    assert refreshed.status_code == 200
    # Issued before the change: refused.
    assert (await client.get("/api/v1/auth/me", headers=bearer(other))).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=bearer(this))).status_code == 401
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    ).status_code == 401
    assert (await login(client, "ivan")).status_code == 401
    assert (await login(client, "ivan", "brand-new-secret-1")).status_code == 200


async def test_account_lockout_after_five_failures_and_its_expiry(
    client: httpx.AsyncClient, session: AsyncSession, member: User
) -> None:
    other = await create_user(session, username="maria")
    for _ in range(5):
        assert (await login(client, "ivan", "wrong-password")).status_code == 401
    locked = await login(client, "ivan")  # even the right password
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_throttled"
    retry_after = int(locked.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    # A locked account does not lock out the others, even from the same address.
    assert (await login(client, other.username)).status_code == 200
    # Fifteen minutes later the failures no longer count.
    await session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.user_id == member.id)
        .values(created_at=LoginAttempt.created_at - dt.timedelta(minutes=16))
    )
    assert (await login(client, "ivan")).status_code == 200


async def test_success_resets_the_account_counter(client: httpx.AsyncClient, member: User) -> None:
    for _ in range(4):
        await login(client, "ivan", "wrong-password")
    assert (await login(client, "ivan")).status_code == 200
    for _ in range(4):
        await login(client, "ivan", "wrong-password")
    assert (await login(client, "ivan")).status_code == 200


async def test_unknown_login_is_throttled_like_a_real_one(
    client: httpx.AsyncClient, member: User
) -> None:
    for _ in range(5):
        await login(client, "ghost", "wrong-password")
    response = await login(client, "ghost", "wrong-password")
    assert response.status_code == 429  # the same answer an existing account would give


async def test_ip_lockout_after_twenty_failures(
    session: AsyncSession,
    member: User,
    client_from,  # type: ignore[no-untyped-def]
) -> None:
    attacker = client_from("10.9.8.7")
    bystander = client_from("10.1.1.1")
    for i in range(20):
        await login(attacker, f"guess{i}", "wrong-password")
    blocked = await login(attacker, "ivan")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    assert (await login(bystander, "ivan")).status_code == 200


async def test_limits_are_configurable(
    client: httpx.AsyncClient, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings().auth, "login_max_failures_per_account", 2)
    await login(client, "ivan", "wrong-password")
    await login(client, "ivan", "wrong-password")
    assert (await login(client, "ivan")).status_code == 429


async def test_hash_is_upgraded_when_parameters_change(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    weak_hasher = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8 * 1024, parallelism=1),))
    user = await create_user(session, username="legacy")
    user.hashed_password = weak_hasher.hash(DEFAULT_PASSWORD)
    await session.flush()
    assert (await login(client, "legacy")).status_code == 200
    await session.refresh(user)
    assert "m=19456,t=2,p=1" in user.hashed_password
    assert (await login(client, "legacy")).status_code == 200


async def test_tokens_never_appear_in_logs(
    client: httpx.AsyncClient, member: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("DEBUG"):
        tokens = (await login(client, "ivan")).json()
        await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    for secret in (tokens["access_token"], tokens["refresh_token"], DEFAULT_PASSWORD):
        assert secret not in caplog.text
