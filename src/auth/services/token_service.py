"""Access JWTs (HS256, pinned) and opaque one-time tokens (stored only as hashes)."""

import datetime as dt
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt

from ...config.project_config import get_settings
from ...lib.clock import utcnow
from ...lib.params import PG_BIGINT_MAX
from ..constants import JWT_ALGORITHM, OPAQUE_TOKEN_BYTES, TokenType
from ..exceptions import InvalidTokenError, TokenExpiredError

_REQUIRED_CLAIMS = ["sub", "exp", "iat", "jti", "sid", "type"]


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    jti: str
    # The sign-in the token belongs to: its refresh-token family. When the family is
    # revoked (a replayed refresh token, a logout), the token stops working at once.
    session_id: uuid.UUID
    issued_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class IssuedAccessToken:
    token: str
    jti: str
    expires_in: int


class TokenService:
    def issue_access_token(
        self, user_id: int, *, session_id: uuid.UUID | None = None
    ) -> IssuedAccessToken:
        """An access token of the sign-in `session_id` (its refresh-token family); without
        one, of a sign-in of its own that no refresh token belongs to."""
        settings = get_settings()
        now = utcnow()
        ttl = dt.timedelta(minutes=settings.auth.access_token_ttl_minutes)
        jti = uuid.uuid4().hex
        claims = {
            "sub": str(user_id),
            # Millisecond precision: a token issued right after a password change
            # must not look older than the change.
            "iat": round(now.timestamp(), 3),
            "exp": int((now + ttl).timestamp()),
            "jti": jti,
            "sid": (session_id or uuid.uuid4()).hex,
            "type": TokenType.ACCESS.value,
        }
        token = jwt.encode(claims, settings.signing_key(), algorithm=JWT_ALGORITHM)
        return IssuedAccessToken(token=token, jti=jti, expires_in=int(ttl.total_seconds()))

    def decode_access_token(self, token: str) -> AccessClaims:
        try:
            claims = _verified_claims(token, get_settings().signing_key())
        except jwt.ExpiredSignatureError:
            raise TokenExpiredError from None
        except jwt.PyJWTError:
            raise InvalidTokenError from None
        # A token verified earlier comes from the cache: its expiry is checked again,
        # as PyJWT does (same clock, no leeway).
        if not isinstance(claims["exp"], int | float) or claims["exp"] <= time.time():
            raise TokenExpiredError
        if claims.get("type") != TokenType.ACCESS.value:
            raise InvalidTokenError("This is not an access token.")
        try:
            user_id = int(claims["sub"])
            issued_at = dt.datetime.fromtimestamp(float(claims["iat"]), dt.UTC)
            expires_at = dt.datetime.fromtimestamp(float(claims["exp"]), dt.UTC)
        except (TypeError, ValueError, OverflowError):
            raise InvalidTokenError from None
        if not 1 <= user_id <= PG_BIGINT_MAX:
            raise InvalidTokenError
        jti = claims["jti"]
        if not isinstance(jti, str) or not jti or len(jti) > 64:
            raise InvalidTokenError
        sid = claims["sid"]
        try:
            session_id = uuid.UUID(hex=sid) if isinstance(sid, str) and len(sid) == 32 else None
        except ValueError:
            session_id = None
        if session_id is None:
            raise InvalidTokenError
        return AccessClaims(
            user_id=user_id,
            jti=jti,
            session_id=session_id,
            issued_at=issued_at,
            expires_at=expires_at,
        )

    @staticmethod
    def new_opaque_token() -> tuple[str, str]:
        """A random URL-safe token and the hash to store in its place."""
        token = secrets.token_urlsafe(OPAQUE_TOKEN_BYTES)
        return token, hash_opaque_token(token)


@lru_cache(maxsize=1024)
def _verified_claims(token: str, key: str) -> dict[str, Any]:
    """The claims of a token whose signature and required claims check out.

    A pure function of the token and the key, cached: every request presents its
    token again, and PyJWT's decoding is a tenth of a card move's CPU. Failures raise,
    so they are never cached; revocation, deactivation and `tokens_valid_after` are
    checked against the database on every request, after this.
    """
    claims: dict[str, Any] = jwt.decode(
        token, key, algorithms=[JWT_ALGORITHM], options={"require": _REQUIRED_CLAIMS}
    )
    return claims


def hash_opaque_token(token: str) -> str:
    # The tokens carry 256 random bits: a fast hash suffices, no salt or stretching needed.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


token_service = TokenService()
