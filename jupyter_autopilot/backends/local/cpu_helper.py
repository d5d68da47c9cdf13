"""The CPU helper process's side (see `cpu.CpuPool`): answer pickled calls from stdin.

    python -m jupyter_autopilot.backends.local.cpu_helper

Messages both ways are an 8-byte big-endian length and a pickle. The first message is the
server's `sys.path`; each next one a `(function, arguments)` call, answered in order with
`("ok", result)` or `("error", exception)`. The helper exits when the server closes its
stdin, and dies with the server (`PR_SET_PDEATHSIG`) if that is killed.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import Any, BinaryIO

from .interpreter import HEADER, frame


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read(stream: BinaryIO) -> bytes | None:
    """The next message, or None once the server has closed the stream."""
    header = _read_exactly(stream, HEADER)
    return None if header is None else _read_exactly(stream, int.from_bytes(header, "big"))


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer pickled `(fn, args)` calls until the server closes `requests`."""
    paths = _read(requests)
    if paths is None:
        return
    server_path = pickle.loads(paths)
    sys.path[:] = server_path + [p for p in sys.path if p not in server_path]
    while (payload := _read(requests)) is not None:
        try:
            fn, args = pickle.loads(payload)
            result: tuple[str, Any] = ("ok", fn(*args))
        except Exception as error:  # raised again in the server, as the caller's error
            result = ("error", error)
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            data = pickle.dumps(("error", RuntimeError(f"The answer could not be sent: {error}")))
        answers.write(frame(data))
        answers.flush()


def main() -> int:
    from ...processes import die_with_parent

    die_with_parent()
    # Answers go to a private copy of stdout; fd 1 becomes stderr (the server's log), so a
    # library that prints cannot corrupt them.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
