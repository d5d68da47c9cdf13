"""Model-server processes: starting one for an endpoint, asking it for /ping, stopping it.

The process side of local endpoints (`endpoints.EndpointManager` keeps the state and the
routes): one `jupyter_autopilot.serving.server` per endpoint on 127.0.0.1, its secret
handed over its stdin, its port read from its stdout, its stderr in the endpoint
folder's `server.log`.
"""

from __future__ import annotations

import asyncio
import collections
import json
import secrets
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import models as m
from ...serving.connection import ConnectionPool
from .interpreter import child_env
from .jobs import kill_tree
from .launcher import PIPE, ChildProcess, start_child

#: Seconds to wait for a model server to load its model and answer /ping.
START_TIMEOUT_SECONDS = 120.0
#: Latency samples kept per endpoint for the p50/p95/p99 summary.
LATENCY_SAMPLES = 2000
#: Seconds a model server gets to exit after SIGTERM (server stop, delete) before SIGKILL.
STOP_GRACE_SECONDS = 3.0
SERVER_MODULE = "jupyter_autopilot.serving.server"


@dataclass
class Running:
    """What the Jupyter server knows about a live endpoint process (never persisted)."""

    process: ChildProcess
    port: int
    secret: str
    latencies: collections.deque[float] = field(
        default_factory=lambda: collections.deque(maxlen=LATENCY_SAMPLES)
    )
    invocations: int = 0
    capture_percentage: int = 0
    #: Production variants' weights (empty: a single model); traffic is split here.
    weights: dict[str, float] = field(default_factory=dict)
    variant_latencies: dict[str, collections.deque[float]] = field(default_factory=dict)
    variant_invocations: collections.Counter[str] = field(default_factory=collections.Counter)
    watcher: asyncio.Future[None] | None = None
    #: Invocations sent and not yet answered (DELETE lets them finish first).
    in_flight: int = 0
    #: Set when the endpoint is being deleted or the server stops: no new requests.
    closing: bool = False
    pool: ConnectionPool = field(init=False)

    def __post_init__(self) -> None:
        self.pool = ConnectionPool(self.port)


def model_arguments(row: Any, data: dict[str, Any]) -> list[str]:
    """`--model/--sha256[/--variant]` arguments of the model server for an endpoint row."""
    if not data.get("variants"):
        return ["--model", row["model_path"], "--sha256", row["model_sha256"]]
    arguments = []
    for variant in data["variants"]:
        arguments += ["--model", variant["model_path"], "--sha256", variant["sha256"]]
        arguments += ["--variant", variant["name"]]
    return arguments


def capture_percentage(data: dict[str, Any]) -> int:
    """Share of invocations to capture, from an endpoint row's `data` (0: off)."""
    config = data.get("monitoring", {}).get("data_capture", {})
    return int(config.get("sampling_percentage", 100)) if config.get("enabled") else 0


def latency_summary(samples: list[float]) -> m.LatencySummary:
    if not samples:
        return m.LatencySummary()
    return m.LatencySummary(
        p50_ms=_percentile(samples, 0.50),
        p95_ms=_percentile(samples, 0.95),
        p99_ms=_percentile(samples, 0.99),
        samples=len(samples),
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index], 3)


async def start_model_server(
    python: str, row: Any, data: dict[str, Any], fork_server: bool = True
) -> tuple[Running, list[str]]:
    """Start the model server of an endpoint row (`python -m jupyter_autopilot.serving.server`),
    hand it its secret, wait for its port and a /ping; returns it with the model's input
    columns. Raises RuntimeError saying why it failed (the process is killed then)."""
    secret = secrets.token_urlsafe(32)
    log_path = Path(row["model_path"]).with_name("server.log")
    proc: ChildProcess | None = None
    try:
        with open(log_path, "ab") as log_file:
            proc = await start_child(
                python,
                SERVER_MODULE,
                *model_arguments(row, data),
                "--keys",
                ",".join(data["keys"]),
                "--capture-dir",
                str(Path(row["model_path"]).with_name("capture")),
                stdin=PIPE,
                stdout=PIPE,
                stderr=log_file,
                env=child_env(),
                fork_server=fork_server,
            )
        assert proc.stdin is not None and proc.stdout is not None
        # The secret goes through a pipe read once at start-up: an environment variable
        # would stay readable in /proc/<pid>/environ for the process's whole life.
        proc.stdin.write(secret.encode() + b"\n")
        await proc.stdin.drain()
        proc.stdin.close()
        line = await asyncio.wait_for(proc.stdout.readline(), START_TIMEOUT_SECONDS)
        if not line:
            await proc.wait()
            raise RuntimeError(_startup_failure(proc.returncode, log_path))
        running = Running(process=proc, port=int(json.loads(line)["port"]), secret=secret)
        running.capture_percentage = capture_percentage(data)
        running.weights = {v["name"]: v["weight"] for v in data.get("variants", [])}
        columns = list((await ping(running)).get("input_columns", []))
    except BaseException:
        # Failed or cancelled (server stopping, endpoint deleted): no process left behind.
        if proc is not None and proc.returncode is None:
            kill_tree(proc.pid)
        raise
    return running, columns


async def ping(running: Running) -> dict[str, Any]:
    response = await running.pool.request("GET", "/ping", {"X-Autopilot-Secret": running.secret})
    if response.code != 200:
        raise RuntimeError(f"The model server answered /ping with HTTP {response.code}.")
    return dict(json.loads(response.body))


async def stop_model_server(running: Running) -> None:
    """SIGTERM the model server, SIGKILL it if it has not exited after the grace."""
    running.closing = True
    running.pool.close()
    kill_tree(running.process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(running.process.wait(), STOP_GRACE_SECONDS)
    except asyncio.TimeoutError:
        kill_tree(running.process.pid)
        await running.process.wait()


def is_our_endpoint(pid: int, model_path: str) -> bool:
    """True if `pid` is alive and is the model server for this model file."""
    import psutil

    try:
        cmdline = psutil.Process(pid).cmdline()
    except (psutil.Error, OSError):
        return False
    # A child of the fork server shows its command line as one string (setproctitle).
    joined = " ".join(cmdline)
    return SERVER_MODULE in joined.split() and model_path in joined


def _startup_failure(code: int | None, log_path: Path) -> str:
    """Why a model server died while starting, from the end of its log: the exception
    of a traceback (its frames name the server's files and say nothing to the user),
    else the last lines."""
    try:
        lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines()]
    except OSError:
        lines = []
    lines = [line for line in lines if line]
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        lines = lines[-1:]
    detail = " | ".join(lines[-3:])[-600:]
    return f"The model server exited during start-up (code {code}). {detail}".strip()
