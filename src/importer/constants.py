"""Constants of the importer: sources, job states, Trello's limits and vocabulary."""

from enum import StrEnum


class ImportSource(StrEnum):
    TRELLO = "trello"
    INTERNHUB = "internhub"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# Trello puts at most this many actions (comments, moves…) into a board export.
TRELLO_ACTIONS_CAP = 1000

# InternHub's own export format: name and version, checked on import.
EXPORT_FORMAT = "internhub.board"
EXPORT_VERSION = 1

# A column's kind guessed from its list's name (lower case, substring match), first hit
# wins; a list that matches nothing becomes a "todo" column. The request may override.
COLUMN_KIND_HINTS: list[tuple[str, tuple[str, ...]]] = [
    ("todo", ("to do", "todo", "к выполнению", "сделать", "запланир", "next", "待办")),
    ("done", ("done", "готов", "сделано", "выполнено", "заверш", "closed", "complete", "完成")),
    ("review", ("review", "ревью", "провер", "qa", "testing", "тестир")),
    ("in_progress", ("doing", "progress", "в работе", "в процессе", "делаем", "wip", "进行")),
    ("backlog", ("backlog", "бэклог", "беклог", "идеи", "ideas", "later", "icebox")),
]

# Trello's colours (with their _dark / _light shades) → InternHub's label colours.
TRELLO_COLORS = {
    "green": "green",
    "yellow": "yellow",
    "orange": "orange",
    "red": "red",
    "purple": "purple",
    "blue": "blue",
    "sky": "sky",
    "lime": "lime",
    "pink": "pink",
    "black": "black",
}
