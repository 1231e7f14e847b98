"""Attachments: files under generated names, sniffed types, limits, safe names; links."""

import socket
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from src.board.models.card_detail_model import Attachment
from src.board.repositories.card_detail_repository import AttachmentRepository
from src.config.database.db_helper import Database
from src.config.project_config import ProjectSettings, get_settings
from src.lib.errors import ConflictError
from src.main import create_app
from tests.board.conftest import Tracker
from tests.board.helpers import API, create_card, ok, problem, read_board

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _root() -> Path:
    return get_settings().data_dir / "attachments"


def _files_on_disk() -> set[Path]:
    root = _root()
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def _card(client: httpx.AsyncClient, tracker: Tracker) -> int:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    return int(card["id"])


async def _upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    card_id: int,
    name: str,
    content: bytes,
    content_type: str = "application/octet-stream",
) -> httpx.Response:
    return await client.post(
        f"{API}/cards/{card_id}/attachments",
        files={"file": (name, content, content_type)},
        headers=headers,
    )


async def _rows(session: AsyncSession, card_id: int) -> list[Attachment]:
    rows = await session.execute(
        select(Attachment)
        .where(Attachment.card_id == card_id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def test_upload_stores_under_a_generated_name_with_the_sniffed_type(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    before = _files_on_disk()
    response = await _upload(
        client, tracker.h(tracker.intern_a), card_id, "скриншот отчёта.png", PNG, "text/plain"
    )
    attachment = ok(response, 201)
    assert attachment["kind"] == "file"
    assert attachment["filename"] == "скриншот отчёта.png"
    assert attachment["content_type"] == "image/png"  # from the bytes, not the client's claim
    assert attachment["size"] == len(PNG)
    assert attachment["uploaded_by_id"] == tracker.intern_a.id

    (row,) = await _rows(session, card_id)
    assert row.content_type == "image/png"
    assert row.storage_name is not None
    assert row.storage_name != row.filename
    assert row.storage_name.isalnum()
    (new_file,) = _files_on_disk() - before
    assert new_file.name == row.storage_name
    assert new_file.is_relative_to(_root())
    assert "отчёта" not in str(new_file)
    assert new_file.read_bytes() == PNG


async def test_text_file_type_falls_back_to_the_name(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    response = await _upload(
        client, tracker.h(tracker.intern_a), card_id, "заметки.txt", "Итоги недели".encode()
    )
    assert ok(response, 201)["content_type"] == "text/plain"


async def test_download_is_an_attachment_with_the_original_name_and_bytes(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    content = "Отчёт за неделю: всё готово\n".encode()
    attachment = ok(
        await _upload(client, tracker.h(tracker.intern_a), card_id, "Отчёт за неделю.txt", content),
        201,
    )
    for reader in (tracker.intern_a2, tracker.mentor_a, tracker.observer, tracker.admin):
        response = await client.get(
            f"{API}/attachments/{attachment['id']}/download", headers=tracker.h(reader)
        )
        assert response.status_code == 200, response.text
        assert response.content == content
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        encoded = disposition.split("filename*=utf-8''", 1)[1]
        assert urllib.parse.unquote(encoded) == "Отчёт за неделю.txt"
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_intern_of_another_team_gets_404_on_download_and_delete(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    attachment = ok(
        await _upload(client, tracker.h(tracker.intern_a), card_id, "план.txt", b"plan"), 201
    )
    for stranger in (tracker.intern_b, tracker.mentor_b, tracker.outsider):
        headers = tracker.h(stranger)
        problem(
            await client.get(f"{API}/attachments/{attachment['id']}/download", headers=headers),
            404,
            "attachment_not_found",
        )
        problem(
            await client.delete(f"{API}/attachments/{attachment['id']}", headers=headers),
            404,
            "attachment_not_found",
        )
    (row,) = await _rows(session, card_id)
    assert row.deleted_at is None


async def test_file_over_the_limit_is_413_and_leaves_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "attachment_max_bytes", 2048)
    card_id = await _card(client, tracker)
    before = _files_on_disk()
    response = await _upload(
        client, tracker.h(tracker.intern_a), card_id, "большой.bin", b"x" * 4096
    )
    problem(response, 413, "attachment_too_large")
    assert _files_on_disk() == before
    assert await _rows(session, card_id) == []
    # Exactly at the limit is fine.
    ok(await _upload(client, tracker.h(tracker.intern_a), card_id, "ровно.bin", b"y" * 2048), 201)


@pytest.fixture
async def small_limit_client(
    settings: ProjectSettings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[httpx.AsyncClient]:
    """An app built while the attachment limit is 2 KiB: its body-size middleware refuses
    uploads over 2 KiB + 64 KiB before the endpoint runs."""
    monkeypatch.setattr(settings, "attachment_max_bytes", 2048)
    application: FastAPI = create_app(settings)
    application.state.database = Database(engine=engine, sessionmaker=sessionmaker)
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def test_body_over_the_upload_limit_is_413_before_the_endpoint(
    small_limit_client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(small_limit_client, tracker)
    before = _files_on_disk()
    response = await _upload(
        small_limit_client, tracker.h(tracker.intern_a), card_id, "огромный.bin", b"z" * 80_000
    )
    problem(response, 413, "payload_too_large")
    assert _files_on_disk() == before
    assert await _rows(session, card_id) == []


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "../../etc/passwd", "reports/evil.txt", "reports\\evil.txt", ".."],
)
async def test_path_like_file_name_is_422_and_leaves_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker, name: str
) -> None:
    card_id = await _card(client, tracker)
    before = _files_on_disk()
    response = await _upload(client, tracker.h(tracker.intern_a), card_id, name, b"payload")
    problem(response, 422)
    assert _files_on_disk() == before
    assert await _rows(session, card_id) == []


@pytest.mark.parametrize("name", ["   ", "\u3000"])
async def test_blank_file_name_is_422_and_leaves_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker, name: str
) -> None:
    card_id = await _card(client, tracker)
    before = _files_on_disk()
    response = await _upload(client, tracker.h(tracker.intern_a), card_id, name, b"payload")
    problem(response, 422)
    assert _files_on_disk() == before
    assert await _rows(session, card_id) == []


async def test_failure_after_the_file_was_stored_removes_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card_id = await _card(client, tracker)

    async def fail(self: AttachmentRepository, attachment: Attachment) -> Attachment:
        raise ConflictError("Simulated failure after the file was written.")

    monkeypatch.setattr(AttachmentRepository, "add", fail)
    before = _files_on_disk()
    response = await _upload(client, tracker.h(tracker.intern_a), card_id, "план.txt", b"plan")
    problem(response, 409)
    assert _files_on_disk() == before
    assert await _rows(session, card_id) == []


async def test_link_is_stored_and_never_fetched(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card_id = await _card(client, tracker)
    network: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        network.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    headers = tracker.h(tracker.intern_a)
    link = ok(
        await client.post(
            f"{API}/cards/{card_id}/attachments/links",
            json={"url": "https://git.example.com/team-a/bot", "title": "Репозиторий"},
            headers=headers,
        ),
        201,
    )
    bare = ok(
        await client.post(
            f"{API}/cards/{card_id}/attachments/links",
            json={"url": "http://169.254.169.254/latest/meta-data/"},
            headers=headers,
        ),
        201,
    )
    assert network == []
    assert (link["kind"], link["url"], link["title"]) == (
        "link",
        "https://git.example.com/team-a/bot",
        "Репозиторий",
    )
    assert link["filename"] is None
    assert bare["title"] == bare["url"]
    rows = await _rows(session, card_id)
    assert sorted((r.kind, r.url, r.storage_name) for r in rows) == [
        ("link", "http://169.254.169.254/latest/meta-data/", None),
        ("link", "https://git.example.com/team-a/bot", None),
    ]
    problem(await client.get(f"{API}/attachments/{link['id']}/download", headers=headers), 409)


async def test_link_must_be_http(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    for url in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.com/x"):
        problem(
            await client.post(
                f"{API}/cards/{card_id}/attachments/links",
                json={"url": url},
                headers=tracker.h(tracker.intern_a),
            ),
            422,
        )
    assert await _rows(session, card_id) == []


async def test_soft_delete_hides_the_attachment(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    headers = tracker.h(tracker.intern_a)
    kept = ok(await _upload(client, headers, card_id, "оставить.txt", b"keep"), 201)
    gone = ok(await _upload(client, headers, card_id, "убрать.txt", b"drop"), 201)
    response = await client.delete(f"{API}/attachments/{gone['id']}", headers=headers)
    assert response.status_code == 204, response.text
    listed = ok(await client.get(f"{API}/cards/{card_id}/attachments", headers=headers))
    assert [a["id"] for a in listed] == [kept["id"]]
    problem(
        await client.get(f"{API}/attachments/{gone['id']}/download", headers=headers),
        404,
        "attachment_not_found",
    )
    rows = {r.id: r for r in await _rows(session, card_id)}
    assert rows[gone["id"]].deleted_at is not None
    assert rows[kept["id"]].deleted_at is None
    board = await read_board(client, headers, tracker.board_id)
    (summary,) = [card for column in board["columns"] for card in column["cards"]]
    assert summary["attachment_count"] == 1


async def test_observer_cannot_upload(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    before = _files_on_disk()
    problem(await _upload(client, tracker.h(tracker.observer), card_id, "x.txt", b"x"), 403)
    assert _files_on_disk() == before
    assert await _rows(session, card_id) == []
