"""One error format for every error response: RFC 9457 problem details.

`install_error_handlers` maps domain errors, validation errors, HTTP errors,
database failures and unexpected exceptions to `application/problem+json`.
"""

import http
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import AppError, ConflictError, ServiceUnavailableError
from .request_context import REQUEST_ID_HEADER, bind_request_id, current_request_id

logger = logging.getLogger("internhub.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str | None = None


class Problem(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI reference identifying the problem type.")
    title: str
    status: int
    detail: str
    code: str = Field(description="Stable machine-readable error code.")
    instance: str | None = None
    request_id: str | None = None
    errors: list[ValidationIssue] | None = None


def problem_type(code: str) -> str:
    return f"urn:internhub:problem:{code}"


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    request_id: str | None = None,
) -> JSONResponse:
    request_id = request_id or current_request_id()
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if request_id:
        body["request_id"] = request_id
    if errors is not None:
        body["errors"] = list(errors)
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    response_headers = dict(headers or {})
    if request_id:
        response_headers.setdefault(REQUEST_ID_HEADER, request_id)
    return JSONResponse(
        jsonable_encoder(body),
        status_code=status,
        headers=response_headers,
        media_type=PROBLEM_CONTENT_TYPE,
    )


def problem_response_for(error: AppError, *, instance: str | None = None) -> JSONResponse:
    extra = dict(error.extra)
    errors = extra.pop("errors", None)
    return problem_response(
        status=error.status_code,
        code=error.code,
        title=error.title,
        detail=error.detail,
        instance=instance,
        errors=errors,
        extra=extra,
        headers=error.headers,
    )


def _validation_issues(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only location, message and type: `input` would echo passwords back.
    issues = []
    for err in exc.errors():
        issues.append(
            {
                "loc": [
                    part if isinstance(part, int) else str(part) for part in err.get("loc", ())
                ],
                "msg": str(err.get("msg", "")),
                "type": str(err.get("type", "")),
            }
        )
    return issues


def _is_connection_failure(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    chain: BaseException | None = exc
    seen = 0
    while chain is not None and seen < 8:
        if isinstance(chain, (ConnectionError, OSError, PoolTimeoutError)):
            return True
        name = type(chain).__name__
        if name in {
            "CannotConnectNowError",
            "ConnectionDoesNotExistError",
            "InterfaceError",
            "AdminShutdownError",
            "ConnectionFailureError",
            # A lock timeout: the server is overloaded, not broken.
            "LockNotAvailableError",
        }:
            return True
        chain = chain.__cause__ or chain.__context__
        seen += 1
    return False


def _is_statement_timeout(exc: BaseException) -> bool:
    """A statement cancelled by `statement_timeout` (SQLSTATE 57014, query_canceled)."""
    chain: BaseException | None = exc
    for _ in range(8):
        if chain is None:
            return False
        if getattr(chain, "sqlstate", None) == "57014":
            return True
        chain = chain.__cause__ or chain.__context__
    return False


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; every error leaves the app in the same format."""

    async def app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return problem_response_for(exc, instance=request.url.path)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            status=422,
            code="validation_error",
            title="Invalid request",
            detail="The request does not match the expected format.",
            instance=request.url.path,
            errors=_validation_issues(exc),
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        try:
            phrase = http.HTTPStatus(exc.status_code).phrase
        except ValueError:
            phrase = "Error"
        detail = exc.detail if isinstance(exc.detail, str) else phrase
        code = phrase.lower().replace(" ", "_").replace("-", "_")
        return problem_response(
            status=exc.status_code,
            code=code,
            title=phrase,
            detail=detail,
            instance=request.url.path,
            headers=exc.headers,
        )

    async def integrity_error(request: Request, exc: Exception) -> JSONResponse:
        # Last line of defence: repositories translate the constraints they expect.
        logger.warning("unmapped integrity error on %s: %s", request.url.path, type(exc).__name__)
        return problem_response_for(
            ConflictError("The request conflicts with the current state of the data."),
            instance=request.url.path,
        )

    async def server_error(request: Request, exc: Exception) -> JSONResponse:
        # The `Exception` handler runs outside RequestIdMiddleware: take the id from the scope.
        request_id = request.scope.get("state", {}).get("request_id")
        with bind_request_id(request_id):
            return _server_error(request, exc)

    def _server_error(request: Request, exc: Exception) -> JSONResponse:
        if _is_statement_timeout(exc):
            # The database is there; this request asked more of it than the timeout allows.
            logger.warning("statement timeout on %s %s", request.method, request.url.path)
            return problem_response(
                status=503,
                code="statement_timeout",
                title="Request took too long",
                detail="The request took too long; retry it later, or ask for less at once.",
                instance=request.url.path,
            )
        if _is_connection_failure(exc):
            logger.warning("database unavailable on %s: %s", request.url.path, type(exc).__name__)
            unavailable = ServiceUnavailableError("The database is unavailable; retry shortly.")
            unavailable.headers["Retry-After"] = "1"
            return problem_response_for(unavailable, instance=request.url.path)
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(
            status=500,
            code="internal_error",
            title="Internal server error",
            detail="An unexpected error occurred. Quote the request id when reporting it.",
            instance=request.url.path,
        )

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    # Starlette runs the `Exception` handler in its outermost middleware; the
    # specific database ones run inside, so the request id header is still added.
    app.add_exception_handler(DBAPIError, server_error)
    app.add_exception_handler(PoolTimeoutError, server_error)
    app.add_exception_handler(OSError, server_error)
    app.add_exception_handler(Exception, server_error)
    # Unexpected errors are answered (and logged) before they reach Starlette's outermost
    # middleware, which would re-raise them to the server to be logged a second time.
    app.add_middleware(UnexpectedErrorMiddleware, handler=server_error)


class UnexpectedErrorMiddleware:
    """Answers an exception no handler took with the problem response of `handler`
    (500, or 503 when the database is away), which logs it once, with the request id.

    Starlette's last-resort handler (`ServerErrorMiddleware`) answers too, but then
    re-raises so that the server logs the exception as well: every 500 was logged twice,
    the server's copy without the request id. Caught here, inside the app, the exception
    ends with the answer. When the response had already begun, no answer is possible: it
    is re-raised unlogged, and the server logs it (once) as it closes the connection.
    """

    def __init__(
        self,
        app: ASGIApp,
        handler: Callable[[Request, Exception], Awaitable[Response]],
    ) -> None:
        self.app = app
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            if started:
                raise
            response = await self.handler(Request(scope), exc)
            await response(scope, receive, send)


def problem_responses(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the error statuses an endpoint can return.

    `descriptions` are keyed `s404="..."`; statuses without one get the standard phrase.
    """
    result: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description = descriptions.get(f"s{status}") or http.HTTPStatus(status).phrase
        result[status] = {"model": Problem, "description": description}
    return result


# The common sets: reading an object, and changing one.
READ_ERRORS = problem_responses(401, 404, s404="Not found, or not yours to see.")
WRITE_ERRORS = problem_responses(401, 403, 404, 409, 422, s404="Not found, or not yours to see.")
