"""Child processes of the Jupyter server: dying with it, and being stopped with theirs.

Workers (`backends/local/worker.py`), model servers (`serving/server.py`) and the CPU
helper start through this module (`child_command`: `python -m jupyter_autopilot.processes
MODULE ARGS...`), which asks to die with the server before the module and its imports
load: pandas, scikit-learn and the boosting libraries take seconds to import (tens of
seconds on a loaded machine), and a server killed in that window used to leave the child
running until its imports were done. The server stops any of them, children included,
with `kill_tree()`. Small and import-light on purpose.
"""

from __future__ import annotations

import ctypes
import os
import runpy
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


def child_command(python: str, module: str, *args: str) -> list[str]:
    """The command line of a child process running `module` (as `python -m module args`)
    that dies with the server from its first instant. The module's name stays an element
    of the command line, where the backends look for it."""
    return [python, "-m", __name__, module, *args]


def skip_unused_slow_imports() -> None:
    """Keep out of this process an optional module it never uses that costs seconds to import.

    jsonschema (imported by nbformat, which workers use to write the notebooks) imports
    `rfc3987_syntax`, when installed, for the `iri` and `iri-reference` formats, and that
    package builds about 35 Lark parsers at import time: 1.3-2 s of CPU in every worker
    (python-jsonschema/jsonschema#1428). No notebook schema uses those formats; without
    the module jsonschema simply does not register those two format checkers.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _run_child(argv: list[str]) -> None:
    die_with_parent()
    skip_unused_slow_imports()
    module, *args = argv
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _run_child(sys.argv[1:])
