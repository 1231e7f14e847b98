"""In-process domain events: a context announces what happened, others react.

Handlers run in the publisher's unit of work (same session, same transaction), so
what they write commits or rolls back with the use case. Subscriptions are made once
at start-up by `src.wiring.wire()`.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

Handler = Callable[[AsyncSession, Any], Awaitable[None]]

_handlers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


async def publish(session: AsyncSession, event: object) -> None:
    for handler in _handlers.get(type(event), ()):
        await handler(session, event)
