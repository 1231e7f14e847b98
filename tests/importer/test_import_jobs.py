"""Import jobs: status and report, listing, retries, and jobs left behind by an
application that stopped (marked failed at start-up unless still worked on)."""

import asyncio
import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from src.board.services.board_transfer_service import board_transfer_service
from src.importer.models.import_job_model import ImportJob
from src.importer.repositories.import_job_repository import LOCK_NAMESPACE
from src.importer.services.board_import_service import board_import_service, uploads
from tests.board.conftest import Tracker
from tests.importer.helpers import (
    API,
    boards_of,
    get_job,
    imported,
    ok,
    post_import,
    problem,
    stored_uploads,
)
from tests.importer.trello_builder import TrelloExport


def job_board(name: str = "Доска задания") -> TrelloExport:
    export = TrelloExport(name=name)
    todo = export.add_list("К выполнению", 1)
    done = export.add_list("Готово", 2)
    anna = export.member("a.sidorova", "Анна Сидорова")
    for index in range(3):
        export.card(todo if index else done, f"Карточка {index}", index, members=(anna,))
    export.card(todo, "Архивная", 9, closed=True)
    export.card(todo, "Без списка", 10)["idList"] = export.new_id()
    return export


async def test_job_shows_status_progress_and_report(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    export = job_board()
    job = await imported(
        client, tracker.h(tracker.mentor_a), tracker.project_a_id, export, filename="Трелло.json"
    )

    assert job["source"] == "trello"
    assert job["filename"] == "Трелло.json"
    assert job["size"] == len(export.to_bytes())
    assert job["attempts"] == 1
    assert job["error"] is None
    assert job["created_by_id"] == tracker.mentor_a.id
    started, finished = (dt.datetime.fromisoformat(job[k]) for k in ("started_at", "finished_at"))
    assert dt.datetime.fromisoformat(job["created_at"]) <= started <= finished
    report = job["report"]
    assert report["board_id"] == job["board_id"]
    assert report["imported"] == {
        "columns": 2,
        "labels": 0,
        "cards": 4,
        "archived_cards": 1,
        "checklists": 0,
        "checklist_items": 0,
        "comments": 0,
        "mentions": 0,
        "attachments": 0,
        "assignments": 3,
        "history_events": 5,
    }
    assert report["skipped"] == [
        {"what": "card", "id": export.cards[-1]["id"], "reason": "its list is not in the export"}
    ]
    assert report["counts"]["skipped_card"] == 1
    assert report["people"] == [
        {
            "key": export.members[0]["id"],
            "username": "a.sidorova",
            "full_name": "Анна Сидорова",
            "user_id": tracker.intern_a.id,
            "matched_by": "username",
        }
    ]
    assert isinstance(report["seconds"], float | int)


async def test_jobs_of_a_project_newest_first(client: httpx.AsyncClient, tracker: Tracker) -> None:
    headers = tracker.h(tracker.mentor_a)
    ids = [
        (await imported(client, headers, tracker.project_a_id, job_board(f"Доска {n}")))["id"]
        for n in range(3)
    ]
    page = ok(
        await client.get(
            f"{API}/projects/{tracker.project_a_id}/imports",
            params={"limit": 2, "offset": 1},
            headers=headers,
        )
    )
    assert page["total"] == 3
    assert [j["id"] for j in page["items"]] == [ids[1], ids[0]]
    other = ok(
        await client.get(
            f"{API}/projects/{tracker.project_b_id}/imports", headers=tracker.h(tracker.admin)
        )
    )
    assert other["total"] == 0


async def test_retry_answers_409_unless_the_job_failed_with_its_file_kept(
    client: httpx.AsyncClient, tracker: Tracker, engine: AsyncEngine, app: FastAPI
) -> None:
    headers = tracker.h(tracker.mentor_a)
    job = await imported(client, headers, tracker.project_a_id, job_board())
    response = await client.post(f"{API}/imports/{job['id']}/retry", headers=headers)
    assert "Only a failed import" in problem(response, 409, "import_not_retryable")["detail"]
    # A failed job whose upload is gone cannot run again either.
    async with app.state.database.transaction() as session:
        await session.execute(
            update(ImportJob)
            .where(ImportJob.id == job["id"])
            .values(status="failed", storage_name="0123456789abcdef0123456789abcdef")
        )
    response = await client.post(f"{API}/imports/{job['id']}/retry", headers=headers)
    assert "gone" in problem(response, 409, "import_not_retryable")["detail"]
    assert (await get_job(client, headers, job["id"]))["status"] == "failed"


# --- jobs left behind by a stopped application -------------------------------------------


async def _add_job(maker: async_sessionmaker[Any], project_id: int, **fields: Any) -> int:
    async with maker() as session:
        job = ImportJob(
            project_id=project_id,
            created_by_id=None,
            source="trello",
            filename="board.json",
            size=100,
            options={},
            progress=40,
            attempts=1,
            **fields,
        )
        session.add(job)
        await session.commit()
        return job.id


async def test_recover_interrupted_fails_only_jobs_nobody_works_on(
    committing_client: httpx.AsyncClient,
    committing_app: FastAPI,
    committed_tracker: Tracker,
    engine: AsyncEngine,
) -> None:
    tracker = committed_tracker
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    export = job_board("Доска после сбоя")
    storage_name, *_ = uploads().store(io.BytesIO(export.to_bytes()), max_bytes=10**6)
    project = tracker.project_a_id
    dead = await _add_job(
        maker, project, status="running", stage="cards", storage_name=storage_name
    )
    alive = await _add_job(maker, project, status="running", stage="cards")
    stale = await _add_job(maker, project, status="queued", stage="queued")
    fresh = await _add_job(maker, project, status="queued", stage="queued")
    done = await _add_job(maker, project, status="succeeded", stage="done")
    async with engine.begin() as conn:
        await conn.execute(
            update(ImportJob)
            .where(ImportJob.id.in_([stale]))
            .values(updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
        )

    async with engine.connect() as worker:  # another process, still importing `alive`
        await worker.execute(
            text("SELECT pg_advisory_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": alive}
        )
        failed = await board_import_service.recover_interrupted(committing_app.state.database)
        assert sorted(failed) == sorted([dead, stale])
        async with maker() as session:
            rows = {
                j.id: j
                for j in (await session.execute(select(ImportJob).order_by(ImportJob.id))).scalars()
            }
        assert {i: rows[i].status for i in rows} == {
            dead: "failed",
            alive: "running",
            stale: "failed",
            fresh: "queued",
            done: "succeeded",
        }
        assert rows[dead].stage == "interrupted"
        assert rows[dead].error == "The import was interrupted (the application stopped); retry it."
        assert rows[dead].finished_at is not None
        await worker.execute(
            text("SELECT pg_advisory_unlock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": alive}
        )
        await worker.commit()
    # Its worker gone too, the next start-up fails it as well.
    assert await board_import_service.recover_interrupted(committing_app.state.database) == [alive]

    # The interrupted import runs again from its stored file.
    headers = tracker.h(tracker.mentor_a)
    retried = ok(await committing_client.post(f"{API}/imports/{dead}/retry", headers=headers), 202)
    assert retried["status"] == "queued"
    job = await get_job(committing_client, headers, dead)
    assert job["status"] == "succeeded", job
    assert job["attempts"] == 2
    assert job["report"]["imported"]["cards"] == 4
    assert storage_name not in stored_uploads()


async def test_two_simultaneous_imports_of_one_export_make_one_board(
    committing_client: httpx.AsyncClient,
    committed_tracker: Tracker,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = board_transfer_service.write_snapshot

    async def slow_write(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.3)  # both uploads pass their first check meanwhile
        return await original(*args, **kwargs)

    monkeypatch.setattr(board_transfer_service, "write_snapshot", slow_write)
    export = job_board("Доска, загруженная дважды")
    headers = committed_tracker.h(committed_tracker.mentor_a)
    project = committed_tracker.project_a_id
    responses = await asyncio.gather(
        *(post_import(committing_client, headers, project, export) for _ in range(2))
    )
    assert [r.status_code for r in responses] == [202, 202]
    jobs = [await get_job(committing_client, headers, r.json()["id"]) for r in responses]
    assert sorted(j["status"] for j in jobs) == ["failed", "succeeded"]
    (failed,) = [j for j in jobs if j["status"] == "failed"]
    (succeeded,) = [j for j in jobs if j["status"] == "succeeded"]
    assert "imported into the project before" in failed["error"]
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        boards = await boards_of(session, project)
    assert [b.id for b in boards if b.external_id] == [succeeded["board_id"]]


# --- uploads nobody will use again ---------------------------------------------------------


def _store(content: bytes, *, age_hours: float = 0) -> str:
    storage_name, *_ = uploads().store(io.BytesIO(content), max_bytes=10**6)
    if age_hours:
        _age(uploads().path_of(storage_name), age_hours)
    return storage_name


async def _failed_job(
    maker: async_sessionmaker[Any],
    project_id: int,
    storage_name: str,
    finished_ago: dt.timedelta,
    **fields: Any,
) -> int:
    return await _add_job(
        maker,
        project_id,
        status="failed",
        stage="cards",
        storage_name=storage_name,
        finished_at=dt.datetime.now(dt.UTC) - finished_ago,
        **fields,
    )


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


async def test_prune_removes_expired_failed_orphaned_and_half_written_uploads(
    committing_client: httpx.AsyncClient,
    committing_app: FastAPI,
    committed_tracker: Tracker,
    engine: AsyncEngine,
) -> None:
    tracker = committed_tracker
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    project = tracker.project_a_id
    old_failed_file = _store(b"{}", age_hours=24 * 20)
    recent_failed_file = _store(b"{}", age_hours=24 * 20)
    queued_file = _store(b"{}", age_hours=2)
    old_failed = await _failed_job(
        maker, project, old_failed_file, dt.timedelta(days=15), error="Карточка без списка"
    )
    recent_failed = await _failed_job(maker, project, recent_failed_file, dt.timedelta(days=13))
    queued = await _add_job(
        maker, project, status="queued", stage="queued", storage_name=queued_file
    )
    old_orphan = _store(b"{}", age_hours=2)
    young_orphan = _store(b"{}")
    partial = uploads().root / ".upload-dead0001"
    partial.write_bytes(b"{")
    _age(partial, 2)
    young_partial = uploads().root / ".upload-live0001"
    young_partial.write_bytes(b"{")

    database = committing_app.state.database
    at_start_up = await board_import_service.prune_uploads(database)
    assert at_start_up.expired_job_ids == [old_failed]
    assert (at_start_up.orphan_files, at_start_up.partial_files) == (0, 1)
    assert old_orphan in stored_uploads()

    report = await board_import_service.prune_uploads(database, orphans=True)
    assert report.expired_job_ids == []
    assert (report.orphan_files, report.partial_files) == (1, 0)
    left = stored_uploads()
    assert {recent_failed_file, queued_file, young_orphan, young_partial.name} <= left
    assert not {old_failed_file, old_orphan, partial.name} & left

    async with maker() as session:
        jobs = {
            j.id: j
            for j in (
                await session.execute(
                    select(ImportJob).where(ImportJob.id.in_([old_failed, recent_failed, queued]))
                )
            ).scalars()
        }
    assert jobs[old_failed].storage_name is None
    assert (jobs[old_failed].status, jobs[old_failed].error) == ("failed", "Карточка без списка")
    assert jobs[recent_failed].storage_name == recent_failed_file
    assert jobs[queued].storage_name == queued_file

    # The expired job says why it cannot run again; the recent one still can.
    headers = tracker.h(tracker.mentor_a)
    response = await committing_client.post(f"{API}/imports/{old_failed}/retry", headers=headers)
    assert "upload it again" in problem(response, 409, "import_not_retryable")["detail"]

    for name in (recent_failed_file, queued_file, young_orphan):
        uploads().remove(name)
    young_partial.unlink()
    async with engine.begin() as conn:
        await conn.execute(
            update(ImportJob)
            .where(ImportJob.id.in_([recent_failed, queued]))
            .values(status="failed", storage_name=None)
        )


async def test_prune_with_a_shorter_retention_and_an_empty_folder(
    committing_app: FastAPI, committed_tracker: Tracker, engine: AsyncEngine
) -> None:
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    name = _store(b"{}")
    job = await _failed_job(maker, committed_tracker.project_a_id, name, dt.timedelta(hours=2))
    database = committing_app.state.database
    report = await board_import_service.prune_uploads(database, retention=dt.timedelta(hours=1))
    assert report.expired_job_ids == [job]
    assert name not in stored_uploads()
    # Nothing left to do: a second run changes nothing.
    again = await board_import_service.prune_uploads(database, retention=dt.timedelta(hours=1))
    assert (again.expired_job_ids, again.orphan_files, again.partial_files) == ([], 0, 0)


async def test_prune_leaves_a_job_whose_retry_holds_it_and_its_file(
    committing_app: FastAPI, committed_tracker: Tracker, engine: AsyncEngine
) -> None:
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    name = _store(b"{}")
    job = await _failed_job(maker, committed_tracker.project_a_id, name, dt.timedelta(days=30))
    database = committing_app.state.database
    async with engine.connect() as retrying:  # a retry between its lock and its commit
        await retrying.execute(select(ImportJob.id).where(ImportJob.id == job).with_for_update())
        report = await board_import_service.prune_uploads(database)
        assert job not in report.expired_job_ids
        assert name in stored_uploads()
        await retrying.rollback()
    # The retry gave up: the next run lets go of the file.
    assert (await board_import_service.prune_uploads(database)).expired_job_ids == [job]
    assert name not in stored_uploads()
