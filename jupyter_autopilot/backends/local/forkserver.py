"""The fork server process (see `launcher`): imports the engine's libraries once, then
forks one child per request from the Jupyter server and reports each child's exit.

    python -m jupyter_autopilot.processes jupyter_autopilot.backends.local.forkserver FD

FD is its end of a SOCK_SEQPACKET socket pair: each message is a pickled request
(module, arguments, environment, working directory) with four descriptors (a status
socket and the child's stdin, stdout, stderr). It answers "pid N" then "exit CODE" on
the status socket, and exits when the Jupyter server closes its end. Single-threaded:
forking from a process with running Python threads is unsafe.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import os
import pickle
import selectors
import signal
import socket
import sys
import threading
import traceback
from typing import Any

from ...processes import child_command
from .launcher import MAX_REQUEST, PRELOAD


def _preload() -> None:
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # an optional library missing: its users import it themselves
            continue


def _child(request: dict[str, Any], fds: list[int], keep_closed: list[int]) -> int:
    """In the forked child: become `python -m module args` and run it; the exit code."""
    for fd in keep_closed:
        with contextlib.suppress(OSError):
            os.close(fd)
    # The signal handling of a fresh Python (SIGPIPE stays ignored, as Python sets it).
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    status, *std = fds
    for target, fd in enumerate(std):
        os.dup2(fd, target)
        os.close(fd)
    os.close(status)
    command = child_command(sys.executable, request["module"], *request["args"])
    try:
        import setproctitle

        # Before the environment changes: setproctitle finds argv's memory through it.
        setproctitle.setproctitle(" ".join(command))
    except ImportError:  # the restart checks then do not recognise it: it is left alone
        pass
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # The parent to die with is this fork server (which dies with the Jupyter server).
    os.environ["JUPYTER_AUTOPILOT_PARENT_PID"] = str(os.getppid())
    # Python reseeds `random` after a fork; NumPy's global generator would otherwise be
    # the same in every child (a fresh process seeds it from the OS).
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
    from ...processes import _run_child

    code: int = 0
    try:
        _run_child([request["module"], *request["args"]])
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            code = exit_.code or 0
        else:
            print(exit_.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    # What the interpreter does at exit: wait for threads, run atexit, flush.
    with contextlib.suppress(Exception):
        threading._shutdown()  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):
        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    return code


def serve(control: socket.socket) -> None:
    """Fork a child per request until the server closes the control socket."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the Jupyter server decides
    status_of: dict[int, int] = {}
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ, "control")
    selector.register(wake_read, selectors.EVENT_READ, "child")
    while True:
        for key, _ in selector.select():
            if key.data == "child":
                with contextlib.suppress(BlockingIOError, InterruptedError):
                    os.read(wake_read, 4096)
                _reap(status_of)
                continue
            try:
                data, fds, _, _ = socket.recv_fds(control, MAX_REQUEST, 8)
            except InterruptedError:
                continue
            if not data:
                return
            _fork_one(data, fds, status_of, [control.fileno(), wake_read, wake_write])


def _fork_one(data: bytes, fds: list[int], status_of: dict[int, int], own: list[int]) -> None:
    status = fds[0]
    try:
        request = pickle.loads(data)
        pid = os.fork()
    except Exception as error:
        with contextlib.suppress(OSError):
            os.write(status, f"error {error}\n".encode())
        for fd in fds:
            os.close(fd)
        return
    if pid == 0:
        code = 1
        try:
            code = _child(request, fds, own + list(status_of.values()))
        finally:
            os._exit(code & 0xFF)
    for fd in fds[1:]:
        os.close(fd)
    status_of[pid] = status
    with contextlib.suppress(OSError):
        os.write(status, f"pid {pid}\n".encode())
    _reap(status_of)  # a child that exited at once


def _reap(status_of: dict[int, int]) -> None:
    while status_of:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        fd = status_of.pop(pid, None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.write(fd, f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
            os.close(fd)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[0]))
    _preload()
    # What prefork servers do: the preloaded objects move to a permanent generation, so the
    # children's collections neither walk them nor copy their pages (refcounts aside).
    gc.freeze()
    serve(control)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
