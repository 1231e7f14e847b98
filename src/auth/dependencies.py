"""Authentication and coarse permissions, as dependencies for every context's controllers."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from ..config.database.db_helper import SessionDep
from ..lib.errors import UnauthorizedError
from ..lib.security.actor import Actor
from ..user.exceptions import AdminRequiredError
from .services.auth_service import auth_service
from .services.token_service import AccessClaims, token_service

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


def _require_token(token: str | None) -> str:
    if not token:
        raise UnauthorizedError("Authentication required.")
    return token


async def current_actor(request: Request, session: SessionDep, token: BearerToken) -> Actor:
    """The authenticated user, or 401 with `WWW-Authenticate`."""
    actor = await auth_service.authenticate(session, _require_token(token))
    request.state.actor = actor
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


async def admin_actor(actor: CurrentActor) -> Actor:
    """Organisers only (403 for everyone else: the route itself is no secret)."""
    if not actor.is_admin:
        raise AdminRequiredError
    return actor


AdminActor = Annotated[Actor, Depends(admin_actor)]


async def access_claims(actor: CurrentActor, token: BearerToken) -> AccessClaims:
    """Claims of the (already verified) access token of the request."""
    return token_service.decode_access_token(_require_token(token))


AccessClaimsDep = Annotated[AccessClaims, Depends(access_claims)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIp = Annotated[str, Depends(client_ip)]
