"""The users API of seed 004: create, read by id and by username, and every bad input."""

import asyncio

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.lib.security.passwords import password_hash
from src.user.user_model import User
from tests.factories import create_user

PROBLEM = "application/problem+json"


def new_user_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "email": "ivan.petrov@example.com",
        "username": "ivan.petrov",
        "password": "sufficiently-long",
        "full_name": "Иван Петров",
    }
    body.update(overrides)
    return body


async def count_users(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def test_create_user_returns_201_without_password(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.post("/api/v1/users", headers=admin_headers, json=new_user_body())
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "ivan.petrov"
    assert body["email"] == "ivan.petrov@example.com"
    assert body["full_name"] == "Иван Петров"
    assert body["is_admin"] is False
    assert body["created_at"].endswith("Z") or "+00:00" in body["created_at"]
    assert not {"password", "hashed_password"} & body.keys()
    assert "sufficiently-long" not in response.text


async def test_common_password_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    for weak in ("password123", "qwertyuiop", "йцукенгш", "ivan.petrov"):
        response = await client.post(
            "/api/v1/users", headers=admin_headers, json=new_user_body(password=weak)
        )
        assert response.status_code == 422, weak
        assert response.json()["code"] == "weak_password"
    assert await count_users(session) == 1


async def test_password_is_stored_as_argon2id_hash(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    response = await client.post("/api/v1/users", headers=admin_headers, json=new_user_body())
    user = await session.get(User, response.json()["id"])
    assert user is not None
    assert user.hashed_password.startswith("$argon2id$")
    assert "m=19456,t=2,p=1" in user.hashed_password
    assert password_hash().verify("sufficiently-long", user.hashed_password)


async def test_read_user_by_id_and_by_username_ignoring_case(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = (
        await client.post("/api/v1/users", headers=admin_headers, json=new_user_body())
    ).json()
    by_id = await client.get(f"/api/v1/users/{created['id']}", headers=admin_headers)
    assert by_id.status_code == 200
    assert by_id.json() == created
    by_name = await client.get("/api/v1/users/by-username/IVAN.Petrov", headers=admin_headers)
    assert by_name.status_code == 200
    assert by_name.json()["id"] == created["id"]


async def test_email_is_normalised_and_unique_ignoring_case(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first = await client.post(
        "/api/v1/users", headers=admin_headers, json=new_user_body(email="Ivan.Petrov@Example.COM")
    )
    assert first.json()["email"] == "ivan.petrov@example.com"
    second = await client.post(
        "/api/v1/users",
        headers=admin_headers,
        json=new_user_body(username="other", email="IVAN.PETROV@example.com"),
    )
    assert second.status_code == 409
    assert second.headers["content-type"] == PROBLEM
    assert second.json()["code"] == "user_already_exists"
    assert second.json()["field"] == "email"


async def test_username_is_unique_ignoring_case(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    await client.post("/api/v1/users", headers=admin_headers, json=new_user_body())
    response = await client.post(
        "/api/v1/users",
        headers=admin_headers,
        json=new_user_body(username="IVAN.PETROV", email="x@example.com"),
    )
    assert response.status_code == 409
    assert response.json()["field"] == "username"


@pytest.mark.parametrize(
    "username",
    [
        "i.petr\u043ev",  # Cyrillic «о» beside Latin letters: passes for i.petrov
        "\u0440\u0430\u0440\u0430",  # all Cyrillic, looks like Latin "papa"
        "иван_петров",
        "ivan\u200b.petrov",  # zero-width space
        "ｉｖａｎ",  # fullwidth Latin
        "ivan\u0301",  # combining accent
    ],
)
async def test_username_outside_ascii_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    username: str,
) -> None:
    """Usernames are ASCII, so no account can look like another (`i.petrоv` beside
    `i.petrov`); full names stay in any script."""
    response = await client.post(
        "/api/v1/users",
        headers=admin_headers,
        json=new_user_body(username=username, email="lookalike@example.com"),
    )
    assert response.status_code == 422
    assert ["body", "username"] in [e["loc"] for e in response.json()["errors"]]
    assert await count_users(session) == 1


async def test_lookalike_of_an_existing_username_is_refused(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    first = await client.post(
        "/api/v1/users", headers=admin_headers, json=new_user_body(username="i.petrov")
    )
    assert first.status_code == 201
    lookalike = await client.post(
        "/api/v1/users",
        headers=admin_headers,
        json=new_user_body(username="i.petr\u043ev", email="other@example.com"),
    )
    assert lookalike.status_code == 422
    assert lookalike.json()["code"] == "validation_error"


async def test_missing_user_is_404_in_problem_format(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    for path in ("/api/v1/users/424242", "/api/v1/users/by-username/nobody"):
        response = await client.get(path, headers=admin_headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["status"] == 404
        assert problem["code"] == "user_not_found"
        assert problem["type"].startswith("urn:internhub:problem:")
        assert problem["instance"] == path


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"username": "ivan", "password": "long-enough"}, ["body", "email"]),
        ({"email": "ivan@example.com", "password": "long-enough"}, ["body", "username"]),
        ({"email": "ivan@example.com", "username": "ivan"}, ["body", "password"]),
        (new_user_body(email="not-an-email"), ["body", "email"]),
        (new_user_body(email="ivan@"), ["body", "email"]),
        (new_user_body(password="short"), ["body", "password"]),
        (new_user_body(password="x" * 129), ["body", "password"]),
        (new_user_body(username="ab"), ["body", "username"]),
        (new_user_body(username="a" * 33), ["body", "username"]),
        (new_user_body(username="has space"), ["body", "username"]),
        (new_user_body(username="semi;colon"), ["body", "username"]),
        (new_user_body(full_name="Я" * 201), ["body", "full_name"]),
        (new_user_body(email=12345), ["body", "email"]),
        (new_user_body(username=["ivan"]), ["body", "username"]),
        (new_user_body(password=None), ["body", "password"]),
        (new_user_body(is_admin=True), ["body", "is_admin"]),
    ],
)
async def test_invalid_payload_is_422_and_writes_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    body: dict[str, object],
    location: list[str],
) -> None:
    response = await client.post("/api/v1/users", headers=admin_headers, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert location in [error["loc"] for error in problem["errors"]]
    # The rejected input is never echoed back (it may hold a password).
    assert all(set(error) <= {"loc", "msg", "type"} for error in problem["errors"])
    assert await count_users(session) == 1  # only the organiser


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[]", "application/json"),
        (b'"a string"', "application/json"),
        (b"email=a@b.c&username=abc&password=12345678", "application/x-www-form-urlencoded"),
        ("\u00ff\u00fe".encode("latin-1"), "application/json"),
    ],
)
async def test_body_that_is_not_a_json_object_is_4xx(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    content: bytes,
    content_type: str,
) -> None:
    response = await client.post(
        "/api/v1/users", content=content, headers={**admin_headers, "content-type": content_type}
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == PROBLEM
    assert await count_users(session) == 1  # only the organiser


async def test_ten_megabyte_body_is_413(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    padding = "x" * (10 * 1024 * 1024)
    response = await client.post(
        "/api/v1/users", headers=admin_headers, json=new_user_body(full_name=padding)
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "payload_too_large"
    assert await count_users(session) == 1  # only the organiser


async def test_streamed_body_without_length_is_limited(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * (256 * 1024)

    response = await client.post(
        "/api/v1/users",
        content=chunks(),
        headers={**admin_headers, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert await count_users(session) == 1  # only the organiser


@pytest.mark.parametrize(
    "user_id", ["abc", "1.5", "-1", "0", "99999999999999999999", "9223372036854775808", "1e3"]
)
async def test_bad_user_id_is_422(
    client: httpx.AsyncClient, admin_headers: dict[str, str], user_id: str
) -> None:
    response = await client.get(f"/api/v1/users/{user_id}", headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "user_id"]


async def test_largest_bigint_id_is_a_plain_404(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    response = await client.get("/api/v1/users/9223372036854775807", headers=admin_headers)
    assert response.status_code == 404


async def test_unknown_route_and_wrong_method_use_problem_format(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    missing = await client.get("/api/v1/nothing-here", headers=admin_headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    wrong_method = await client.delete("/api/v1/users/1", headers=admin_headers)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == PROBLEM


async def test_existing_user_from_factory_is_readable(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    user = await create_user(session, username="maria", full_name="Мария Соколова")
    response = await client.get(f"/api/v1/users/{user.id}", headers=admin_headers)
    assert response.json()["full_name"] == "Мария Соколова"


async def test_concurrent_duplicate_creates_give_one_201_and_409s(
    committing_client: httpx.AsyncClient, committed_admin_headers: dict[str, str]
) -> None:
    bodies = [new_user_body(username=f"racer{i}", email="same@example.com") for i in range(6)]
    responses = await asyncio.gather(
        *(
            committing_client.post("/api/v1/users", headers=committed_admin_headers, json=body)
            for body in bodies
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409, 409, 409]
    assert all(r.headers["content-type"] == PROBLEM for r in responses if r.status_code == 409)


async def test_concurrent_same_username_gives_one_201(
    committing_client: httpx.AsyncClient, committed_admin_headers: dict[str, str]
) -> None:
    bodies = [new_user_body(username="Same.Name", email=f"u{i}@example.com") for i in range(6)]
    responses = await asyncio.gather(
        *(
            committing_client.post("/api/v1/users", headers=committed_admin_headers, json=body)
            for body in bodies
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409, 409]
