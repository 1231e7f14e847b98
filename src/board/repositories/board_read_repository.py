"""The whole-board read as one JSON document built by PostgreSQL (json_agg), for the
board view: a query repository over boards, columns, labels and cards.

Building the document in the database spares the application a thousand objects per
request; the shape is the `BoardFull` schema, which the API declares and the fuzz tests
check responses against.
"""

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ...lib.repository import QueryRepository
from ..models.board_model import Board, BoardColumn, Label
from ..models.card_model import Card
from .card_repository import CardRepository

EMPTY_ARRAY: ColumnElement[Any] = literal_column("'[]'::json")


def iso(column: Any) -> ColumnElement[Any]:
    """A timestamptz as the API writes it elsewhere: UTC, microseconds, a `Z`."""
    text = func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    return func.regexp_replace(text, r"\.000000Z$", "Z")


class BoardReadRepository(QueryRepository):
    async def board_document(
        self,
        board_id: int,
        *,
        assignee_id: int | None,
        label_id: int | None,
        due: str | None,
        text: str | None,
        now: dt.datetime,
    ) -> str:
        cards = CardRepository(self.session)
        statement = cards.summary_statement(
            and_(Card.board_id == board_id, Card.archived_at.is_(None))
        )
        summary = cards.filters(
            statement, assignee_id=assignee_id, label_id=label_id, due=due, text=text, now=now
        ).subquery()
        s = summary.c
        card = func.json_build_object(
            "id", s.id,
            "column_id", s.column_id,
            "title", s.title,
            "position", s.position,
            "priority", s.priority,
            "start_at", iso(s.start_at),
            "due_at", iso(s.due_at),
            "due_completed_at", iso(s.due_completed_at),
            "estimate", cast(s.estimate, Text),
            "completed_at", iso(s.completed_at),
            "version", s.version,
            "assignee_ids", s.assignee_ids,
            "label_ids", s.label_ids,
            "checklist_done", s.checklist_done,
            "checklist_total", s.checklist_total,
            "comment_count", s.comment_count,
            "attachment_count", s.attachment_count,
        )  # fmt: skip
        per_column = (
            select(
                s.column_id,
                func.json_agg(aggregate_order_by(card, s.position, s.id)).label("cards"),
                func.count().label("n"),
            )
            .group_by(s.column_id)
            .subquery()
        )
        column = func.json_build_object(
            "id", BoardColumn.id,
            "board_id", BoardColumn.board_id,
            "name", BoardColumn.name,
            "kind", BoardColumn.kind,
            "position", BoardColumn.position,
            "wip_limit", BoardColumn.wip_limit,
            "archived_at", iso(BoardColumn.archived_at),
            "card_count", func.coalesce(per_column.c.n, 0),
            "cards", func.coalesce(per_column.c.cards, EMPTY_ARRAY),
        )  # fmt: skip
        columns = (
            select(
                func.coalesce(
                    func.json_agg(aggregate_order_by(column, BoardColumn.position, BoardColumn.id)),
                    EMPTY_ARRAY,
                )
            )
            .select_from(BoardColumn)
            .outerjoin(per_column, per_column.c.column_id == BoardColumn.id)
            .where(BoardColumn.board_id == board_id, BoardColumn.archived_at.is_(None))
            .scalar_subquery()
        )
        label = func.json_build_object(
            "id", Label.id, "board_id", Label.board_id, "name", Label.name, "color", Label.color
        )  # fmt: skip
        labels = (
            select(func.coalesce(func.json_agg(aggregate_order_by(label, Label.id)), EMPTY_ARRAY))
            .where(Label.board_id == board_id, Label.archived_at.is_(None))
            .scalar_subquery()
        )
        document = func.json_build_object(
            "id", Board.id,
            "project_id", Board.project_id,
            "name", Board.name,
            "description", Board.description,
            "is_default", Board.is_default,
            "archived_at", iso(Board.archived_at),
            "created_at", iso(Board.created_at),
            "updated_at", iso(Board.updated_at),
            "columns", columns,
            "labels", labels,
        )  # fmt: skip
        stmt = select(cast(document, Text)).where(Board.id == board_id)
        return str((await self.session.execute(stmt)).scalar_one())
