"""Who reads a card's reviews: the assignee, the team's mentors, observers and organisers;
a teammate who is not an assignee and everyone outside the team do not see them at all."""

from decimal import Decimal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.review.conftest import (
    API,
    World,
    accept,
    dec,
    new_card,
    ok,
    problem,
    review,
    submit,
)


async def _reviewed_card(client: httpx.AsyncClient, session: AsyncSession, world: World) -> int:
    """Returned once with feedback, then accepted with 4.5."""
    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    ok(
        await review(client, world, card_id, {"decision": "return", "feedback": "Добавь тесты"}),
        201,
    )
    await submit(client, world, card_id)
    await accept(client, world, card_id, grade="4.5")
    return card_id


async def test_assignee_sees_their_reviews_and_feedback(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _reviewed_card(client, session, world)

    listed = ok(await client.get(f"{API}/cards/{card_id}/reviews", headers=world.h("intern_a")))

    assert [(r["decision"], r["feedback"]) for r in listed] == [
        ("return", "Добавь тесты"),
        ("accept", "Хорошая работа"),
    ]
    assert listed[0]["grade"] is None
    assert dec(listed[1]["grade"]) == Decimal("4.5")
    assert all(r["card_id"] == card_id for r in listed)
    assert all(r["reviewer_id"] == world.uid("mentor_a") for r in listed)


@pytest.mark.parametrize("who", ["mentor_a", "observer", "admin"])
async def test_mentor_observer_and_organiser_see_the_reviews(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    card_id = await _reviewed_card(client, session, world)

    listed = ok(await client.get(f"{API}/cards/{card_id}/reviews", headers=world.h(who)))

    assert [r["decision"] for r in listed] == ["return", "accept"]


async def test_teammate_who_is_not_an_assignee_does_not_see_the_grades(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _reviewed_card(client, session, world)

    response = await client.get(f"{API}/cards/{card_id}/reviews", headers=world.h("intern_a2"))

    body = problem(response, 404)
    assert "4.5" not in response.text
    assert "Добавь тесты" not in response.text
    assert body["code"] == "review_not_found"
    # The card itself stays visible to the teammate: only the grades are private.
    ok(await client.get(f"{API}/cards/{card_id}", headers=world.h("intern_a2")))


@pytest.mark.parametrize("who", ["outsider", "intern_b", "mentor_b"])
async def test_outside_the_team_the_reviews_do_not_exist(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    card_id = await _reviewed_card(client, session, world)

    response = await client.get(f"{API}/cards/{card_id}/reviews", headers=world.h(who))

    problem(response, 404)
    assert "Добавь тесты" not in response.text


async def test_anonymous_caller_is_not_authenticated(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _reviewed_card(client, session, world)

    problem(await client.get(f"{API}/cards/{card_id}/reviews"), 401)


async def test_card_without_reviews_lists_none(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)

    assert ok(await client.get(f"{API}/cards/{card_id}/reviews", headers=world.h("intern_a"))) == []
