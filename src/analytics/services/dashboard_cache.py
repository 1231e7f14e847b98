"""In-process caches of computed dashboards, loaded single-flight.

An entry is keyed by what was computed (internship, scope, period; or internship, intern,
period) and remembers the freshness stamp it was computed from; the analytics service
serves it only while the stamp read now is the same and the entry is younger than the
configured maximum age. Concurrent misses of one key can share one computation
(`load`): the first request computes, the others await its result holding nothing but a
future. Serialised forms (JSON per sort order, CSV, XLSX) are made once per entry and
kept beside it, so a hit costs no model building or serialisation.
"""

import asyncio
import contextlib
import datetime as dt
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

from ..repositories.metrics_repository import Freshness
from ..schemas.analytics_schema import Metrics

# (internship id, the teams in scope or None for all, first day, last day), or
# (internship id, intern's user id, first day, last day)
DashboardKey = tuple[int, tuple[int, ...] | int | None, dt.date, dt.date]
MAX_RENDERS = 4  # serialised forms kept per entry (sort orders, exports)


@dataclass(eq=False)
class CachedDashboard[T]:
    dashboard: T
    freshness: Freshness
    computed_at: float  # time.monotonic() when the computation began
    cohort_median: Metrics | None = None
    renders: "OrderedDict[Hashable, bytes]" = field(default_factory=OrderedDict)

    def render(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        """The serialised form `key`, made on first use (a few are kept, newest last)."""
        body = self.renders.get(key)
        if body is None:
            body = self.renders[key] = make()
            while len(self.renders) > MAX_RENDERS:
                self.renders.popitem(last=False)
        else:
            self.renders.move_to_end(key)
        return body


@dataclass(eq=False)
class _Flight[T]:
    started_at: float
    future: "asyncio.Future[CachedDashboard[T]]"


class DashboardCache[T]:
    """Entries weigh `weigh(dashboard)` (e.g. its rows); the least recently used go first
    once the total passes `max_weight`, which bounds the memory a worker spends on it."""

    def __init__(self, *, max_weight: int, weigh: Callable[[T], int]) -> None:
        self.max_weight = max_weight
        self._weigh = weigh
        self._weight = 0
        self._entries: OrderedDict[DashboardKey, tuple[CachedDashboard[T], int]] = OrderedDict()
        self._flights: dict[DashboardKey, _Flight[T]] = {}

    def put(self, key: DashboardKey, entry: CachedDashboard[T]) -> None:
        self._drop(key)
        weight = self._weigh(entry.dashboard)
        self._entries[key] = (entry, weight)
        self._weight += weight
        while self._weight > self.max_weight and len(self._entries) > 1:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: DashboardKey) -> None:
        dropped = self._entries.pop(key, None)
        if dropped is not None:
            self._weight -= dropped[1]

    def get(self, key: DashboardKey, max_age: float) -> CachedDashboard[T] | None:
        found = self._entries.get(key)
        if found is None:
            return None
        if time.monotonic() - found[0].computed_at > max_age:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return found[0]

    def clear(self) -> None:
        self._entries.clear()
        self._weight = 0

    async def load(
        self,
        key: DashboardKey,
        checked_at: float,
        compute: Callable[[], Awaitable[CachedDashboard[T]]],
    ) -> CachedDashboard[T] | None:
        """A fresh entry for `key`: computed here, or by a computation that began after
        `checked_at` (when the caller found the cache stale); None when the caller must
        look again (an older computation it waited for finished, or was cancelled)."""
        loop = asyncio.get_running_loop()
        flight = self._flights.get(key)
        if flight is not None and flight.future.get_loop() is not loop:
            flight = None  # left by another event loop (tests): not ours to await
        if flight is None:
            return await self._lead(key, compute, loop)
        if flight.started_at >= checked_at:
            # Its stamp was read after we found ours stale: whatever we must see, it sees.
            try:
                return await asyncio.shield(flight.future)
            except asyncio.CancelledError:
                if flight.future.cancelled():
                    return None  # the computing request went away: try again
                raise
        # It began before our check, so it may miss a write we must see: wait, look again.
        await asyncio.wait([flight.future])
        return None

    async def _lead(
        self,
        key: DashboardKey,
        compute: Callable[[], Awaitable[CachedDashboard[T]]],
        loop: asyncio.AbstractEventLoop,
    ) -> CachedDashboard[T]:
        flight: _Flight[T] = _Flight(started_at=time.monotonic(), future=loop.create_future())
        # Nobody may be waiting: an exception left in the future is read here, not logged.
        flight.future.add_done_callback(_consume_exception)
        self._flights[key] = flight
        try:
            entry = await compute()
        except BaseException as exc:
            if isinstance(exc, Exception):
                flight.future.set_exception(exc)
            else:
                flight.future.cancel()
            raise
        finally:
            if self._flights.get(key) is flight:
                del self._flights[key]
        self.put(key, entry)
        flight.future.set_result(entry)
        return entry


def _consume_exception[T](future: "asyncio.Future[CachedDashboard[T]]") -> None:
    if not future.cancelled():
        with contextlib.suppress(Exception):
            future.exception()
