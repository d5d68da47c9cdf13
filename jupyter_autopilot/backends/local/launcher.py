"""Starting the local backend's children (workers, model servers, the CPU helper): forked
from a pre-imported fork server, so they start in milliseconds instead of paying their
imports.

Every child of the local backend needs pandas, scikit-learn, SciPy and the boosting
libraries: importing them costs 2-3 s of CPU per process (more on a loaded machine), before
a worker trains or a model server answers. The fork server imports them once, then forks a
copy of itself for each child, which runs its module (`python -m MODULE ARGS` semantics)
with the environment, working directory and standard streams the server hands over.

    server --(control socket: request + fds)--> fork server --fork--> child
    server <--(status socket: "pid N", "exit CODE")-- fork server (it reaps the children)

One fork server per (server process, Python): it runs `LocalBackend.worker_python`, so an
environment with other libraries keeps working; it dies with the server (PR_SET_PDEATHSIG)
and its children die with it, so nothing outlives a killed server. A child's command line
reads as if it had been started directly (setproctitle), which is what the backends look
for after a restart. This module is the Jupyter server's side and import-light;
`forkserver.py` is the fork server's.
Where forking is not available (not Linux), or `LocalBackend.fork_server` is False, or the
fork server cannot start, children are started as plain processes (`start_child`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from ...processes import child_command

#: The fork server's module (`forkserver.py`; not imported here: it runs as `__main__`).
_MODULE = "jupyter_autopilot.backends.local.forkserver"
#: What the fork server imports before forking (what workers, model servers and the CPU
#: helper import; missing ones are skipped: worker_python may lack an optional library).
PRELOAD = (
    "numpy",
    "pandas",
    "scipy.stats",
    "sklearn.ensemble",
    "sklearn.linear_model",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "sklearn.metrics",
    "sklearn.model_selection",
    "lightgbm",
    "xgboost",
    "optuna",
    "catboost",
    "statsmodels.tsa.api",
    "nbformat",
    "tornado.web",
    "jupyter_autopilot.engine",
    "jupyter_autopilot.backends.local.backend",
    "jupyter_autopilot.serving.service",
)
#: Bytes kept in the fork server's environment for its children's command lines.
TITLE_SPACE = 8192
#: Largest request (a module, its arguments and an environment) in bytes.
MAX_REQUEST = 1 << 20
#: Standard streams: PIPE gives the caller an asyncio stream, DEVNULL /dev/null; or a file.
PIPE = subprocess.PIPE
DEVNULL = subprocess.DEVNULL
#: Exit code reported for a child whose exit the fork server could not see (it died).
_LOST = -signal.SIGKILL


class ForkServerError(OSError):
    """The fork server is gone or refused a request (the caller starts a plain process)."""


# -- the server's side ----------------------------------------------------------------


class _ForkServer:
    """The server's handle on one running fork server (any event loop, any thread)."""

    def __init__(self, python: str, env: dict[str, str]) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            # Started from the calling (event loop) thread on purpose: PR_SET_PDEATHSIG
            # fires when the thread that started a process exits, and a thread pool's
            # threads come and go.
            self.proc = subprocess.Popen(
                [*child_command(python, _MODULE), str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()],
                # Room for the children's command lines: setproctitle writes them over the
                # fork server's own argv and environment, and a short environment would cut
                # a model server's (its model path is what the restart checks look for).
                env={**env, "JUPYTER_AUTOPILOT_TITLE_SPACE": "-" * TITLE_SPACE},
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.control = ours
        self._lock = threading.Lock()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, request: bytes, fds: list[int]) -> None:
        """Hand one request and its file descriptors over (blocking, short)."""
        with self._lock:
            try:
                socket.send_fds(self.control, [request], fds)
            except OSError as exc:
                raise ForkServerError(f"The fork server is gone: {exc}") from exc

    def discard(self) -> None:
        """Forget a fork server that no longer answers (the next request starts another)."""
        with _servers_lock:
            for key, server in list(_servers.items()):
                if server is self:
                    del _servers[key]
        self.control.close()
        with contextlib.suppress(Exception):
            self.proc.kill()
            self.proc.wait(timeout=5)

    def close(self) -> None:
        """Closing the control socket ends the fork server (children already started live
        on until they exit or the server process goes)."""
        self.control.close()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)


_servers: dict[tuple[Any, ...], _ForkServer] = {}
_servers_lock = threading.Lock()


def _fork_server(python: str, env: dict[str, str]) -> _ForkServer:
    """This process's fork server for `python`, started (again) if needed.

    Keyed by the PYTHON* variables too: Python reads them once at start-up (PYTHONPATH,
    PYTHONHASHSEED...), so a child that needs other values needs another fork server.
    """
    key = (python, *sorted((k, v) for k, v in env.items() if k.startswith("PYTHON")))
    with _servers_lock:
        server = _servers.get(key)
        if server is None or not server.alive:
            if server is not None:
                server.control.close()
            server = _servers[key] = _ForkServer(python, env)
        return server


@atexit.register
def _close_all() -> None:
    for server in list(_servers.values()):
        server.close()
    _servers.clear()


def available() -> bool:
    """Whether children can be forked from a fork server on this platform."""
    return sys.platform.startswith("linux") and hasattr(socket, "send_fds")


class ForkedProcess:
    """A child forked by the fork server: the part of `asyncio.subprocess.Process` the
    backend uses (pid, returncode, wait, kill, send_signal, stdin, stdout)."""

    def __init__(
        self,
        pid: int,
        status: asyncio.StreamReader,
        status_writer: asyncio.StreamWriter,
        stdin: asyncio.StreamWriter | None,
        stdout: asyncio.StreamReader | None,
    ) -> None:
        self.pid = pid
        self.stdin = stdin
        self.stdout = stdout
        self.returncode: int | None = None
        self._status_writer = status_writer
        self._exit = asyncio.ensure_future(self._read_exit(status))

    async def _read_exit(self, status: asyncio.StreamReader) -> int:
        line = await status.readline()
        self._status_writer.close()
        word, _, value = line.decode().partition(" ")
        self.returncode = int(value) if word == "exit" else _LOST
        return self.returncode

    async def wait(self) -> int:
        """Wait for the child to exit; its exit code (minus the signal that killed it)."""
        return await asyncio.shield(self._exit)

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:  # never a reused pid
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


@dataclass
class _Streams:
    """The child's three standard streams and the caller's ends of its pipes."""

    child: list[int]
    stdin: int | None = None
    stdout: int | None = None

    @classmethod
    def open(cls, stdin: Any, stdout: Any, stderr: Any) -> _Streams:
        streams = cls(child=[])
        for index, spec in enumerate((stdin, stdout, stderr)):
            if spec == PIPE and index < 2:
                read, write = os.pipe()
                if index == 0:
                    streams.child.append(read)
                    streams.stdin = write
                else:
                    streams.child.append(write)
                    streams.stdout = read
            elif spec == DEVNULL or (spec is None and index == 0):
                streams.child.append(os.open(os.devnull, os.O_RDWR))
            elif spec is None:  # inherited: the Jupyter server's own stdout/stderr
                streams.child.append(os.dup(index))
            else:
                streams.child.append(os.dup(spec if isinstance(spec, int) else spec.fileno()))
        return streams

    def close_child_ends(self) -> None:
        for fd in self.child:
            with contextlib.suppress(OSError):
                os.close(fd)

    def close_all(self) -> None:
        self.close_child_ends()
        for fd in (self.stdin, self.stdout):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)


async def fork_child(
    python: str,
    module: str,
    *args: str,
    stdin: Any = DEVNULL,
    stdout: Any = None,
    stderr: Any = None,
    env: dict[str, str],
) -> ForkedProcess:
    """Fork `python -m module args` from the fork server for `python`.

    stdin/stdout: PIPE, DEVNULL, a file or a descriptor; stderr: DEVNULL, a file or a
    descriptor (None: the fork server's own, i.e. the Jupyter server's). Raises
    ForkServerError when the fork server is not there (the caller then starts a plain
    process).
    """
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    streams = _Streams.open(stdin, stdout, stderr)
    try:
        request = pickle.dumps(
            {"module": module, "args": list(args), "env": env, "cwd": os.getcwd()}
        )
        if len(request) > MAX_REQUEST:
            raise ForkServerError("The request to the fork server is too large.")
        for attempt in range(2):
            server = _fork_server(python, env)
            try:
                await asyncio.to_thread(server.send, request, [theirs.fileno(), *streams.child])
                break
            except ForkServerError:
                # Died since it was last used (killed, out of memory): start a fresh one.
                server.discard()
                if attempt:
                    raise
    except BaseException:
        streams.close_all()
        ours.close()
        raise
    finally:
        theirs.close()
        streams.close_child_ends()
    try:
        status, status_writer = await asyncio.open_unix_connection(sock=ours)
        first = await status.readline()
    except BaseException:
        ours.close()
        for fd in (streams.stdin, streams.stdout):
            if fd is not None:
                os.close(fd)
        raise
    word, _, value = first.decode().partition(" ")
    if word != "pid":
        status_writer.close()
        for fd in (streams.stdin, streams.stdout):
            if fd is not None:
                os.close(fd)
        raise ForkServerError(f"The fork server could not start {module}: {first.decode()!r}")
    writer = reader = None
    if streams.stdin is not None:
        transport, protocol = await loop.connect_write_pipe(
            asyncio.streams.FlowControlMixin, os.fdopen(streams.stdin, "wb", buffering=0)
        )
        writer = asyncio.StreamWriter(transport, protocol, None, loop)
    if streams.stdout is not None:
        reader = asyncio.StreamReader(limit=2**16)
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader),
            os.fdopen(streams.stdout, "rb", buffering=0),
        )
    return ForkedProcess(int(value), status, status_writer, writer, reader)


class ChildProcess(Protocol):
    """What the backend needs of a child: an `asyncio.subprocess.Process` or a
    `ForkedProcess`."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    @property
    def stdin(self) -> asyncio.StreamWriter | None: ...

    @property
    def stdout(self) -> asyncio.StreamReader | None: ...

    async def wait(self) -> int: ...

    def kill(self) -> None: ...

    def send_signal(self, sig: int) -> None: ...


async def start_child(
    python: str,
    module: str,
    *args: str,
    stdin: Any = DEVNULL,
    stdout: Any = None,
    stderr: Any = None,
    env: dict[str, str],
    fork_server: bool = True,
) -> ChildProcess:
    """Start `python -m module args` (through `processes.child_command`): forked from the
    fork server when `fork_server` and the platform allow, else as a plain process (also
    when the fork server cannot be reached). Raises OSError when `python` cannot run."""
    if fork_server and available():
        try:
            return await fork_child(
                python, module, *args, stdin=stdin, stdout=stdout, stderr=stderr, env=env
            )
        except ForkServerError as error:
            print(f"jupyter-autopilot: {error}; starting {module} directly.", file=sys.stderr)
    return await asyncio.create_subprocess_exec(
        *child_command(python, module, *args), stdin=stdin, stdout=stdout, stderr=stderr, env=env
    )
