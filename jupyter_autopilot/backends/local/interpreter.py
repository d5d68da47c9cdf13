"""The Python that runs the local backend's child processes (`AutopilotApp.worker_python`).

Workers, model servers and the CPU helper need the engine's dependencies (scikit-learn,
LightGBM, XGBoost, Optuna); the Jupyter server does not. Where Jupyter's own environment
must stay light (a SageMaker notebook instance's JupyterSystemEnv), those processes run
another environment's Python, which has the same jupyter_autopilot version installed.

`InterpreterPool` is the CPU helper for that case: `multiprocessing` cannot start another
interpreter properly (its spawned child takes the parent's `sys.path`, i.e. the other
environment's packages), so the helper is `python -m jupyter_autopilot.backends.local.
cpu_helper`, fed pickled calls over its stdin and answering on its stdout.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any, TypeVar

from ...exceptions import BackendUnavailable

T = TypeVar("T")

_HEADER = struct.Struct("!Q")
HELPER_MODULE = "jupyter_autopilot.backends.local.cpu_helper"
_VERSION_PROBE = "from importlib.metadata import version; print(version('jupyter_autopilot'))"
#: Variables the children must not inherit (kernel and server tokens they do not need).
SECRETS = ("JUPYTER_TOKEN", "JPY_API_TOKEN", "JUPYTERHUB_API_TOKEN")


def resolve(worker_python: str | None) -> str:
    """The interpreter for child processes: the configured one, else the server's own."""
    return str(Path(worker_python).expanduser()) if worker_python else sys.executable


def is_own(python: str) -> bool:
    """True when `python` is the server's interpreter (nothing to check)."""
    return python == sys.executable


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process: the server's, without its secrets."""
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env.update(extra)
    return env


def check(python: str) -> None:
    """Fail with a clear 503 unless `python` runs our package at the server's version.

    Blocking (a short subprocess the first time); call it in a thread. Successes are
    cached, failures are not: an environment still being installed will do next time.
    """
    if is_own(python):
        return
    _check_cached(python, _own_version())


@lru_cache(maxsize=8)
def _check_cached(python: str, expected: str) -> None:
    setting = f"AutopilotApp.worker_python is {python}"
    hint = (
        "On a SageMaker notebook instance the lifecycle script builds it in the background: "
        "see ~/SageMaker/.jupyter-autopilot-install.log. Elsewhere, install jupyter_autopilot "
        "into that environment or unset the setting."
    )
    if not os.access(python, os.X_OK) or Path(python).is_dir():
        raise BackendUnavailable(f"{setting}, which is not an executable file. {hint}")
    try:
        probe = subprocess.run(
            [python, "-c", _VERSION_PROBE],
            capture_output=True,
            text=True,
            timeout=60,
            env=child_env(),
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackendUnavailable(f"{setting}, which could not be run: {exc}. {hint}") from exc
    found = probe.stdout.strip()
    if probe.returncode != 0:
        tail = probe.stderr.strip().splitlines()[-1:] or ["no output"]
        raise BackendUnavailable(f"{setting}, which has no jupyter_autopilot ({tail[0]}). {hint}")
    if found != expected:
        raise BackendUnavailable(
            f"{setting}, which has jupyter_autopilot {found} while the server has {expected}: "
            "install the same version in both environments (on a notebook instance, restart "
            "it so the lifecycle script upgrades both)."
        )


def _own_version() -> str:
    return metadata.version("jupyter_autopilot")


# -- the CPU helper in another interpreter ------------------------------------------------
def send(stream: IO[bytes], obj: Any) -> None:
    """Write one length-prefixed pickle."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one length-prefixed pickle; EOFError when the other side is gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class InterpreterPool(Executor):
    """A one-process executor whose process runs `python` (like ProcessPoolExecutor(1)).

    Calls run one at a time, in order. When the helper dies, the running call and the
    queued ones fail with `BrokenProcessPool` and the pool is unusable (callers start a
    new one, as they do for ProcessPoolExecutor).
    """

    def __init__(self, python: str):
        self.python = python
        self._calls: queue.SimpleQueue[
            tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None
        ]
        self._calls = queue.SimpleQueue()
        self._proc: subprocess.Popen[bytes] | None = None
        self._broken: str | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._serve, name="autopilot-cpu-helper", daemon=True
        )
        self._thread.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if kwargs:
            raise TypeError("InterpreterPool.submit takes positional arguments only")
        with self._lock:
            if self._broken:
                raise BrokenProcessPool(self._broken)
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            future: Future[T] = Future()
            self._calls.put((future, fn, args))
            return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
        if cancel_futures:
            self._fail_queued(None)
        self._calls.put(None)
        proc = self._proc
        if proc is not None and not wait:
            proc.kill()
        if wait:
            self._thread.join()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _start(self) -> subprocess.Popen[bytes]:
        check(self.python)
        return subprocess.Popen(
            [self.python, "-m", HELPER_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(JUPYTER_AUTOPILOT_PARENT_PID=str(os.getpid())),
        )

    def _serve(self) -> None:
        while True:
            item = self._calls.get()
            if item is None:
                break
            future, fn, args = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if self._proc is None:
                    self._proc = self._start()
                assert self._proc.stdin is not None and self._proc.stdout is not None
                try:
                    send(self._proc.stdin, (fn, args))
                    ok, value = receive(self._proc.stdout)
                except (EOFError, BrokenPipeError, OSError) as exc:
                    code = self._proc.poll()
                    raise BrokenProcessPool(
                        f"The helper process ({self.python}) ended unexpectedly"
                        + (f" with exit code {code}" if code is not None else "")
                    ) from exc
            except BrokenProcessPool as exc:
                with self._lock:
                    self._broken = str(exc)
                future.set_exception(exc)
                self._fail_queued(exc)
                break
            except BaseException as exc:
                future.set_exception(exc)
            else:
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()

    def _fail_queued(self, error: BaseException | None) -> None:
        while True:
            try:
                item = self._calls.get_nowait()
            except queue.Empty:
                return
            if item is None:
                self._calls.put(None)
                return
            future = item[0]
            if error is None:
                future.cancel()
            elif future.set_running_or_notify_cancel():
                future.set_exception(error)
