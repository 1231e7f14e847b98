"""Teams (mentors, members, names, archive) and their projects."""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.internship.conftest import Cohort
from tests.internship.helpers import (
    INTERNSHIPS,
    PROJECTS,
    TEAMS,
    count_projects,
    live_member_ids,
    memberships,
    ok,
    problem,
    project_row,
    team_row,
    teams_of,
)


def teams_url(internship_id: int) -> str:
    return f"{INTERNSHIPS}/{internship_id}/teams"


# --- teams: creation --------------------------------------------------------------------


async def test_admin_creates_a_team_with_mentors_and_members(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    body = ok(
        await client.post(
            teams_url(cohort.id),
            headers=admin_headers,
            json={
                "name": "Команда Гамма",
                "description": "Мобильное приложение",
                "mentor_ids": [cohort.mentor_a.id, cohort.mentor_b.id],
                "member_ids": [cohort.free_intern.id],
            },
        ),
        201,
    )

    assert body["name"] == "Команда Гамма"
    assert {m["user_id"] for m in body["mentors"]} == {cohort.mentor_a.id, cohort.mentor_b.id}
    assert [m["user_id"] for m in body["members"]] == [cohort.free_intern.id]
    team = await team_row(session, body["id"])
    assert (team.internship_id, team.description) == (cohort.id, "Мобильное приложение")
    assert await live_member_ids(session, team.id, "mentor") == {
        cohort.mentor_a.id,
        cohort.mentor_b.id,
    }
    assert await live_member_ids(session, team.id, "member") == {cohort.free_intern.id}


async def test_mentor_of_another_internship_as_team_mentor_is_422_and_no_team_is_created(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    before = len(await teams_of(session, cohort.id))

    body = problem(
        await client.post(
            teams_url(cohort.id),
            headers=admin_headers,
            json={"name": "Команда Гамма", "mentor_ids": [cohort.other_mentor.id]},
        ),
        422,
        "not_a_participant",
    )

    assert body["errors"][0]["loc"] == ["body", "mentor_ids"]
    assert len(await teams_of(session, cohort.id)) == before
    assert await memberships(session, user_id=cohort.other_mentor.id) == []


async def test_intern_in_a_second_team_of_the_same_internship_is_409_and_nothing_is_written(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    before = len(await teams_of(session, cohort.id))

    problem(
        await client.post(
            teams_url(cohort.id),
            headers=admin_headers,
            json={
                "name": "Команда Гамма",
                "mentor_ids": [cohort.mentor_b.id],
                "member_ids": [cohort.free_intern.id, cohort.intern_a.id],
            },
        ),
        409,
        "intern_already_in_team",
    )

    assert len(await teams_of(session, cohort.id)) == before
    assert [m.team_id for m in await memberships(session, user_id=cohort.intern_a.id)] == [
        cohort.team_a.id
    ]
    assert await memberships(session, user_id=cohort.free_intern.id) == []
    assert {m.team_id for m in await memberships(session, user_id=cohort.mentor_b.id)} == {
        cohort.team_b.id
    }


async def test_adding_an_intern_of_another_team_as_member_is_409(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    problem(
        await client.post(
            f"{TEAMS}/{cohort.team_b.id}/members",
            headers=admin_headers,
            json={"user_id": cohort.intern_a.id},
        ),
        409,
        "intern_already_in_team",
    )

    assert await live_member_ids(session, cohort.team_b.id, "member") == {cohort.intern_b.id}


async def test_a_non_intern_as_team_member_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    before = len(await teams_of(session, cohort.id))

    for person in (cohort.observer, cohort.mentor_a):
        body = problem(
            await client.post(
                teams_url(cohort.id),
                headers=admin_headers,
                json={"name": "Команда Гамма", "member_ids": [person.id]},
            ),
            422,
            "not_a_participant",
        )
        assert body["errors"][0]["loc"] == ["body", "member_ids"]

    assert len(await teams_of(session, cohort.id)) == before


async def test_team_names_are_unique_per_internship_ignoring_case(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    problem(
        await client.post(
            teams_url(cohort.id), headers=admin_headers, json={"name": "команда АЛЬФА"}
        ),
        409,
        "team_name_taken",
    )

    assert [t.name for t in await teams_of(session, cohort.id)] == ["Команда Альфа", "Команда Бета"]
    # Another internship may use the name.
    ok(
        await client.post(
            teams_url(cohort.other_internship.id),
            headers=admin_headers,
            json={"name": "Команда Альфа"},
        ),
        201,
    )


async def test_renaming_onto_a_taken_name_is_409(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    problem(
        await client.patch(
            f"{TEAMS}/{cohort.team_b.id}", headers=admin_headers, json={"name": "КОМАНДА альфа"}
        ),
        409,
        "team_name_taken",
    )

    assert (await team_row(session, cohort.team_b.id)).name == "Команда Бета"


async def test_team_name_is_reusable_after_archiving(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))

    body = ok(
        await client.post(
            teams_url(cohort.id), headers=admin_headers, json={"name": "команда альфа"}
        ),
        201,
    )

    names = [(t.name, t.archived_at is None) for t in await teams_of(session, cohort.id)]
    assert ("Команда Альфа", False) in names
    assert ("команда альфа", True) in names
    assert body["id"] != cohort.team_a.id


async def test_restoring_a_team_whose_name_was_reused_is_409(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))
    ok(
        await client.post(
            teams_url(cohort.id), headers=admin_headers, json={"name": "Команда Альфа"}
        ),
        201,
    )

    problem(
        await client.post(f"{TEAMS}/{cohort.team_a.id}/restore", headers=admin_headers),
        409,
        "team_name_taken",
    )

    assert (await team_row(session, cohort.team_a.id)).archived_at is not None


# --- teams: what mentors may do ---------------------------------------------------------


async def test_team_mentor_edits_the_description(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    body = ok(
        await client.patch(
            f"{TEAMS}/{cohort.team_a.id}",
            headers=cohort.headers(cohort.mentor_a),
            json={"description": "Делаем чат-бота поддержки"},
        )
    )

    assert body["description"] == "Делаем чат-бота поддержки"
    assert (await team_row(session, cohort.team_a.id)).description == "Делаем чат-бота поддержки"


async def test_team_mentor_may_not_rename_the_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await client.patch(
            f"{TEAMS}/{cohort.team_a.id}",
            headers=cohort.headers(cohort.mentor_a),
            json={"name": "Команда Омега", "description": "Новое описание"},
        ),
        403,
        "internship_permission_denied",
    )

    team = await team_row(session, cohort.team_a.id)
    assert (team.name, team.description) == ("Команда Альфа", "")


async def test_mentor_of_another_team_may_not_edit_it(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await client.patch(
            f"{TEAMS}/{cohort.team_a.id}",
            headers=cohort.headers(cohort.mentor_b),
            json={"description": "Чужое"},
        ),
        403,
    )

    assert (await team_row(session, cohort.team_a.id)).description == ""


async def test_team_mentor_adds_an_intern_to_their_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    body = ok(
        await client.post(
            f"{TEAMS}/{cohort.team_a.id}/members",
            headers=cohort.headers(cohort.mentor_a),
            json={"user_id": cohort.free_intern.id, "role": "member"},
        ),
        201,
    )

    assert cohort.free_intern.id in {m["user_id"] for m in body["members"]}
    assert await live_member_ids(session, cohort.team_a.id, "member") == {
        cohort.intern_a.id,
        cohort.intern_a2.id,
        cohort.free_intern.id,
    }


async def test_team_mentor_may_not_add_a_mentor(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await client.post(
            f"{TEAMS}/{cohort.team_a.id}/members",
            headers=cohort.headers(cohort.mentor_a),
            json={"user_id": cohort.mentor_b.id, "role": "mentor"},
        ),
        403,
        "internship_permission_denied",
    )

    assert await live_member_ids(session, cohort.team_a.id, "mentor") == {cohort.mentor_a.id}


async def test_team_mentor_may_not_remove_a_fellow_mentor(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(
        await client.post(
            f"{TEAMS}/{cohort.team_a.id}/members",
            headers=admin_headers,
            json={"user_id": cohort.mentor_b.id, "role": "mentor"},
        ),
        201,
    )

    problem(
        await client.delete(
            f"{TEAMS}/{cohort.team_a.id}/members/{cohort.mentor_b.id}",
            headers=cohort.headers(cohort.mentor_a),
        ),
        403,
    )

    assert await live_member_ids(session, cohort.team_a.id, "mentor") == {
        cohort.mentor_a.id,
        cohort.mentor_b.id,
    }


async def test_team_mentor_removes_an_intern_and_the_place_is_archived(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    body = ok(
        await client.delete(
            f"{TEAMS}/{cohort.team_a.id}/members/{cohort.intern_a2.id}",
            headers=cohort.headers(cohort.mentor_a),
        )
    )

    assert [m["user_id"] for m in body["members"]] == [cohort.intern_a.id]
    places = await memberships(session, user_id=cohort.intern_a2.id)
    assert [(p.team_id, p.archived_at is not None) for p in places] == [(cohort.team_a.id, True)]
    # Free again: may join another team.
    extra = await client.post(
        f"{TEAMS}/{cohort.team_b.id}/members",
        headers=cohort.headers(cohort.mentor_b),
        json={"user_id": cohort.intern_a2.id},
    )
    assert extra.status_code == 201, extra.text


async def test_intern_may_not_add_members(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await client.post(
            f"{TEAMS}/{cohort.team_a.id}/members",
            headers=cohort.headers(cohort.intern_a),
            json={"user_id": cohort.free_intern.id},
        ),
        403,
    )

    assert await memberships(session, user_id=cohort.free_intern.id) == []


# --- teams: archive and restore ---------------------------------------------------------


async def test_archiving_a_team_ends_its_memberships(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    body = ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))

    assert body["archived_at"] is not None
    assert (body["mentors"], body["members"]) == ([], [])
    places = await memberships(session, team_id=cohort.team_a.id)
    assert len(places) == 3
    assert all(p.archived_at is not None for p in places)
    # The interns are free to join another team; the team is gone from their view.
    problem(
        await client.get(f"{TEAMS}/{cohort.team_a.id}", headers=cohort.headers(cohort.intern_a)),
        404,
    )
    ok(
        await client.post(
            f"{TEAMS}/{cohort.team_b.id}/members",
            headers=admin_headers,
            json={"user_id": cohort.intern_a.id},
        ),
        201,
    )


async def test_restoring_a_team_brings_back_its_people(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))

    body = ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/restore", headers=admin_headers))

    assert body["archived_at"] is None
    assert {m["user_id"] for m in body["mentors"]} == {cohort.mentor_a.id}
    assert {m["user_id"] for m in body["members"]} == {cohort.intern_a.id, cohort.intern_a2.id}
    assert (await team_row(session, cohort.team_a.id)).archived_at is None
    assert await live_member_ids(session, cohort.team_a.id, "member") == {
        cohort.intern_a.id,
        cohort.intern_a2.id,
    }
    ok(await client.get(f"{TEAMS}/{cohort.team_a.id}", headers=cohort.headers(cohort.intern_a)))


async def test_restore_skips_interns_who_joined_another_team_meanwhile(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))
    ok(
        await client.post(
            f"{TEAMS}/{cohort.team_b.id}/members",
            headers=admin_headers,
            json={"user_id": cohort.intern_a.id},
        ),
        201,
    )

    body = ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/restore", headers=admin_headers))

    assert {m["user_id"] for m in body["members"]} == {cohort.intern_a2.id}
    assert await live_member_ids(session, cohort.team_b.id, "member") == {
        cohort.intern_b.id,
        cohort.intern_a.id,
    }


async def test_restore_does_not_bring_back_a_mentor_who_is_no_longer_a_mentor(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))
    ok(
        await client.patch(
            f"{INTERNSHIPS}/{cohort.id}/participants/{cohort.mentor_a.id}",
            headers=admin_headers,
            json={"role": "observer"},
        )
    )

    body = ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/restore", headers=admin_headers))

    assert body["mentors"] == []
    assert await live_member_ids(session, cohort.team_a.id, "mentor") == set()


async def test_mentor_may_not_archive_a_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await client.post(
            f"{TEAMS}/{cohort.team_a.id}/archive", headers=cohort.headers(cohort.mentor_a)
        ),
        403,
    )

    assert (await team_row(session, cohort.team_a.id)).archived_at is None


async def test_archived_team_takes_no_new_members(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))

    problem(
        await client.post(
            f"{TEAMS}/{cohort.team_a.id}/members",
            headers=admin_headers,
            json={"user_id": cohort.free_intern.id},
        ),
        409,
        "team_archived",
    )

    assert await memberships(session, user_id=cohort.free_intern.id) == []


# --- teams: visibility ------------------------------------------------------------------


async def test_interns_see_only_their_own_team(client: httpx.AsyncClient, cohort: Cohort) -> None:
    mine = ok(await client.get(teams_url(cohort.id), headers=cohort.headers(cohort.intern_a)))
    theirs = ok(await client.get(teams_url(cohort.id), headers=cohort.headers(cohort.intern_b)))
    nobody = ok(await client.get(teams_url(cohort.id), headers=cohort.headers(cohort.free_intern)))

    assert [t["id"] for t in mine] == [cohort.team_a.id]
    assert [t["id"] for t in theirs] == [cohort.team_b.id]
    assert nobody == []
    problem(
        await client.get(f"{TEAMS}/{cohort.team_b.id}", headers=cohort.headers(cohort.intern_a)),
        404,
        "team_not_found",
    )


async def test_mentors_and_observers_see_every_team(
    client: httpx.AsyncClient, cohort: Cohort
) -> None:
    for viewer in (cohort.mentor_a, cohort.observer):
        teams = ok(await client.get(teams_url(cohort.id), headers=cohort.headers(viewer)))
        assert [t["id"] for t in teams] == [cohort.team_a.id, cohort.team_b.id]


async def test_archived_teams_are_listed_only_on_request(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_b.id}/archive", headers=admin_headers))

    live = ok(await client.get(teams_url(cohort.id), headers=admin_headers))
    everything = ok(
        await client.get(
            teams_url(cohort.id), headers=admin_headers, params={"include_archived": "true"}
        )
    )

    assert [t["id"] for t in live] == [cohort.team_a.id]
    assert [t["id"] for t in everything] == [cohort.team_a.id, cohort.team_b.id]


# --- projects ---------------------------------------------------------------------------

PROJECT = {
    "name": "Чат-бот поддержки",
    "description": "Бот отвечает на частые вопросы",
    "goal": "MVP к демо-дню",
    "start_date": "2026-03-09",
    "end_date": "2026-05-22",
    "links": [
        {"title": "Репозиторий", "url": "https://git.example.com/alpha/bot"},
        {"title": "Макеты", "url": "https://figma.example.com/file/abc"},
    ],
}


async def create_project(
    client: httpx.AsyncClient, headers: dict[str, str], team_id: int, **overrides: object
) -> httpx.Response:
    return await client.post(
        f"{TEAMS}/{team_id}/projects", headers=headers, json={**PROJECT, **overrides}
    )


async def test_team_mentor_creates_a_project_with_links_and_dates(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    body = ok(await create_project(client, cohort.headers(cohort.mentor_a), cohort.team_a.id), 201)

    assert body["team_id"] == cohort.team_a.id
    assert body["internship_id"] == cohort.id
    assert body["status"] == "planned"
    assert (body["start_date"], body["end_date"]) == ("2026-03-09", "2026-05-22")
    assert body["links"] == PROJECT["links"]
    row = await project_row(session, body["id"])
    assert (row.name, row.goal, str(row.start_date), str(row.end_date)) == (
        "Чат-бот поддержки",
        "MVP к демо-дню",
        "2026-03-09",
        "2026-05-22",
    )
    assert row.links == PROJECT["links"]
    listed = ok(
        await client.get(
            f"{TEAMS}/{cohort.team_a.id}/projects", headers=cohort.headers(cohort.intern_a)
        )
    )
    assert [p["id"] for p in listed] == [body["id"]]


async def test_project_ending_before_it_starts_is_422(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(
        await create_project(
            client,
            cohort.headers(cohort.mentor_a),
            cohort.team_a.id,
            start_date="2026-05-01",
            end_date="2026-04-01",
        ),
        422,
    )

    assert await count_projects(session, cohort.team_a.id) == 0


async def test_project_patch_ending_before_its_start_is_422(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    headers = cohort.headers(cohort.mentor_a)
    project = ok(await create_project(client, headers, cohort.team_a.id), 201)

    problem(
        await client.patch(
            f"{PROJECTS}/{project['id']}", headers=headers, json={"end_date": "2026-03-01"}
        ),
        422,
        "invalid_dates",
    )

    assert str((await project_row(session, project["id"])).end_date) == "2026-05-22"


async def test_project_link_with_an_invalid_url_is_422(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    for url in ("not a url", "ftp://files.example.com/x", "javascript:alert(1)"):
        body = problem(
            await create_project(
                client,
                cohort.headers(cohort.mentor_a),
                cohort.team_a.id,
                links=[{"title": "Репозиторий", "url": url}],
            ),
            422,
            "validation_error",
        )
        assert any("links" in err["loc"] for err in body["errors"]), body

    assert await count_projects(session, cohort.team_a.id) == 0


async def test_mentor_of_another_team_may_not_create_a_project(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    problem(await create_project(client, cohort.headers(cohort.mentor_b), cohort.team_a.id), 403)

    assert await count_projects(session, cohort.team_a.id) == 0


async def test_intern_of_the_team_reads_the_project_but_may_not_edit_it(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    project = ok(
        await create_project(client, cohort.headers(cohort.mentor_a), cohort.team_a.id), 201
    )
    url = f"{PROJECTS}/{project['id']}"
    intern = cohort.headers(cohort.intern_a)

    assert ok(await client.get(url, headers=intern))["name"] == "Чат-бот поддержки"
    problem(
        await client.patch(url, headers=intern, json={"goal": "Захватить мир"}),
        403,
        "internship_permission_denied",
    )
    problem(await client.post(f"{url}/archive", headers=intern), 403)

    row = await project_row(session, project["id"])
    assert (row.goal, row.archived_at) == ("MVP к демо-дню", None)
    # Interns of other teams do not see it at all.
    problem(await client.get(url, headers=cohort.headers(cohort.intern_b)), 404)


async def test_team_mentor_edits_a_project(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    headers = cohort.headers(cohort.mentor_a)
    project = ok(await create_project(client, headers, cohort.team_a.id), 201)

    body = ok(
        await client.patch(
            f"{PROJECTS}/{project['id']}",
            headers=headers,
            json={
                "status": "active",
                "links": [{"title": "Документация", "url": "https://docs.example.com/bot"}],
            },
        )
    )

    assert body["status"] == "active"
    row = await project_row(session, project["id"])
    assert row.status == "active"
    assert row.links == [{"title": "Документация", "url": "https://docs.example.com/bot"}]
    assert row.name == "Чат-бот поддержки"


async def test_project_archive_and_restore(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    headers = cohort.headers(cohort.mentor_a)
    project = ok(await create_project(client, headers, cohort.team_a.id), 201)
    url = f"{PROJECTS}/{project['id']}"
    team_projects = f"{TEAMS}/{cohort.team_a.id}/projects"

    archived = ok(await client.post(f"{url}/archive", headers=headers))
    assert archived["archived_at"] is not None
    assert (await project_row(session, project["id"])).archived_at is not None
    assert ok(await client.get(team_projects, headers=headers)) == []
    listed = ok(
        await client.get(team_projects, headers=headers, params={"include_archived": "true"})
    )
    assert [p["id"] for p in listed] == [project["id"]]

    restored = ok(await client.post(f"{url}/restore", headers=headers))
    assert restored["archived_at"] is None
    assert (await project_row(session, project["id"])).archived_at is None
    assert [p["id"] for p in ok(await client.get(team_projects, headers=headers))] == [
        project["id"]
    ]


async def test_archived_team_takes_no_new_projects(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    ok(await client.post(f"{TEAMS}/{cohort.team_a.id}/archive", headers=admin_headers))

    problem(await create_project(client, admin_headers, cohort.team_a.id), 409, "team_archived")

    assert await count_projects(session, cohort.team_a.id) == 0
