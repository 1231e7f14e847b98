"""Text the database cannot hold as is, and files that editors decorate."""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from tests.board.conftest import Tracker
from tests.importer.helpers import cards_of, comments_of, imported
from tests.importer.trello_builder import TrelloExport

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


async def test_nul_characters_are_dropped_instead_of_failing_the_import(
    client, tracker: Tracker, session: AsyncSession
) -> None:
    export = TrelloExport(name="Доска\x00")
    author = export.member("anna", "Анна Смирнова")
    todo = export.add_list("К\x00 выполнению", 1)
    card = export.card(todo, "Задача\x00 с нулём", 1, desc="Опи\x00сание")
    export.create_card(card, todo, AT, author)
    export.comment(card, "Комментарий\x00", AT + dt.timedelta(hours=1), author)

    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    [row] = await cards_of(session, job["board_id"])
    assert (row.title, row.description) == ("Задача с нулём", "Описание")
    [comment] = await comments_of(session, row.id)
    assert comment.body == "Комментарий"


async def test_a_utf8_byte_order_mark_before_the_json_is_accepted(
    client, tracker: Tracker, session: AsyncSession
) -> None:
    export = TrelloExport(name="Доска из Блокнота")
    todo = export.add_list("К выполнению", 1)
    export.card(todo, "Задача", 1)

    job = await imported(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        b"\xef\xbb\xbf" + export.to_bytes(),
    )

    assert [c.title for c in await cards_of(session, job["board_id"])] == ["Задача"]
