"""What a Trello import left out and why, how it chose each column's kind, and what it
warns about: the mapping's part of the import's report."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

# The report lists this many left-out objects; its counts stay exact.
MAX_LISTED = 200


@dataclass(slots=True)
class MappingReport:
    skipped: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    # One entry per list: its id, name, the column's kind and where the kind came from
    # ("column_kinds", "name" or "default").
    columns: list[dict[str, str]] = field(default_factory=list)

    def skip(
        self, what: str, ident: str, reason: str, *, also: dict[str, int] | None = None
    ) -> None:
        """One object left out (and, in `also`, how many of its parts went with it)."""
        self.counts[f"skipped_{what}"] += 1
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append({"what": what, "id": ident, "reason": reason})
        for part, count in (also or {}).items():
            if count:
                self.counts[f"skipped_{part}"] += count

    def as_dict(self) -> dict[str, Any]:
        return {
            "skipped": self.skipped,
            "warnings": self.warnings,
            "counts": dict(self.counts),
            "columns": self.columns,
        }
