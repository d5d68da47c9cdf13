"""Child processes die with the server from their first instant (`processes.child_command`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from support.processes import process_gone

from jupyter_autopilot.processes import child_command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")

#: A "server" that starts one child, prints its pid and waits to be killed.
PARENT = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    command = json.loads(sys.argv[1])
    env = {**os.environ, "JUPYTER_AUTOPILOT_PARENT_PID": str(os.getpid())}
    child = subprocess.Popen(command, env=env)
    print(child.pid, flush=True)
    time.sleep(600)
    """
)


def start_parent_and_child(command: list[str], tmp_path: Path) -> tuple[subprocess.Popen, int]:
    import json

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, json.dumps(command)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert parent.stdout is not None
    return parent, int(parent.stdout.readline())


def test_a_child_still_importing_dies_with_a_killed_server(tmp_path: Path) -> None:
    """A model server or worker importing pandas and scikit-learn (seconds, tens of
    seconds under load) when the server is killed goes at once, not when its imports end
    (with `python -m MODULE` it outlived the server by the length of its imports)."""
    (tmp_path / "slow_child.py").write_text(
        "import time\n(__import__('pathlib').Path(__file__).with_name('started')).touch()\n"
        "time.sleep(60)  # a long import\n"
    )
    parent, child = start_parent_and_child(
        child_command(sys.executable, "slow_child", "--flag"), tmp_path
    )
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "started").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "started").exists(), "the child never ran its module"
        assert "slow_child" in psutil.Process(child).cmdline()  # the backends look for it
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert process_gone(child, 10), "the child outlived its killed parent"
    finally:
        for pid in (parent.pid, child):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_the_module_runs_as_main_with_its_arguments(tmp_path: Path) -> None:
    (tmp_path / "echo_child.py").write_text(
        "import sys\nif __name__ == '__main__':\n    print(' '.join(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run(
        child_command(sys.executable, "echo_child", "a", "--b", "c"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "a --b c"


def test_a_child_writes_valid_notebooks_without_the_slow_iri_grammar(tmp_path: Path) -> None:
    """Workers write notebooks with nbformat, whose jsonschema would import rfc3987_syntax
    (seconds of Lark grammar building) for formats no notebook uses: a child skips it and
    still validates notebooks, rejecting an invalid one."""
    (tmp_path / "notebook_child.py").write_text(
        textwrap.dedent(
            """
            import sys
            import nbformat

            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
            nbformat.validate(nb)
            nb.cells[0]["cell_type"] = "not a cell type"
            try:
                nbformat.validate(nb)
                invalid = "accepted"
            except nbformat.ValidationError:
                invalid = "rejected"
            print(invalid, "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    out = subprocess.run(
        child_command(sys.executable, "notebook_child"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert out.stdout.split() == ["rejected", "False"]
