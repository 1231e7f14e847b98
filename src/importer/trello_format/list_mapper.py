"""Trello lists → columns: board order, archive dates, and each column's kind (from the
import's `column_kinds`, else guessed from the list's name in several languages)."""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from ...board.schemas.board_snapshot import ColumnSnapshot
from ..constants import COLUMN_KIND_NAMES
from .mapping_report import MappingReport
from .trello_records import TrelloBoard, TrelloList

# How many guessed columns the report's warning names (the `columns` list has them all).
_NAMED_IN_WARNING = 12


def _normalised(text: str) -> str:
    """Lower case without accents' variants, punctuation and emoji as spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def _is_wide(hint: str) -> bool:
    """Chinese, Japanese, Korean: scripts that do not separate words."""
    return all(unicodedata.east_asian_width(ch) in ("W", "F") for ch in hint)


def _pattern(hints: tuple[str, ...]) -> re.Pattern[str]:
    # A hint matches where it starts a word ("готов" in «Готово», not in «Подготовка»);
    # a wide hint matches anywhere.
    words = [r"(?<!\w)" + re.escape(_normalised(h)) for h in hints if not _is_wide(h)]
    wide = [re.escape(h) for h in hints if _is_wide(h)]
    return re.compile("|".join(words + wide))


_KIND_PATTERNS = [(kind, _pattern(hints)) for kind, hints in COLUMN_KIND_NAMES.items()]


def guess_column_kind(name: str) -> str | None:
    """The kind a list's name suggests (first kind whose hint matches), if any."""
    text = _normalised(name)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return None


def map_lists(
    board: TrelloBoard,
    column_kinds: Mapping[str, str],
    archived_at: Mapping[str, dt.datetime],
    now: dt.datetime,
    report: MappingReport,
) -> list[ColumnSnapshot]:
    """The columns in `pos` order. `column_kinds` keys are list ids or names (any case);
    `archived_at` gives the time each archived list was archived, where the actions
    tell it (else the import's time)."""
    known_ids = {item.id for item in board.lists}
    explicit = {k if k in known_ids else k.strip().lower(): v for k, v in column_kinds.items()}
    unique = {item.id: item for item in reversed(board.lists)}  # the first of an id wins
    if len(unique) != len(board.lists):
        report.warnings.append("Some lists share an id; the first of each is imported.")
    columns = []
    for item in sorted(unique.values(), key=lambda x: (x.pos, x.index)):
        kind, source = _kind(item, explicit)
        report.columns.append(
            {"list_id": item.id, "name": item.name, "kind": kind, "kind_from": source}
        )
        columns.append(
            ColumnSnapshot(
                key=item.id,
                name=item.name.strip() or "—",
                kind=kind,
                archived_at=(archived_at.get(item.id) or now) if item.closed else None,
                external_id=item.id,
            )
        )
    _warn_of_guesses(report)
    return columns


def _kind(item: TrelloList, explicit: Mapping[str, str]) -> tuple[str, str]:
    chosen = explicit.get(item.id) or explicit.get(item.name.strip().lower())
    if chosen:
        return chosen, "column_kinds"
    guessed = guess_column_kind(item.name)
    return (guessed, "name") if guessed else ("todo", "default")


def _warn_of_guesses(report: MappingReport) -> None:
    guessed = [c for c in report.columns if c["kind_from"] != "column_kinds"]
    if not guessed:
        return
    named = ", ".join(
        f"«{c['name'] or '—'}» → {c['kind']}"
        + (" (no name matched)" if c["kind_from"] == "default" else "")
        for c in guessed[:_NAMED_IN_WARNING]
    )
    more = (
        f" and {len(guessed) - _NAMED_IN_WARNING} more" if len(guessed) > _NAMED_IN_WARNING else ""
    )
    report.warnings.append(
        f"Column kinds guessed from list names: {named}{more}. To choose them, import "
        'again with column_kinds, e.g. {"List name": "done"} (CLI: --column-kind '
        '"List name=done"); kinds: backlog, todo, in_progress, review, done.'
    )
