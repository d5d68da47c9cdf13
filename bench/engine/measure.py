"""Run a command in its own process group and measure it: wall time and peak resident memory.

Shared by run.py (one AutoML tool per run) and scaling.py (our engine and a plain LightGBM
fit on generated tables of growing size).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import psutil

#: How often the process tree's resident memory is summed.
SAMPLE_SECONDS = 0.2


def two_cpus() -> None:
    """In the child before exec: two CPUs, as the machine these benchmarks are about has."""
    cpus = sorted(os.sched_getaffinity(0))[:2]
    os.sched_setaffinity(0, cpus)


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants, summed now."""
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(
    command: list[str],
    *,
    cwd: Path,
    log: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> dict:
    """Run `command` to its end (killing its process group at `timeout` seconds).

    Returns the exit code, whether it timed out, its wall time and its peak memory: the
    sum over the process tree sampled every `SAMPLE_SECONDS` (it can miss a short peak)
    and the kernel's exact maximum RSS of its largest single process (blind to the sum
    over worker processes); `peak_rss_mib` is the larger of the two.
    """
    started = time.perf_counter()
    with log.open("wb") as sink:
        child = subprocess.Popen(
            command,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            preexec_fn=preexec_fn,
            start_new_session=True,  # its own process group: a timeout kills all of it
        )
        process = psutil.Process(child.pid)
        peak, status, rusage, timed_out = 0, 0, None, False
        while True:
            pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(process))
            if time.perf_counter() - started > timeout:
                timed_out = True
                os.killpg(child.pid, signal.SIGKILL)
                _, status, rusage = os.wait4(child.pid, 0)
                break
            time.sleep(SAMPLE_SECONDS)
        child.returncode = os.waitstatus_to_exitcode(status)
    single = rusage.ru_maxrss / 1024 if rusage else 0.0  # KiB on Linux
    return {
        "returncode": child.returncode,
        "timed_out": timed_out,
        "process_seconds": time.perf_counter() - started,
        "peak_rss_mib": max(peak / 2**20, single),
        "sampled_tree_rss_mib": peak / 2**20,
        "max_rss_single_mib": single,
    }
