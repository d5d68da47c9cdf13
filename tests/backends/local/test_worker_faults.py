"""Worker faults: a crash, a hang past the runtime limit, a full disk or exhausted memory
fails only that experiment, with a reason a user can act on; others run on."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from sklearn.datasets import load_breast_cancer

from jupyter_autopilot.backends.local import jobs
from jupyter_autopilot.backends.local.worker import FAULT_ENV

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


@pytest.fixture
def autopilot_config():
    return {"max_concurrent_jobs": 2}


@pytest.fixture
def cancer_csv(jp_root_dir: Path) -> str:
    frame = load_breast_cancer(as_frame=True).frame
    frame.to_csv(jp_root_dir / "cancer.csv", index=False)
    return "cancer.csv"


async def final_state(api, name: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = (await api.get(f"experiments/{name}")).body
        if body["status"] not in ("Queued", "InProgress", "Stopping"):
            return body
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.3)


@pytest.mark.parametrize(
    ("fault", "stage", "reason"),
    [
        ("crash", "candidate_definitions", "exited with code 70"),
        ("disk_full", "feature_engineering", "disk is full"),
        ("memory", "pre_processing", "ran out of memory"),
        ("hang", "model_tuning", "exceeded its maximum job runtime"),
    ],
)
async def test_a_faulty_worker_fails_alone(api, cancer_csv, monkeypatch, fault, stage, reason):
    monkeypatch.setenv(FAULT_ENV, f"faulty:{fault}:{stage}")
    monkeypatch.setattr(jobs, "RUNTIME_GRACE_SECONDS", 1.0)
    healthy = {"name": "healthy", "input_uri": cancer_csv, "target": "target", "mode": "pilot"}
    faulty = {
        "name": "faulty",
        "input_uri": cancer_csv,
        "target": "target",
        "max_candidates": 3,
        "max_job_runtime_seconds": 20,
    }
    assert (await api.post("experiments", faulty)).code == 201
    assert (await api.post("experiments", healthy)).code == 201
    broken = await final_state(api, "faulty", timeout=120)
    assert broken["status"] == "Failed", broken
    assert reason in broken["failure_reason"], broken["failure_reason"]
    stages = {s["name"]: s for s in broken["stages"]}
    assert stages[stage]["status"] == "failed"
    assert all(s["status"] != "running" for s in broken["stages"])
    assert (await final_state(api, "healthy"))["status"] == "Completed"
    # The server is fine and the failed experiment can be re-run without the fault.
    monkeypatch.delenv(FAULT_ENV)
    assert (await api.get("health")).code == 200
    rerun = await api.post("experiments/faulty/rerun")
    assert rerun.code == 200
    await api.post("experiments/faulty/stop")
