"""One server offering the local backend (default) and SageMaker (`extra_backends`), through
the REST API against moto + the fake: a file the local backend refuses as too large goes
to S3 and becomes an experiment on SageMaker, each backend listing only its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.credentials import CredentialResolver
from fake_automl import FakeAutoML
from sm_support import BUCKET, REGION, write_bank_like

from jupyter_autopilot.backends.sagemaker import SageMakerBackend


@pytest.fixture
def autopilot_config(rest_fake: FakeAutoML, role_arn: str) -> dict[str, Any]:
    """The local backend by default, SageMaker beside it (its settings by their aliases)."""
    return {"extra_backends": ["sagemaker"], "aws_region": REGION, "role_arn": role_arn}


@pytest.fixture
def local_backend_config() -> dict[str, Any]:
    """A local limit far below the test file, so the local backend refuses it."""
    return {"preload_helper": False, "max_dataset_bytes": 2000}


async def test_health_lists_both_backends(api: Any) -> None:
    local = await api.get("health")
    assert local.code == 200 and local.body["backend"] == "local", local.body
    expected = [
        {"name": "local", "default": True, "usable": True, "reason": None},
        {"name": "sagemaker", "default": False, "usable": True, "reason": None},
    ]
    assert local.body["backends"] == expected
    sagemaker = await api.get("health", params={"backend": "sagemaker"})
    assert sagemaker.code == 200 and sagemaker.body["backend"] == "sagemaker"
    assert sagemaker.body["region"] == REGION and sagemaker.body["features"]["s3"] is True
    assert sagemaker.body["backends"] == expected
    # The wizard offers forecasting where the backend runs it: both (TimeSeriesForecasting
    # jobs on SageMaker).
    assert local.body["features"]["forecasting"] is True
    assert sagemaker.body["features"]["forecasting"] is True


async def test_a_file_too_large_locally_runs_on_sagemaker(
    api: Any, jp_root_dir: Path, rest_fake: FakeAutoML
) -> None:
    path = "big/bank-like.csv"
    write_bank_like(jp_root_dir / path, rows=200)
    refused = await api.post("datasets/preview", {"uri": path})
    assert refused.code == 400 and refused.error == "dataset_too_large", refused.body

    upload = await api.post(
        "datasets/upload",
        {"path": path, "key_prefix": "autopilot/input"},
        params={"backend": "sagemaker"},
    )
    assert upload.code == 201, upload.body
    uri = upload.body["uri"]
    assert uri == f"s3://{BUCKET}/autopilot/input/bank-like.csv"

    spec = {"name": "too-big-here", "input_uri": uri, "target": "y", "max_candidates": 2}
    checked = await api.post("validation/experiment", spec, params={"backend": "sagemaker"})
    assert checked.code == 200, checked.body
    created = await api.post("experiments", spec, params={"backend": "sagemaker"})
    assert created.code in (200, 201), created.body
    assert created.body["backend"] == "sagemaker"
    assert list(rest_fake.jobs) == ["too-big-here"]

    on_sagemaker = await api.get("experiments", params={"backend": "sagemaker"})
    assert [e["name"] for e in on_sagemaker.body["experiments"]] == ["too-big-here"]
    assert (await api.get("experiments")).body["experiments"] == []
    assert (await api.get("experiments/too-big-here")).code == 404  # not a local experiment
    described = await api.get("experiments/too-big-here", params={"backend": "sagemaker"})
    assert described.code == 200 and described.body["backend"] == "sagemaker"

    # Each backend keeps its files apart: SageMaker's under <work dir>/backends/sagemaker.
    work = jp_root_dir / "autopilot"
    assert (work / "backends/sagemaker/experiments/too-big-here").is_dir()
    assert not (work / "experiments/too-big-here").exists()


async def test_without_aws_credentials_sagemaker_is_listed_as_not_usable(
    api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = botocore.session.Session()
    core.register_component("credential_provider", CredentialResolver(providers=[]))
    no_credentials = boto3.Session(botocore_session=core, region_name=REGION)
    monkeypatch.setattr(SageMakerBackend, "_make_session", lambda self: no_credentials)
    health = await api.get("health")
    assert health.code == 200, health.body
    local, sagemaker = health.body["backends"]
    assert local == {"name": "local", "default": True, "usable": True, "reason": None}
    assert sagemaker["name"] == "sagemaker" and sagemaker["usable"] is False
    assert "no AWS credentials" in sagemaker["reason"]
    # The local backend is untouched by it.
    assert (await api.get("experiments")).code == 200


async def test_run_on_sagemaker_keeps_the_settings_the_panel_carries_over(
    api: Any, jp_root_dir: Path, rest_fake: FakeAutoML
) -> None:
    """The requests of the panel's Run on SageMaker (src/create/transfer.ts keeps these
    settings of a local form): upload with the wizard's default key prefix, then the
    review's check (with the cost estimate) and create, on SageMaker, keeping them all."""
    path = "big/bank-like.csv"
    write_bank_like(jp_root_dir / path, rows=200)
    assert (await api.post("datasets/preview", {"uri": path})).error == "dataset_too_large"

    upload = await api.post(
        "datasets/upload",
        {"path": path, "key_prefix": "sagemaker/autopilot/input", "bucket": None},
        params={"backend": "sagemaker"},
    )
    assert upload.code == 201, upload.body
    uri = upload.body["uri"]
    assert uri == f"s3://{BUCKET}/sagemaker/autopilot/input/bank-like.csv"
    spec = {
        "name": "moved-here",
        "description": "too big for this machine",
        "project": "marketing",
        "tags": [{"key": "team", "value": "growth"}],
        "input_uri": uri,
        # Upload to S3 wrote commas: the wizard sends no delimiter (detected again).
        "delimiter": None,
        "target": "y",
        "exclude_columns": ["duration"],
        "sample_weight": "campaign",
        "problem_type": "binary",
        "objective_metric": "AUC",
        "mode": "complete",
        "training_mode": "ensembling",
        "algorithms": ["lightgbm", "linear-learner"],
        "max_candidates": 5,
        "max_trial_runtime_seconds": 600,
        "max_job_runtime_seconds": 3600,
        "validation_fraction": 0.25,
    }
    checked = await api.post("validation/experiment", spec, params={"backend": "sagemaker"})
    assert checked.code == 200, checked.body
    estimate = checked.body["cost_estimate"]
    assert estimate is not None and estimate["typical_cost_usd"] > 0, checked.body

    created = await api.post("experiments", spec, params={"backend": "sagemaker"})
    assert created.code in (200, 201), created.body
    request = rest_fake.jobs["moved-here"].request
    tabular = request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert tabular["TargetAttributeName"] == "y"
    assert tabular["ProblemType"] == "BinaryClassification"
    assert tabular["Mode"] == "ENSEMBLING"
    assert tabular["SampleWeightAttributeName"] == "campaign"
    assert tabular["CandidateGenerationConfig"] == {
        "AlgorithmsConfig": [{"AutoMLAlgorithms": ["lightgbm", "linear-learner"]}]
    }
    assert tabular["CompletionCriteria"] == {
        "MaxCandidates": 5,
        "MaxRuntimePerTrainingJobInSeconds": 600,
        "MaxAutoMLJobRuntimeInSeconds": 3600,
    }
    assert request["AutoMLJobObjective"] == {"MetricName": "AUC"}
    assert request["DataSplitConfig"] == {"ValidationFraction": 0.25}
    described = await api.get("experiments/moved-here", params={"backend": "sagemaker"})
    kept = described.body["spec"]
    assert kept["exclude_columns"] == ["duration"], kept
    assert (kept["description"], kept["project"]) == ("too big for this machine", "marketing")
    assert {"key": "team", "value": "growth"} in kept["tags"]
