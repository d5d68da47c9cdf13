"""The fork server (`launcher` / `forkserver`): children forked from a pre-imported process
behave as if started directly (module, arguments, environment, working directory, streams,
exit codes, command line) and a fork server that dies is replaced."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from jupyter_autopilot.backends.local import launcher
from jupyter_autopilot.backends.local.interpreter import HEADER, child_env, frame

pytestmark = pytest.mark.skipif(not launcher.available(), reason="the fork server needs Linux")

HELPER = "jupyter_autopilot.backends.local.cpu_helper"


async def _call(proc: launcher.ChildProcess, fn: Any, *args: Any) -> Any:
    """One call answered by a CPU helper child (its protocol: a length, then a pickle)."""
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(frame(pickle.dumps((fn, args))))
    await proc.stdin.drain()
    size = int.from_bytes(await asyncio.wait_for(proc.stdout.readexactly(HEADER), 60), "big")
    outcome, value = pickle.loads(await proc.stdout.readexactly(size))
    assert outcome == "ok", value
    return value


async def _helper(env: dict[str, str], fork_server: bool = True) -> launcher.ChildProcess:
    proc = await launcher.start_child(
        sys.executable,
        HELPER,
        stdin=launcher.PIPE,
        stdout=launcher.PIPE,
        env=env,
        fork_server=fork_server,
    )
    assert proc.stdin is not None
    proc.stdin.write(frame(pickle.dumps(sys.path)))
    return proc


async def test_a_forked_child_runs_its_module_with_its_environment_and_preloaded_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {**child_env(), "AUTOPILOT_LAUNCHER_TEST": "seen"}
    forked = await _helper(env)
    plain = await _helper(env, fork_server=False)
    try:
        assert isinstance(forked, launcher.ForkedProcess)
        for proc in (forked, plain):
            assert await _call(proc, os.getcwd) == str(tmp_path)
            assert await _call(proc, os.getenv, "AUTOPILOT_LAUNCHER_TEST") == "seen"
            # Tokens the server holds are not handed down (child_env), either way.
            assert await _call(proc, os.getenv, "JUPYTER_TOKEN") is None
        # The helper itself imports no scikit-learn: only the fork server's child has it.
        preloaded = "'sklearn' in __import__('sys').modules"
        assert await _call(forked, eval, preloaded) is True
        assert await _call(plain, eval, preloaded) is False
        # It reads as if started directly (what the restart checks look for), and its
        # parent, the fork server, is a child of this process.
        child = psutil.Process(forked.pid)
        assert HELPER in " ".join(child.cmdline()).split()
        parent = child.parent()
        assert parent is not None and parent.ppid() == os.getpid()
        assert "jupyter_autopilot.backends.local.forkserver" in " ".join(parent.cmdline())
    finally:
        for proc in (forked, plain):
            proc.kill()
            await proc.wait()


async def test_exit_codes_signals_and_stderr_reach_the_server(tmp_path: Path) -> None:
    env = child_env()
    proc = await _helper(env)
    # The pipe closes on exit: the answer never comes, the exit code does.
    assert proc.stdin is not None
    proc.stdin.write(frame(pickle.dumps((os._exit, (7,)))))
    assert await asyncio.wait_for(proc.wait(), 60) == 7
    assert proc.returncode == 7

    proc = await _helper(env)
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 60) == -signal.SIGTERM

    # A module that fails writes its error to the stderr it was given, and exits 1.
    log = tmp_path / "child.log"
    with open(log, "ab") as stream:
        failing = await launcher.start_child(
            sys.executable,
            "json.tool",
            str(tmp_path / "missing.json"),
            stdout=stream,
            stderr=stream,
            env=env,
        )
    assert isinstance(failing, launcher.ForkedProcess)
    assert await asyncio.wait_for(failing.wait(), 60) != 0
    assert "missing.json" in log.read_text()


async def test_a_dead_fork_server_is_replaced_and_its_children_reported_killed() -> None:
    env = child_env()
    first = await _helper(env)
    server = psutil.Process(first.pid).parent()
    assert server is not None
    server.kill()
    # Its children die with it (PR_SET_PDEATHSIG); the server sees them as killed.
    assert await asyncio.wait_for(first.wait(), 60) == -signal.SIGKILL
    second = await _helper(env)
    try:
        assert isinstance(second, launcher.ForkedProcess)
        assert await _call(second, abs, -2) == 2
        replacement = psutil.Process(second.pid).parent()
        assert replacement is not None and replacement.pid != server.pid
    finally:
        second.kill()
        await second.wait()
