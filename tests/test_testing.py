"""`jupyter_autopilot.testing`: the server-process helper the end-to-end tests share."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_autopilot import testing


def test_a_server_whose_port_was_taken_starts_on_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parallel test workers race for free ports: a port taken between `free_port()` and
    the server's bind (here by a socket that listens and never answers) must neither hang
    the start nor leave the helper talking to another process."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    taken = held.getsockname()[1]
    choices: Iterator[int] = iter([taken])
    real_free_port = testing.free_port
    monkeypatch.setattr(testing, "free_port", lambda: next(choices, None) or real_free_port())
    (tmp_path / "root").mkdir()
    (tmp_path / "home").mkdir()
    server = testing.JupyterServerProcess(tmp_path / "root", tmp_path / "home")
    try:
        server.start()
        assert server.port != taken
        assert server.get("health").status_code == 200
    finally:
        server.stop()
        held.close()


def test_a_server_that_never_becomes_healthy_is_stopped(tmp_path: Path) -> None:
    """A start that times out (here: the extension cannot load its backend, so `health`
    answers 404, if the server gets that far) raises and leaves no server process behind.
    A short timeout: the test waits it out, and ran last in the test run, alone."""
    (tmp_path / "root").mkdir()
    (tmp_path / "home").mkdir()
    server = testing.JupyterServerProcess(
        tmp_path / "root", tmp_path / "home", backend="no_such_module.Backend"
    )
    try:
        with pytest.raises(TimeoutError, match="did not start"):
            server.start(timeout=6)
        assert server.proc is not None and server.proc.poll() is not None
    finally:
        server.stop()
