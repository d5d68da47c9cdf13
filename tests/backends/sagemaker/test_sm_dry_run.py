"""Dry-run mode: mutating requests are validated, shown and logged, never sent."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import boto3
import pytest
from fake_automl import FakeAutoML
from sm_support import BUCKET

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend, errors


def test_dry_run_create_shows_the_exact_request(
    dry: SageMakerBackend,
    run: Any,
    local_csv: Path,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="jupyter_autopilot")
    health = run(dry.health())
    assert health.dry_run and any("Dry run" in w for w in health.warnings)

    upload = run(
        dry.upload_dataset(m.DatasetUploadRequest(path="bank-additional/bank-additional-full.csv"))
    )
    assert upload.uri == f"s3://{BUCKET}/sagemaker/autopilot/input/bank-additional-full.csv"
    assert any(w.startswith("Dry run") for w in upload.warnings)
    s3 = boto_session.client("s3")
    assert BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]  # CreateBucket not sent
    held = [(r.service, r.operation) for r in dry.aws.recorder.history]
    assert held == [("s3", "CreateBucket"), ("s3", "PutObject")]

    # The input must exist for real: upload it without dry run.
    s3.create_bucket(Bucket="data-bucket")
    s3.upload_file(str(local_csv), "data-bucket", "in/bank.csv")
    s3.put_object(
        Bucket="data-bucket",
        Key="in/bank.csv",
        Body=local_csv.read_text().replace(";", ",").encode(),
    )
    spec = m.ExperimentSpec(
        name="dry-exp",
        input_uri="s3://data-bucket/in/bank.csv",
        target="y",
        problem_type=m.ProblemType.binary,
    )
    experiment = run(dry.create_experiment(spec))
    assert experiment.status is m.ExperimentStatus.Queued
    assert experiment.backend_details["dry_run"] == "true"
    requests = json.loads(experiment.backend_details["dry_run_requests"])
    assert [r["operation"] for r in requests] == ["CreateBucket", "CreateAutoMLJobV2"]
    create = requests[-1]
    assert create["service"] == "sagemaker"
    assert (
        create["params"]["AutoMLProblemTypeConfig"]["TabularJobConfig"]["ProblemType"]
        == "BinaryClassification"
    )
    assert create["params"]["RoleArn"].endswith(":role/AutopilotExecutionRole")
    assert fake.sent("CreateAutoMLJobV2") == [] and fake.jobs == {}
    assert any("DRY RUN sagemaker.CreateAutoMLJobV2" in r.getMessage() for r in caplog.records)

    # The dry-run experiment can be looked at (it never reached AWS).
    again = run(dry.describe_experiment("dry-exp"))
    assert again.status_message and again.status_message.startswith("Dry run")
    assert "dry-exp" in [
        e.name for e in run(dry.list_experiments(m.ListExperimentsQuery())).experiments
    ]
    assert run(dry.list_candidates("dry-exp", m.ListCandidatesQuery())).total == 0
    assert not any(a.available for a in run(dry.list_artifacts("dry-exp")).artifacts)


def test_dry_run_rejects_what_aws_would_reject(
    dry: SageMakerBackend, run: Any, fake: FakeAutoML, boto_session: boto3.Session, local_csv: Path
) -> None:
    s3 = boto_session.client("s3")
    s3.create_bucket(Bucket="data-bucket")
    s3.put_object(
        Bucket="data-bucket", Key="bank.csv", Body=local_csv.read_text().replace(";", ",").encode()
    )
    spec = m.ExperimentSpec(
        name="dry-bad",
        input_uri="s3://data-bucket/bank.csv",
        target="y",
        tags=[m.Tag(key="k", value="not,allowed")],
    )
    with pytest.raises(errors.AwsValidationError) as info:
        run(dry.create_experiment(spec))
    assert info.value.status_code == 400
    assert "Tags[0].Value" in info.value.message and info.value.details
    assert [r.operation for r in dry.aws.recorder.history] == ["CreateBucket"]


def test_dry_run_deploy_and_cleanup_send_nothing(
    backend: SageMakerBackend,
    dry: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    # A real (faked) experiment, finished by the normal backend...
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name="real", input_uri=tutorial_uri, target="y", problem_type=m.ProblemType.binary
            )
        )
    )
    fake.finish("real")
    # ...then deployed and cleaned up by a dry-run server.
    endpoint = run(
        dry.deploy(
            "real",
            m.DeployRequest(
                endpoint_name="real-ep", instance_type="ml.c5.xlarge", instance_count=2
            ),
        )
    )
    requests = json.loads(endpoint.backend_details["dry_run_requests"])
    assert [r["operation"] for r in requests] == [
        "CreateModel",
        "CreateEndpointConfig",
        "CreateEndpoint",
    ]
    assert requests[1]["params"]["ProductionVariants"][0] == {
        "VariantName": "AllTraffic",
        "ModelName": "real-ep-model",
        "InstanceType": "ml.c5.xlarge",
        "InitialInstanceCount": 2,
        "InitialVariantWeight": 1.0,
    }
    assert endpoint.hourly_cost_usd == pytest.approx(0.408)
    sm = boto_session.client("sagemaker")
    assert sm.list_models()["Models"] == [] and sm.list_endpoints()["Endpoints"] == []

    before = len(dry.aws.recorder.history)
    result = run(dry.cleanup("real", m.CleanupRequest(include_outputs=True)))
    assert result.deleted and all(i.description.startswith("Dry run") for i in result.deleted)
    held = [r.operation for r in list(dry.aws.recorder.history)[before:]]
    assert held == ["DeleteObjects"]
    objects = boto_session.client("s3").list_objects_v2(
        Bucket=BUCKET, Prefix="autopilot/real/output/"
    )
    assert objects["KeyCount"] > 0  # still there


def test_dry_run_stop(
    backend: SageMakerBackend, dry: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="keeps-running", input_uri=tutorial_uri, target="y")
        )
    )
    experiment = run(dry.stop_experiment("keeps-running"))
    assert (
        json.loads(experiment.backend_details["dry_run_requests"])[0]["operation"]
        == "StopAutoMLJob"
    )
    assert fake.sent("StopAutoMLJob") == [] and experiment.status is m.ExperimentStatus.InProgress


def test_a_dry_run_name_can_be_created_for_real(
    backend: SageMakerBackend, dry: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    spec = m.ExperimentSpec(name="try-first", input_uri=tutorial_uri, target="y")
    assert run(dry.create_experiment(spec)).status is m.ExperimentStatus.Queued
    real = run(backend.create_experiment(spec))  # same work dir: the dry-run record is replaced
    assert real.status is m.ExperimentStatus.InProgress and "try-first" in fake.jobs
    assert "dry_run" not in real.backend_details
