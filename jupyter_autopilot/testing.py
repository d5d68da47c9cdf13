"""Test and benchmark helpers: a real `jupyter server` in a subprocess (kill, restart)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import requests
from jupyter_core.paths import jupyter_config_path
from jupyter_server.extension.config import ExtensionConfigManager


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: `python -m jupyter_server`, less the optional module no server of ours uses that costs a
#: second and more of CPU to import (`processes.skip_unused_slow_imports`): tests start
#: dozens of servers.
SERVER_MAIN = (
    "from jupyter_autopilot.processes import skip_unused_slow_imports; "
    "skip_unused_slow_imports(); "
    "from jupyter_server.serverapp import main; "
    "main()"
)


class PortTaken(RuntimeError):
    """The port chosen for a server was bound by another process before the server."""


class JupyterServerProcess:
    """Start, SIGKILL, stop and restart a Jupyter server on one root dir."""

    def __init__(self, root: Path, home: Path, **autopilot: Any):
        self.root = root
        self.home = home
        self.token = "test-token-" + os.urandom(4).hex()
        self.autopilot = autopilot
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120, attempts: int = 3) -> None:
        """Start the server on a free port and wait until it answers `health`. Parallel
        test workers can take the port between `free_port()` and the server's bind: the
        server then exits (no port retries, so it never answers on a port we did not
        choose) and starts again on another one."""
        for attempt in range(attempts):
            try:
                self._start_once(timeout)
                return
            except PortTaken:
                if attempt == attempts - 1:
                    raise

    def _start_once(self, timeout: float) -> None:
        self.port = free_port()
        args = [
            sys.executable,
            "-c",
            SERVER_MAIN,
            "--no-browser",
            "--allow-root",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.jpserver_extensions={self._extensions()!r}",
        ]
        args += [f"--AutopilotApp.{k}={v}" for k, v in self.autopilot.items()]
        env = dict(os.environ, HOME=str(self.home), JUPYTER_RUNTIME_DIR=str(self.home / "runtime"))
        log = open(self.home / f"server-{self.port}.log", "wb")  # noqa: SIM115 - kept open for the child
        self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                text = self.log_text()
                if f"port {self.port} is not available" in text:
                    raise PortTaken(self.port)
                raise RuntimeError(f"jupyter server exited: {text[-3000:]}")
            try:
                # A short timeout: until our server has bound the port, another process may
                # hold it without answering.
                if self.get("health", timeout=5).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.2)
        text = self.log_text()
        # Never leave a server running that the caller cannot stop (it got no handle to it).
        self.stop(timeout=10)
        raise TimeoutError(f"jupyter server did not start: {text[-3000:]}")

    @staticmethod
    def _extensions() -> dict[str, bool]:
        """Ours, and every other server extension this environment enables turned off:
        JupyterLab, the language server and terminals cost each start about a second of
        CPU (a third of it) and stopping more, and these servers only answer our API."""
        enabled = ExtensionConfigManager(read_config_path=jupyter_config_path())
        others = dict.fromkeys(enabled.get_jpserver_extensions(), False)
        return {**others, "jupyter_autopilot": True}

    def log_text(self) -> str:
        return (self.home / f"server-{self.port}.log").read_text(errors="replace")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def tree(self) -> list[psutil.Process]:
        """The server process and every process it started, recursively (live ones)."""
        try:
            server = psutil.Process(self.pid)
            return [server, *server.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kill(self) -> None:
        """SIGKILL: no clean-up hooks run (a crash, a closed laptop, an OOM kill)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self, timeout: float = 60) -> bool:
        """Graceful stop (SIGTERM, as a service manager sends). True if the server exited
        by itself within `timeout` seconds; otherwise it is SIGKILLed and False returned."""
        if self.proc is None or self.proc.poll() is not None:
            return True
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return False

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        headers.setdefault("Authorization", f"token {self.token}")
        kwargs.setdefault("timeout", 60)
        return requests.request(
            method, f"{self.url}/autopilot/api/{path}", headers=headers, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, json=json if json is not None else {}, **kwargs)

    def wait_for(self, path: str, predicate: Any, timeout: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            reply = self.get(path)
            if reply.status_code == 200:
                body = reply.json()
                if predicate(body):
                    return body
            time.sleep(0.2)
        raise TimeoutError(f"{path} never satisfied the condition; last: {body}")


@contextmanager
def temporary_server(
    files: Mapping[str, bytes], prefix: str = "autopilot-", **autopilot: Any
) -> Iterator[JupyterServerProcess]:
    """A started server on a fresh temporary root holding `files` (relative path -> bytes);
    stopped and removed on exit."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    root, home = work / "root", work / "home"
    home.mkdir()
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    root.mkdir(exist_ok=True)
    server = JupyterServerProcess(root, home, **autopilot)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
