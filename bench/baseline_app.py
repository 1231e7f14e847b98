"""The limit: the same board JSON from a minimal Starlette + asyncpg endpoint with
hand-written SQL — no auth, no ORM, no validation. InternHub's throughput is reported
as a fraction of this."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOARD_SQL = "SELECT id, project_id, name, description, is_default, archived_at, created_at, updated_at FROM boards WHERE id = $1"
COLUMNS_SQL = """SELECT id, board_id, name, kind, position, wip_limit, archived_at
                   FROM board_columns WHERE board_id = $1 AND archived_at IS NULL
                  ORDER BY position, id"""
LABELS_SQL = "SELECT id, board_id, name, color FROM labels WHERE board_id = $1 AND archived_at IS NULL ORDER BY id"
CARDS_SQL = """
SELECT c.id, c.column_id, c.title, c.position, c.priority, c.start_at, c.due_at, c.estimate,
       c.completed_at, c.version,
       coalesce(a.ids, '{}') AS assignee_ids, coalesce(l.ids, '{}') AS label_ids,
       coalesce(i.done, 0) AS checklist_done, coalesce(i.total, 0) AS checklist_total,
       coalesce(m.n, 0) AS comment_count, coalesce(f.n, 0) AS attachment_count
  FROM cards c
  JOIN board_columns col ON col.id = c.column_id AND col.archived_at IS NULL
  LEFT JOIN (SELECT card_id, array_agg(user_id ORDER BY user_id) ids FROM card_assignees
              WHERE card_id IN (SELECT id FROM cards WHERE board_id = $1) GROUP BY card_id) a ON a.card_id = c.id
  LEFT JOIN (SELECT card_id, array_agg(label_id ORDER BY label_id) ids FROM card_labels
              WHERE card_id IN (SELECT id FROM cards WHERE board_id = $1) GROUP BY card_id) l ON l.card_id = c.id
  LEFT JOIN (SELECT i.card_id, count(*) total, count(*) FILTER (WHERE i.is_done) done
               FROM checklist_items i JOIN checklists k ON k.id = i.checklist_id
              WHERE i.card_id IN (SELECT id FROM cards WHERE board_id = $1)
                AND i.archived_at IS NULL AND k.archived_at IS NULL GROUP BY i.card_id) i ON i.card_id = c.id
  LEFT JOIN (SELECT card_id, count(*) n FROM comments
              WHERE card_id IN (SELECT id FROM cards WHERE board_id = $1) AND deleted_at IS NULL GROUP BY card_id) m ON m.card_id = c.id
  LEFT JOIN (SELECT card_id, count(*) n FROM attachments
              WHERE card_id IN (SELECT id FROM cards WHERE board_id = $1) AND deleted_at IS NULL GROUP BY card_id) f ON f.card_id = c.id
 WHERE c.board_id = $1 AND c.archived_at IS NULL
 ORDER BY c.column_id, c.position, c.id
"""


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _plain(record: asyncpg.Record) -> dict[str, Any]:
    out = {}
    for key, value in record.items():
        if isinstance(value, list):
            out[key] = value
        elif value is not None and key == "estimate":
            out[key] = str(value)
        else:
            out[key] = _iso(value)
    return out


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(
        os.environ["BASELINE_DSN"], min_size=5, max_size=10, server_settings={"jit": "off"}
    )
    yield
    await app.state.pool.close()


async def board(request: Request) -> Response:
    board_id = int(request.path_params["board_id"])
    async with request.app.state.pool.acquire() as conn:
        row = await conn.fetchrow(BOARD_SQL, board_id)
        if row is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        columns = await conn.fetch(COLUMNS_SQL, board_id)
        labels = await conn.fetch(LABELS_SQL, board_id)
        cards = await conn.fetch(CARDS_SQL, board_id)
    by_column: dict[int, list[dict[str, Any]]] = {}
    for card in cards:
        by_column.setdefault(card["column_id"], []).append(_plain(card))
    body = _plain(row)
    body["columns"] = [
        {
            **_plain(c),
            "card_count": len(by_column.get(c["id"], [])),
            "cards": by_column.get(c["id"], []),
        }
        for c in columns
    ]
    body["labels"] = [_plain(label) for label in labels]
    return JSONResponse(body)


app = Starlette(routes=[Route("/boards/{board_id:int}", board)], lifespan=lifespan)
