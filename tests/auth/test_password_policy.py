"""The password policy: zxcvbn strength ≥ 3 with the account's own names as known words,
wherever a password is set (users API, invitation accept, password reset and change)."""

import json

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.lib.errors import UnprocessableError
from src.lib.security.passwords import (
    MIN_PASSWORD_SCORE,
    WeakPasswordError,
    check_password_policy,
    password_user_inputs,
)
from src.user.user_model import User
from tests.factories import DEFAULT_PASSWORD

# Eight characters or more, on no list of common passwords, and yet guessed at once.
GUESSABLE = ["aaaaaaaa", "abcdefgh", "abcabcabc", "Aa1!Aa1!"]


def assert_weak(response: httpx.Response, field: str, password: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "weak_password"
    assert problem["score"] < MIN_PASSWORD_SCORE
    assert problem["min_score"] == MIN_PASSWORD_SCORE
    # zxcvbn's feedback says why, in the detail and as fields of their own.
    assert problem["warning"] or problem["suggestions"]
    assert "too easy to guess" in problem["detail"]
    assert (problem["warning"] or problem["suggestions"][0]) in problem["detail"]
    assert problem["errors"][0]["loc"] == ["body", field]
    # Never echoed (zxcvbn's fixed texts quote "abcabcabc" as an example of their own).
    quoted_warning = json.dumps(problem["warning"])[1:-1] or "-"
    assert password not in response.text.replace(quoted_warning, "")


@pytest.mark.parametrize("password", GUESSABLE)
async def test_guessable_password_is_refused_by_the_policy(password: str) -> None:
    with pytest.raises(WeakPasswordError) as raised:
        await check_password_policy(password, user_inputs=[])
    assert isinstance(raised.value, UnprocessableError)
    assert raised.value.extra["score"] < MIN_PASSWORD_SCORE


async def test_the_accounts_own_names_count_as_guessable() -> None:
    # Strong for anyone else, weak for the account it spells out.
    await check_password_policy("ivan@example.com!", user_inputs=[])
    await check_password_policy("petrov-ivan-ivan", user_inputs=[])
    inputs = password_user_inputs(
        username="ivan", email="ivan@example.com", full_name="Иван Петров"
    )
    assert {"ivan", "petrov", "иван", "ivan@example.com"} <= set(inputs)
    for password in ("ivan@example.com!", "petrov-ivan-ivan"):
        with pytest.raises(WeakPasswordError):
            await check_password_policy(password, user_inputs=inputs)


async def test_long_passwords_are_scored_not_refused() -> None:
    # zxcvbn refuses more than 72 characters unless told otherwise; the API allows 128.
    await check_password_policy("violet-lantern-harbour-42-" * 4 + "x" * 24, user_inputs=[])


@pytest.mark.parametrize("password", GUESSABLE)
async def test_users_api_refuses_guessable_password(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    password: str,
) -> None:
    body = {"email": "anna@example.com", "username": "anna", "password": password}
    response = await client.post("/api/v1/users", headers=admin_headers, json=body)
    assert_weak(response, "password", password)
    count = select(func.count()).select_from(User).where(User.username == "anna")
    assert (await session.execute(count)).scalar_one() == 0


async def test_users_api_counts_the_new_users_email_and_name(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    body = {
        "email": "anna.smirnova@example.com",
        "username": "anna",
        "full_name": "Анна Смирнова",
        "password": "anna.smirnova@example.com!",
    }
    response = await client.post("/api/v1/users", headers=admin_headers, json=body)
    assert_weak(response, "password", body["password"])
    # The same password is fine for somebody else.
    other = {**body, "email": "p.egorova@example.com", "username": "polina", "full_name": ""}
    created = await client.post("/api/v1/users", headers=admin_headers, json=other)
    assert created.status_code == 201


async def test_invitation_accept_refuses_a_password_made_of_the_username(
    client: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    invited = await client.post(
        "/api/v1/auth/invitations",
        headers=admin_headers,
        json={"email": "new.intern@example.com", "role": "intern"},
    )
    token = invited.json()["token"]
    url = f"/api/v1/auth/invitations/{token}/accept"
    body = {"username": "new.intern", "full_name": "Анна Смирнова", "password": "new.intern.anna"}
    assert_weak(await client.post(url, json=body), "password", body["password"])
    assert_weak(
        await client.post(url, json={**body, "password": "abcabcabc"}), "password", "abcabcabc"
    )
    accepted = await client.post(url, json={**body, "password": "violet-lantern-harbour-42"})
    assert accepted.status_code == 201


async def test_password_reset_refuses_guessable_password(
    client: httpx.AsyncClient, admin_headers: dict[str, str], member: User
) -> None:
    issued = await client.post(
        "/api/v1/auth/password-resets", headers=admin_headers, json={"user_id": member.id}
    )
    url = f"/api/v1/auth/password-resets/{issued.json()['token']}/complete"
    for password in ("Aa1!Aa1!", "petrov-ivan-ivan"):  # the second spells the member's name
        response = await client.post(url, json={"new_password": password})
        assert_weak(response, "new_password", password)
    done = await client.post(url, json={"new_password": "violet-lantern-harbour-42"})
    assert done.status_code == 204


async def test_password_change_refuses_guessable_password(
    client: httpx.AsyncClient, member_headers: dict[str, str]
) -> None:
    for password in ("abcdefgh", "ivan@example.com!"):
        response = await client.post(
            "/api/v1/auth/password",
            headers=member_headers,
            json={"current_password": DEFAULT_PASSWORD, "new_password": password},
        )
        assert_weak(response, "new_password", password)
    login = await client.post(
        "/api/v1/auth/login", json={"login": "ivan", "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200
