"""A small TTL cache that also coalesces concurrent look-ups.

Every open panel polls its experiment or endpoint every few seconds; without this, N
panels would make N DescribeAutoMLJobV2 calls per poll (and hit SageMaker's low
Describe* rate limits). With it, one call per key per TTL is made, and callers that
arrive while it is in flight await the same result.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Seconds a polled result is reused (per job / endpoint), so that many open panels
#: cost one AWS call per period. Read at call time (tests set them to 0).
DESCRIBE_TTL = 5.0
CANDIDATES_TTL = 10.0
LIST_TTL = 10.0
ENDPOINT_TTL = 5.0
ARTIFACTS_TTL = 15.0
TAGS_TTL = 300.0
STATIC_TTL = 3600.0  # endpoint configs and finished training jobs never change
CAPTURE_SYNC_TTL = 20.0  # SageMaker writes capture files every few minutes anyway


class TTLCache:
    """Per-key cached results of coroutine calls, each valid for `ttl` seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_entries: int = 2048):
        self._clock = clock
        self._max = max_entries
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._inflight: dict[Hashable, asyncio.Future[Any]] = {}
        self.misses = 0  # how many times a loader actually ran (for tests and logs)

    async def get(self, key: Hashable, ttl: float, loader: Callable[[], Awaitable[T]]) -> T:
        """The cached value for `key`, or the result of `loader()` (shared by concurrent callers)."""
        now = self._clock()
        hit = self._values.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]  # type: ignore[no-any-return,unused-ignore]
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)  # type: ignore[no-any-return,unused-ignore]
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        self.misses += 1
        try:
            value = await loader()
        except BaseException as exc:
            future.set_exception(exc)
            # Mark retrieved so a failure nobody else awaited does not log a warning.
            future.exception()
            raise
        else:
            future.set_result(value)
            if ttl > 0:
                if len(self._values) >= self._max:
                    self._evict(now)
                self._values[key] = (self._clock() + ttl, value)
            return value
        finally:
            self._inflight.pop(key, None)

    def invalidate(self, *keys: Hashable, prefix: tuple[Any, ...] | None = None) -> None:
        """Forget keys (and, with `prefix`, every tuple key starting with it)."""
        for key in keys:
            self._values.pop(key, None)
        if prefix is not None:
            n = len(prefix)
            for key in [k for k in self._values if isinstance(k, tuple) and k[:n] == prefix]:
                self._values.pop(key, None)

    def clear(self) -> None:
        self._values.clear()

    def _evict(self, now: float) -> None:
        for key in [k for k, (expiry, _) in self._values.items() if expiry <= now]:
            del self._values[key]
        while len(self._values) >= self._max:
            self._values.pop(next(iter(self._values)))
