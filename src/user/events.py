"""Events of the user context."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UsersMerged:
    """A placeholder (`source_id`) became a real account (`target_id`): every context
    moves what belonged to the placeholder over, in the same unit of work."""

    source_id: int
    target_id: int
