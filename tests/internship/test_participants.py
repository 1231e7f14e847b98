"""Participants: adding, listing with filters, what interns see, status, removal."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.user.user_model import User
from tests.factories import create_user
from tests.internship.conftest import Cohort, enrol, new_internship, new_team
from tests.internship.helpers import (
    INTERNSHIPS,
    memberships,
    ok,
    participant_row,
    participants_of,
    problem,
)


def participants_url(internship_id: int, user_id: int | None = None) -> str:
    url = f"{INTERNSHIPS}/{internship_id}/participants"
    return url if user_id is None else f"{url}/{user_id}"


async def listed(
    client: httpx.AsyncClient, headers: dict[str, str], internship_id: int, **params: object
) -> dict[str, Any]:
    return ok(await client.get(participants_url(internship_id), headers=headers, params=params))


def ids(page: dict[str, Any]) -> set[int]:
    return {item["user"]["id"] for item in page["items"]}


# --- adding -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["mentor", "intern", "observer"])
async def test_admin_adds_a_participant_in_each_role(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
    role: str,
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    body = ok(
        await client.post(
            participants_url(internship.id),
            headers=admin_headers,
            json={"user_id": member.id, "role": role},
        ),
        201,
    )

    assert body["user"]["id"] == member.id
    assert body["user"]["full_name"] == "Иван Петров"
    assert (body["role"], body["status"], body["archived_at"]) == (role, "active", None)
    row = await participant_row(session, internship.id, member.id)
    assert row is not None
    assert (row.role, row.status, row.archived_at) == (role, "active", None)


async def test_adding_the_same_person_twice_is_409_and_one_row_stays(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
) -> None:
    internship = await new_internship(session, "Поток")
    await enrol(session, internship.id, member, "intern")
    await session.commit()

    problem(
        await client.post(
            participants_url(internship.id),
            headers=admin_headers,
            json={"user_id": member.id, "role": "mentor"},
        ),
        409,
        "participant_already_exists",
    )

    rows = await participants_of(session, internship.id)
    assert [(r.user_id, r.role) for r in rows] == [(member.id, "intern")]


async def test_adding_an_unknown_user_id_is_422_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    internship = await new_internship(session, "Поток")
    await session.commit()

    problem(
        await client.post(
            participants_url(internship.id),
            headers=admin_headers,
            json={"user_id": 987_654_321, "role": "intern"},
        ),
        422,
        "not_a_participant",
    )

    assert await participants_of(session, internship.id) == []


async def test_mentor_may_not_add_participants(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    newcomer = await create_user(session, username="newcomer")
    await session.commit()

    problem(
        await client.post(
            participants_url(cohort.id),
            headers=cohort.headers(cohort.mentor_a),
            json={"user_id": newcomer.id, "role": "intern"},
        ),
        403,
        "internship_permission_denied",
    )

    assert await participant_row(session, cohort.id, newcomer.id) is None


# --- listing ----------------------------------------------------------------------------


async def test_list_filters_by_role(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    mentors = await listed(client, admin_headers, cohort.id, role="mentor")
    observers = await listed(client, admin_headers, cohort.id, role="observer")
    interns = await listed(client, admin_headers, cohort.id, role="intern")

    assert ids(mentors) == {cohort.mentor_a.id, cohort.mentor_b.id}
    assert ids(observers) == {cohort.observer.id}
    assert ids(interns) == {
        cohort.intern_a.id,
        cohort.intern_a2.id,
        cohort.intern_b.id,
        cohort.free_intern.id,
    }
    assert interns["total"] == 4


async def test_list_filters_by_status(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    ok(
        await client.patch(
            participants_url(cohort.id, cohort.intern_b.id),
            headers=admin_headers,
            json={"status": "dropped", "reason": "Ушёл в армию"},
        )
    )

    dropped = await listed(client, admin_headers, cohort.id, status="dropped")
    active = await listed(client, admin_headers, cohort.id, status="active")

    assert ids(dropped) == {cohort.intern_b.id}
    assert cohort.intern_b.id not in ids(active)
    assert active["total"] == 6


async def test_list_filters_by_team_with_its_mentors_and_members(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    page = await listed(client, admin_headers, cohort.id, team_id=cohort.team_a.id)

    assert ids(page) == {cohort.mentor_a.id, cohort.intern_a.id, cohort.intern_a2.id}
    teams = {item["user"]["id"]: item["team_id"] for item in page["items"]}
    # team_id is reported for interns only.
    assert teams == {
        cohort.mentor_a.id: None,
        cohort.intern_a.id: cohort.team_a.id,
        cohort.intern_a2.id: cohort.team_a.id,
    }


@pytest.mark.parametrize("q", ["сидорова", "СИДОРОВА АННА", "Викторовна", "a.sidorova@EXAMPLE"])
async def test_search_matches_cyrillic_names_ignoring_case_and_emails(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort, q: str
) -> None:
    page = await listed(client, admin_headers, cohort.id, q=q)

    assert ids(page) == {cohort.intern_a.id}
    assert page["total"] == 1


async def test_search_treats_like_wildcards_literally(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    page = await listed(client, admin_headers, cohort.id, q="%")

    assert page["total"] == 0


async def test_pagination_reports_limit_offset_and_total(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    everyone = await listed(client, admin_headers, cohort.id, limit=200)
    first = await listed(client, admin_headers, cohort.id, limit=3, offset=0)
    second = await listed(client, admin_headers, cohort.id, limit=3, offset=3)
    third = await listed(client, admin_headers, cohort.id, limit=3, offset=6)

    assert everyone["total"] == 7
    assert (first["limit"], first["offset"], first["total"]) == (3, 0, 7)
    assert (second["limit"], second["offset"], second["total"]) == (3, 3, 7)
    assert (len(first["items"]), len(second["items"]), len(third["items"])) == (3, 3, 1)
    paged = [item["user"]["id"] for p in (first, second, third) for item in p["items"]]
    assert paged == [item["user"]["id"] for item in everyone["items"]]
    assert len(set(paged)) == 7


async def test_intern_sees_themself_their_teammates_and_the_mentors(
    client: httpx.AsyncClient, cohort: Cohort
) -> None:
    page = await listed(client, cohort.headers(cohort.intern_a), cohort.id, limit=200)

    assert ids(page) == {
        cohort.intern_a.id,
        cohort.intern_a2.id,
        cohort.mentor_a.id,
        cohort.mentor_b.id,
    }
    assert page["total"] == 4


async def test_intern_does_not_see_other_teams_interns_nor_observers(
    client: httpx.AsyncClient, cohort: Cohort
) -> None:
    headers = cohort.headers(cohort.intern_a)

    for hidden in (cohort.intern_b, cohort.free_intern, cohort.observer):
        problem(
            await client.get(participants_url(cohort.id, hidden.id), headers=headers),
            404,
            "participant_not_found",
        )
    page = await listed(client, headers, cohort.id, role="observer")
    assert page["items"] == []
    page = await listed(client, headers, cohort.id, q="Орлов")
    assert page["items"] == []


async def test_intern_without_a_team_sees_themself_and_the_mentors(
    client: httpx.AsyncClient, cohort: Cohort
) -> None:
    page = await listed(client, cohort.headers(cohort.free_intern), cohort.id)

    assert ids(page) == {cohort.free_intern.id, cohort.mentor_a.id, cohort.mentor_b.id}


async def test_observer_and_mentor_see_everyone(client: httpx.AsyncClient, cohort: Cohort) -> None:
    for viewer in (cohort.observer, cohort.mentor_b):
        page = await listed(client, cohort.headers(viewer), cohort.id)
        assert page["total"] == 7


# --- status and removal -----------------------------------------------------------------


async def test_dropping_an_intern_records_when_and_why(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    before = await participant_row(session, cohort.id, cohort.intern_b.id)
    assert before is not None
    assert before.status_changed_at is None

    body = ok(
        await client.patch(
            participants_url(cohort.id, cohort.intern_b.id),
            headers=admin_headers,
            json={"status": "dropped", "reason": "Перешёл в другую компанию"},
        )
    )

    assert body["status"] == "dropped"
    assert body["status_reason"] == "Перешёл в другую компанию"
    assert body["status_changed_at"] is not None
    row = await participant_row(session, cohort.id, cohort.intern_b.id)
    assert row is not None
    assert row.status == "dropped"
    assert row.status_reason == "Перешёл в другую компанию"
    assert row.status_changed_at is not None
    assert row.archived_at is None


async def test_mentor_may_not_change_a_participants_status(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await client.patch(
            participants_url(cohort.id, cohort.intern_a.id),
            headers=cohort.headers(cohort.mentor_a),
            json={"status": "dropped"},
        ),
        403,
    )

    row = await participant_row(session, cohort.id, cohort.intern_a.id)
    assert row is not None
    assert row.status == "active"


async def test_removing_a_participant_archives_them_and_their_team_place(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    intern = cohort.intern_a
    body = ok(await client.delete(participants_url(cohort.id, intern.id), headers=admin_headers))

    assert body["archived_at"] is not None
    row = await participant_row(session, cohort.id, intern.id)
    assert row is not None, "the row is kept"
    assert row.archived_at is not None
    places = await memberships(session, user_id=intern.id)
    assert [(m.team_id, m.archived_at is not None) for m in places] == [(cohort.team_a.id, True)]
    # Gone from the default list, present with include_archived.
    assert intern.id not in ids(await listed(client, admin_headers, cohort.id))
    assert intern.id in ids(await listed(client, admin_headers, cohort.id, include_archived=True))
    team = ok(await client.get(f"/api/v1/teams/{cohort.team_a.id}", headers=admin_headers))
    assert intern.id not in {m["user_id"] for m in team["members"]}


async def test_removed_participant_loses_access_to_the_internship(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    headers = cohort.headers(cohort.intern_a)
    ok(await client.get(f"{INTERNSHIPS}/{cohort.id}", headers=headers))

    ok(await client.delete(participants_url(cohort.id, cohort.intern_a.id), headers=admin_headers))

    problem(await client.get(f"{INTERNSHIPS}/{cohort.id}", headers=headers), 404)
    problem(await client.get(f"/api/v1/teams/{cohort.team_a.id}", headers=headers), 404)
    problem(await client.get(participants_url(cohort.id), headers=headers), 404)


async def test_readding_a_removed_participant_restores_the_same_row(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    intern = cohort.intern_b
    original = await participant_row(session, cohort.id, intern.id)
    assert original is not None
    original_id = original.id
    ok(await client.delete(participants_url(cohort.id, intern.id), headers=admin_headers))

    body = ok(
        await client.post(
            participants_url(cohort.id),
            headers=admin_headers,
            json={"user_id": intern.id, "role": "intern"},
        ),
        201,
    )

    assert body["archived_at"] is None
    assert body["status"] == "active"
    rows = [r for r in await participants_of(session, cohort.id) if r.user_id == intern.id]
    assert [(r.id, r.archived_at) for r in rows] == [(original_id, None)]
    ok(await client.get(f"{INTERNSHIPS}/{cohort.id}", headers=cohort.headers(intern)))


async def test_removing_twice_is_404(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    url = participants_url(cohort.id, cohort.observer.id)
    ok(await client.delete(url, headers=admin_headers))

    problem(await client.delete(url, headers=admin_headers), 404, "participant_not_found")


async def test_participant_of_one_internship_is_not_listed_in_another(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    first = await new_internship(session, "Первый")
    second = await new_internship(session, "Второй")
    person = await create_user(session, username="solo", full_name="Соло Стажёр")
    await enrol(session, first.id, person, "intern")
    await new_team(session, first.id, "Одиночки", members=[person])
    await session.commit()

    assert ids(await listed(client, admin_headers, first.id)) == {person.id}
    assert ids(await listed(client, admin_headers, second.id)) == set()
