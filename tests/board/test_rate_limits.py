"""Per-user limits on writes (429 with Retry-After) and the storage quota of a project (413).

Limits are counted from the rows each user wrote (comments, attachments, invitations,
reset links, imports), so they hold across processes: two app instances share them.
"""

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from src.board.models.card_detail_model import Attachment
from src.config.database.db_helper import Database
from src.config.project_config import ProjectSettings, RateLimitSettings, get_settings
from src.main import create_app
from tests.board.conftest import Tracker
from tests.board.helpers import API, create_card, ok
from tests.importer.test_import_jobs import job_board


def assert_rate_limited(response: httpx.Response, what: str, limit: int, window: int) -> int:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "rate_limited"
    assert (problem["what"], problem["limit"], problem["window_seconds"]) == (what, limit, window)
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= window
    assert problem["retry_after"] == retry_after
    return retry_after


async def _comment(client: httpx.AsyncClient, headers: dict[str, str], card_id: int) -> Any:
    return await client.post(
        f"{API}/cards/{card_id}/comments", json={"body": "Готово"}, headers=headers
    )


def _files_on_disk() -> set[Path]:
    root = get_settings().data_dir / "attachments"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# --- comments ---------------------------------------------------------------------------


async def test_comments_past_the_limit_answer_429_with_retry_after(
    client: httpx.AsyncClient,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.rate_limits, "comments_per_minute", 3)
    intern = tracker.h(tracker.intern_a)
    card = await create_card(client, intern, tracker.board_id, "Задача")
    first = ok(await _comment(client, intern, card["id"]), 201)
    for _ in range(2):
        ok(await _comment(client, intern, card["id"]), 201)
    assert_rate_limited(await _comment(client, intern, card["id"]), "comments", 3, 60)
    # Removing a comment does not give its place back.
    removed = await client.delete(
        f"{API}/cards/{card['id']}/comments/{first['id']}", headers=intern
    )
    assert removed.status_code == 204
    assert_rate_limited(await _comment(client, intern, card["id"]), "comments", 3, 60)
    # Per user: a teammate still comments.
    ok(await _comment(client, tracker.h(tracker.intern_a2), card["id"]), 201)


async def test_a_limit_of_zero_turns_the_limit_off(
    client: httpx.AsyncClient,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.rate_limits, "comments_per_minute", 0)
    intern = tracker.h(tracker.intern_a)
    card = await create_card(client, intern, tracker.board_id, "Задача")
    for _ in range(35):  # past the default of 30
        ok(await _comment(client, intern, card["id"]), 201)


async def test_the_limit_holds_across_processes(
    committing_client: httpx.AsyncClient,
    committed_tracker: Tracker,
    settings: ProjectSettings,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second app instance (another process) on the same database sees the same count."""
    monkeypatch.setattr(settings.rate_limits, "comments_per_minute", 4)
    other_app = create_app(settings)
    other_app.state.database = Database(
        engine=engine,
        sessionmaker=async_sessionmaker(bind=engine, expire_on_commit=False, autoflush=False),
    )
    intern = committed_tracker.h(committed_tracker.intern_a)
    card = await create_card(committing_client, intern, committed_tracker.board_id, "Задача")
    transport = httpx.ASGITransport(app=other_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://other") as other:
        for client in (committing_client, other, committing_client, other):
            ok(await _comment(client, intern, card["id"]), 201)
        for client in (committing_client, other):
            retry_after = assert_rate_limited(
                await _comment(client, intern, card["id"]), "comments", 4, 60
            )
            # The oldest of the four leaves the window first: about a minute from now.
            assert retry_after >= 55


# --- attachments ------------------------------------------------------------------------


async def test_uploads_and_links_share_the_attachment_limit(
    client: httpx.AsyncClient,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.rate_limits, "attachments_per_minute", 2)
    intern = tracker.h(tracker.intern_a)
    card = await create_card(client, intern, tracker.board_id, "Задача")
    url = f"{API}/cards/{card['id']}/attachments"
    ok(await client.post(url, files={"file": ("a.txt", b"a", "text/plain")}, headers=intern), 201)
    link = {"url": "https://example.org/spec", "title": "ТЗ"}
    ok(await client.post(f"{url}/links", json=link, headers=intern), 201)
    before = _files_on_disk()
    refused = await client.post(url, files={"file": ("b.txt", b"b", "text/plain")}, headers=intern)
    assert_rate_limited(refused, "attachments", 2, 60)
    assert _files_on_disk() == before  # refused before anything was stored
    assert_rate_limited(
        await client.post(f"{url}/links", json=link, headers=intern), "attachments", 2, 60
    )


# --- invitations, reset links, imports --------------------------------------------------


async def test_invitations_past_the_limit_answer_429_but_the_participants_csv_is_not_cut(
    client: httpx.AsyncClient,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.rate_limits, "invitations_per_hour", 2)
    mentor = tracker.h(tracker.mentor_a)

    async def invite(n: int) -> httpx.Response:
        return await client.post(
            "/api/v1/auth/invitations",
            headers=mentor,
            json={
                "email": f"new{n}@example.com",
                "role": "intern",
                "internship_id": tracker.internship_id,
                "team_id": tracker.team_a_id,
            },
        )

    ok(await invite(1), 201)
    ok(await invite(2), 201)
    assert_rate_limited(await invite(3), "invitations", 2, 3600)
    # Bulk onboarding by an organiser is one request with bounds of its own.
    rows = "\n".join(f"csv{n}@example.com;Стажёр {n};стажёр" for n in range(5))
    imported = await client.post(
        f"/api/v1/internships/{tracker.internship_id}/participants/import",
        headers=tracker.h(tracker.admin),
        files={"file": ("p.csv", f"email;ФИО;роль\n{rows}\n".encode(), "text/csv")},
    )
    assert imported.status_code == 200, imported.text


async def test_password_reset_links_past_the_limit_answer_429(
    client: httpx.AsyncClient,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.rate_limits, "password_resets_per_hour", 2)
    admin = tracker.h(tracker.admin)
    url = "/api/v1/auth/password-resets"
    for user in (tracker.intern_a, tracker.intern_a2):
        ok(await client.post(url, headers=admin, json={"user_id": user.id}), 201)
    refused = await client.post(url, headers=admin, json={"user_id": tracker.intern_b.id})
    assert_rate_limited(refused, "password reset links", 2, 3600)


async def test_imports_past_the_limit_answer_429(
    client: httpx.AsyncClient,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings.rate_limits, "imports_per_hour", 1)
    mentor = tracker.h(tracker.mentor_a)
    url = f"{API}/projects/{tracker.project_a_id}/imports/trello"

    async def post(name: str) -> httpx.Response:
        body = job_board(name).to_bytes()
        files = {"file": ("board.json", body, "application/json")}
        return await client.post(url, files=files, headers=mentor)

    assert (await post("Первая")).status_code == 202
    assert_rate_limited(await post("Вторая"), "imports", 1, 3600)


# --- the storage quota ------------------------------------------------------------------


async def _upload(
    client: httpx.AsyncClient, headers: dict[str, str], card_id: int, size: int
) -> httpx.Response:
    return await client.post(
        f"{API}/cards/{card_id}/attachments",
        files={"file": ("data.bin", b"\x01" * size, "application/octet-stream")},
        headers=headers,
    )


async def test_a_file_past_the_projects_quota_is_413_and_leaves_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    settings: ProjectSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "project_storage_quota_bytes", 2500)
    intern = tracker.h(tracker.intern_a)
    card = await create_card(client, intern, tracker.board_id, "Задача")
    first = ok(await _upload(client, intern, card["id"], 1000), 201)
    ok(await _upload(client, intern, card["id"], 1000), 201)
    before = _files_on_disk()
    refused = await _upload(client, intern, card["id"], 1000)
    assert refused.status_code == 413, refused.text
    problem = refused.json()
    assert problem["code"] == "storage_quota_exceeded"
    assert (problem["quota_bytes"], problem["used_bytes"], problem["file_bytes"]) == (
        2500,
        2000,
        1000,
    )
    assert _files_on_disk() == before
    count = select(func.count()).select_from(Attachment).where(Attachment.card_id == card["id"])
    assert (await session.execute(count)).scalar_one() == 2
    # What still fits is taken; links weigh nothing.
    ok(await _upload(client, intern, card["id"], 500), 201)
    link = {"url": "https://example.org/spec"}
    ok(
        await client.post(f"{API}/cards/{card['id']}/attachments/links", json=link, headers=intern),
        201,
    )
    # A removed attachment frees its bytes.
    removed = await client.delete(f"{API}/attachments/{first['id']}", headers=intern)
    assert removed.status_code == 204
    ok(await _upload(client, intern, card["id"], 1000), 201)
    # Another project has a quota of its own.
    other = tracker.h(tracker.intern_b)
    card_b = await create_card(client, other, tracker.board_b_id, "Задача")
    ok(await _upload(client, other, card_b["id"], 2000), 201)


async def test_concurrent_uploads_never_overfill_the_quota(
    committing_client: httpx.AsyncClient,
    committed_tracker: Tracker,
    settings: ProjectSettings,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "project_storage_quota_bytes", 2500)
    tracker = committed_tracker
    headers = [tracker.h(u) for u in (tracker.intern_a, tracker.intern_a2, tracker.mentor_a)]
    # Cards of their own: uploads to one card wait for each other anyway (the card's lock).
    cards = [
        await create_card(committing_client, headers[0], tracker.board_id, f"Задача {n}")
        for n in range(6)
    ]
    responses = await asyncio.gather(
        *(_upload(committing_client, headers[n % 3], cards[n]["id"], 1000) for n in range(6))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 201, 413, 413, 413, 413], [r.text for r in responses]
    async with async_sessionmaker(bind=engine)() as session:
        stored = select(func.sum(Attachment.size)).where(Attachment.deleted_at.is_(None))
        assert (await session.execute(stored)).scalar_one() == 2000


def test_defaults_one_gibibyte_per_project_and_thirty_comments_a_minute() -> None:
    assert ProjectSettings.model_fields["project_storage_quota_bytes"].default == 1024**3
    limits = RateLimitSettings()
    assert (limits.comments.limit, limits.comments.window.total_seconds()) == (30, 60)
