"""Demo boards: cards in every state, with a history spread over the internship's weeks."""

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from ..board.constants import ColumnKind
from ..board.schemas.board_schema import ColumnRead, LabelCreate
from ..board.schemas.card_schema import (
    CardImport,
    ImportedChecklist,
    ImportedChecklistItem,
    ImportedComment,
    ImportedLink,
    ImportedStep,
)
from ..board.services.board_service import board_service
from ..board.services.card_detail_service import card_detail_service
from ..board.services.card_service import card_service
from ..lib.security.actor import Actor
from .demo_board_data import (
    CHECKLIST,
    COMMON_TASKS,
    INTERN_COMMENTS,
    LABELS,
    MENTOR_COMMENTS,
    PROJECT_TASKS,
)

FLOW = [
    ColumnKind.BACKLOG,
    ColumnKind.TODO,
    ColumnKind.IN_PROGRESS,
    ColumnKind.REVIEW,
    ColumnKind.DONE,
]


class DemoBoardService:
    async def fill(
        self,
        session: AsyncSession,
        *,
        project_id: int,
        project_name: str,
        mentor_id: int,
        intern_ids: list[int],
        start: dt.date,
        now: dt.datetime,
        seed: int,
    ) -> None:
        system = Actor.system()
        boards = await board_service.list_boards(session, system, project_id, archived=False)
        board = boards[0]
        columns = await board_service.list_columns(session, system, board.id, archived=False)
        by_kind: dict[str, ColumnRead] = {c.kind: c for c in columns}
        labels = {}
        for name, color in LABELS:
            label = await board_service.create_label(
                session, system, board.id, LabelCreate(name=name, color=color)
            )
            labels[name] = label.id
        rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
        begin = dt.datetime.combine(start, dt.time(9, 0), tzinfo=dt.UTC)
        span = (now - begin).total_seconds()
        tasks = PROJECT_TASKS.get(project_name, []) + COMMON_TASKS
        for index, (title, label_names, estimate) in enumerate(tasks):
            created = begin + dt.timedelta(seconds=span * rng.uniform(0.0, 0.75))
            # Older cards got further: done, in review, in progress, to do, backlog.
            age = (now - created).total_seconds() / span
            final = min(4, int(age * 4.6 + rng.uniform(-1.2, 0.6)))
            final = max(final, 0)
            assignees = rng.sample(intern_ids, k=1 if rng.random() < 0.7 else 2)
            steps = [ImportedStep(column_id=by_kind[FLOW[0]].id, at=created, actor_id=mentor_id)]
            moment = created
            for kind in FLOW[1 : final + 1]:
                moment = min(
                    now - dt.timedelta(minutes=5), moment + dt.timedelta(hours=rng.uniform(6, 60))
                )
                actor = mentor_id if kind is ColumnKind.DONE else assignees[0]
                steps.append(ImportedStep(column_id=by_kind[kind].id, at=moment, actor_id=actor))
            due = created + dt.timedelta(days=rng.randint(7, 28))
            spec = CardImport(
                title=title,
                description=(
                    f"**Цель:** {title.lower()}.\n\nКритерии готовности:\n"
                    "- работает на стенде\n- есть тесты\n- обновлена документация"
                ),
                priority=rng.choice(["low", "medium", "medium", "high", "critical"]),
                start_at=created,
                due_at=due,
                estimate=Decimal(estimate),
                created_by_id=mentor_id,
                created_at=created,
                steps=steps,
                assignee_ids=assignees,
                label_ids=[labels[name] for name in label_names],
                comments=self._comments(rng, steps, mentor_id, assignees[0]),
                checklists=self._checklists(steps, index),
                links=[
                    ImportedLink(
                        url=f"https://git.example.com/internship-2026/pr/{seed}{index}",
                        title="Пул-реквест",
                    )
                ]
                if final >= 3
                else [],
            )
            card = await card_service.import_card(session, board.id, spec)
            await card_detail_service.import_details(session, board.id, card.id, spec)

    @staticmethod
    def _comments(
        rng: random.Random, steps: list[ImportedStep], mentor_id: int, intern_id: int
    ) -> list[ImportedComment]:
        comments = []
        for step in steps[2:]:
            if rng.random() < 0.5:
                comments.append(
                    ImportedComment(
                        author_id=intern_id,
                        body=rng.choice(INTERN_COMMENTS),
                        at=step.at + dt.timedelta(minutes=rng.randint(1, 90)),
                    )
                )
        if len(steps) >= 4:
            comments.append(
                ImportedComment(
                    author_id=mentor_id,
                    body=rng.choice(MENTOR_COMMENTS),
                    at=steps[3].at + dt.timedelta(minutes=rng.randint(10, 120)),
                )
            )
        return sorted(comments, key=lambda c: c.at)

    @staticmethod
    def _checklists(steps: list[ImportedStep], index: int) -> list[ImportedChecklist]:
        if index % 3:
            return []
        done = min(len(CHECKLIST), max(0, len(steps) - 1))
        items = [
            ImportedChecklistItem(
                text=text,
                is_done=n < done,
                done_at=steps[min(n + 1, len(steps) - 1)].at if n < done else None,
            )
            for n, text in enumerate(CHECKLIST)
        ]
        return [ImportedChecklist(title="Шаги", items=items)]


demo_board_service = DemoBoardService()
