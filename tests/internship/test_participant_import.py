"""CSV onboarding with files as Russian Excel writes them: dry run, all-or-nothing apply."""

import codecs
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.user.user_model import User
from tests.factories import create_user
from tests.internship.conftest import Cohort
from tests.internship.helpers import (
    INTERNSHIPS,
    count_invitations,
    invitations_for,
    live_member_ids,
    memberships,
    ok,
    participant_row,
    participants_of,
    problem,
    teams_of,
)

STRONG_PASSWORD = "violet-lantern-harbour-42"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def excel_utf8(lines: list[str]) -> bytes:
    """Excel «CSV UTF-8 (разделители — запятые)»: BOM, `;`, CRLF."""
    return codecs.BOM_UTF8 + "\r\n".join(lines).encode("utf-8") + b"\r\n"


def excel_cp1251(lines: list[str]) -> bytes:
    """Excel «CSV (разделители — запятые)» on Russian Windows: Windows-1251, `;`, CRLF."""
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def plain_utf8(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    internship_id: int,
    content: bytes,
    *,
    dry_run: bool,
    filename: str = "participants.csv",
) -> httpx.Response:
    return await client.post(
        f"{INTERNSHIPS}/{internship_id}/participants/import",
        headers=headers,
        params={"dry_run": "true" if dry_run else "false"},
        files={"file": (filename, content, "text/csv")},
    )


def by_row(report: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {item["row"]: item for item in report["rows"]}


def actions(report: dict[str, Any]) -> dict[int, str]:
    return {item["row"]: item["action"] for item in report["rows"]}


class Snapshot:
    """What an import may write: invitations, teams, participants, team places."""

    def __init__(
        self, invitations: int, teams: list[Any], participants: list[Any], places: list[Any]
    ) -> None:
        self.invitations = invitations
        self.teams = teams
        self.participants = participants
        self.places = places

    @classmethod
    async def take(cls, session: AsyncSession, internship_id: int) -> "Snapshot":
        teams = await teams_of(session, internship_id)
        places = [m for t in teams for m in await memberships(session, team_id=t.id)]
        return cls(
            await count_invitations(session),
            [(t.id, t.name, t.archived_at) for t in teams],
            [
                (p.id, p.user_id, p.role, p.archived_at)
                for p in await participants_of(session, internship_id)
            ],
            [(m.id, m.team_id, m.user_id, m.role, m.archived_at) for m in places],
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Snapshot({vars(self)})"


@pytest.fixture
async def existing_user(session: AsyncSession) -> User:
    """Registered, but not in the internship yet."""
    user = await create_user(
        session, username="g.titov", email="g.titov@example.com", full_name="Титов Глеб Романович"
    )
    await session.commit()
    return user


def clean_lines() -> list[str]:
    return [
        "Email;ФИО;Роль;Команда",
        "K.Smirnova@Example.com;Смирнова Ксения Андреевна;стажёр;Команда Гамма",
        "l.popov@example.com;Попов Лев Николаевич;Стажер;команда альфа",
        "g.ivanova@example.com;Иванова Галина Борисовна;ментор;Команда Гамма",
        "g.titov@example.com;Титов Глеб Романович;intern;",
        "n.zaitseva@example.com;Зайцева Нина Олеговна;наблюдатель;",
        "a.sidorova@example.com;Сидорова Анна Викторовна;стажёр;Команда Альфа",
    ]


# --- dry run ----------------------------------------------------------------------------


async def test_dry_run_of_an_excel_utf8_file_reports_each_row_and_writes_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    existing_user: User,
) -> None:
    before = await Snapshot.take(session, cohort.id)

    report = ok(
        await upload(client, admin_headers, cohort.id, excel_utf8(clean_lines()), dry_run=True)
    )

    assert (report["dry_run"], report["applied"]) == (True, False)
    assert actions(report) == {
        2: "invite",
        3: "invite",
        4: "invite",
        5: "add_participant",
        6: "invite",
        7: "already_there",
    }
    rows = by_row(report)
    assert rows[2]["email"] == "k.smirnova@example.com"
    assert rows[2]["full_name"] == "Смирнова Ксения Андреевна"
    assert (rows[2]["role"], rows[2]["team"]) == ("intern", "Команда Гамма")
    assert (rows[3]["role"], rows[4]["role"], rows[6]["role"]) == ("intern", "mentor", "observer")
    assert rows[5]["user_id"] == existing_user.id
    assert rows[7]["user_id"] == cohort.intern_a.id
    assert all(item["accept_url"] is None for item in report["rows"])
    assert report["teams_to_create"] == ["Команда Гамма"]
    assert report["summary"] == {
        "rows": 6,
        "invite": 4,
        "add_participant": 1,
        "update": 0,
        "already_there": 1,
        "error": 0,
    }
    assert await Snapshot.take(session, cohort.id) == before
    assert await invitations_for(session, cohort.id) == []


async def test_windows_1251_file_with_semicolons_and_crlf_is_read(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    content = excel_cp1251(
        [
            "Email;ФИО;Роль;Команда",
            "v.shcherbakova@example.com;Щербакова Вера Семёновна;стажёр;Команда Бета",
            "f.yolkin@example.com;Ёлкин Фёдор Ильич;наставник;",
        ]
    )
    assert not content.startswith(codecs.BOM_UTF8)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    report = ok(await upload(client, admin_headers, cohort.id, content, dry_run=True))

    rows = by_row(report)
    assert actions(report) == {2: "invite", 3: "invite"}
    assert rows[2]["full_name"] == "Щербакова Вера Семёновна"
    assert (rows[2]["role"], rows[2]["team"]) == ("intern", "Команда Бета")
    assert rows[3]["full_name"] == "Ёлкин Фёдор Ильич"
    assert rows[3]["role"] == "mentor"
    assert report["teams_to_create"] == []


async def test_plain_utf8_with_commas_and_english_headers_is_read(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    content = plain_utf8(
        [
            "email,full name,role,team",
            "j.smith@example.com,John Smith,Intern,Team Delta",
            'r.kim@example.com,"Ким Роман, PhD",MENTOR,Team Delta',
            "o.hr@example.com,Ольга Кадровик,observer,",
        ]
    )

    report = ok(await upload(client, admin_headers, cohort.id, content, dry_run=True))

    rows = by_row(report)
    assert actions(report) == {2: "invite", 3: "invite", 4: "invite"}
    assert [rows[n]["role"] for n in (2, 3, 4)] == ["intern", "mentor", "observer"]
    assert rows[3]["full_name"] == "Ким Роман, PhD"
    assert report["teams_to_create"] == ["Team Delta"]


async def test_row_numbers_are_line_numbers_of_the_file(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    content = excel_utf8(
        [
            "Email;ФИО;Роль;Команда",
            "",
            "first@example.com;Первый Стажёр;стажёр;",
            ";;;",
            "second@example.com;Второй Стажёр;стажер;",
        ]
    )

    report = ok(await upload(client, admin_headers, cohort.id, content, dry_run=True))

    assert actions(report) == {3: "invite", 5: "invite"}


async def test_dry_run_reports_bad_rows_with_their_reasons(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    before = await Snapshot.take(session, cohort.id)
    content = excel_utf8(
        [
            "Email;ФИО;Роль;Команда",
            "good@example.com;Хороший Стажёр;стажёр;Команда Альфа",
            "not-an-email;Плохая Почта;стажёр;",
            "GOOD@example.com;Повтор Строки;стажёр;",
            "who@example.com;Неизвестная Роль;директор;",
            "hr@example.com;Наблюдатель В Команде;наблюдатель;Команда Альфа",
            ";Без Почты;стажёр;",
            "m.kuznetsova@example.com;Кузнецова Мария Игоревна;стажёр;",
        ]
    )

    report = ok(await upload(client, admin_headers, cohort.id, content, dry_run=True))

    assert actions(report) == {
        2: "invite",
        3: "error",
        4: "error",
        5: "error",
        6: "error",
        7: "error",
        8: "error",
    }
    rows = by_row(report)
    assert "not-an-email" in rows[3]["detail"]
    assert "valid e-mail" in rows[3]["detail"]
    assert rows[4]["detail"] == "Duplicate of line 2."
    assert "директор" in rows[5]["detail"]
    assert "Unknown role" in rows[5]["detail"]
    assert "Observers do not join teams" in rows[6]["detail"]
    assert "empty" in rows[7]["detail"]
    assert "mentor" in rows[8]["detail"]
    assert report["summary"]["error"] == 6
    assert await Snapshot.take(session, cohort.id) == before


# --- real run ---------------------------------------------------------------------------


async def test_real_run_with_any_bad_row_is_422_with_the_report_and_writes_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    existing_user: User,
) -> None:
    before = await Snapshot.take(session, cohort.id)
    lines = [*clean_lines(), "broken@;Сломанная Почта;стажёр;Команда Дельта"]

    body = problem(
        await upload(client, admin_headers, cohort.id, excel_utf8(lines), dry_run=False), 422
    )

    report = body["report"]
    assert report["applied"] is False
    assert actions(report)[8] == "error"
    assert actions(report)[2] == "invite"
    assert report["summary"]["error"] == 1
    assert await Snapshot.take(session, cohort.id) == before
    assert await invitations_for(session, cohort.id) == []
    assert await participant_row(session, cohort.id, existing_user.id) is None
    assert [t.name for t in await teams_of(session, cohort.id)] == ["Команда Альфа", "Команда Бета"]


async def test_real_run_of_a_clean_file_invites_creates_teams_and_adds_people(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    existing_user: User,
) -> None:
    report = ok(
        await upload(client, admin_headers, cohort.id, excel_utf8(clean_lines()), dry_run=False)
    )

    assert (report["dry_run"], report["applied"]) == (False, True)
    teams = {t.name: t for t in await teams_of(session, cohort.id)}
    assert set(teams) == {"Команда Альфа", "Команда Бета", "Команда Гамма"}
    gamma = teams["Команда Гамма"]
    invitations = await invitations_for(session, cohort.id)
    assert sorted(
        (i.email, i.role, i.internship_id, i.team_id, i.full_name) for i in invitations
    ) == sorted(
        [
            ("k.smirnova@example.com", "intern", cohort.id, gamma.id, "Смирнова Ксения Андреевна"),
            ("l.popov@example.com", "intern", cohort.id, cohort.team_a.id, "Попов Лев Николаевич"),
            ("g.ivanova@example.com", "mentor", cohort.id, gamma.id, "Иванова Галина Борисовна"),
            ("n.zaitseva@example.com", "observer", cohort.id, None, "Зайцева Нина Олеговна"),
        ]
    )
    assert all(i.accepted_at is None and i.revoked_at is None for i in invitations)
    # The existing user joined as an intern; nobody else was enrolled.
    added = await participant_row(session, cohort.id, existing_user.id)
    assert added is not None
    assert (added.role, added.archived_at) == ("intern", None)
    assert len(await participants_of(session, cohort.id)) == 8
    # Invited rows carry their link; the others do not.
    rows = by_row(report)
    by_email = {i.email: i.id for i in invitations}
    for line in (2, 3, 4, 6):
        assert rows[line]["accept_url"].startswith("http"), rows[line]
        assert "/invite/" in rows[line]["accept_url"]
        assert rows[line]["invitation_id"] == by_email[rows[line]["email"]]
    for line in (5, 7):
        assert rows[line]["accept_url"] is None
        assert rows[line]["invitation_id"] is None


async def test_accepting_an_imported_invitation_lands_the_person_in_the_new_team(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    existing_user: User,
) -> None:
    report = ok(
        await upload(client, admin_headers, cohort.id, excel_utf8(clean_lines()), dry_run=False)
    )
    token = by_row(report)[2]["accept_url"].rsplit("/", 1)[1]

    accepted = ok(
        await client.post(
            f"/api/v1/auth/invitations/{token}/accept",
            json={
                "username": "k.smirnova",
                "full_name": "Смирнова Ксения Андреевна",
                "password": STRONG_PASSWORD,
            },
        ),
        201,
    )

    user_id = accepted["user"]["id"]
    gamma = next(t for t in await teams_of(session, cohort.id) if t.name == "Команда Гамма")
    participant = await participant_row(session, cohort.id, user_id)
    assert participant is not None
    assert participant.role == "intern"
    assert await live_member_ids(session, gamma.id, "member") == {user_id}


async def test_existing_intern_without_a_team_joins_the_team_named_in_the_file(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    content = excel_utf8(
        [
            "Email;ФИО;Роль;Команда",
            "e.belova@example.com;Белова Екатерина Павловна;стажёр;Команда Бета",
        ]
    )

    dry = ok(await upload(client, admin_headers, cohort.id, content, dry_run=True))
    assert actions(dry) == {2: "update"}
    ok(await upload(client, admin_headers, cohort.id, content, dry_run=False))

    assert await live_member_ids(session, cohort.team_b.id, "member") == {
        cohort.intern_b.id,
        cohort.free_intern.id,
    }


async def test_rerunning_a_clean_file_adds_no_one_and_no_team_twice(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    existing_user: User,
) -> None:
    content = excel_utf8(clean_lines())
    ok(await upload(client, admin_headers, cohort.id, content, dry_run=False))
    teams_after_first = [t.id for t in await teams_of(session, cohort.id)]
    participants_after_first = [p.id for p in await participants_of(session, cohort.id)]

    second = ok(await upload(client, admin_headers, cohort.id, content, dry_run=False))

    assert second["teams_to_create"] == []
    assert actions(second)[5] == "already_there"
    assert actions(second)[7] == "already_there"
    assert [t.id for t in await teams_of(session, cohort.id)] == teams_after_first
    assert [p.id for p in await participants_of(session, cohort.id)] == participants_after_first


async def test_rerunning_a_clean_file_does_not_invite_pending_people_again(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    existing_user: User,
) -> None:
    content = excel_utf8(clean_lines())
    ok(await upload(client, admin_headers, cohort.id, content, dry_run=False))
    invitations_after_first = len(await invitations_for(session, cohort.id))
    assert invitations_after_first == 4

    dry = ok(await upload(client, admin_headers, cohort.id, content, dry_run=True))
    assert "invite" not in actions(dry).values(), actions(dry)
    ok(await upload(client, admin_headers, cohort.id, content, dry_run=False))

    assert len(await invitations_for(session, cohort.id)) == invitations_after_first


# --- files that are not participant lists -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty", b""),
        ("blank lines", b"\r\n\r\n  \r\n"),
        ("bom only", codecs.BOM_UTF8),
        ("png", PNG),
        ("not participants", b"a,b,c\n1,2,3\n"),
        ("no role column", "Email;ФИО\nx@example.com;Икс\n".encode()),
        ("utf-16 excel unicode text", "Email\tФИО\tРоль\n".encode("utf-16")),
    ],
)
async def test_file_that_is_not_a_participants_csv_is_400(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
    name: str,
    content: bytes,
) -> None:
    before = await Snapshot.take(session, cohort.id)

    for dry_run in (True, False):
        problem(
            await upload(client, admin_headers, cohort.id, content, dry_run=dry_run),
            400,
            "invalid_csv",
        )

    assert await Snapshot.take(session, cohort.id) == before


@pytest.mark.parametrize(
    "content",
    [excel_utf8(["Email;ФИО;Роль;Команда"]), plain_utf8(["email,full name,role,team"])],
    ids=["excel", "plain"],
)
async def test_header_only_file_is_400(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    cohort: Cohort,
    content: bytes,
) -> None:
    problem(
        await upload(client, admin_headers, cohort.id, content, dry_run=True), 400, "invalid_csv"
    )


async def test_missing_columns_are_named_in_the_error(
    client: httpx.AsyncClient, admin_headers: dict[str, str], cohort: Cohort
) -> None:
    body = problem(
        await upload(client, admin_headers, cohort.id, b"a,b,c\n1,2,3\n", dry_run=True),
        400,
        "invalid_csv",
    )

    assert body["missing_columns"] == ["email", "full_name", "role"]


# --- who may import ---------------------------------------------------------------------


async def test_non_admin_may_not_import(
    client: httpx.AsyncClient, session: AsyncSession, cohort: Cohort
) -> None:
    before = await Snapshot.take(session, cohort.id)

    for dry_run in (True, False):
        problem(
            await upload(
                client,
                cohort.headers(cohort.mentor_a),
                cohort.id,
                excel_utf8(clean_lines()),
                dry_run=dry_run,
            ),
            403,
            "internship_permission_denied",
        )

    assert await Snapshot.take(session, cohort.id) == before


async def test_team_spelled_with_e_and_yo_in_one_file_lands_everyone_in_one_team(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    cohort: Cohort,
) -> None:
    content = excel_utf8(
        [
            "Email;ФИО;Роль;Команда",
            "first@example.com;Первый Стажёр;стажёр;Команда Ёж",
            "second@example.com;Второй Стажёр;стажёр;Команда Еж",
        ]
    )

    report = ok(await upload(client, admin_headers, cohort.id, content, dry_run=False))

    assert report["teams_to_create"] == ["Команда Ёж"]
    invitations = await invitations_for(session, cohort.id)
    assert len(invitations) == 2
    assert invitations[0].team_id is not None
    assert invitations[1].team_id == invitations[0].team_id
