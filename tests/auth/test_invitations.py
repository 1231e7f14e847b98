"""Invitations: organisers issue one-time links; the link previews and creates an account."""

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

from src.auth.models.invitation_model import Invitation
from src.lib.clock import utcnow
from src.lib.security.passwords import hash_password, password_hash
from src.user.user_model import User
from tests.factories import create_user

INVITATIONS = "/api/v1/auth/invitations"
PROBLEM = "application/problem+json"
STRONG_PASSWORD = "violet-lantern-harbour-42"


async def invite(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    email: str = "new.intern@example.com",
    role: str = "intern",
    **extra: object,
) -> dict[str, object]:
    response = await client.post(
        INVITATIONS, headers=headers, json={"email": email, "role": role, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def accept_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "username": "new.intern",
        "full_name": "Анна Смирнова",
        "password": STRONG_PASSWORD,
    }
    body.update(overrides)
    return body


async def accept(client: httpx.AsyncClient, token: object, **overrides: object) -> httpx.Response:
    return await client.post(f"{INVITATIONS}/{token}/accept", json=accept_body(**overrides))


async def fetch_invitation(session: AsyncSession, invitation_id: object) -> Invitation:
    invitation = await session.get(Invitation, invitation_id, populate_existing=True)
    assert invitation is not None
    return invitation


async def users_with_email(session: AsyncSession, email: str) -> list[User]:
    rows = await session.execute(
        select(User)
        .where(func.lower(User.email) == email.lower())
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars().all())


async def count_invitations(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(Invitation))).scalar_one()


async def expire(session: AsyncSession, invitation_id: object) -> None:
    invitation = await fetch_invitation(session, invitation_id)
    invitation.expires_at = utcnow() - dt.timedelta(minutes=1)
    await session.flush()


def unknown_token() -> str:
    return secrets.token_urlsafe(32)


def rendezvous(parties: int, timeout: float = 1.0) -> Callable[[], Awaitable[None]]:
    """Each caller waits until `parties` have arrived (or `timeout` passes): concurrent
    requests are held at one point so they truly overlap there. A request that a lock
    keeps out never arrives; the others then go on after the timeout."""
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


# --- issuing ----------------------------------------------------------------------------


async def test_admin_creates_invitation_and_gets_the_link_once(
    client: httpx.AsyncClient, session: AsyncSession, admin: User, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        INVITATIONS,
        headers=admin_headers,
        json={"email": "New.Intern@Example.com", "role": "intern", "message": "Ждём вас!"},
    )
    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert isinstance(token, str)
    assert len(token) >= 32
    assert token in body["accept_url"]
    assert body["accept_url"].endswith(f"/invite/{token}")
    assert body["email_sent"] is False  # no SMTP server configured in tests
    assert body["email"] == "new.intern@example.com"
    assert body["role"] == "intern"
    assert body["status"] == "pending"
    assert body["message"] == "Ждём вас!"
    assert body["invited_by_id"] == admin.id
    assert body["accepted_at"] is None
    assert body["revoked_at"] is None
    assert "token_hash" not in body

    invitation = await fetch_invitation(session, body["id"])
    assert invitation.email == "new.intern@example.com"
    assert invitation.invited_by_id == admin.id
    expires_in = invitation.expires_at - utcnow()
    assert dt.timedelta(days=6, hours=23) < expires_in <= dt.timedelta(days=7)


async def test_invitation_stores_only_the_hash_of_its_token(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    token = str(body["token"])
    invitation = await fetch_invitation(session, body["id"])
    assert invitation.token_hash != token
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # Nothing in the row holds the token itself.
    stored = [str(getattr(invitation, c.key)) for c in Invitation.__table__.columns]
    assert not any(token in value for value in stored)


async def test_member_may_not_invite(
    client: httpx.AsyncClient, session: AsyncSession, member_headers: dict[str, str]
) -> None:
    response = await client.post(
        INVITATIONS, headers=member_headers, json={"email": "x@example.com", "role": "intern"}
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "admin_required"
    assert await count_invitations(session) == 0


async def test_anonymous_may_not_invite(client: httpx.AsyncClient, session: AsyncSession) -> None:
    response = await client.post(INVITATIONS, json={"email": "x@example.com", "role": "intern"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert await count_invitations(session) == 0


async def test_registered_email_cannot_be_invited(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    response = await client.post(
        INVITATIONS, headers=admin_headers, json={"email": "IVAN@example.com", "role": "mentor"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invitation_email_taken"
    assert await count_invitations(session) == 0


async def test_unknown_role_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    for role in ("superuser", "Admin", "", None):
        response = await client.post(
            INVITATIONS, headers=admin_headers, json={"email": "x@example.com", "role": role}
        )
        assert response.status_code == 422, role
        body = response.json()
        assert body["code"] == "validation_error"
        assert any(issue["loc"][-1] == "role" for issue in body["errors"])
    assert await count_invitations(session) == 0


async def test_malformed_email_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        INVITATIONS, headers=admin_headers, json={"email": "not-an-email", "role": "intern"}
    )
    assert response.status_code == 422
    assert await count_invitations(session) == 0


# --- listing ----------------------------------------------------------------------------


async def test_list_filters_by_status(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    pending = await invite(client, admin_headers, email="pending@example.com")
    accepted = await invite(client, admin_headers, email="accepted@example.com")
    revoked = await invite(client, admin_headers, email="revoked@example.com")
    expired = await invite(client, admin_headers, email="expired@example.com")
    assert (await accept(client, accepted["token"], username="accepted")).status_code == 201
    revoke = await client.post(f"{INVITATIONS}/{revoked['id']}/revoke", headers=admin_headers)
    assert revoke.status_code == 200
    await expire(session, expired["id"])

    expected = {
        "pending": pending,
        "accepted": accepted,
        "revoked": revoked,
        "expired": expired,
    }
    for status, invitation in expected.items():
        response = await client.get(INVITATIONS, headers=admin_headers, params={"status": status})
        assert response.status_code == 200, status
        page = response.json()
        assert page["total"] == 1, status
        assert [item["id"] for item in page["items"]] == [invitation["id"]], status
        assert page["items"][0]["status"] == status

    everything = (await client.get(INVITATIONS, headers=admin_headers)).json()
    assert everything["total"] == 4
    assert {item["status"] for item in everything["items"]} == set(expected)

    unknown = await client.get(INVITATIONS, headers=admin_headers, params={"status": "lost"})
    assert unknown.status_code == 422


async def test_list_filters_by_email_ignoring_case(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    wanted = await invite(client, admin_headers, email="wanted@example.com")
    await invite(client, admin_headers, email="other@example.com")
    response = await client.get(
        INVITATIONS, headers=admin_headers, params={"email": "WANTED@example.com"}
    )
    page = response.json()
    assert page["total"] == 1
    assert page["items"][0]["id"] == wanted["id"]


async def test_list_is_paginated_newest_first(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = [await invite(client, admin_headers, email=f"p{i}@example.com") for i in range(5)]
    newest_first = [item["id"] for item in reversed(created)]

    seen: list[object] = []
    for offset in (0, 2, 4):
        response = await client.get(
            INVITATIONS, headers=admin_headers, params={"limit": 2, "offset": offset}
        )
        assert response.status_code == 200
        page = response.json()
        assert page["total"] == 5
        assert page["limit"] == 2
        assert page["offset"] == offset
        assert len(page["items"]) == min(2, 5 - offset)
        seen += [item["id"] for item in page["items"]]
    assert seen == newest_first

    beyond = (
        await client.get(INVITATIONS, headers=admin_headers, params={"limit": 2, "offset": 10})
    ).json()
    assert beyond["items"] == []
    assert beyond["total"] == 5

    too_big = await client.get(INVITATIONS, headers=admin_headers, params={"limit": 1000})
    assert too_big.status_code == 422


async def test_list_never_contains_a_token(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    token = str(body["token"])
    stored_hash = (await fetch_invitation(session, body["id"])).token_hash
    response = await client.get(INVITATIONS, headers=admin_headers)
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["id"] == body["id"]
    assert not {"token", "token_hash", "accept_url"} & item.keys()
    assert token not in response.text
    assert stored_hash not in response.text


async def test_only_organisers_list_invitations(
    client: httpx.AsyncClient, admin_headers: dict[str, str], member_headers: dict[str, str]
) -> None:
    await invite(client, admin_headers)
    as_member = await client.get(INVITATIONS, headers=member_headers)
    assert as_member.status_code == 403
    assert as_member.json()["code"] == "admin_required"
    anonymous = await client.get(INVITATIONS)
    assert anonymous.status_code == 401


# --- revoking ---------------------------------------------------------------------------


async def test_revoked_invitation_link_is_gone(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    response = await client.post(f"{INVITATIONS}/{body['id']}/revoke", headers=admin_headers)
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert response.json()["revoked_at"] is not None
    assert (await fetch_invitation(session, body["id"])).revoked_at is not None

    accepted = await accept(client, body["token"])
    assert accepted.status_code == 410
    assert accepted.headers["content-type"] == PROBLEM
    problem = accepted.json()
    assert problem["code"] == "invitation_unusable"
    assert problem["invitation_status"] == "revoked"
    assert await users_with_email(session, "new.intern@example.com") == []

    preview = await client.get(f"{INVITATIONS}/{body['token']}")
    assert preview.json()["status"] == "revoked"


async def test_revoking_twice_keeps_the_first_revocation(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    first = await client.post(f"{INVITATIONS}/{body['id']}/revoke", headers=admin_headers)
    second = await client.post(f"{INVITATIONS}/{body['id']}/revoke", headers=admin_headers)
    assert second.status_code == 200
    assert second.json()["revoked_at"] == first.json()["revoked_at"]


async def test_accepted_invitation_cannot_be_revoked(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    assert (await accept(client, body["token"])).status_code == 201
    response = await client.post(f"{INVITATIONS}/{body['id']}/revoke", headers=admin_headers)
    assert response.status_code == 410
    assert response.json()["invitation_status"] == "accepted"
    assert (await fetch_invitation(session, body["id"])).revoked_at is None


async def test_revoking_unknown_invitation_is_not_found(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post(f"{INVITATIONS}/999999/revoke", headers=admin_headers)
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"


async def test_member_cannot_revoke_an_invitation(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member_headers: dict[str, str],
) -> None:
    body = await invite(client, admin_headers)
    response = await client.post(f"{INVITATIONS}/{body['id']}/revoke", headers=member_headers)
    # 403, or 404 where invitations are invisible to non-organisers.
    assert response.status_code in {403, 404}
    assert (await fetch_invitation(session, body["id"])).revoked_at is None
    assert (await accept(client, body["token"])).status_code == 201


# --- preview ----------------------------------------------------------------------------


async def test_preview_shows_the_offer_without_authentication(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers, role="mentor", message="Добро пожаловать")
    response = await client.get(f"{INVITATIONS}/{body['token']}")
    assert response.status_code == 200
    preview = response.json()
    expected = {
        "email": "new.intern@example.com",
        "role": "mentor",
        "status": "pending",
        "expires_at": body["expires_at"],
        "message": "Добро пожаловать",
    }
    assert {key: preview.get(key) for key in expected} == expected
    # Nothing an organiser-only view or the secret would add.
    assert not {"id", "token", "token_hash", "accept_url", "invited_by_id"} & preview.keys()
    assert body["token"] not in response.text


async def test_preview_of_unknown_link_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{INVITATIONS}/{unknown_token()}")
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"


async def test_malformed_link_is_rejected(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{INVITATIONS}/short")).status_code == 422
    assert (await accept(client, "short")).status_code == 422


# --- accepting --------------------------------------------------------------------------


async def test_accept_creates_the_account_and_logs_in(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    response = await accept(client, body["token"])
    assert response.status_code == 201
    accepted = response.json()
    user_body = accepted["user"]
    assert user_body["email"] == "new.intern@example.com"
    assert user_body["username"] == "new.intern"
    assert user_body["full_name"] == "Анна Смирнова"
    assert user_body["is_admin"] is False
    assert user_body["is_active"] is True
    assert accepted["tokens"]["token_type"] == "bearer"
    assert accepted["tokens"]["access_token"]
    assert accepted["tokens"]["refresh_token"]
    assert STRONG_PASSWORD not in response.text

    [user] = await users_with_email(session, "new.intern@example.com")
    assert user.id == user_body["id"]
    assert user.is_admin is False
    assert password_hash().verify(STRONG_PASSWORD, user.hashed_password)
    invitation = await fetch_invitation(session, body["id"])
    assert invitation.accepted_at is not None
    assert invitation.accepted_user_id == user.id

    preview = await client.get(f"{INVITATIONS}/{body['token']}")
    assert preview.json()["status"] == "accepted"


async def test_admin_invitation_creates_an_organiser(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers, email="new.organiser@example.com", role="admin")
    response = await accept(client, body["token"], username="new.organiser")
    assert response.status_code == 201
    assert response.json()["user"]["is_admin"] is True
    [user] = await users_with_email(session, "new.organiser@example.com")
    assert user.is_admin is True


async def test_intern_invitation_does_not_create_an_organiser(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers, role="intern")
    response = await accept(client, body["token"])
    assert response.json()["user"]["is_admin"] is False
    [user] = await users_with_email(session, "new.intern@example.com")
    assert user.is_admin is False


async def test_tokens_from_accept_authenticate_the_new_user(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    tokens = (await accept(client, body["token"])).json()["tokens"]
    me = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["username"] == "new.intern"
    assert me.json()["email"] == "new.intern@example.com"

    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200

    login = await client.post(
        "/api/v1/auth/login", json={"login": "new.intern", "password": STRONG_PASSWORD}
    )
    assert login.status_code == 200


async def test_reused_invitation_link_is_gone(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    assert (await accept(client, body["token"])).status_code == 201
    again = await accept(client, body["token"], username="second.try")
    assert again.status_code == 410
    assert again.json()["code"] == "invitation_unusable"
    assert again.json()["invitation_status"] == "accepted"
    assert len(await users_with_email(session, "new.intern@example.com")) == 1
    second = await session.execute(select(User).where(User.username == "second.try"))
    assert second.scalar_one_or_none() is None


async def test_unknown_invitation_link_is_not_found(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    response = await accept(client, unknown_token())
    assert response.status_code == 404
    assert response.json()["code"] == "invitation_not_found"
    assert await users_with_email(session, "new.intern@example.com") == []


async def test_expired_invitation_link_is_gone(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    await expire(session, body["id"])
    response = await accept(client, body["token"])
    assert response.status_code == 410
    assert response.json()["code"] == "invitation_unusable"
    assert response.json()["invitation_status"] == "expired"
    assert await users_with_email(session, "new.intern@example.com") == []
    invitation = await fetch_invitation(session, body["id"])
    assert invitation.accepted_at is None
    assert invitation.accepted_user_id is None
    preview = await client.get(f"{INVITATIONS}/{body['token']}")
    assert preview.json()["status"] == "expired"


async def test_weak_password_on_accept_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    for weak in ("password123", "new.intern", "k9#x"):
        response = await accept(client, body["token"], password=weak)
        assert response.status_code == 422, weak
        assert weak not in response.text
    assert response.json()["code"] == "validation_error"  # under 8 characters

    weak = await accept(client, body["token"], password="password123")
    assert weak.json()["code"] == "weak_password"
    assert await users_with_email(session, "new.intern@example.com") == []
    invitation = await fetch_invitation(session, body["id"])
    assert invitation.accepted_at is None
    assert invitation.accepted_user_id is None
    preview = await client.get(f"{INVITATIONS}/{body['token']}")
    assert preview.json()["status"] == "pending"
    # The link is still usable with a good password.
    assert (await accept(client, body["token"])).status_code == 201


async def test_taken_username_on_accept_keeps_the_invitation_pending(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    body = await invite(client, admin_headers)
    response = await accept(client, body["token"], username="IVAN")
    assert response.status_code == 409
    assert response.json()["code"] == "user_already_exists"
    assert response.json()["field"] == "username"
    assert await users_with_email(session, "new.intern@example.com") == []
    invitation = await fetch_invitation(session, body["id"])
    assert invitation.accepted_at is None
    assert (await accept(client, body["token"], username="ivan.two")).status_code == 201


async def test_email_registered_after_invitation_cannot_accept(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    await create_user(session, username="early.bird", email="new.intern@example.com")
    response = await accept(client, body["token"])
    assert response.status_code == 409
    assert response.json()["field"] == "email"
    assert (await fetch_invitation(session, body["id"])).accepted_at is None


async def test_accept_requires_a_full_name(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = await invite(client, admin_headers)
    for full_name in ("", "   "):
        response = await accept(client, body["token"], full_name=full_name)
        assert response.status_code == 422, repr(full_name)
    assert await users_with_email(session, "new.intern@example.com") == []


# --- races (real commits) ---------------------------------------------------------------


async def test_concurrent_accepts_of_one_invitation_create_one_account(
    committing_client: httpx.AsyncClient,
    committed_admin_headers: dict[str, str],
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = await invite(committing_client, committed_admin_headers, email="race@example.com")
    # Hold the first request inside the use case (while it hashes the password) so the
    # second one arrives while the first is still open, whatever the scheduling.
    meet = rendezvous(2, timeout=0.5)

    async def slow_hash(password: str) -> str:
        await meet()
        return await hash_password(password)

    monkeypatch.setattr("src.user.user_service.hash_password", slow_hash)
    responses = await asyncio.gather(
        accept(committing_client, body["token"], username="racer.one"),
        accept(committing_client, body["token"], username="racer.two"),
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 201
    assert statuses[1] in {409, 410}
    loser = next(r for r in responses if r.status_code != 201).json()
    assert loser["code"] == {409: "user_already_exists", 410: "invitation_unusable"}[statuses[1]]
    winner = next(r for r in responses if r.status_code == 201).json()["user"]

    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as check:
        users = await users_with_email(check, "race@example.com")
        assert [u.id for u in users] == [winner["id"]]
        invitation = await fetch_invitation(check, body["id"])
        assert invitation.accepted_user_id == winner["id"]


async def test_concurrent_accepts_with_one_username_give_201_and_409(
    committing_client: httpx.AsyncClient,
    committed_admin_headers: dict[str, str],
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = await invite(committing_client, committed_admin_headers, email="first@example.com")
    second = await invite(committing_client, committed_admin_headers, email="second@example.com")
    # Both requests pass the "username free?" check before either inserts: the unique
    # index decides, and its violation must still be a 409.
    meet = rendezvous(2)

    async def hash_after_both_checked(password: str) -> str:
        await meet()
        return await hash_password(password)

    monkeypatch.setattr("src.user.user_service.hash_password", hash_after_both_checked)
    responses = await asyncio.gather(
        accept(committing_client, first["token"], username="Same.Name"),
        accept(committing_client, second["token"], username="same.name"),
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.headers["content-type"] == PROBLEM
    assert loser.json()["code"] == "user_already_exists"
    assert loser.json()["field"] == "username"

    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as check:
        same = await check.execute(select(User).where(func.lower(User.username) == "same.name"))
        [user] = same.scalars().all()
        invitations = {i["id"]: await fetch_invitation(check, i["id"]) for i in (first, second)}
        accepted = [i for i in invitations.values() if i.accepted_at is not None]
        pending = [i for i in invitations.values() if i.accepted_at is None]
        assert len(accepted) == 1
        assert len(pending) == 1
        assert accepted[0].accepted_user_id == user.id
        assert accepted[0].email == user.email
