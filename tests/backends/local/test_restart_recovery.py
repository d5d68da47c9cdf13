"""Kill the Jupyter server (SIGKILL) during each stage and during a deployment, and stop it
(SIGTERM) or kill it with everything running at once: after a restart everything shows its
true state and no process is left behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import psutil
import pytest
from support.sample_data import cancer_frame

from jupyter_autopilot.backends.local.worker import FAULT_ENV
from jupyter_autopilot.testing import JupyterServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]

STAGES = ["pre_processing", "candidate_definitions", "feature_engineering", "model_tuning"]


def _belongs_to(proc: psutil.Process, server: JupyterServerProcess) -> bool:
    """Workers and model servers name files under the root on their command line; anything
    else the server starts (the CPU helper, a multiprocessing resource tracker) inherits its
    environment, whose HOME is this test's own folder."""
    try:
        if str(server.root) in " ".join(proc.cmdline()):
            return True
        return proc.environ().get("HOME") == str(server.home)
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def our_processes(server: JupyterServerProcess) -> list[psutil.Process]:
    """Live (not zombie) processes of this test's server, the server itself included."""
    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid() or not _belongs_to(proc, server):
            continue
        try:
            if proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.NoSuchProcess:
            pass
    return found


def alive(recorded: list[psutil.Process]) -> list[psutil.Process]:
    """The processes of a recorded tree still running (same pid and start time: not reused)."""
    left = []
    for proc in recorded:
        try:
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                left.append(proc)
        except psutil.NoSuchProcess:
            pass
    return left


def gone(
    server: JupyterServerProcess, recorded: Sequence[psutil.Process] = (), timeout: float = 15
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not our_processes(server) and not alive(list(recorded)):
            return True
        time.sleep(0.2)
    return False


def describe(procs: list[psutil.Process]) -> str:
    lines = []
    for proc in procs:
        try:
            lines.append(f"{proc.pid} (parent {proc.ppid()}): {' '.join(proc.cmdline())[:200]}")
        except psutil.Error:
            lines.append(f"{proc.pid}: gone")
    return "\n".join(lines)


def _start_server(
    tmp_path: Path, files: dict[str, Path], **autopilot: Any
) -> Iterator[JupyterServerProcess]:
    root = tmp_path / "root"
    for relative, source in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, root / relative)
    root.mkdir(exist_ok=True)
    home = tmp_path / "home"
    home.mkdir()
    proc = JupyterServerProcess(root, home, **autopilot)
    proc.start()
    yield proc
    proc.stop()
    for leftover in our_processes(proc):
        leftover.kill()


@pytest.fixture
def start_server(
    tmp_path: Path, bank_sample_csv: Path
) -> Iterator[Callable[..., JupyterServerProcess]]:
    """Starts this test's server when called: after the test has set the environment its
    workers inherit (a fault to inject), so the server need not start twice."""
    # The 4,000-row sample: what is under test is recovery, and the worker holds each
    # stage until the kill, so the file's size only added seconds of CPU to every test.
    running: list[Iterator[JupyterServerProcess]] = []

    def start(**autopilot: Any) -> JupyterServerProcess:
        steps = _start_server(tmp_path, {"bank/bank.csv": bank_sample_csv}, **autopilot)
        running.append(steps)
        return next(steps)

    yield start
    for steps in running:
        next(steps, None)  # stops it and kills anything left


@pytest.fixture
def server(start_server: Callable[..., JupyterServerProcess]) -> JupyterServerProcess:
    return start_server()


@pytest.fixture
def cancer_server(tmp_path: Path) -> Iterator[JupyterServerProcess]:
    data = tmp_path / "cancer.csv"
    cancer_frame().to_csv(data, index=False)
    yield from _start_server(tmp_path, {"data/cancer.csv": data})


def wait_stage_running(root: Path, name: str, stage: str, timeout: float = 240) -> bool:
    path = root / "autopilot" / ".state" / "autopilot.sqlite"
    deadline = time.monotonic() + timeout
    db = None
    try:
        while time.monotonic() < deadline:
            if db is None and path.exists():
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
            if db is not None:
                row = db.execute(
                    "SELECT status FROM stages WHERE experiment = ? AND name = ?", (name, stage)
                ).fetchone()
                if row and row[0] == "running":
                    return True
                if row and row[0] in ("done", "failed", "skipped"):
                    return False
            time.sleep(0.05)
    finally:
        if db is not None:
            db.close()
    return False


def integrity(root: Path) -> str:
    db = sqlite3.connect(root / "autopilot" / ".state" / "autopilot.sqlite")
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def test_sigkill_during_each_stage_then_restart(
    start_server: Callable[..., JupyterServerProcess], monkeypatch: pytest.MonkeyPatch
):
    # One experiment per stage, each held in its stage (some last well under a second:
    # the worker records the stage as running, then stays in it until the kill, so the
    # kill lands inside it on a machine of any speed), all killed by one SIGKILL: one
    # server and one restart instead of four.
    names = {stage: f"kill-{stage.replace('_', '-')}" for stage in STAGES}
    faults = ",".join(f"{names[stage]}:hold:{stage}" for stage in STAGES)
    monkeypatch.setenv(FAULT_ENV, faults)
    server = start_server(max_concurrent_jobs=len(STAGES))
    for name in names.values():
        created = server.post(
            "experiments",
            {"name": name, "input_uri": "bank/bank.csv", "target": "y", "max_candidates": 30},
        )
        assert created.status_code == 201, created.text
    for stage, name in names.items():
        assert wait_stage_running(server.root, name, stage), f"{stage} never seen running"
    server.kill()
    assert gone(server), "a worker outlived the killed server"
    assert integrity(server.root) == "ok"

    monkeypatch.delenv(FAULT_ENV)
    server.start()
    titles = {
        "pre_processing": "Pre-processing",
        "model_tuning": "Model Tuning",
        "candidate_definitions": "Candidate Definitions Generated",
        "feature_engineering": "Feature Engineering",
    }
    for stage, name in names.items():
        after = server.get(f"experiments/{name}").json()
        assert after["status"] == "Interrupted", (stage, after)
        assert titles[stage] in after["failure_reason"], (stage, after["failure_reason"])
        assert after["can_rerun"] is True, stage
        stages = {s["name"]: s["status"] for s in after["stages"]}
        assert stages[stage] == "failed", (stage, stages)
        assert all(v != "running" for v in stages.values()), (stage, stages)
        candidates = server.get(f"experiments/{name}/candidates").json()["candidates"]
        assert all(c["status"] != "InProgress" for c in candidates), stage
        # One click re-run works after the crash.
        rerun = server.post(f"experiments/{name}/rerun")
        assert rerun.status_code == 200, (stage, rerun.text)
        assert rerun.json()["status"] in ("Queued", "InProgress"), stage
        server.post(f"experiments/{name}/stop")


def test_endpoints_come_back_after_a_crash_and_stop_with_the_server(server):
    created = server.post(
        "experiments",
        {
            "name": "deployable",
            "input_uri": "bank/bank.csv",
            "target": "y",
            "max_candidates": 3,
            "max_job_runtime_seconds": 90,
        },
    )
    assert created.status_code == 201
    done = server.wait_for(
        "experiments/deployable", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    assert done["status"] == "Completed", done
    server.post("experiments/deployable/deploy", {"endpoint_name": "survivor"})
    endpoint = server.wait_for(
        "endpoints/survivor", lambda b: b["status"] != "Creating", timeout=120
    )
    assert endpoint["status"] == "InService"
    first_pid = int(endpoint["backend_details"]["pid"])
    first = psutil.Process(first_pid)

    # Crash during a second deployment: it must not stay Creating forever either.
    server.post("experiments/deployable/deploy", {"endpoint_name": "in-flight"})
    server.kill()
    # The endpoint's process dies with its parent, the fork server, which dies with the
    # server: a chain of SIGKILLs that takes a moment.
    assert gone(server, [first]), "an endpoint process outlived the server"

    server.start()
    for name in ("survivor", "in-flight"):
        back = server.wait_for(
            f"endpoints/{name}", lambda b: b["status"] != "Creating", timeout=120
        )
        assert back["status"] == "InService", back
        assert int(back["backend_details"]["pid"]) != first_pid
    prediction = server.post(
        "endpoints/survivor/invocations",
        json={
            "instances": [
                {
                    "age": 41,
                    "job": "admin.",
                    "marital": "married",
                    "education": "university.degree",
                    "default": "no",
                    "housing": "yes",
                    "loan": "no",
                    "contact": "cellular",
                    "month": "may",
                    "day_of_week": "mon",
                    "duration": 300,
                    "campaign": 1,
                    "pdays": 999,
                    "previous": 0,
                    "poutcome": "nonexistent",
                    "emp.var.rate": -1.8,
                    "cons.price.idx": 92.893,
                    "cons.conf.idx": -46.2,
                    "euribor3m": 1.299,
                    "nr.employed": 5099.1,
                }
            ]
        },
    )
    assert prediction.status_code == 200, prediction.text
    assert prediction.json()["predictions"][0]["predicted_label"] in ("yes", "no")

    # A graceful stop takes the endpoint processes down with the server.
    assert server.stop(timeout=30), "the server did not exit within 30 s of SIGTERM"
    assert gone(server)
    assert integrity(server.root) == "ok"


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_stop_or_kill_with_everything_running_leaves_nothing_and_restarts_true(
    cancer_server: JupyterServerProcess, how: str
):
    server = cancer_server
    trained = server.post(
        "experiments",
        {
            "name": "trained",
            "input_uri": "data/cancer.csv",
            "target": "diagnosis",
            "max_candidates": 2,
            "max_job_runtime_seconds": 60,
        },
    )
    assert trained.status_code == 201, trained.text
    done = server.wait_for(
        "experiments/trained", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    assert done["status"] == "Completed", done
    for name in ("ep-a", "ep-b"):
        assert server.post("experiments/trained/deploy", {"endpoint_name": name}).ok
    for name in ("ep-a", "ep-b"):
        ready = server.wait_for(f"endpoints/{name}", lambda b: b["status"] != "Creating", 120)
        assert ready["status"] == "InService", ready

    # A job that trains for minutes, and a batch of 100,000 rows (five requests).
    training = server.post(
        "experiments",
        {
            "name": "training",
            "input_uri": "data/cancer.csv",
            "target": "diagnosis",
            "max_candidates": 200,
            "max_job_runtime_seconds": 600,
        },
    )
    assert training.status_code == 201, training.text
    features = cancer_frame().drop(columns="diagnosis")
    big = pd.concat([features] * (100_000 // len(features) + 1)).head(100_000)
    big.to_csv(server.root / "data" / "to_score.csv", index=False)
    server.wait_for("experiments/training", lambda b: b["status"] == "InProgress", 120)
    batch = server.post(
        "endpoints/ep-a/batch-predictions",
        {"input_path": "data/to_score.csv", "output_path": "data/scored.csv"},
    )
    assert batch.status_code == 202, batch.text
    batch_id = batch.json()["id"]

    tree = server.tree()
    commands = " ".join(" ".join(p.cmdline()) for p in tree[1:])
    assert "local.worker" in commands and commands.count("serving.server") == 2, describe(tree)
    assert "backends.local.cpu" in commands, describe(tree)  # the CSV-parsing helper
    old_pids = {
        name: server.get(f"endpoints/{name}").json()["backend_details"]["pid"]
        for name in ("ep-a", "ep-b")
    }
    if how == "SIGTERM":
        assert server.stop(timeout=30), "the server did not exit within 30 s of SIGTERM"
    else:
        server.kill()
    assert gone(server, tree), "left running:\n" + describe(alive(tree) + our_processes(server))
    assert integrity(server.root) == "ok"

    server.start()
    after = server.get("experiments/training").json()
    assert after["status"] == "Interrupted", after
    assert "Jupyter server stopped" in after["failure_reason"]
    assert after["can_rerun"] is True
    assert server.get("experiments/trained").json()["status"] == "Completed"
    for name in ("ep-a", "ep-b"):
        back = server.wait_for(f"endpoints/{name}", lambda b: b["status"] != "Creating", 120)
        assert back["status"] == "InService", back
        assert back["backend_details"]["pid"] != old_pids[name]
        answer = server.post(
            f"endpoints/{name}/invocations", json={"instances": [features.iloc[0].to_dict()]}
        )
        assert answer.status_code == 200, answer.text
    state = server.get(f"batch-predictions/{batch_id}").json()
    assert state["status"] in ("Completed", "Failed"), state
    if state["status"] == "Failed":
        assert "Jupyter server stopped" in state["failure_reason"], state
        assert not (server.root / "data" / "scored.csv").exists()
    # Neither a stop nor a kill leaves a half-written output behind, hidden or not.
    leftovers = [p.name for p in (server.root / "data").iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers
    rerun = server.post("experiments/training/rerun")
    assert rerun.status_code == 200, rerun.text
    assert server.post("experiments/training/stop").ok
    tree = server.tree()
    assert server.stop(timeout=30)
    assert gone(server, tree), "left running:\n" + describe(alive(tree) + our_processes(server))


def test_an_interrupted_experiment_continues_after_the_restart(
    cancer_server: JupyterServerProcess,
):
    server = cancer_server
    created = server.post(
        "experiments",
        {
            "name": "cut-short",
            "input_uri": "data/cancer.csv",
            "target": "diagnosis",
            "max_candidates": 200,
            "max_job_runtime_seconds": 300,
        },
    )
    assert created.status_code == 201, created.text
    server.wait_for(
        "experiments/cut-short/candidates",
        lambda b: sum(c["status"] == "Completed" for c in b["candidates"]) >= 2,
        timeout=240,
    )
    server.kill()
    assert gone(server), "a worker outlived the killed server"
    server.start()
    interrupted = server.get("experiments/cut-short").json()
    assert interrupted["status"] == "Interrupted" and interrupted["can_extend"] is True
    before = {
        c["name"]: c
        for c in server.get("experiments/cut-short/candidates").json()["candidates"]
        if c["definition"] not in ("ensemble", "bagged")
    }
    extended = server.post("experiments/cut-short/extend", {"additional_candidates": 2})
    assert extended.status_code == 200, extended.text
    final = server.wait_for(
        "experiments/cut-short", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    assert final["status"] == "Completed", final
    after = {
        c["name"]: c
        for c in server.get("experiments/cut-short/candidates").json()["candidates"]
        if c["definition"] not in ("ensemble", "bagged")
    }
    assert set(before) < set(after) and len(after) == len(before) + 2
    for name, old in before.items():
        assert (after[name]["status"], after[name]["objective_value"]) == (
            old["status"],
            old["objective_value"],
        )
