"""CPU-heavy request work (parsing big CSVs) in a separate process.

A thread is not enough: pandas' type inference holds the GIL for long stretches, and
the Jupyter server's event loop would stall for every user while a 40k-row file is
parsed. One helper process does it instead; results are cached by file identity (path,
size, mtime) so the create form's repeated previews are instant.

The helper is a plain child process (`python -m jupyter_autopilot.backends.local.cpu_helper`)
that reads pickled calls on stdin and writes pickled answers on stdout, one at a time. It
runs `AutopilotApp.worker_python` when that is set (an environment with the engine's
dependencies), else the server's own interpreter.
Unlike a `multiprocessing` pool it needs no semaphores, hence no resource-tracker process,
and like workers and model servers it dies with the server (`PR_SET_PDEATHSIG`), so
neither can outlive a killed server.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ...exceptions import AutopilotError
from . import interpreter
from .launcher import PIPE, ChildProcess, start_child

T = TypeVar("T")
_CACHE_SIZE = 32
_HELPER_MODULE = "jupyter_autopilot.backends.local.cpu_helper"
#: Answers bigger than this are unpickled in a thread, off the event loop.
_BIG_ANSWER_BYTES = 1 << 20
#: Seconds the helper gets to exit at shutdown before it is killed.
_EXIT_GRACE_SECONDS = 2.0


def _warm_up() -> None:
    """Import the engine once in the helper, so the first real request is fast."""
    import jupyter_autopilot.engine  # noqa: F401


class HelperExited(AutopilotError):
    """The helper process died while working on a request (twice in a row)."""


class CpuPool:
    """One lazily started helper process, calls in order, with a small result cache."""

    def __init__(self, python: str = sys.executable, fork_server: bool = True) -> None:
        self.python = python
        self.fork_server = fork_server
        self._proc: ChildProcess | None = None
        self._lock = asyncio.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._closed = False
        self._warming: asyncio.Future[Any] | None = None

    @property
    def pid(self) -> int | None:
        """The helper's process id while it runs."""
        if self._proc is None or self._proc.returncode is not None:
            return None
        return self._proc.pid

    def warm_up(self) -> None:
        """Start the helper in the background and have it import the engine."""
        self._warming = asyncio.ensure_future(self.run(_warm_up))
        # A failure here shows again, with its reason, on the first real request.
        self._warming.add_done_callback(lambda task: task.cancelled() or task.exception())

    async def _process(self) -> ChildProcess:
        if self._proc is None or self._proc.returncode is not None:
            # A 503 naming the setting when worker_python cannot run our package.
            await asyncio.to_thread(interpreter.check, self.python)
            self._proc = await start_child(
                self.python,
                _HELPER_MODULE,
                stdin=PIPE,
                stdout=PIPE,
                env=interpreter.child_env(),
                fork_server=self.fork_server,
            )
            assert self._proc.stdin is not None
            # First message: the import path to use. Our own interpreter gets ours (as
            # multiprocessing's spawn does); another one keeps its own environment's.
            own_path = sys.path if interpreter.is_own(self.python) else []
            self._proc.stdin.write(interpreter.frame(pickle.dumps(own_path)))
        return self._proc

    async def _exchange(self, request: bytes) -> Any:
        """Send one call and read its answer; a helper that died is replaced once."""
        async with self._lock:
            for attempt in range(2):
                if self._closed:
                    raise HelperExited("The server is shutting down.")
                proc = await self._process()
                assert proc.stdin is not None and proc.stdout is not None
                try:
                    proc.stdin.write(interpreter.frame(request))
                    await proc.stdin.drain()
                    size = int.from_bytes(await proc.stdout.readexactly(interpreter.HEADER), "big")
                    answer = await proc.stdout.readexactly(size)
                    break
                except (asyncio.IncompleteReadError, ConnectionError):
                    # Killed, or out of memory: start a fresh helper and retry once.
                    code = await proc.wait()
                    self._proc = None
                    if attempt:
                        raise HelperExited(
                            f"The helper process that reads data files exited (code {code}) "
                            "while working on this request, twice; the file may be too big "
                            "for this machine's memory. Try a smaller file."
                        ) from None
        if len(answer) > _BIG_ANSWER_BYTES:
            outcome, value = await asyncio.to_thread(pickle.loads, answer)
        else:
            outcome, value = pickle.loads(answer)
        if outcome == "error":
            raise value
        return value

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in the helper process (`fn` and the arguments must pickle)."""
        request = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        # Shielded: a cancelled caller must not leave an answer unread in the pipe.
        return await asyncio.shield(self._exchange(request))

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

    async def shutdown(self) -> None:
        """Stop the helper: closing its stdin ends it; killed if busy past a short grace."""
        self._closed = True
        proc, self._proc = self._proc, None
        if proc is None or proc.returncode is not None:
            return
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), _EXIT_GRACE_SECONDS)
        except asyncio.TimeoutError:
            proc.kill()
            await proc.wait()
