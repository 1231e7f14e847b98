"""Refuse oversized request bodies before they are read into memory."""

import contextlib
import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import PayloadTooLargeError
from .problem_details import problem_response_for


class _BodyTooLargeError(Exception):
    pass


class BodySizeLimitMiddleware:
    """413 when `Content-Length` or the streamed body exceeds the limit.

    `overrides` gives larger limits to the paths (regular expressions, matched in
    full) that take uploads.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        default_limit: int,
        overrides: Sequence[tuple[str, int]] = (),
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.overrides = [(re.compile(pattern), limit) for pattern, limit in overrides]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.overrides:
            if pattern.fullmatch(path):
                return limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    await self._reject(scope, receive, send, limit)
                    return
                break

        received = 0
        exceeded = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            # Once the body is known to be too large, whatever the app answers
            # (FastAPI turns body errors into a 400) is replaced by our 413.
            if not exceeded:
                await send(message)

        with contextlib.suppress(_BodyTooLargeError):
            await self.app(scope, limited_receive, guarded_send)
        if exceeded:
            await self._reject(scope, receive, send, limit)

    @staticmethod
    async def _reject(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        error = PayloadTooLargeError(f"Request body exceeds the limit of {limit} bytes.")
        response = problem_response_for(error, instance=scope.get("path"))
        await response(scope, receive, send)
