"""The CPU helper in another Python: `python -m jupyter_autopilot.backends.local.cpu_helper`.

Started by `interpreter.InterpreterPool` when `AutopilotApp.worker_python` is not the
server's interpreter: reads pickled calls on stdin, answers on stdout, exits when the
server goes away.
"""

from __future__ import annotations

import os
from typing import Any

from .interpreter import receive, send
from .worker import die_with_parent


def serve() -> None:
    """The helper's loop: read a call, run it, answer; exit when the server goes away."""
    calls = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    # What the called code prints must not corrupt the answers: stdout goes to stderr.
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    die_with_parent()
    while True:
        try:
            fn, args = receive(calls)
        except EOFError:
            return
        try:
            answer: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:
            answer = (False, exc)
        try:
            send(answers, answer)
        except Exception as exc:  # an unpicklable result or exception
            send(answers, (False, RuntimeError(f"{type(exc).__name__}: {exc}")))


if __name__ == "__main__":
    serve()
