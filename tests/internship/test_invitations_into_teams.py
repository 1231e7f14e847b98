"""Invitations that land the person in an internship and a team."""

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.internship.conftest import Cohort, new_internship, new_team
from tests.internship.helpers import (
    INVITATIONS,
    count_invitations,
    invitations_for,
    live_member_ids,
    ok,
    participant_row,
    problem,
)

STRONG_PASSWORD = "violet-lantern-harbour-42"


async def invite(
    client: httpx.AsyncClient, headers: dict[str, str], **body: object
) -> httpx.Response:
    return await client.post(
        INVITATIONS,
        headers=headers,
        json={"email": "k.smirnova@example.com", "role": "intern", **body},
    )


async def accept(client: httpx.AsyncClient, token: str, username: str) -> dict[str, Any]:
    return ok(
        await client.post(
            f"{INVITATIONS}/{token}/accept",
            json={
                "username": username,
                "full_name": "Смирнова Ксения Андреевна",
                "password": STRONG_PASSWORD,
            },
        ),
        201,
    )


async def test_accepted_admin_invitation_makes_an_intern_member_of_the_team(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    issued = ok(
        await invite(
            client,
            admin_headers,
            internship_id=cohort.id,
            team_id=cohort.team_b.id,
            full_name="Смирнова Ксения Андреевна",
        ),
        201,
    )
    assert (issued["internship_id"], issued["team_id"], issued["status"]) == (
        cohort.id,
        cohort.team_b.id,
        "pending",
    )

    accepted = await accept(client, issued["token"], "k.smirnova")

    user_id = accepted["user"]["id"]
    participant = await participant_row(session, cohort.id, user_id)
    assert participant is not None
    assert (participant.role, participant.status, participant.archived_at) == (
        "intern",
        "active",
        None,
    )
    assert await live_member_ids(session, cohort.team_b.id, "member") == {
        cohort.intern_b.id,
        user_id,
    }
    # The new intern sees their team straight away.
    headers = {"Authorization": f"Bearer {accepted['tokens']['access_token']}"}
    teams = ok(await client.get(f"/api/v1/internships/{cohort.id}/teams", headers=headers))
    assert [t["id"] for t in teams] == [cohort.team_b.id]


async def test_accepted_mentor_invitation_makes_a_team_mentor(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    issued = ok(
        await invite(
            client,
            admin_headers,
            email="g.ivanova@example.com",
            role="mentor",
            internship_id=cohort.id,
            team_id=cohort.team_a.id,
        ),
        201,
    )

    accepted = await accept(client, issued["token"], "g.ivanova")

    user_id = accepted["user"]["id"]
    participant = await participant_row(session, cohort.id, user_id)
    assert participant is not None
    assert participant.role == "mentor"
    assert await live_member_ids(session, cohort.team_a.id, "mentor") == {
        cohort.mentor_a.id,
        user_id,
    }


async def test_team_mentor_invites_an_intern_into_their_own_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    issued = ok(
        await invite(
            client,
            cohort.headers(cohort.mentor_a),
            internship_id=cohort.id,
            team_id=cohort.team_a.id,
        ),
        201,
    )

    invitations = await invitations_for(session, cohort.id)
    assert [(i.email, i.role, i.team_id, i.invited_by_id) for i in invitations] == [
        ("k.smirnova@example.com", "intern", cohort.team_a.id, cohort.mentor_a.id)
    ]
    accepted = await accept(client, issued["token"], "k.smirnova")
    assert accepted["user"]["id"] in await live_member_ids(session, cohort.team_a.id, "member")


async def test_team_mentor_may_not_invite_into_another_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    before = await count_invitations(session)

    problem(
        await invite(
            client,
            cohort.headers(cohort.mentor_a),
            internship_id=cohort.id,
            team_id=cohort.team_b.id,
        ),
        403,
        "invitation_forbidden",
    )

    assert await count_invitations(session) == before


async def test_team_mentor_may_not_invite_a_mentor(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    before = await count_invitations(session)

    for role in ("mentor", "observer"):
        problem(
            await invite(
                client,
                cohort.headers(cohort.mentor_a),
                role=role,
                internship_id=cohort.id,
                team_id=cohort.team_a.id,
            ),
            403,
            "invitation_forbidden",
        )

    assert await count_invitations(session) == before


async def test_team_mentor_may_not_invite_into_the_internship_without_a_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    before = await count_invitations(session)

    problem(
        await invite(client, cohort.headers(cohort.mentor_a), internship_id=cohort.id),
        403,
        "invitation_forbidden",
    )

    assert await count_invitations(session) == before


async def test_intern_may_not_invite_into_their_own_team(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    before = await count_invitations(session)

    problem(
        await invite(
            client,
            cohort.headers(cohort.intern_a),
            internship_id=cohort.id,
            team_id=cohort.team_a.id,
        ),
        403,
    )

    assert await count_invitations(session) == before


async def test_team_of_another_internship_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    foreign = await new_team(session, cohort.other_internship.id, "Чужая команда")
    await session.commit()
    before = await count_invitations(session)

    body = problem(
        await invite(client, admin_headers, internship_id=cohort.id, team_id=foreign.id), 422
    )

    assert body["errors"][0]["loc"] == ["body", "team_id"]
    assert await count_invitations(session) == before


async def test_team_without_its_internship_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    before = await count_invitations(session)

    problem(await invite(client, admin_headers, team_id=cohort.team_a.id), 422)

    assert await count_invitations(session) == before


async def test_accepting_into_a_team_archived_meanwhile_still_enrols_the_intern(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    issued = ok(
        await invite(client, admin_headers, internship_id=cohort.id, team_id=cohort.team_b.id),
        201,
    )
    ok(await client.post(f"/api/v1/teams/{cohort.team_b.id}/archive", headers=admin_headers))

    accepted = await accept(client, issued["token"], "k.smirnova")

    user_id = accepted["user"]["id"]
    participant = await participant_row(session, cohort.id, user_id)
    assert participant is not None
    assert participant.role == "intern"
    assert await live_member_ids(session, cohort.team_b.id, "member") == set()


async def test_an_issued_observer_invitation_with_a_team_can_be_accepted(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    response = await invite(
        client, admin_headers, role="observer", internship_id=cohort.id, team_id=cohort.team_a.id
    )
    if response.status_code == 422:
        return  # refused when issued: consistent with the CSV import's rule
    issued = ok(response, 201)

    accepted = await accept(client, issued["token"], "hr.smirnova")

    participant = await participant_row(session, cohort.id, accepted["user"]["id"])
    assert participant is not None
    assert participant.role == "observer"


async def test_invitation_into_an_archived_internship_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, admin_headers: dict[str, str]
) -> None:
    archived = await new_internship(session, "Архивный поток", status="archived")
    await session.commit()
    before = await count_invitations(session)

    problem(
        await invite(client, admin_headers, internship_id=archived.id),
        409,
        "internship_archived",
    )

    assert await count_invitations(session) == before
