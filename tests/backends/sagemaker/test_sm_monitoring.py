"""Monitoring SageMaker endpoints (moto + the fake, which writes capture files to S3 in
SageMaker's format and implements UpdateEndpoint): data capture in the endpoint config,
captures synced into the work dir, a baseline from the training data on S3, drift reports,
capture switched off through a new endpoint config."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from fake_automl import FakeAutoML
from sm_support import BUCKET
from test_sm_modes import walk_to_end

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend

JOBS = ["admin.", "technician", "services", "management"]


def rows(count: int, *, start: int = 0, shifted: bool = False) -> bytes:
    """CSV rows (no header, no target) like the uploaded bank-like data (rows `start` to
    `start + count` of it), or drifted ones."""
    lines = []
    for i in range(start, start + count):
        age = 80 + i % 15 if shifted else 20 + i % 50
        job = "astronaut" if shifted and i % 2 else JOBS[i % 4]
        marital = "married" if i % 3 else "single"
        lines.append(f"{age},{job},{marital},{100 + 7 * i},{1 + i % 4}")
    return ("\n".join(lines) + "\n").encode()


def test_capture_and_drift_on_a_sagemaker_endpoint(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    run(backend.create_experiment(m.ExperimentSpec(name="mon", input_uri=tutorial_uri, target="y")))
    walk_to_end(backend, run, "mon")
    endpoint = run(
        backend.deploy(
            "mon",
            m.DeployRequest(
                endpoint_name="mon-ep",
                data_capture=m.DataCaptureConfig(enabled=True, sampling_percentage=100),
            ),
        )
    )
    assert endpoint.input_columns == ["age", "job", "marital", "duration", "campaign"]
    assert run(backend.describe_endpoint("mon-ep")).data_capture == endpoint.data_capture
    assert endpoint.data_capture == m.DataCaptureConfig(enabled=True, sampling_percentage=100)
    sm = boto_session.client("sagemaker")
    capture = sm.describe_endpoint_config(EndpointConfigName="mon-ep-config")["DataCaptureConfig"]
    assert capture["EnableCapture"] is True
    assert capture["DestinationS3Uri"] == f"s3://{BUCKET}/autopilot/data-capture"

    no_data = pytest.raises(ex.Conflict, match="no captured data")
    with no_data:
        run(backend.run_monitoring_report("mon-ep", m.MonitoringReportRequest()))

    for part in range(4):
        run(backend.invoke_endpoint("mon-ep", rows(25, start=25 * part), "text/csv", "text/csv"))
    files = boto_session.client("s3").list_objects_v2(
        Bucket=BUCKET, Prefix="autopilot/data-capture/mon-ep/AllTraffic/"
    )
    assert files["KeyCount"] == 4  # SageMaker's layout: <endpoint>/<variant>/YYYY/MM/DD/HH/
    status = run(backend.monitoring_status("mon-ep"))
    assert (status.captured_records, status.captured_rows) == (4, 100)
    assert status.data_capture.enabled

    calm = run(backend.run_monitoring_report("mon-ep", m.MonitoringReportRequest(window_hours=1)))
    features = {f.feature: f for f in calm.features}
    assert features["age"].status in ("ok", "warning")
    assert calm.drifted_features == 0 and calm.constraint_violations == []
    baseline = run(backend.monitoring_status("mon-ep")).baseline
    assert baseline is not None and baseline.rows == 60 and baseline.source.startswith("s3://")

    for _ in range(4):
        run(backend.invoke_endpoint("mon-ep", rows(25, shifted=True), "text/csv", "text/csv"))
    backend.cache.clear()
    drifted = run(backend.run_monitoring_report("mon-ep", m.MonitoringReportRequest()))
    features = {f.feature: f for f in drifted.features}
    assert features["age"].status == "drift" and features["job"].status == "drift"
    checks = {(v.feature, v.check) for v in drifted.constraint_violations}
    assert {("age", "out_of_range"), ("job", "unknown_category")} <= checks
    assert drifted.prediction is None  # no model here to predict the baseline's labels
    assert run(backend.describe_monitoring_report("mon-ep", drifted.id)) == drifted
    newest = run(backend.list_captures("mon-ep", m.ListCapturesQuery(limit=1))).records[0]
    assert newest.inputs[0]["age"] == "80"

    # A schedule: due when the last report is older than its interval.
    run(
        backend.configure_monitoring(
            "mon-ep",
            m.MonitoringConfig(data_capture=status.data_capture, schedule_minutes=60),
        )
    )
    assert run(backend.run_due_reports(backend._now())) == []
    assert run(backend.run_due_reports(backend._now() + timedelta(minutes=61))) == ["mon-ep"]

    # Capture off: a new endpoint config (without capture); the endpoint updates to it, and
    # the old config is deleted only once the endpoint is InService again.
    off = run(
        backend.configure_monitoring(
            "mon-ep", m.MonitoringConfig(data_capture=m.DataCaptureConfig(enabled=False))
        )
    )
    assert not off.data_capture.enabled and off.captured_records == 8
    live = sm.describe_endpoint(EndpointName="mon-ep")
    config_name = live["EndpointConfigName"]
    assert live["EndpointStatus"] == "Updating" and config_name != "mon-ep-config"
    assert not sm.describe_endpoint_config(EndpointConfigName=config_name)["DataCaptureConfig"][
        "EnableCapture"
    ]
    names = {c["EndpointConfigName"] for c in sm.list_endpoint_configs()["EndpointConfigs"]}
    assert names == {"mon-ep-config", config_name}
    backend.cache.clear()
    assert run(backend.describe_endpoint("mon-ep")).status is m.EndpointStatus.InService
    names = {c["EndpointConfigName"] for c in sm.list_endpoint_configs()["EndpointConfigs"]}
    assert names == {config_name}
    run(backend.invoke_endpoint("mon-ep", rows(5), "text/csv", "text/csv"))
    backend.cache.clear()
    assert run(backend.monitoring_status("mon-ep")).captured_records == 8

    with pytest.raises(ex.NotFound, match="deployed from this server"):
        run(backend.monitoring_status("someone-elses"))
    run(backend.delete_endpoint("mon-ep"))
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []
    assert sm.list_models()["Models"] == []
