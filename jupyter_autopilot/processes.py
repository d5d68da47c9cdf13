"""Child processes of the Jupyter server: dying with it, and being stopped with theirs.

Workers (`backends/local/worker.py`), model servers (`serving/server.py`) and the CPU
helper call `die_with_parent()` first thing; the server stops any of them, children
included, with `kill_tree()`. Small and import-light: a model server loads this, not
the local backend.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

import psutil

#: Exit code of a child that found its server already gone.
EXIT_PARENT_GONE = 3


def die_with_parent() -> None:
    """Ask Linux to SIGKILL us when the server process goes away (no orphans)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except OSError:  # pragma: no cover - not glibc
        return
    expected = os.environ.get("JUPYTER_AUTOPILOT_PARENT_PID")
    if expected and os.getppid() != int(expected):
        # The server died before prctl took effect.
        os._exit(EXIT_PARENT_GONE)


def kill_tree(pid: int, sig: int = signal.SIGKILL) -> None:
    """Signal a process and all its children (LightGBM/XGBoost threads live inside it)."""
    try:
        parent = psutil.Process(pid)
        procs = [*parent.children(recursive=True), parent]
    except psutil.Error:
        return
    for proc in procs:
        try:
            proc.send_signal(sig)
        except psutil.Error:
            pass
