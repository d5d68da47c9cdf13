"""Kill the Jupyter server (SIGKILL) during each stage and during a deployment:
after a restart everything shows its true state and no process is left behind."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from jupyter_autopilot.testing import JupyterServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

STAGES = ["pre_processing", "candidate_definitions", "feature_engineering", "model_tuning"]


def our_processes(root: Path) -> list[psutil.Process]:
    """Worker and model-server processes that belong to this test's root dir."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(proc.info["cmdline"] or [])
        if str(root) in cmdline and ("local.worker" in cmdline or "serving.server" in cmdline):
            found.append(proc)
    return found


def gone(root: Path, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in our_processes(root) if p.is_running() and p.status() != "zombie"]
        if not alive:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def server(tmp_path: Path, bank_csv: Path) -> Iterator[JupyterServerProcess]:
    root = tmp_path / "root"
    (root / "bank").mkdir(parents=True)
    shutil.copyfile(bank_csv, root / "bank" / "bank.csv")
    home = tmp_path / "home"
    home.mkdir()
    proc = JupyterServerProcess(root, home)
    proc.start()
    yield proc
    proc.stop()
    for leftover in our_processes(root):
        leftover.kill()


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
            time.sleep(0.002)
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


@pytest.mark.parametrize("stage", STAGES)
def test_sigkill_during_a_stage_then_restart(server: JupyterServerProcess, stage: str):
    name = f"kill-{stage.replace('_', '-')}"
    created = server.post(
        "experiments",
        {"name": name, "input_uri": "bank/bank.csv", "target": "y", "max_candidates": 30},
    )
    assert created.status_code == 201, created.text

    # Some stages last well under a second: watch the database directly, closely.
    assert wait_stage_running(server.root, name, stage), f"{stage} never seen running"
    server.kill()
    assert gone(server.root), "a worker outlived the killed server"
    assert integrity(server.root) == "ok"

    server.start()
    after = server.get(f"experiments/{name}").json()
    assert after["status"] == "Interrupted"
    titles = {
        "pre_processing": "Pre-processing",
        "model_tuning": "Model Tuning",
        "candidate_definitions": "Candidate Definitions Generated",
        "feature_engineering": "Feature Engineering",
    }
    assert titles[stage] in after["failure_reason"]
    assert after["can_rerun"] is True
    stages = {s["name"]: s["status"] for s in after["stages"]}
    assert stages[stage] == "failed"
    assert all(v != "running" for v in stages.values())
    candidates = server.get(f"experiments/{name}/candidates").json()["candidates"]
    assert all(c["status"] != "InProgress" for c in candidates)
    if stage == "model_tuning":
        pass  # finished trials, if any, are kept as Completed
    # One click re-run works after the crash.
    rerun = server.post(f"experiments/{name}/rerun")
    assert rerun.status_code == 200, rerun.text
    assert rerun.json()["status"] in ("Queued", "InProgress")
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

    # Crash during a second deployment: it must not stay Creating forever either.
    server.post("experiments/deployable/deploy", {"endpoint_name": "in-flight"})
    server.kill()
    assert gone(server.root), "an endpoint process outlived the killed server"
    assert not psutil.pid_exists(first_pid) or psutil.Process(first_pid).status() == "zombie"

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
    server.stop()
    assert gone(server.root)
    assert integrity(server.root) == "ok"
