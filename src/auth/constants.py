"""Constants of the auth context."""

from enum import StrEnum

# Pinned: tokens signed with anything else (none, RS256 with our key as "public key"...) fail.
JWT_ALGORITHM = "HS256"
OPAQUE_TOKEN_BYTES = 32


class TokenType(StrEnum):
    ACCESS = "access"


class InvitationRole(StrEnum):
    """The role an invited person gets: organiser (platform admin) or an internship role."""

    ADMIN = "admin"
    MENTOR = "mentor"
    INTERN = "intern"
    OBSERVER = "observer"


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


class LoginOutcome(StrEnum):
    SUCCESS = "success"
    BAD_PASSWORD = "bad_password"  # noqa: S105 - an outcome name, not a password
    UNKNOWN_USER = "unknown_user"
    INACTIVE = "inactive"
    THROTTLED = "throttled"
