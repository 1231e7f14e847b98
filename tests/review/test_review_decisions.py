"""Reviewing a submitted card: the team's mentor (or an organiser) accepts with a grade on
the internship's scale (→ done) or returns it for rework (→ in progress)."""

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from src.internship.models.internship_model import Internship
from src.lib.clock import utcnow
from tests.review.conftest import (
    API,
    World,
    accept,
    backdate_request,
    card_row,
    dec,
    new_card,
    ok,
    problem,
    requests_of,
    review,
    reviews_of,
    submit,
)


async def _submitted_card(client: httpx.AsyncClient, session: AsyncSession, world: World) -> int:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    return card_id


async def _set_scale(session: AsyncSession, world: World, scale: str) -> None:
    await session.execute(
        update(Internship).where(Internship.id == world.internship_id).values(grading_scale=scale)
    )
    await session.commit()


async def _assert_still_waiting(session: AsyncSession, world: World, card_id: int) -> None:
    """A rejected review changes nothing: the card waits in review, the request is pending."""
    card = await card_row(session, card_id)
    assert card.column_id == world.columns_a["review"]
    assert card.completed_at is None
    assert [r.status for r in await requests_of(session, card_id)] == ["pending"]
    assert await reviews_of(session, card_id) == []


async def test_mentor_accepts_with_grade_and_the_card_is_done(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    body = ok(
        await review(
            client,
            world,
            card_id,
            {"decision": "accept", "grade": "4.5", "feedback": "Хорошая работа, аккуратный код"},
        ),
        201,
    )

    assert body["decision"] == "accept"
    assert dec(body["grade"]) == Decimal("4.5")
    assert body["feedback"] == "Хорошая работа, аккуратный код"
    assert body["reviewer_id"] == world.uid("mentor_a")
    assert body["card_id"] == card_id
    assert body["corrected_at"] is None
    assert body["corrections"] == []
    card = await card_row(session, card_id)
    assert card.column_id == world.columns_a["done"]
    assert card.completed_at is not None
    [request] = await requests_of(session, card_id)
    assert request.status == "accepted"
    assert request.closed_at is not None
    [row] = await reviews_of(session, card_id)
    assert row.id == body["id"]
    assert row.request_id == request.id
    assert row.decision == "accept"
    assert row.grade == Decimal("4.50")
    assert row.team_id == world.team_a_id
    assert row.internship_id == world.internship_id
    assert row.feedback == "Хорошая работа, аккуратный код"


async def test_returned_card_goes_back_to_in_progress_with_feedback(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    body = ok(
        await review(
            client,
            world,
            card_id,
            {"decision": "return", "feedback": "Нет тестов на граничные случаи"},
        ),
        201,
    )

    assert body["decision"] == "return"
    assert body["grade"] is None
    assert body["feedback"] == "Нет тестов на граничные случаи"
    card = await card_row(session, card_id)
    assert card.column_id == world.columns_a["in_progress"]
    assert card.completed_at is None
    [request] = await requests_of(session, card_id)
    assert request.status == "returned"
    assert request.closed_at is not None
    [row] = await reviews_of(session, card_id)
    assert (row.decision, row.grade) == ("return", None)


async def test_second_submission_and_return_counts_as_rework(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)
    back = {"decision": "return", "feedback": "Доработать README"}
    ok(await review(client, world, card_id, back), 201)
    await submit(client, world, card_id)
    ok(await review(client, world, card_id, {**back, "feedback": "Ещё раз: README"}), 201)

    rows = await reviews_of(session, card_id)
    assert [r.decision for r in rows] == ["return", "return"]
    assert [r.feedback for r in rows] == ["Доработать README", "Ещё раз: README"]
    requests = await requests_of(session, card_id)
    assert [r.status for r in requests] == ["returned", "returned"]
    assert [r.request_id for r in rows] == [r.id for r in requests]
    # The third time it is accepted and the history keeps all three.
    await submit(client, world, card_id)
    await accept(client, world, card_id, grade="4")
    listed = ok(await client.get(f"{API}/cards/{card_id}/reviews", headers=world.h("mentor_a")))
    assert [r["decision"] for r in listed] == ["return", "return", "accept"]
    assert (await card_row(session, card_id)).column_id == world.columns_a["done"]


async def test_reviewing_a_card_that_is_not_submitted_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)

    response = await review(
        client, world, card_id, {"decision": "accept", "grade": "5", "feedback": "Отлично"}
    )

    problem(response, 409, "not_submitted")
    assert await reviews_of(session, card_id) == []
    assert (await card_row(session, card_id)).column_id == world.columns_a["in_progress"]


async def test_reviewing_an_already_reviewed_card_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)
    await accept(client, world, card_id, grade="5")

    response = await review(
        client, world, card_id, {"decision": "return", "feedback": "Передумала"}
    )

    problem(response, 409, "not_submitted")
    assert [r.decision for r in await reviews_of(session, card_id)] == ["accept"]


@pytest.mark.parametrize("grade", ["1.5", "6", "0", "5.01"])
async def test_grade_outside_the_two_to_five_scale_is_rejected_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, world: World, grade: str
) -> None:
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client, world, card_id, {"decision": "accept", "grade": grade, "feedback": "Оценка"}
    )

    problem(response, 422, "invalid_grade")
    await _assert_still_waiting(session, world, card_id)


@pytest.mark.parametrize("grade", ["2", "5", "3.75"])
async def test_grade_within_the_two_to_five_scale_is_accepted(
    client: httpx.AsyncClient, session: AsyncSession, world: World, grade: str
) -> None:
    card_id = await _submitted_card(client, session, world)

    body = await accept(client, world, card_id, grade=grade)

    assert dec(body["grade"]) == Decimal(grade)


async def test_hundred_point_scale_takes_grades_up_to_one_hundred(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _set_scale(session, world, "0-100")
    card_id = await _submitted_card(client, session, world)

    body = await accept(client, world, card_id, grade="87.5")

    assert dec(body["grade"]) == Decimal("87.5")
    [row] = await reviews_of(session, card_id)
    assert row.grade == Decimal("87.50")


async def test_grade_above_the_hundred_point_scale_is_rejected_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _set_scale(session, world, "0-100")
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client, world, card_id, {"decision": "accept", "grade": "101", "feedback": "Оценка"}
    )

    problem(response, 422)
    await _assert_still_waiting(session, world, card_id)


async def test_grade_above_the_hundred_point_scale_answers_invalid_grade(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _set_scale(session, world, "0-100")
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client, world, card_id, {"decision": "accept", "grade": "101", "feedback": "Оценка"}
    )

    problem(response, 422, "invalid_grade")


async def test_one_to_five_scale_takes_one_and_refuses_zero(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _set_scale(session, world, "1-5")
    refused = await _submitted_card(client, session, world)
    problem(
        await review(
            client, world, refused, {"decision": "accept", "grade": "0.5", "feedback": "Плохо"}
        ),
        422,
        "invalid_grade",
    )
    await _assert_still_waiting(session, world, refused)

    body = await accept(client, world, refused, grade="1")

    assert dec(body["grade"]) == Decimal("1")


async def test_accepting_without_a_grade_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    response = await review(client, world, card_id, {"decision": "accept", "feedback": "Отлично"})

    problem(response, 422, "invalid_grade")
    await _assert_still_waiting(session, world, card_id)


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "accept", "grade": "5"},
        {"decision": "accept", "grade": "5", "feedback": "   "},
        {"decision": "return"},
        {"decision": "return", "feedback": ""},
    ],
    ids=["accept-missing", "accept-blank", "return-missing", "return-empty"],
)
async def test_feedback_is_required(
    client: httpx.AsyncClient, session: AsyncSession, world: World, body: dict[str, str]
) -> None:
    card_id = await _submitted_card(client, session, world)

    response = await review(client, world, card_id, body)

    problem(response, 422)
    await _assert_still_waiting(session, world, card_id)


async def test_unknown_decision_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client, world, card_id, {"decision": "approve", "grade": "5", "feedback": "Отлично"}
    )

    problem(response, 422, "validation_error")
    await _assert_still_waiting(session, world, card_id)


async def test_intern_may_not_review_even_their_own_card(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    for who in ("intern_a", "intern_a2"):
        response = await review(
            client,
            world,
            card_id,
            {"decision": "accept", "grade": "5", "feedback": "Я молодец"},
            who,
        )
        problem(response, 403)
    await _assert_still_waiting(session, world, card_id)


async def test_observer_may_not_review(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client,
        world,
        card_id,
        {"decision": "accept", "grade": "5", "feedback": "Отлично"},
        "observer",
    )

    problem(response, 403)
    await _assert_still_waiting(session, world, card_id)


async def test_mentor_of_another_team_does_not_see_the_card_to_review(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    for who in ("mentor_b", "outsider"):
        response = await review(
            client, world, card_id, {"decision": "accept", "grade": "5", "feedback": "Ок"}, who
        )
        problem(response, 404)
    await _assert_still_waiting(session, world, card_id)


async def test_organiser_may_review(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    body = await accept(client, world, card_id, grade="3", who="admin")

    assert body["reviewer_id"] == world.uid("admin")
    [row] = await reviews_of(session, card_id)
    assert row.reviewer_id == world.uid("admin")
    assert (await card_row(session, card_id)).column_id == world.columns_a["done"]


async def test_response_seconds_is_the_time_from_submission_to_review(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    request = await submit(client, world, card_id)
    await backdate_request(session, request["id"], utcnow() - dt.timedelta(hours=3, minutes=20))

    body = await accept(client, world, card_id)

    expected = 3 * 3600 + 20 * 60
    assert expected <= body["response_seconds"] <= expected + 30
    [row] = await reviews_of(session, card_id)
    assert row.response_seconds == body["response_seconds"]
    [closed] = await requests_of(session, card_id)
    assert closed.closed_at is not None
    assert row.response_seconds == int((closed.closed_at - closed.submitted_at).total_seconds())


async def test_response_seconds_of_a_return_counts_too(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    request = await submit(client, world, card_id)
    await backdate_request(session, request["id"], utcnow() - dt.timedelta(days=2))

    body = ok(
        await review(client, world, card_id, {"decision": "return", "feedback": "Доработать"}),
        201,
    )

    assert 2 * 86400 <= body["response_seconds"] <= 2 * 86400 + 30
