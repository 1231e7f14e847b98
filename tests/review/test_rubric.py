"""Rubrics: organisers define criteria with a maximum and labels per score; with a rubric a
mentor scores every criterion and the grade follows on the internship's scale."""

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from src.internship.models.internship_model import Internship
from src.review.models.review_model import RubricCriterion
from tests.review.conftest import (
    API,
    World,
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

LABELS = {"0": "Не выполнено", "3": "Удовлетворительно", "5": "Отлично"}
RUBRIC = {
    "criteria": [
        {
            "name": "Качество кода",
            "description": "Читаемость, тесты, структура",
            "max_score": 5,
            "score_labels": LABELS,
        },
        {"name": "Сроки", "max_score": 5, "score_labels": LABELS},
        {"name": "Коммуникация", "max_score": 5, "score_labels": LABELS},
    ]
}


def _rubric_url(world: World) -> str:
    return f"{API}/internships/{world.internship_id}/rubric"


async def _put_rubric(
    client: httpx.AsyncClient, world: World, body: dict[str, Any] = RUBRIC
) -> list[dict[str, Any]]:
    criteria: list[dict[str, Any]] = ok(
        await client.put(_rubric_url(world), json=body, headers=world.h("admin"))
    )
    return criteria


async def _live_criteria(session: AsyncSession, internship_id: int) -> list[RubricCriterion]:
    rows = await session.execute(
        select(RubricCriterion)
        .where(
            RubricCriterion.internship_id == internship_id,
            RubricCriterion.archived_at.is_(None),
        )
        .order_by(RubricCriterion.position)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def _submitted_card(client: httpx.AsyncClient, session: AsyncSession, world: World) -> int:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    return card_id


def _scores(criteria: list[dict[str, Any]], *values: int) -> dict[str, int]:
    return {str(c["id"]): v for c, v in zip(criteria, values, strict=True)}


async def _assert_still_waiting(session: AsyncSession, world: World, card_id: int) -> None:
    assert (await card_row(session, card_id)).column_id == world.columns_a["review"]
    assert [r.status for r in await requests_of(session, card_id)] == ["pending"]
    assert await reviews_of(session, card_id) == []


async def test_organiser_defines_rubric_with_three_criteria_and_score_labels(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    criteria = await _put_rubric(client, world)

    assert [(c["name"], c["max_score"], c["position"]) for c in criteria] == [
        ("Качество кода", 5, 0),
        ("Сроки", 5, 1),
        ("Коммуникация", 5, 2),
    ]
    assert criteria[0]["description"] == "Читаемость, тесты, структура"
    assert all(c["score_labels"] == LABELS for c in criteria)
    rows = await _live_criteria(session, world.internship_id)
    assert [r.id for r in rows] == [c["id"] for c in criteria]
    assert rows[1].score_labels == LABELS
    # Everyone in the internship reads it; the outsider does not see the internship.
    for who in ("mentor_a", "intern_a", "observer"):
        read = ok(await client.get(_rubric_url(world), headers=world.h(who)))
        assert [c["id"] for c in read] == [c["id"] for c in criteria]
    problem(await client.get(_rubric_url(world), headers=world.h("outsider")), 404)


async def test_replacing_the_rubric_archives_the_old_criteria(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    old = await _put_rubric(client, world)

    new = await _put_rubric(
        client, world, {"criteria": [{"name": "Качество кода", "max_score": 10}]}
    )

    assert [c["name"] for c in new] == ["Качество кода"]
    assert new[0]["id"] not in {c["id"] for c in old}
    assert [r.id for r in await _live_criteria(session, world.internship_id)] == [new[0]["id"]]
    archived = await session.execute(
        select(RubricCriterion)
        .where(RubricCriterion.id.in_([c["id"] for c in old]))
        .execution_options(populate_existing=True)
    )
    assert all(r.archived_at is not None for r in archived.scalars())


@pytest.mark.parametrize("who", ["mentor_a", "observer", "intern_a"])
async def test_only_organisers_define_the_rubric(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    response = await client.put(_rubric_url(world), json=RUBRIC, headers=world.h(who))

    problem(response, 403)
    assert await _live_criteria(session, world.internship_id) == []


async def test_score_label_above_the_maximum_is_rejected_and_the_old_rubric_stays(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    old = await _put_rubric(client, world)
    body = {
        "criteria": [
            {"name": "Сроки", "max_score": 5, "score_labels": {"5": "Отлично", "6": "Сверх"}}
        ]
    }

    response = await client.put(_rubric_url(world), json=body, headers=world.h("admin"))

    problem(response, 422, "invalid_grade")
    assert [r.id for r in await _live_criteria(session, world.internship_id)] == [
        c["id"] for c in old
    ]


async def test_accepting_with_a_rubric_derives_the_grade_on_the_two_to_five_scale(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    criteria = await _put_rubric(client, world)
    card_id = await _submitted_card(client, session, world)

    body = ok(
        await review(
            client,
            world,
            card_id,
            {
                "decision": "accept",
                "scores": _scores(criteria, 5, 4, 3),
                "feedback": "Код хороший, сроки немного сорваны",
            },
        ),
        201,
    )

    # 2 + (5 − 2) × 12 / 15 = 4.40
    assert dec(body["grade"]) == Decimal("4.40")
    assert body["scores"] == _scores(criteria, 5, 4, 3)
    [row] = await reviews_of(session, card_id)
    assert row.grade == Decimal("4.40")
    assert row.scores == _scores(criteria, 5, 4, 3)
    assert (await card_row(session, card_id)).column_id == world.columns_a["done"]


async def test_accepting_with_a_rubric_derives_the_grade_on_the_hundred_point_scale(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await session.execute(
        update(Internship).where(Internship.id == world.internship_id).values(grading_scale="0-100")
    )
    await session.commit()
    criteria = await _put_rubric(client, world)
    card_id = await _submitted_card(client, session, world)

    body = ok(
        await review(
            client,
            world,
            card_id,
            {"decision": "accept", "scores": _scores(criteria, 5, 4, 3), "feedback": "Хорошо"},
        ),
        201,
    )

    assert dec(body["grade"]) == Decimal("80.00")
    [row] = await reviews_of(session, card_id)
    assert row.grade == Decimal("80.00")


@pytest.mark.parametrize(
    ("max_score", "score", "grade"),
    [(7, 5, "4.14"), (3, 1, "3.00"), (3, 2, "4.00"), (9, 7, "4.33")],
)
async def test_rubric_grade_is_rounded_to_hundredths(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    max_score: int,
    score: int,
    grade: str,
) -> None:
    criteria = await _put_rubric(
        client, world, {"criteria": [{"name": "Качество кода", "max_score": max_score}]}
    )
    card_id = await _submitted_card(client, session, world)

    body = ok(
        await review(
            client,
            world,
            card_id,
            {"decision": "accept", "scores": _scores(criteria, score), "feedback": "Оценка"},
        ),
        201,
    )

    # 2 + 3 × score / max, to hundredths: 4.142… → 4.14; 2.999… → 3.00; 4.333… → 4.33.
    assert dec(body["grade"]) == Decimal(grade)
    [row] = await reviews_of(session, card_id)
    assert row.grade == Decimal(grade)


@pytest.mark.parametrize(
    "case",
    ["missing-criterion", "above-maximum", "unknown-criterion", "plain-grade-too", "no-scores"],
)
async def test_rubric_scores_must_cover_every_criterion_within_its_maximum(
    client: httpx.AsyncClient, session: AsyncSession, world: World, case: str
) -> None:
    criteria = await _put_rubric(client, world)
    card_id = await _submitted_card(client, session, world)
    scores = _scores(criteria, 5, 4, 3)
    body: dict[str, Any] = {"decision": "accept", "scores": scores, "feedback": "Оценка"}
    if case == "missing-criterion":
        del scores[str(criteria[2]["id"])]
    elif case == "above-maximum":
        scores[str(criteria[0]["id"])] = 6
    elif case == "unknown-criterion":
        scores[str(max(c["id"] for c in criteria) + 1000)] = 3
    elif case == "plain-grade-too":
        body["grade"] = "4.4"
    else:
        del body["scores"]

    response = await review(client, world, card_id, body)

    problem(response, 422, "invalid_grade")
    await _assert_still_waiting(session, world, card_id)


async def test_scores_of_an_archived_rubric_are_unknown(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    old = await _put_rubric(client, world)
    await _put_rubric(client, world, {"criteria": [{"name": "Итог", "max_score": 5}]})
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client,
        world,
        card_id,
        {"decision": "accept", "scores": _scores(old, 5, 4, 3), "feedback": "Оценка"},
    )

    problem(response, 422, "invalid_grade")
    await _assert_still_waiting(session, world, card_id)


async def test_scores_without_a_rubric_are_rejected(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await _submitted_card(client, session, world)

    response = await review(
        client,
        world,
        card_id,
        {"decision": "accept", "grade": "4", "scores": {"1": 5}, "feedback": "Оценка"},
    )

    problem(response, 422, "invalid_grade")
    await _assert_still_waiting(session, world, card_id)


async def test_returning_with_a_rubric_needs_no_scores(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _put_rubric(client, world)
    card_id = await _submitted_card(client, session, world)

    body = ok(
        await review(client, world, card_id, {"decision": "return", "feedback": "Доработать"}),
        201,
    )

    assert (body["decision"], body["grade"], body["scores"]) == ("return", None, {})
    assert (await card_row(session, card_id)).column_id == world.columns_a["in_progress"]
