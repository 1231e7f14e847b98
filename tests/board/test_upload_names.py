"""Uploaded file names are shown as they are: invisible characters that would make one name
look like another (bidirectional controls, zero-width characters) are removed."""

import httpx
import pytest

from src.lib.file_store import strip_invisible
from tests.board.conftest import Tracker
from tests.board.helpers import API, create_card, ok
from tests.importer.helpers import imported
from tests.importer.test_import_jobs import job_board

BIDI_AND_INVISIBLE = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u2028",  # line separator
]


@pytest.mark.parametrize("char", BIDI_AND_INVISIBLE)
def test_strip_invisible_removes_each_control(char: str) -> None:
    assert strip_invisible(f"отчёт{char}.txt") == "отчёт.txt"


def test_strip_invisible_keeps_visible_text() -> None:
    assert strip_invisible("Отчёт за неделю (v2) — итог.pdf") == "Отчёт за неделю (v2) — итог.pdf"


async def test_right_to_left_override_is_removed_from_an_attachment_name(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача")
    # Shown as "exe.png" by a bidi-aware display, while it is an .exe.
    response = await client.post(
        f"{API}/cards/{card['id']}/attachments",
        files={"file": ("\u202egnp.exe", b"MZ payload", "image/png")},
        headers=headers,
    )
    attachment = ok(response, 201)
    assert attachment["filename"] == "gnp.exe"
    listed = ok(await client.get(f"{API}/cards/{card['id']}/attachments", headers=headers))
    items = listed["items"] if isinstance(listed, dict) else listed
    assert [a["filename"] for a in items] == ["gnp.exe"]


async def test_a_name_of_invisible_characters_only_is_refused(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача")
    response = await client.post(
        f"{API}/cards/{card['id']}/attachments",
        files={"file": ("\u202e\u200b", b"payload", "text/plain")},
        headers=headers,
    )
    assert response.status_code == 422


async def test_bidi_controls_are_removed_from_an_import_file_name(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    job = await imported(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        job_board(),
        filename="\u202enosj.exe\u200b",
    )
    assert job["filename"] == "nosj.exe"
