"""Every kind of bad access token answers 401 with WWW-Authenticate."""

import base64
import datetime as dt
import json
import uuid

import httpx
import jwt
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.config.project_config import get_settings
from src.user.user_model import User
from tests.conftest import auth_headers
from tests.factories import DEFAULT_PASSWORD


def claims(user: User, **overrides: object) -> dict[str, object]:
    now = dt.datetime.now(dt.UTC)
    values: dict[str, object] = {
        "sub": str(user.id),
        "iat": int(now.timestamp()),
        "exp": int((now + dt.timedelta(minutes=5)).timestamp()),
        "jti": uuid.uuid4().hex,
        "sid": uuid.uuid4().hex,
        "type": "access",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def sign(payload: dict[str, object], key: str | None = None, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key or get_settings().signing_key(), algorithm=algorithm)


def b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def assert_rejected(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_well_formed_token_is_accepted(client: httpx.AsyncClient, member: User) -> None:
    response = await client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {sign(claims(member))}"}
    )
    assert response.status_code == 200


async def test_missing_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_expired_token(client: httpx.AsyncClient, member: User) -> None:
    past = int((dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).timestamp())
    await assert_rejected(client, sign(claims(member, exp=past)))


async def test_tampered_payload(client: httpx.AsyncClient, member: User, admin: User) -> None:
    header, _, signature = sign(claims(member)).split(".")
    forged = b64(claims(admin))  # claim to be the organiser, keep the old signature
    await assert_rejected(client, f"{header}.{forged}.{signature}")


async def test_other_key(client: httpx.AsyncClient, member: User) -> None:
    await assert_rejected(client, sign(claims(member), key="another-key-" + "x" * 40))


async def test_alg_none(client: httpx.AsyncClient, member: User) -> None:
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims(member))}."
    await assert_rejected(client, token)


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
async def test_other_algorithm_with_the_right_key(
    client: httpx.AsyncClient, member: User, algorithm: str
) -> None:
    await assert_rejected(client, sign(claims(member), algorithm=algorithm))


async def test_wrong_token_type(client: httpx.AsyncClient, member: User) -> None:
    await assert_rejected(client, sign(claims(member, type="refresh")))


async def test_refresh_token_used_as_access_token(client: httpx.AsyncClient, member: User) -> None:
    tokens = (
        await client.post(
            "/api/v1/auth/login", json={"login": "ivan", "password": DEFAULT_PASSWORD}
        )
    ).json()
    await assert_rejected(client, tokens["refresh_token"])


@pytest.mark.parametrize("missing", ["sub", "exp", "iat", "jti", "sid", "type"])
async def test_missing_claim(client: httpx.AsyncClient, member: User, missing: str) -> None:
    await assert_rejected(client, sign(claims(member, **{missing: None})))


@pytest.mark.parametrize("sub", ["abc", "", "1.5", "99999999999999999999999"])
async def test_malformed_subject(client: httpx.AsyncClient, member: User, sub: str) -> None:
    await assert_rejected(client, sign(claims(member, sub=sub)))


@pytest.mark.parametrize("sid", ["", "not-a-uuid", 42, "g" * 32, str(uuid.uuid4()) + "0"])
async def test_malformed_session_id(client: httpx.AsyncClient, member: User, sid: object) -> None:
    await assert_rejected(client, sign(claims(member, sid=sid)))


async def test_token_of_a_missing_user(client: httpx.AsyncClient, member: User) -> None:
    await assert_rejected(client, sign(claims(member, sub="987654321")))


async def test_garbage(client: httpx.AsyncClient) -> None:
    for token in ("garbage", "a.b.c", "%C3%BC.x.y", "x" * 5000):
        await assert_rejected(client, token)


async def test_deactivated_user(
    client: httpx.AsyncClient, member: User, admin_headers: dict[str, str]
) -> None:
    headers = auth_headers(member)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    deactivated = await client.post(f"/api/v1/users/{member.id}/deactivate", headers=admin_headers)
    assert deactivated.status_code == 200
    assert deactivated.json()["is_active"] is False
    await assert_rejected(client, headers["Authorization"].split()[1])
    # Reactivation lets the person log in again, but the old tokens stay dead.
    await client.post(f"/api/v1/users/{member.id}/reactivate", headers=admin_headers)
    await assert_rejected(client, headers["Authorization"].split()[1])
    login = await client.post(
        "/api/v1/auth/login", json={"login": "ivan", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200


async def test_issued_before_password_change(
    client: httpx.AsyncClient, session: AsyncSession, member: User
) -> None:
    old = sign(claims(member, iat=int(dt.datetime.now(dt.UTC).timestamp()) - 60))
    member.tokens_valid_after = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30)
    await session.flush()
    await assert_rejected(client, old)
