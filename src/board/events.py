"""Events the tracker announces (see `lib.events`)."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CardMoved:
    card_id: int
    board_id: int
    project_id: int
    team_id: int
    internship_id: int
    from_column_id: int
    to_column_id: int
    from_kind: str
    to_kind: str
    actor_id: int | None
    at: dt.datetime
