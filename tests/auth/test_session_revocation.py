"""Access tokens carry their sign-in (`sid`, the refresh-token family) and die with it: a
replayed refresh token, a logout of the session, logout everywhere and a password change
end every access token of the sign-ins they end, not only the refresh tokens."""

import uuid
from collections.abc import Iterator

import httpx
import jwt
import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from src.auth.models.refresh_token_model import RefreshToken
from src.user.user_model import User
from tests.factories import DEFAULT_PASSWORD

ME = "/api/v1/auth/me"


async def login(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/login", json={"login": "ivan", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def refresh(client: httpx.AsyncClient, tokens: dict[str, str]) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def works(client: httpx.AsyncClient, tokens: dict[str, str]) -> bool:
    response = await client.get(ME, headers=bearer(tokens))
    assert response.status_code in {200, 401}, response.text
    return response.status_code == 200


async def test_access_token_names_its_sign_in(
    client: httpx.AsyncClient, session: AsyncSession, member: User
) -> None:
    tokens = await login(client)
    sid = jwt.decode(tokens["access_token"], options={"verify_signature": False})["sid"]
    family = (
        await session.execute(
            select(RefreshToken.family_id).where(RefreshToken.user_id == member.id)
        )
    ).scalar_one()
    assert uuid.UUID(hex=sid) == family
    rotated = (await refresh(client, tokens)).json()
    assert jwt.decode(rotated["access_token"], options={"verify_signature": False})["sid"] == sid


async def test_replayed_refresh_token_ends_the_sign_ins_access_tokens_at_once(
    client: httpx.AsyncClient, member: User
) -> None:
    first = await login(client)
    second = (await refresh(client, first)).json()
    other_device = await login(client)
    assert await works(client, first)
    assert await works(client, second)

    replayed = await refresh(client, first)  # the spent refresh token again: stolen
    assert replayed.json()["code"] == "refresh_token_reused"

    # Neither the thief's nor the owner's access tokens of that sign-in keep working
    # for the rest of their 15 minutes.
    for tokens in (first, second):
        response = await client.get(ME, headers=bearer(tokens))
        assert response.status_code == 401
        assert response.json()["detail"] == "The sign-in this access token belongs to was ended."
    # Another sign-in of the same person is untouched.
    assert await works(client, other_device)
    assert (await refresh(client, other_device)).status_code == 200


async def test_logout_of_a_session_ends_all_its_access_tokens(
    client: httpx.AsyncClient, member: User
) -> None:
    first = await login(client)
    second = (await refresh(client, first)).json()
    other_device = await login(client)
    response = await client.post(
        "/api/v1/auth/logout",
        headers=bearer(second),
        json={"refresh_token": second["refresh_token"]},
    )
    assert response.status_code == 204
    assert not await works(client, second)
    assert not await works(client, first)  # same sign-in, issued before the rotation
    assert await works(client, other_device)


async def test_logout_everywhere_and_password_change_end_every_sign_in(
    client: httpx.AsyncClient, member: User
) -> None:
    laptop, phone = await login(client), await login(client)
    changed = await client.post(
        "/api/v1/auth/password",
        headers=bearer(laptop),
        json={"current_password": DEFAULT_PASSWORD, "new_password": "violet-lantern-harbour-42"},
    )
    assert changed.status_code == 200
    assert not await works(client, laptop)
    assert not await works(client, phone)
    fresh = changed.json()
    assert await works(client, fresh)

    tablet = await client.post(
        "/api/v1/auth/login", json={"login": "ivan", "password": "violet-lantern-harbour-42"}
    )
    everywhere = await client.post(
        "/api/v1/auth/logout", headers=bearer(fresh), json={"everywhere": True}
    )
    assert everywhere.status_code == 204
    assert not await works(client, fresh)
    assert not await works(client, tablet.json())


@pytest.fixture
def statements(connection: AsyncConnection) -> Iterator[list[str]]:
    seen: list[str] = []
    sync_connection = connection.sync_connection
    assert sync_connection is not None

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(sync_connection, "before_cursor_execute", record)
    yield seen
    event.remove(sync_connection, "before_cursor_execute", record)


async def test_the_revocation_check_is_one_statement(
    client: httpx.AsyncClient, member: User, statements: list[str]
) -> None:
    tokens = await login(client)
    statements.clear()
    assert await works(client, tokens)
    revocation = [s for s in statements if "revoked_access_tokens" in s]
    assert len(revocation) == 1
    assert "refresh_tokens" in revocation[0]
    assert not [s for s in statements if "refresh_tokens" in s and s not in revocation]
