"""Internships: creation defaults, who sees which, the status machine, dates, archive."""

import datetime as dt

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.user.user_model import User
from tests.conftest import auth_headers
from tests.factories import create_user
from tests.internship.conftest import END, START, enrol, new_internship
from tests.internship.helpers import (
    INTERNSHIPS,
    fresh_internship,
    internships_named,
    ok,
    problem,
)

BODY = {"name": "Лето 2026", "start_date": "2026-06-01", "end_date": "2026-08-28"}


async def set_status(
    client: httpx.AsyncClient, headers: dict[str, str], internship_id: int, status: str
) -> httpx.Response:
    return await client.post(
        f"{INTERNSHIPS}/{internship_id}/status", headers=headers, json={"status": status}
    )


# --- creation ---------------------------------------------------------------------------


async def test_admin_creates_a_draft_in_moscow_time_graded_2_to_5(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    body = ok(await client.post(INTERNSHIPS, headers=admin_headers, json=BODY), 201)

    assert body["status"] == "draft"
    assert body["timezone"] == "Europe/Moscow"
    assert body["grading_scale"] == "2-5"
    assert body["start_date"] == "2026-06-01"
    assert body["end_date"] == "2026-08-28"
    row = await fresh_internship(session, body["id"])
    assert (row.name, row.status, row.timezone, row.grading_scale) == (
        "Лето 2026",
        "draft",
        "Europe/Moscow",
        "2-5",
    )


@pytest.mark.parametrize("scale", ["1-5", "0-100"])
async def test_other_grading_scales_are_accepted(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str], scale: str
) -> None:
    body = ok(
        await client.post(
            INTERNSHIPS,
            headers=admin_headers,
            json={**BODY, "grading_scale": scale, "timezone": "Asia/Yekaterinburg"},
        ),
        201,
    )

    assert body["grading_scale"] == scale
    row = await fresh_internship(session, body["id"])
    assert (row.grading_scale, row.timezone) == (scale, "Asia/Yekaterinburg")


async def test_unknown_grading_scale_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        INTERNSHIPS, headers=admin_headers, json={**BODY, "grading_scale": "1-10"}
    )

    problem(response, 422, "validation_error")
    assert await internships_named(session, BODY["name"]) == []


async def test_non_admin_may_not_create_an_internship(
    client: httpx.AsyncClient, session: AsyncSession, member_headers: dict[str, str]
) -> None:
    response = await client.post(INTERNSHIPS, headers=member_headers, json=BODY)

    problem(response, 403, "internship_permission_denied")
    assert await internships_named(session, BODY["name"]) == []


async def test_end_before_start_on_create_is_422_and_nothing_is_created(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        INTERNSHIPS,
        headers=admin_headers,
        json={**BODY, "start_date": "2026-08-28", "end_date": "2026-06-01"},
    )

    problem(response, 422, "validation_error")
    assert await internships_named(session, BODY["name"]) == []


async def test_unknown_time_zone_on_create_is_422(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    response = await client.post(
        INTERNSHIPS, headers=admin_headers, json={**BODY, "timezone": "Europe/Atlantis"}
    )

    body = problem(response, 422, "validation_error")
    assert any(err["loc"][-1] == "timezone" for err in body["errors"]), body
    assert await internships_named(session, BODY["name"]) == []


# --- listing ----------------------------------------------------------------------------


async def test_participant_lists_only_the_internships_they_take_part_in(
    client: httpx.AsyncClient, session: AsyncSession, member: User, member_headers: dict[str, str]
) -> None:
    mine = await new_internship(session, "Моя стажировка")
    await new_internship(session, "Чужая стажировка")
    await enrol(session, mine.id, member, "intern")
    await session.commit()

    body = ok(await client.get(INTERNSHIPS, headers=member_headers))

    assert [item["id"] for item in body["items"]] == [mine.id]
    assert body["total"] == 1


async def test_removed_participant_no_longer_lists_the_internship(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
    member_headers: dict[str, str],
) -> None:
    internship = await new_internship(session, "Моя стажировка")
    await enrol(session, internship.id, member, "mentor")
    await session.commit()
    ok(
        await client.delete(
            f"{INTERNSHIPS}/{internship.id}/participants/{member.id}", headers=admin_headers
        )
    )

    body = ok(await client.get(INTERNSHIPS, headers=member_headers))

    assert body["items"] == []
    assert body["total"] == 0


async def test_admin_lists_every_internship(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    first = await new_internship(session, "Первая")
    second = await new_internship(session, "Вторая", status="draft")
    await session.commit()

    body = ok(await client.get(INTERNSHIPS, headers=admin_headers, params={"limit": 200}))

    assert {first.id, second.id} <= {item["id"] for item in body["items"]}


async def test_list_filters_by_status(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    draft = await new_internship(session, "Черновик", status="draft")
    active = await new_internship(session, "Идёт", status="active")
    await session.commit()

    drafts = ok(
        await client.get(
            INTERNSHIPS, headers=admin_headers, params={"status": "draft", "limit": 200}
        )
    )

    found = {item["id"] for item in drafts["items"]}
    assert draft.id in found
    assert active.id not in found
    assert {item["status"] for item in drafts["items"]} == {"draft"}


# --- status machine ---------------------------------------------------------------------


async def test_status_goes_draft_active_finished_archived(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток", status="draft")
    await session.commit()

    for status in ("active", "finished", "archived"):
        body = ok(await set_status(client, admin_headers, internship.id, status))
        assert body["status"] == status
        assert (await fresh_internship(session, internship.id)).status == status


async def test_finished_internship_may_be_reopened(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток", status="finished")
    await session.commit()

    body = ok(await set_status(client, admin_headers, internship.id, "active"))

    assert body["status"] == "active"
    assert (await fresh_internship(session, internship.id)).status == "active"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "finished"),
        ("active", "draft"),
        ("finished", "draft"),
        ("archived", "draft"),
        ("archived", "active"),
        ("archived", "finished"),
    ],
)
async def test_illegal_status_transition_is_409_and_status_unchanged(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    current: str,
    target: str,
) -> None:
    internship = await new_internship(session, "Поток", status=current)
    await session.commit()
    assert (await fresh_internship(session, internship.id)).status == current

    body = problem(
        await set_status(client, admin_headers, internship.id, target),
        409,
        "illegal_status_transition",
    )

    assert body["current_status"] == current
    assert body["requested_status"] == target
    assert (await fresh_internship(session, internship.id)).status == current


async def test_unknown_status_value_is_422(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток", status="draft")
    await session.commit()

    problem(await set_status(client, admin_headers, internship.id, "paused"), 422)

    assert (await fresh_internship(session, internship.id)).status == "draft"


async def test_non_admin_participant_may_not_change_status(
    client: httpx.AsyncClient, session: AsyncSession, member: User, member_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток")
    await enrol(session, internship.id, member, "mentor")
    await session.commit()

    problem(
        await set_status(client, member_headers, internship.id, "finished"),
        403,
        "internship_permission_denied",
    )

    assert (await fresh_internship(session, internship.id)).status == "active"


# --- editing ----------------------------------------------------------------------------


async def test_patch_end_date_before_existing_start_is_422_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    body = problem(
        await client.patch(
            f"{INTERNSHIPS}/{internship.id}",
            headers=admin_headers,
            json={"name": "Переименованный", "end_date": str(START - dt.timedelta(days=1))},
        ),
        422,
        "invalid_dates",
    )

    assert body["errors"][0]["loc"] == ["body", "end_date"]
    row = await fresh_internship(session, internship.id)
    assert (row.name, row.start_date, row.end_date) == ("Поток", START, END)


async def test_patch_start_date_after_existing_end_is_422(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    problem(
        await client.patch(
            f"{INTERNSHIPS}/{internship.id}",
            headers=admin_headers,
            json={"start_date": str(END + dt.timedelta(days=1))},
        ),
        422,
        "invalid_dates",
    )

    row = await fresh_internship(session, internship.id)
    assert (row.start_date, row.end_date) == (START, END)


async def test_patch_edits_fields_of_a_live_internship(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    body = ok(
        await client.patch(
            f"{INTERNSHIPS}/{internship.id}",
            headers=admin_headers,
            json={
                "description": "Бэкенд на Python",
                "end_date": "2026-06-30",
                "timezone": "Asia/Novosibirsk",
                "grading_scale": "0-100",
            },
        )
    )

    assert body["end_date"] == "2026-06-30"
    row = await fresh_internship(session, internship.id)
    assert (row.description, row.end_date, row.timezone, row.grading_scale) == (
        "Бэкенд на Python",
        dt.date(2026, 6, 30),
        "Asia/Novosibirsk",
        "0-100",
    )


async def test_patch_unknown_time_zone_is_422_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    problem(
        await client.patch(
            f"{INTERNSHIPS}/{internship.id}",
            headers=admin_headers,
            json={"timezone": "Moscow"},
        ),
        422,
        "validation_error",
    )

    assert (await fresh_internship(session, internship.id)).timezone == "Europe/Moscow"


async def test_archived_internship_is_read_only(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Архивный поток", status="archived")
    newcomer = await create_user(session, username="late.comer")
    await session.commit()

    problem(
        await client.patch(
            f"{INTERNSHIPS}/{internship.id}", headers=admin_headers, json={"name": "Новое имя"}
        ),
        409,
        "internship_archived",
    )
    problem(
        await client.post(
            f"{INTERNSHIPS}/{internship.id}/participants",
            headers=admin_headers,
            json={"user_id": newcomer.id, "role": "intern"},
        ),
        409,
        "internship_archived",
    )
    problem(
        await client.post(
            f"{INTERNSHIPS}/{internship.id}/teams", headers=admin_headers, json={"name": "Гамма"}
        ),
        409,
        "internship_archived",
    )

    row = await fresh_internship(session, internship.id)
    assert (row.name, row.status) == ("Архивный поток", "archived")
    # Still readable.
    assert (
        ok(await client.get(f"{INTERNSHIPS}/{internship.id}", headers=admin_headers))["status"]
        == "archived"
    )


async def test_outsider_does_not_see_an_internship(
    client: httpx.AsyncClient, session: AsyncSession, member: User
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    problem(
        await client.get(f"{INTERNSHIPS}/{internship.id}", headers=auth_headers(member)),
        404,
        "internship_not_found",
    )
