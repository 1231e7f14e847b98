"""Grade corrections: the team's mentor (or an organiser) changes an accepted grade with a
reason; the review keeps the new grade, and every correction keeps the old and the new."""

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.review.conftest import (
    API,
    World,
    accept,
    corrections_of,
    dec,
    new_card,
    ok,
    problem,
    review,
    reviews_of,
    submit,
)


async def _accepted(
    client: httpx.AsyncClient, session: AsyncSession, world: World, grade: str = "5"
) -> dict[str, Any]:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    return await accept(client, world, card_id, grade=grade)


async def _correct(
    client: httpx.AsyncClient,
    world: World,
    review_id: int,
    body: dict[str, Any],
    who: str = "mentor_a",
) -> httpx.Response:
    return await client.post(
        f"{API}/reviews/{review_id}/corrections", json=body, headers=world.h(who)
    )


async def test_mentor_corrects_an_accepted_grade_and_the_correction_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    accepted = await _accepted(client, session, world, grade="5")

    body = ok(
        await _correct(
            client, world, accepted["id"], {"grade": "4", "reason": "Пересмотрела после защиты"}
        )
    )

    assert body["id"] == accepted["id"]
    assert dec(body["grade"]) == Decimal("4")
    assert body["corrected_at"] is not None
    [listed] = body["corrections"]
    assert dec(listed["old_grade"]) == Decimal("5")
    assert dec(listed["new_grade"]) == Decimal("4")
    assert listed["reason"] == "Пересмотрела после защиты"
    assert listed["corrected_by_id"] == world.uid("mentor_a")
    [row] = await reviews_of(session, accepted["card_id"])
    assert row.grade == Decimal("4.00")
    assert row.corrected_at is not None
    assert row.feedback == accepted["feedback"]  # the feedback is not touched
    [correction] = await corrections_of(session, row.id)
    assert correction.old_grade == Decimal("5.00")
    assert correction.new_grade == Decimal("4.00")
    assert correction.reason == "Пересмотрела после защиты"
    assert correction.corrected_by_id == world.uid("mentor_a")


async def test_card_reviews_show_the_corrections_in_order(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    accepted = await _accepted(client, session, world, grade="5")
    ok(await _correct(client, world, accepted["id"], {"grade": "4", "reason": "Первая правка"}))
    ok(
        await _correct(
            client, world, accepted["id"], {"grade": "4.5", "reason": "Вторая правка"}, "admin"
        )
    )

    for who in ("intern_a", "mentor_a", "observer"):
        [listed] = ok(
            await client.get(f"{API}/cards/{accepted['card_id']}/reviews", headers=world.h(who))
        )
        assert dec(listed["grade"]) == Decimal("4.5")
        assert listed["corrected_at"] is not None
        assert [
            (dec(c["old_grade"]), dec(c["new_grade"]), c["reason"], c["corrected_by_id"])
            for c in listed["corrections"]
        ] == [
            (Decimal("5"), Decimal("4"), "Первая правка", world.uid("mentor_a")),
            (Decimal("4"), Decimal("4.5"), "Вторая правка", world.uid("admin")),
        ]
    assert len(await corrections_of(session, accepted["id"])) == 2


async def test_correcting_a_returned_review_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    returned = ok(
        await review(client, world, card_id, {"decision": "return", "feedback": "Доработать"}),
        201,
    )

    response = await _correct(client, world, returned["id"], {"grade": "4", "reason": "Ошибка"})

    problem(response, 422, "invalid_grade")
    [row] = await reviews_of(session, card_id)
    assert (row.grade, row.corrected_at) == (None, None)
    assert await corrections_of(session, row.id) == []


@pytest.mark.parametrize("who", ["intern_a", "intern_a2", "observer"])
async def test_only_mentors_and_organisers_correct_grades(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    accepted = await _accepted(client, session, world, grade="3")

    response = await _correct(
        client, world, accepted["id"], {"grade": "5", "reason": "Хочу 5"}, who
    )

    problem(response, 403)
    [row] = await reviews_of(session, accepted["card_id"])
    assert (row.grade, row.corrected_at) == (Decimal("3.00"), None)
    assert await corrections_of(session, row.id) == []


@pytest.mark.parametrize("who", ["mentor_b", "intern_b", "outsider"])
async def test_a_review_of_another_team_does_not_exist_for_the_caller(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    accepted = await _accepted(client, session, world, grade="3")

    response = await _correct(client, world, accepted["id"], {"grade": "5", "reason": "Чужая"}, who)

    problem(response, 404, "review_not_found")
    assert await corrections_of(session, accepted["id"]) == []


async def test_correcting_a_missing_review_is_not_found(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await _correct(client, world, 987_654, {"grade": "4", "reason": "Нет такой"})

    problem(response, 404, "review_not_found")


async def test_organiser_may_correct(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    accepted = await _accepted(client, session, world, grade="4")

    body = ok(
        await _correct(
            client, world, accepted["id"], {"grade": "3", "reason": "Апелляция"}, "admin"
        )
    )

    assert dec(body["grade"]) == Decimal("3")
    [correction] = await corrections_of(session, accepted["id"])
    assert correction.corrected_by_id == world.uid("admin")


@pytest.mark.parametrize(
    "body",
    [
        {"grade": "6", "reason": "Выше шкалы"},
        {"grade": "1.99", "reason": "Ниже шкалы"},
        {"reason": "Без оценки"},
        {"grade": "4"},
        {"grade": "4", "reason": "  "},
    ],
    ids=["above-scale", "below-scale", "no-grade", "no-reason", "blank-reason"],
)
async def test_invalid_correction_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, world: World, body: dict[str, Any]
) -> None:
    accepted = await _accepted(client, session, world, grade="5")

    response = await _correct(client, world, accepted["id"], body)

    problem(response, 422)
    [row] = await reviews_of(session, accepted["card_id"])
    assert (row.grade, row.corrected_at) == (Decimal("5.00"), None)
    assert await corrections_of(session, row.id) == []


async def test_correction_under_a_rubric_takes_scores_and_keeps_old_and_new_scores(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    criteria = ok(
        await client.put(
            f"{API}/internships/{world.internship_id}/rubric",
            json={
                "criteria": [
                    {"name": "Качество кода", "max_score": 5},
                    {"name": "Сроки", "max_score": 5},
                    {"name": "Коммуникация", "max_score": 5},
                ]
            },
            headers=world.h("admin"),
        )
    )
    ids = [str(c["id"]) for c in criteria]
    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    accepted = ok(
        await review(
            client,
            world,
            card_id,
            {
                "decision": "accept",
                "scores": dict(zip(ids, [5, 4, 3], strict=True)),
                "feedback": "Ок",
            },
        ),
        201,
    )
    assert dec(accepted["grade"]) == Decimal("4.40")
    # A plain grade is refused under a rubric.
    problem(
        await _correct(client, world, accepted["id"], {"grade": "5", "reason": "Без баллов"}),
        422,
        "invalid_grade",
    )

    body = ok(
        await _correct(
            client,
            world,
            accepted["id"],
            {"scores": dict(zip(ids, [5, 5, 5], strict=True)), "reason": "Сроки согласованы"},
        )
    )

    assert dec(body["grade"]) == Decimal("5.00")
    assert body["scores"] == dict(zip(ids, [5, 5, 5], strict=True))
    [correction] = await corrections_of(session, accepted["id"])
    assert (correction.old_grade, correction.new_grade) == (Decimal("4.40"), Decimal("5.00"))
    assert correction.old_scores == dict(zip(ids, [5, 4, 3], strict=True))
    assert correction.new_scores == dict(zip(ids, [5, 5, 5], strict=True))
