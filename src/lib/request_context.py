"""Request ids: taken from `X-Request-ID` or generated, echoed back and put into every log line."""

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


@contextmanager
def bind_request_id(request_id: str | None) -> Iterator[None]:
    """Make `request_id` current for the block (logging, problem bodies)."""
    token = request_id_var.set(request_id)
    try:
        yield
    finally:
        request_id_var.reset(token)


class RequestIdMiddleware:
    """Pure ASGI middleware (no BaseHTTPMiddleware: it would break contextvars and streaming)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if incoming and _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to log records (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get() or "-"
        return True


# One-time links carry their token in the path (invitations, password resets).
_SECRET_PATH = re.compile(r"(/(?:invitations|password-resets)/)(?!\d+(?:/|$))[A-Za-z0-9_\-]{16,}")


def redact_secrets(text: str) -> str:
    return _SECRET_PATH.sub(r"\1[redacted]", text)


def _redacted(arg: object) -> object:
    if isinstance(arg, (int, float)) or arg is None:
        return arg
    text = arg if isinstance(arg, str) else str(arg)
    cleaned = redact_secrets(text)
    return arg if cleaned == text else cleaned


class RedactSecretsLogFilter(logging.Filter):
    """Keeps one-time tokens out of access logs and any other message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_secrets(record.msg)
        return True
