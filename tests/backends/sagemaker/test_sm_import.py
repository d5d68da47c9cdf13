"""Deploying a model exported from the local backend on SageMaker (moto + botocore checks):
the archive is checked, uploaded, and served by the scikit-learn image's inference script."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sm_support import REGION

from jupyter_autopilot import models as m
from jupyter_autopilot.exceptions import InvalidRequest, NotFound


def fake_export(path: Path, **manifest) -> Path:
    """An archive with the layout of `export.sagemaker_sklearn.build_artifact`."""
    members = {
        "model.joblib": b"not unpickled on this side",
        "model.sha256": b"0" * 64,
        "code/inference.py": b"def model_fn(model_dir): ...\n",
        "export.json": json.dumps(
            {"experiment": "bank", "candidate": "lightgbm-3", "input_columns": ["age"], **manifest}
        ).encode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_exported_model_becomes_a_sklearn_endpoint(backend, run, root, boto_session):
    fake_export(
        root / "exports" / "model.tar.gz",
        objective_value=0.93,
        algorithm="lightgbm",
        framework_version="1.4-2-py312",  # the image the export chose for its pins
    )
    request = m.ArtifactDeployRequest(
        artifact="exports/model.tar.gz",
        endpoint_name="from-local",
        inference_response_keys=["predicted_label", "probabilities"],
    )
    endpoint = run(backend.deploy_artifact(request))
    assert endpoint.status is m.EndpointStatus.Creating
    assert (endpoint.experiment, endpoint.candidate) == ("bank", "lightgbm-3")
    model_data = endpoint.backend_details["model_data"]
    assert model_data.endswith("/autopilot/models/from-local/model.tar.gz")
    bucket, key = model_data[len("s3://") :].split("/", 1)
    uploaded = boto_session.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert uploaded == (root / "exports" / "model.tar.gz").read_bytes()

    sm = boto_session.client("sagemaker")
    container = sm.describe_model(ModelName="from-local-model")["PrimaryContainer"]
    assert container["Image"] == (
        f"683313688378.dkr.ecr.{REGION}.amazonaws.com/sagemaker-scikit-learn:1.4-2-py312-cpu-py3"
    )
    assert container["ModelDataUrl"] == model_data
    assert container["Environment"]["SAGEMAKER_PROGRAM"] == "inference.py"
    assert container["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label,probabilities"
    described = run(backend.describe_endpoint("from-local"))
    assert described.input_columns == ["age"] and described.objective_value == 0.93

    run(backend.delete_endpoint("from-local"))
    assert sm.list_models()["Models"] == []
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []


def test_s3_artifacts_and_custom_images_are_used_as_given(backend, run, boto_session):
    request = m.ArtifactDeployRequest(
        artifact="s3://my-bucket/models/model.tar.gz",
        endpoint_name="from-s3",
        image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/my-sklearn:latest",
        serverless={"memory_size_mb": 2048},
    )
    run(backend.deploy_artifact(request))
    container = boto_session.client("sagemaker").describe_model(ModelName="from-s3-model")[
        "PrimaryContainer"
    ]
    assert container["ModelDataUrl"] == "s3://my-bucket/models/model.tar.gz"
    assert container["Image"].endswith("/my-sklearn:latest")


def test_wrong_archives_are_refused_before_anything_is_created(backend, run, root, boto_session):
    (root / "notes.tar.gz").write_bytes(b"plain text, not gzip")
    incomplete = root / "incomplete.tar.gz"
    with tarfile.open(incomplete, "w:gz") as archive:
        info = tarfile.TarInfo("model.joblib")
        archive.addfile(info, io.BytesIO(b""))
    cases = [
        ("notes.tar.gz", InvalidRequest, "not a readable .tar.gz"),
        ("incomplete.tar.gz", InvalidRequest, "not a jupyter-autopilot export"),
        ("missing.tar.gz", NotFound, "does not exist"),
        ("../outside.tar.gz", InvalidRequest, "root"),
        ("s3://", InvalidRequest, "no bucket name"),
    ]
    for artifact, error, text in cases:
        request = m.ArtifactDeployRequest(artifact=artifact, endpoint_name="nope")
        with pytest.raises(error, match=text):
            run(backend.deploy_artifact(request))
    sm = boto_session.client("sagemaker")
    assert sm.list_models()["Models"] == [] and sm.list_endpoints()["Endpoints"] == []
