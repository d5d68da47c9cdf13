"""Endpoint monitoring through the REST API and the client, on a real server: deploy with
data capture, invoke with training-like and with shifted data, and read the drift."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from support.deployed import customers

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


def as_csv(frame: pd.DataFrame) -> str:
    return frame.drop(columns="y").to_csv(index=False)


async def deploy_watched(api, jp_root_dir: Path) -> str:
    """Train on generated customers and deploy with data capture on (plain coroutine:
    the test runner has no async fixtures)."""
    data = jp_root_dir / "customers.csv"
    customers(3000, seed=1).to_csv(data, index=False)
    spec = {
        "name": "monitored",
        "input_uri": "customers.csv",
        "target": "y",
        "max_candidates": 2,
        "max_job_runtime_seconds": 60,
    }
    assert (await api.post("experiments", spec)).code == 201
    final = await api.wait_for(
        "experiments/monitored", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    assert final["status"] == "Completed", final
    deploy = {"endpoint_name": "watched", "data_capture": {"enabled": True}}
    assert (await api.post("experiments/monitored/deploy", deploy)).code == 202
    ready = await api.wait_for("endpoints/watched", lambda b: b["status"] != "Creating", 120)
    assert ready["status"] == "InService", ready
    assert ready["data_capture"] == {"enabled": True, "sampling_percentage": 100}
    return "watched"


async def invoke(api, name: str, frame: pd.DataFrame, chunks: int) -> None:
    size = -(-len(frame) // chunks)
    for part in (frame.iloc[i : i + size] for i in range(0, len(frame), size)):
        reply = await api.post(
            f"endpoints/{name}/invocations",
            raw=as_csv(part),
            headers={"Content-Type": "text/csv"},
        )
        assert reply.code == 200, reply.body


async def test_capture_baseline_and_drift_reports(api, jp_serverapp, jp_root_dir):
    endpoint = await deploy_watched(api, jp_root_dir)
    no_data = await api.post(f"endpoints/{endpoint}/monitoring/reports", {})
    assert no_data.code == 409 and "no captured data" in no_data.body["message"]

    await invoke(api, endpoint, customers(400, seed=2), chunks=4)
    status = (await api.get(f"endpoints/{endpoint}/monitoring")).body
    assert (status["captured_records"], status["captured_rows"]) == (4, 400)
    captures = await api.get(f"endpoints/{endpoint}/monitoring/captures", params={"limit": 1})
    assert captures.body["total"] == 4 and len(captures.body["records"]) == 1
    record = captures.body["records"][0]
    assert set(record["inputs"][0]) == {"age", "job", "balance"}
    assert record["outputs"][0]["predicted_label"] in ("yes", "no")

    calm = await api.post(f"endpoints/{endpoint}/monitoring/reports", {"window_hours": 1})
    assert calm.code == 201, calm.body
    assert calm.body["records"] == 4 and calm.body["rows"] == 400
    by_feature = {f["feature"]: f for f in calm.body["features"]}
    assert {by_feature[c]["status"] for c in ("age", "job", "balance")} <= {"ok", "warning"}
    assert calm.body["drifted_features"] == 0
    assert calm.body["constraint_violations"] == []
    baseline = (await api.get(f"endpoints/{endpoint}/monitoring")).body["baseline"]
    assert baseline["rows"] == 3000 and baseline["source"] == "customers.csv"

    # A client sending text for ages is refused at once (it is never predicted, so never
    # captured); the data_type check of captures is covered in test_monitoring_drift.py.
    texts = customers(10, seed=4).astype({"age": object})
    texts.loc[texts.index[3], "age"] = "unknown"
    refused = await api.post(
        f"endpoints/{endpoint}/invocations", raw=as_csv(texts), headers={"Content-Type": "text/csv"}
    )
    assert refused.code == 400 and "Column 'age'" in refused.body["message"], refused.body

    # Later traffic: older customers and an unseen job.
    shifted = customers(400, seed=3, shift=True)
    await invoke(api, endpoint, shifted, chunks=4)
    since_shift = await api.post(f"endpoints/{endpoint}/monitoring/reports", {"window_hours": 1})
    report = since_shift.body
    by_feature = {f["feature"]: f for f in report["features"]}
    assert by_feature["age"]["status"] == "drift" and by_feature["job"]["status"] == "drift"
    assert by_feature["balance"]["status"] in ("ok", "warning")
    checks = {(v["feature"], v["check"]) for v in report["constraint_violations"]}
    assert ("job", "unknown_category") in checks
    assert report["status"] == "drift" and report["drifted_features"] >= 2

    listed = (await api.get(f"endpoints/{endpoint}/monitoring")).body["reports"]
    assert [r["id"] for r in listed] == [report["id"], calm.body["id"]]
    again = await api.get(f"endpoints/{endpoint}/monitoring/reports/{report['id']}")
    assert again.code == 200 and again.body == report
    assert (await api.get(f"endpoints/{endpoint}/monitoring/reports/nope")).code == 404
    assert (await api.get(f"endpoints/{endpoint}/monitoring/reports/..%2Fx")).code == 404

    # The scheduler: an hourly schedule is due when no report ran in the last hour.
    backend = jp_serverapp.web_app.settings["autopilot_backend"]
    schedule = {"data_capture": {"enabled": True}, "schedule_minutes": 60}
    assert (await api.put(f"endpoints/{endpoint}/monitoring", schedule)).code == 200
    assert await backend.monitor.run_due_reports(datetime.now(timezone.utc)) == []
    later = datetime.now(timezone.utc) + timedelta(minutes=61)
    assert await backend.monitor.run_due_reports(later) == [endpoint]
    newest = (await api.get(f"endpoints/{endpoint}/monitoring")).body["reports"][0]
    assert newest["trigger"] == "schedule"

    # Capture off: invocations are no longer recorded.
    off = {"data_capture": {"enabled": False}}
    assert (await api.put(f"endpoints/{endpoint}/monitoring", off)).code == 200
    await invoke(api, endpoint, customers(50, seed=4), chunks=2)
    status = (await api.get(f"endpoints/{endpoint}/monitoring")).body
    assert status["captured_records"] == 8 and not status["data_capture"]["enabled"]

    # Deleting the endpoint deletes what it captured.
    folder = jp_root_dir / "autopilot" / "endpoints" / endpoint
    assert any(folder.joinpath("capture").rglob("*.jsonl"))
    assert (await api.delete(f"endpoints/{endpoint}")).code == 200
    assert not folder.exists()


async def test_sampling_bad_settings_and_a_baseline_without_its_data(api, client, jp_root_dir):
    endpoint = await deploy_watched(api, jp_root_dir)
    bad = await api.put(
        f"endpoints/{endpoint}/monitoring", {"data_capture": {"sampling_percentage": 0}}
    )
    assert bad.code == 400 and "sampling_percentage" in bad.body["message"]
    assert (await api.put("endpoints/nope/monitoring", {"data_capture": {}})).code == 404

    await asyncio.to_thread(client.set_monitoring, endpoint, True, 10)
    rows = customers(60, seed=5)
    for i in range(60):
        await invoke(api, endpoint, rows.iloc[[i]], chunks=1)
    sampled = (await asyncio.to_thread(client.monitoring, endpoint)).captured_records
    assert 0 < sampled < 25  # about 6 of 60 at 10%; never all of them

    frame = await asyncio.to_thread(client.captured, endpoint, 5)
    assert len(frame) == min(5, sampled)
    assert {"captured_at", "age", "job", "prediction:predicted_label"} <= set(frame.columns)

    # Without the training data no baseline can be built: a clear 409, and the status says why.
    (jp_root_dir / "customers.csv").unlink()
    folder = jp_root_dir / "autopilot" / "endpoints" / endpoint / "monitoring"
    for leftover in folder.glob("baseline.json"):
        leftover.unlink()
    failed = await api.post(f"endpoints/{endpoint}/monitoring/reports", {})
    assert failed.code == 409 and "training data" in failed.body["message"]
    status = await asyncio.to_thread(client.monitoring, endpoint)
    assert status.baseline is None and "training data" in (status.baseline_error or "")
