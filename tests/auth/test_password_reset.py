"""Password resets: organisers issue a one-time link; the link sets a new password and ends
every session of the user."""

import asyncio
import contextlib
import datetime as dt
import hashlib
import secrets
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from src.auth.models.password_reset_model import PasswordReset
from src.auth.models.refresh_token_model import RefreshToken
from src.lib.clock import utcnow
from src.lib.security.passwords import password_hash
from src.user.user_model import User
from tests.conftest import auth_headers
from tests.factories import DEFAULT_PASSWORD

RESETS = "/api/v1/auth/password-resets"
PROBLEM = "application/problem+json"
NEW_PASSWORD = "violet-lantern-harbour-42"


async def issue(
    client: httpx.AsyncClient, headers: dict[str, str], user: User
) -> dict[str, object]:
    response = await client.post(RESETS, headers=headers, json={"user_id": user.id})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def complete(
    client: httpx.AsyncClient, token: object, password: str = NEW_PASSWORD
) -> httpx.Response:
    return await client.post(f"{RESETS}/{token}/complete", json={"new_password": password})


async def login(client: httpx.AsyncClient, login_name: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"login": login_name, "password": password})


async def fetch_reset(session: AsyncSession, reset_id: object) -> PasswordReset:
    reset = await session.get(PasswordReset, reset_id, populate_existing=True)
    assert reset is not None
    return reset


async def fetch_user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user


async def count_resets(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(PasswordReset))).scalar_one()


# --- issuing ----------------------------------------------------------------------------


async def test_admin_issues_a_reset_link(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin: User,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    response = await client.post(RESETS, headers=admin_headers, json={"user_id": member.id})
    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert len(token) >= 32
    assert body["reset_url"].endswith(f"/reset-password/{token}")
    assert body["user_id"] == member.id
    assert body["email_sent"] is False  # no SMTP server configured in tests

    reset = await fetch_reset(session, body["id"])
    assert reset.user_id == member.id
    assert reset.created_by_id == admin.id
    assert reset.used_at is None
    assert reset.revoked_at is None
    assert reset.token_hash != token
    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    expires_in = reset.expires_at - utcnow()
    assert dt.timedelta(hours=23, minutes=59) < expires_in <= dt.timedelta(hours=24)


async def test_member_may_not_issue_a_reset_link(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin: User,
    member: User,
    member_headers: dict[str, str],
) -> None:
    response = await client.post(RESETS, headers=member_headers, json={"user_id": member.id})
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "admin_required"
    # For someone else: refused too (403, or 404 where the user is invisible to members).
    other = await client.post(RESETS, headers=member_headers, json={"user_id": admin.id})
    assert other.status_code in {403, 404}
    assert "token" not in other.json()
    assert await count_resets(session) == 0


async def test_anonymous_may_not_issue_a_reset_link(
    client: httpx.AsyncClient, session: AsyncSession, member: User
) -> None:
    response = await client.post(RESETS, json={"user_id": member.id})
    assert response.status_code == 401
    assert await count_resets(session) == 0


async def test_reset_for_unknown_user_is_not_found(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    response = await client.post(RESETS, headers=admin_headers, json={"user_id": 987654321})
    assert response.status_code == 404
    assert response.json()["code"] == "user_not_found"
    assert await count_resets(session) == 0


async def test_reset_for_invalid_user_id_is_rejected(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for user_id in (0, -1, 2**63, "abc"):
        response = await client.post(RESETS, headers=admin_headers, json={"user_id": user_id})
        assert response.status_code == 422, user_id


# --- completing -------------------------------------------------------------------------


async def test_completed_reset_replaces_the_password(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    body = await issue(client, admin_headers, member)
    response = await complete(client, body["token"])
    assert response.status_code == 204
    assert response.content == b""

    old = await login(client, "ivan", DEFAULT_PASSWORD)
    assert old.status_code == 401
    assert old.json()["code"] == "invalid_credentials"
    new = await login(client, "ivan", NEW_PASSWORD)
    assert new.status_code == 200
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {new.json()['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == member.id

    user = await fetch_user(session, member.id)
    assert password_hash().verify(NEW_PASSWORD, user.hashed_password)
    assert user.tokens_valid_after is not None
    reset = await fetch_reset(session, body["id"])
    assert reset.used_at is not None


async def test_completed_reset_revokes_every_refresh_token(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    phone = (await login(client, "ivan", DEFAULT_PASSWORD)).json()
    laptop = (await login(client, "ivan", DEFAULT_PASSWORD)).json()
    body = await issue(client, admin_headers, member)
    assert (await complete(client, body["token"])).status_code == 204

    for tokens in (phone, laptop):
        refreshed = await client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401
        assert refreshed.json()["code"] == "invalid_refresh_token"
    rows = await session.execute(
        select(RefreshToken)
        .where(RefreshToken.user_id == member.id)
        .execution_options(populate_existing=True)
    )
    stored = rows.scalars().all()
    assert len(stored) == 2
    assert all(token.revoked_at is not None for token in stored)


async def test_completed_reset_ends_access_tokens_issued_before(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    member: User,
    member_headers: dict[str, str],
) -> None:
    logged_in = (await login(client, "ivan", DEFAULT_PASSWORD)).json()
    from_login = {"Authorization": f"Bearer {logged_in['access_token']}"}
    assert (await client.get("/api/v1/auth/me", headers=member_headers)).status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=from_login)).status_code == 200

    body = await issue(client, admin_headers, member)
    assert (await complete(client, body["token"])).status_code == 204

    for headers in (member_headers, from_login):
        me = await client.get("/api/v1/auth/me", headers=headers)
        assert me.status_code == 401
        assert me.json()["code"] == "invalid_token"
    # A token issued after the reset works.
    assert (await client.get("/api/v1/auth/me", headers=auth_headers(member))).status_code == 200


async def test_reset_does_not_touch_other_users(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    body = await issue(client, admin_headers, member)
    assert (await complete(client, body["token"])).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=admin_headers)).status_code == 200
    assert (await login(client, "organizer", DEFAULT_PASSWORD)).status_code == 200


async def test_reused_reset_link_is_gone(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    body = await issue(client, admin_headers, member)
    assert (await complete(client, body["token"])).status_code == 204
    again = await complete(client, body["token"], "another-strong-passphrase")
    assert again.status_code == 410
    assert again.headers["content-type"] == PROBLEM
    assert again.json()["code"] == "password_reset_unusable"
    assert again.json()["reset_status"] == "used"
    assert (await login(client, "ivan", NEW_PASSWORD)).status_code == 200
    user = await fetch_user(session, member.id)
    assert not password_hash().verify("another-strong-passphrase", user.hashed_password)


async def test_expired_reset_link_is_gone(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    body = await issue(client, admin_headers, member)
    reset = await fetch_reset(session, body["id"])
    reset.expires_at = utcnow() - dt.timedelta(minutes=1)
    await session.flush()

    response = await complete(client, body["token"])
    assert response.status_code == 410
    assert response.json()["code"] == "password_reset_unusable"
    assert response.json()["reset_status"] == "expired"
    assert (await fetch_reset(session, body["id"])).used_at is None
    assert (await login(client, "ivan", DEFAULT_PASSWORD)).status_code == 200


async def test_second_reset_link_revokes_the_first(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    first = await issue(client, admin_headers, member)
    second = await issue(client, admin_headers, member)
    assert first["token"] != second["token"]
    assert (await fetch_reset(session, first["id"])).revoked_at is not None
    assert (await fetch_reset(session, second["id"])).revoked_at is None

    stale = await complete(client, first["token"])
    assert stale.status_code == 410
    assert stale.json()["reset_status"] == "revoked"
    assert (await login(client, "ivan", DEFAULT_PASSWORD)).status_code == 200

    assert (await complete(client, second["token"])).status_code == 204
    assert (await login(client, "ivan", NEW_PASSWORD)).status_code == 200


async def test_reset_link_of_another_user_stays_valid(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin: User,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    for_member = await issue(client, admin_headers, member)
    await issue(client, admin_headers, admin)
    assert (await fetch_reset(session, for_member["id"])).revoked_at is None
    assert (await complete(client, for_member["token"])).status_code == 204


async def test_weak_new_password_keeps_the_link_usable(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    logged_in = (await login(client, "ivan", DEFAULT_PASSWORD)).json()
    body = await issue(client, admin_headers, member)
    for weak in ("password123", "qwertyuiop", "k9#x"):
        response = await complete(client, body["token"], weak)
        assert response.status_code == 422, weak
        assert weak not in response.text

    weak = await complete(client, body["token"], "password123")
    assert weak.json()["code"] == "weak_password"
    reset = await fetch_reset(session, body["id"])
    assert reset.used_at is None
    user = await fetch_user(session, member.id)
    assert user.tokens_valid_after is None
    assert (await login(client, "ivan", DEFAULT_PASSWORD)).status_code == 200
    # Sessions survive a refused reset.
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": logged_in["refresh_token"]}
    )
    assert refreshed.status_code == 200

    assert (await complete(client, body["token"])).status_code == 204
    assert (await login(client, "ivan", NEW_PASSWORD)).status_code == 200


async def test_unknown_reset_link_is_not_found(client: httpx.AsyncClient) -> None:
    response = await complete(client, secrets.token_urlsafe(32))
    assert response.status_code == 404
    assert response.json()["code"] == "password_reset_not_found"


# --- races (real commits) ---------------------------------------------------------------


def rendezvous(parties: int, timeout: float = 1.0) -> Callable[[], Awaitable[None]]:
    """Each caller waits until `parties` have arrived, or `timeout` passes."""
    arrived = 0
    everyone = asyncio.Event()

    async def meet() -> None:
        nonlocal arrived
        arrived += 1
        if arrived >= parties:
            everyone.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(everyone.wait(), timeout)

    return meet


async def committed_organiser(engine: AsyncEngine) -> User:
    """The organiser `committed_admin_headers` created (the only user)."""
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as check:
        return (await check.execute(select(User))).scalar_one()


async def test_concurrent_completions_of_one_link_succeed_once(
    committing_client: httpx.AsyncClient,
    committed_admin_headers: dict[str, str],
    engine: AsyncEngine,
) -> None:
    user = await committed_organiser(engine)
    body = await issue(committing_client, committed_admin_headers, user)
    responses = await asyncio.gather(
        complete(committing_client, body["token"], "first-racer-passphrase"),
        complete(committing_client, body["token"], "second-racer-passphrase"),
    )
    assert sorted(r.status_code for r in responses) == [204, 410]
    winner = (
        "first-racer-passphrase" if responses[0].status_code == 204 else ("second-racer-passphrase")
    )
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as check:
        stored = await fetch_user(check, user.id)
        assert password_hash().verify(winner, stored.hashed_password)


async def test_concurrently_issued_links_leave_only_one_usable(
    committing_client: httpx.AsyncClient,
    committed_admin_headers: dict[str, str],
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = await committed_organiser(engine)
    # Hold each request after it wrote its link and before it commits (sending the mail
    # happens there), until all three are there: they truly overlap. Where issuance is
    # serialised per user the others never arrive, and the holder goes on after 1 s.
    meet = rendezvous(3)

    async def held_send_mail(*args: object, **kwargs: object) -> bool:
        await meet()
        return False

    monkeypatch.setattr("src.auth.services.password_reset_service.send_mail", held_send_mail)
    issued = await asyncio.gather(
        *(
            committing_client.post(
                RESETS, headers=committed_admin_headers, json={"user_id": user.id}
            )
            for _ in range(3)
        )
    )
    assert [r.status_code for r in issued] == [201, 201, 201]
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as check:
        rows = (await check.execute(select(PasswordReset))).scalars().all()
    assert len(rows) == 3
    assert sum(1 for r in rows if r.revoked_at is None) == 1
    outcomes = [
        (
            await complete(committing_client, r.json()["token"], f"passphrase-number-{i}-ok")
        ).status_code
        for i, r in enumerate(issued)
    ]
    assert sorted(outcomes) == [204, 410, 410]
