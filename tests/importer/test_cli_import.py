"""`internhub import-trello`, run as the user runs it: a real process on the test
database, importing into a project committed for real."""

import datetime as dt
import io
import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bench.trello_export import write_export
from src.board.models.board_model import Board
from src.board.models.card_model import Card
from src.importer.models.import_job_model import ImportJob
from src.importer.services.board_import_service import uploads
from tests.board.conftest import Tracker
from tests.importer.helpers import DATA, stored_uploads
from tests.test_cli import run_cli

pytestmark = pytest.mark.slow


async def test_import_trello_prints_the_report_and_a_bad_file_fails(
    committed_tracker: Tracker,
    database_url_for_tests: str,
    engine: AsyncEngine,
    tmp_path: Path,
) -> None:
    path = write_export(tmp_path / "доска.json", cards=40, seed=21, closed_lists=1)
    export = json.loads(path.read_text(encoding="utf-8"))
    done_list = next(x for x in export["lists"] if not x["closed"])
    result = run_cli(
        "import-trello",
        str(path),
        "--project",
        str(committed_tracker.project_a_id),
        "--as",
        "m.kuznetsova",
        "--column-kind",
        f"{done_list['name']}=done",
        "--member-map",
        f"{export['members'][0]['username']}=a.sidorova",
        url=database_url_for_tests,
    )
    assert result.returncode == 0, result.stderr
    job = json.loads(result.stdout)
    assert job["status"] == "succeeded"
    assert job["created_by_id"] == committed_tracker.mentor_a.id
    assert job["filename"] == "доска.json"
    report = job["report"]
    assert report["imported"]["cards"] == 40
    assert report["people"][0]["user_id"] == committed_tracker.intern_a.id
    assert report["people"][0]["matched_by"] == "mapping"

    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        board = await session.get(Board, job["board_id"])
        assert board is not None
        assert board.project_id == committed_tracker.project_a_id
        assert board.external_id == f"trello:{export['id']}"
        cards = (await session.execute(select(Card).where(Card.board_id == board.id))).scalars()
        assert len(list(cards)) == 40

    malformed = run_cli(
        "import-trello",
        str(DATA / "malformed.json"),
        "--project",
        str(committed_tracker.project_a_id),
        url=database_url_for_tests,
    )
    assert malformed.returncode == 1
    assert "Error: The file is not valid JSON: parse error: premature EOF." in malformed.stderr
    async with maker() as session:
        jobs = (await session.execute(select(ImportJob))).scalars().all()
        assert [j.id for j in jobs] == [job["id"]]


async def test_prune_imports_removes_expired_and_with_orphans_orphaned_uploads(
    committed_tracker: Tracker, database_url_for_tests: str, engine: AsyncEngine
) -> None:
    def stored(hours_ago: float) -> str:
        name, *_ = uploads().store(io.BytesIO(b"{}"), max_bytes=1024)
        then = time.time() - hours_ago * 3600
        os.utime(uploads().path_of(name), (then, then))
        return name

    expired_file, orphan, young = stored(24 * 40), stored(2), stored(0)
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        job = ImportJob(
            project_id=committed_tracker.project_a_id,
            source="trello",
            filename="board.json",
            size=2,
            options={},
            status="failed",
            stage="cards",
            storage_name=expired_file,
            finished_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=31),
        )
        session.add(job)
        await session.commit()

    result = run_cli("prune-imports", "--days", "30", url=database_url_for_tests)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "expired_job_ids": [job.id],
        "orphan_files": 0,
        "partial_files": 0,
    }
    assert expired_file not in stored_uploads()
    assert orphan in stored_uploads()  # orphans only on request

    result = run_cli("prune-imports", "--orphans", url=database_url_for_tests)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "expired_job_ids": [],
        "orphan_files": 1,
        "partial_files": 0,
    }
    assert orphan not in stored_uploads()
    assert young in stored_uploads()
    uploads().remove(young)

    refused = run_cli("prune-imports", "--days", "-1", url=database_url_for_tests)
    assert refused.returncode == 2
    assert "--days" in refused.stderr


async def test_a_second_import_names_the_flag_and_the_board_and_a_directory_is_named(
    committed_tracker: Tracker, database_url_for_tests: str, tmp_path: Path
) -> None:
    path = write_export(tmp_path / "board.json", cards=3, seed=17)
    project = str(committed_tracker.project_a_id)
    first = run_cli("import-trello", str(path), "--project", project, url=database_url_for_tests)
    assert first.returncode == 0, first.stderr
    board_id = json.loads(first.stdout)["board_id"]

    again = run_cli("import-trello", str(path), "--project", project, url=database_url_for_tests)
    assert again.returncode == 1
    assert again.stderr.strip() == (
        f"Error: this export was imported into project {project} before, as board "
        f"{board_id}; add --allow-copy to import it again as a copy."
    )
    copy = run_cli(
        "import-trello", str(path), "--project", project, "--allow-copy", url=database_url_for_tests
    )
    assert copy.returncode == 0, copy.stderr
    assert json.loads(copy.stdout)["board_id"] != board_id

    folder = run_cli(
        "import-board", str(tmp_path), "--project", project, url=database_url_for_tests
    )
    assert folder.returncode == 2
    assert folder.stderr.strip() == f"Error: {tmp_path} is a directory, not an export file."
    missing = tmp_path / "нет.json"
    gone = run_cli("import-trello", str(missing), "--project", project, url=database_url_for_tests)
    assert gone.returncode == 2
    assert gone.stderr.strip() == f"Error: no such file: {missing}"
