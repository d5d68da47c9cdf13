"""The CPU helper process: answers in order, errors as the caller's, restarts once after a
crash, stops with `shutdown`, and dies with the server even when the server is SIGKILLed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest
from support.processes import process_gone

from jupyter_autopilot.backends.local.cpu import CpuPool
from jupyter_autopilot.exceptions import InvalidDataset


def _fail(message: str) -> None:
    raise InvalidDataset(message, details=[{"field": "input_uri", "message": message}])


def _noisy(value: int) -> int:
    print("a library printing to stdout must not corrupt the answers")
    return value * 2


def _die() -> None:
    os._exit(9)


async def test_calls_answer_in_order_and_errors_keep_their_type_and_details():
    pool = CpuPool()
    try:
        answers = await asyncio.gather(*(pool.run(_noisy, i) for i in range(20)))
        assert answers == [2 * i for i in range(20)]
        with pytest.raises(InvalidDataset) as error:
            await pool.run(_fail, "the file is empty")
        assert error.value.message == "the file is empty"
        assert error.value.details == [{"field": "input_uri", "message": "the file is empty"}]
        # No multiprocessing: the helper is forked by our own fork server (a child of
        # this process) and starts no resource tracker.
        helper = psutil.Process(pool.pid)
        fork_server = helper.parent()
        assert fork_server is not None and fork_server.ppid() == os.getpid()
        assert "local.forkserver" in " ".join(fork_server.cmdline())
        assert "multiprocessing" not in " ".join(helper.cmdline())
        assert not helper.children()
    finally:
        await pool.shutdown()


async def test_a_killed_helper_is_replaced_and_a_dying_call_reported():
    pool = CpuPool()
    try:
        assert await pool.run(_noisy, 1) == 2
        first = pool.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        assert await pool.run(_noisy, 2) == 4  # a fresh helper, transparently
        assert pool.pid != first
        with pytest.raises(Exception, match=r"exited \(code 9\).*twice"):
            await pool.run(_die)
        assert await pool.run(_noisy, 3) == 6
    finally:
        await pool.shutdown()
    assert pool.pid is None


async def test_shutdown_stops_a_busy_helper_promptly():
    pool = CpuPool()
    await pool.run(_noisy, 1)
    pid = pool.pid
    assert pid is not None
    busy = asyncio.ensure_future(pool.run(time.sleep, 60))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await pool.shutdown()
    assert time.monotonic() - started < 10
    assert process_gone(pid)
    with pytest.raises(Exception, match=r"shutting down|exited"):
        await busy


def test_the_helper_dies_with_a_killed_server():
    """A stand-in server starts the helper, then is SIGKILLed: no clean-up code runs."""
    script = textwrap.dedent(
        """
        import asyncio
        from jupyter_autopilot.backends.local.cpu import CpuPool

        async def main():
            pool = CpuPool()
            await pool.run(abs, -1)
            print(pool.pid, flush=True)
            await asyncio.sleep(600)

        asyncio.run(main())
        """
    )
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert server.stdout is not None
        helper = int(server.stdout.readline())
        fork_server = psutil.Process(helper).parent()
        assert fork_server is not None and fork_server.ppid() == server.pid
    finally:
        server.kill()
        server.wait()
    assert process_gone(helper), "the CPU helper outlived its killed server"
