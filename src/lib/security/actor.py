"""Who is acting: passed from the auth dependency to every service call."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user behind a request, CLI command or job.

    Services decide object-level permissions from it; internship-scoped roles are
    looked up per object, so only the global organiser flag travels here.
    """

    user_id: int
    is_admin: bool = False

    @classmethod
    def system(cls) -> "Actor":
        """The platform itself (CLI, background jobs): allowed everything."""
        return cls(user_id=0, is_admin=True)
