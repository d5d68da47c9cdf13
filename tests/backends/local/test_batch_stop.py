"""Stopping a local batch prediction: it ends Failed saying so, writes no output and
leaves no temporary file; stopping a finished batch changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.deployed import deploy, rows_to_score, train

from jupyter_autopilot.backends.local import batches

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


async def test_a_running_batch_stops_without_output(api, jp_root_dir: Path, monkeypatch):
    # Many small chunks so that the batch is still running when the stop arrives.
    monkeypatch.setattr(batches, "BATCH_CHUNK_ROWS", 5)
    await train(api, jp_root_dir)
    await deploy(api, "small", "scorer")
    rows_to_score(jp_root_dir, n=5000)
    started = await api.post("endpoints/scorer/batch-predictions", {"input_path": "to_score.csv"})
    assert started.code == 202, started.body
    await api.wait_for(f"batch-predictions/{started.body['id']}", lambda b: b["rows_done"] > 0)

    stopped = await api.post(f"batch-predictions/{started.body['id']}/stop", {})
    assert stopped.code == 200, stopped.body
    assert stopped.body["status"] == "Failed"
    assert stopped.body["failure_reason"].startswith("Stopped by the user after")
    assert 0 < stopped.body["rows_done"] < 5000
    assert not (jp_root_dir / "to_score.predictions.csv").exists()
    assert list(jp_root_dir.rglob(".~*.tmp")) == []

    # A finished batch stays as it was; the output name is free for the next run.
    again = await api.post(f"batch-predictions/{started.body['id']}/stop", {})
    assert again.code == 200 and again.body == stopped.body
    monkeypatch.setattr(batches, "BATCH_CHUNK_ROWS", 20000)
    rerun = await api.post("endpoints/scorer/batch-predictions", {"input_path": "to_score.csv"})
    assert rerun.code == 202, rerun.body
    done = await api.wait_for(
        f"batch-predictions/{rerun.body['id']}", lambda b: b["status"] != "InProgress"
    )
    assert done["status"] == "Completed" and done["output_path"] == "to_score.predictions.csv"
    unknown = await api.post("batch-predictions/nope/stop", {})
    assert unknown.code == 404, unknown.body
