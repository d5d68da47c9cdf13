"""CPU-heavy request work (parsing big CSVs) in a separate process.

A thread is not enough: pandas' type inference holds the GIL for long stretches, and
the Jupyter server's event loop would stall for every user while a 40k-row file is
parsed. One spawned helper process does it instead; results are cached by file
identity (path, size, mtime) so the create form's repeated previews are instant.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import sys
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from . import interpreter

T = TypeVar("T")
_CACHE_SIZE = 32


def _warm_up() -> None:
    """Import the engine once in the helper, so the first real request is fast."""
    import jupyter_autopilot.engine  # noqa: F401


class CpuPool:
    """A lazily started single-process pool with a small result cache.

    The process runs `python` (`AutopilotApp.worker_python`): the server's own interpreter
    through multiprocessing, another one through `interpreter.InterpreterPool`.
    """

    def __init__(self, python: str = sys.executable) -> None:
        self.python = python
        self._pool: Executor | None = None
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def _executor(self) -> Executor:
        if self._pool is None:
            if interpreter.is_own(self.python):
                self._pool = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
            else:
                self._pool = interpreter.InterpreterPool(self.python)
        return self._pool

    def warm_up(self) -> None:
        self._executor().submit(_warm_up)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), functools.partial(fn, *args))
        except BrokenProcessPool:
            # The helper died (killed, out of memory): start a fresh one and retry once.
            self._pool = None
            return await loop.run_in_executor(self._executor(), functools.partial(fn, *args))

    async def cached(
        self, files: list[Path], key: tuple[Any, ...], fn: Callable[..., T], *args: Any
    ) -> T:
        """`run`, memoised on `key` plus the identity of `files` (changed file, new answer)."""
        identity = []
        for path in files:
            try:
                stat = os.stat(path)
            except OSError:
                return await self.run(fn, *args)
            identity.append((str(path), stat.st_size, stat.st_mtime_ns))
        full_key = (*key, *identity)
        if full_key in self._cache:
            self._cache.move_to_end(full_key)
            return self._cache[full_key]
        result = await self.run(fn, *args)
        self._cache[full_key] = result
        while len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
