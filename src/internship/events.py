"""Events the internship context announces (see `lib.events`)."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProjectCreated:
    project_id: int
    team_id: int
    internship_id: int
    actor_id: int | None
