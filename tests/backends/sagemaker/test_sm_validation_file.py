"""The user's validation file on SageMaker (issue #18 item 2): a second input channel,
`ChannelType: validation`, without `DataSplitConfig` ("How to specify training and
validation datasets", SageMaker developer guide). The backend checks the file against the
training data before sending; the fake refuses what AWS refuses (fake_rules.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from fake_automl import FakeAutoML
from sm_support import BUCKET, write_bank_like

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend, jobs


def _upload(backend: SageMakerBackend, run: Any, path: str) -> str:
    request = m.DatasetUploadRequest(path=path, key_prefix="validation-test/input")
    return run(backend.upload_dataset(request)).uri


@pytest.fixture
def later_uri(backend: SageMakerBackend, run: Any, root: Path) -> str:
    """Later rows with the tutorial file's columns, uploaded like the training file."""
    write_bank_like(root / "later" / "later-rows.csv", rows=30)
    return _upload(backend, run, "later/later-rows.csv")


def test_validation_channel_reaches_the_request(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, later_uri: str, fake: FakeAutoML
) -> None:
    spec = m.ExperimentSpec(
        name="later-rows", input_uri=tutorial_uri, target="y", validation_file=later_uri
    )
    assert run(backend.validate_experiment(spec)).name_available
    experiment = run(backend.create_experiment(spec))
    assert experiment.spec.validation_file == later_uri
    [request] = fake.sent("CreateAutoMLJobV2")
    channels = request["AutoMLJobInputDataConfig"]
    assert [c["ChannelType"] for c in channels] == ["training", "validation"]
    assert channels[1]["DataSource"]["S3DataSource"] == {
        "S3DataType": "S3Prefix",
        "S3Uri": later_uri,
    }
    assert channels[1]["ContentType"] == channels[0]["ContentType"] == "text/csv;header=present"
    assert "DataSplitConfig" not in request  # AWS refuses a fraction beside the channel
    assert not fake.problems, fake.problems  # valid for botocore's model and the fake's rules
    # A job described by AWS (as an imported one is) gives the file back, and no fraction.
    described = run(backend.experiments.describe_job("later-rows", fresh=True))
    rebuilt = jobs.spec_from_description(described, {})
    assert rebuilt.validation_file == later_uri and rebuilt.validation_fraction is None


def test_without_a_validation_file_the_split_is_sent(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    spec = m.ExperimentSpec(name="split", input_uri=tutorial_uri, target="y")
    run(backend.create_experiment(spec))
    [request] = fake.sent("CreateAutoMLJobV2")
    assert len(request["AutoMLJobInputDataConfig"]) == 1
    assert request["DataSplitConfig"] == {"ValidationFraction": 0.2}


@pytest.mark.parametrize(
    ("file", "error", "words"),
    [
        ("later/later-rows.csv", ex.InvalidRequest, "reads the validation file from S3"),
        ("s3://nowhere-bucket/later.csv", ex.InvalidDataset, "nowhere-bucket"),
        (
            "other-columns",
            ex.InvalidDataset,
            "missing 'campaign'; not in the training data 'calls'",
        ),
        ("reordered", ex.InvalidDataset, "the same columns in another order"),
        ("training", ex.InvalidRequest, "The validation file is the training file"),
    ],
)
def test_bad_validation_files_are_refused_before_sending(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    root: Path,
    fake: FakeAutoML,
    file: str,
    error: type[Exception],
    words: str,
) -> None:
    import pandas as pd

    later = write_bank_like(root / "later" / "later-rows.csv", rows=30)
    frame = pd.read_csv(later, sep=";")
    if file == "other-columns":
        frame.rename(columns={"campaign": "calls"}).to_csv(root / "later" / "x.csv", index=False)
        file = _upload(backend, run, "later/x.csv")
    elif file == "reordered":
        frame[["y", *frame.columns[:-1]]].to_csv(root / "later" / "x.csv", index=False)
        file = _upload(backend, run, "later/x.csv")
    elif file == "training":
        file = tutorial_uri
    fields = {"name": "bad-later", "input_uri": tutorial_uri, "target": "y"}
    if file != tutorial_uri:
        spec = m.ExperimentSpec(**fields, validation_file=file)
    else:
        # The spec refuses the same string itself; the backend compares the objects too.
        spec = m.ExperimentSpec(**fields).model_copy(update={"validation_file": file})
    for call in (backend.validate_experiment, backend.create_experiment):
        with pytest.raises(error) as info:
            run(call(spec))
        assert words in info.value.message, info.value.message
        assert "validation_file" in json.dumps(info.value.details)
    assert not fake.sent("CreateAutoMLJobV2")


def _request(training: str, validation: str, **extra: Any) -> dict[str, Any]:
    def channel(uri: str, kind: str, content: str = "text/csv;header=present") -> dict[str, Any]:
        return {
            "ChannelType": kind,
            "ContentType": content,
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": uri}},
        }

    request = {
        "AutoMLJobName": "direct",
        "AutoMLJobInputDataConfig": [
            channel(training, "training"),
            channel(validation, "validation"),
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{BUCKET}/out"},
        "AutoMLProblemTypeConfig": {"TabularJobConfig": {"TargetAttributeName": "y"}},
        "RoleArn": "arn:aws:iam::123456789012:role/AutopilotExecutionRole",
    }
    request.update(extra)
    return request


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"DataSplitConfig": {"ValidationFraction": 0.2}}, "ValidationFraction cannot be set"),
        ("two-training", "one training channel and at most one validation channel"),
        ("parquet", "share the same ContentType"),
        ("other-header", "same schema"),
    ],
)
def test_the_fake_refuses_what_aws_refuses(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    later_uri: str,
    root: Path,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    change: Any,
    words: str,
) -> None:
    """Sent straight to the (faked) API, past the backend's own checks."""
    request = _request(tutorial_uri, later_uri)
    if isinstance(change, dict):
        request.update(change)
    elif change == "two-training":
        request["AutoMLJobInputDataConfig"][1]["ChannelType"] = "training"
    elif change == "parquet":
        request["AutoMLJobInputDataConfig"][1]["ContentType"] = "x-application/vnd.amazon+parquet"
    else:
        (root / "later" / "other.csv").write_text("age,job,y\n30,admin.,no\n")
        request["AutoMLJobInputDataConfig"][1]["DataSource"]["S3DataSource"]["S3Uri"] = _upload(
            backend, run, "later/other.csv"
        )
    client = boto_session.client("sagemaker")
    with pytest.raises(ClientError) as info:
        client.create_auto_ml_job_v2(**request)
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert words in info.value.response["Error"]["Message"]
    client.create_auto_ml_job_v2(**_request(tutorial_uri, later_uri))  # the valid one passes


def test_dry_run_shows_the_validation_channel(
    dry: SageMakerBackend, run: Any, tutorial_uri: str, later_uri: str
) -> None:
    spec = m.ExperimentSpec(
        name="dry-later", input_uri=tutorial_uri, target="y", validation_file=later_uri
    )
    experiment = run(dry.create_experiment(spec))
    requests = json.loads(experiment.backend_details["dry_run_requests"])
    create = next(r for r in requests if r["operation"] == "CreateAutoMLJobV2")
    channels = create["params"]["AutoMLJobInputDataConfig"]
    assert [c["ChannelType"] for c in channels] == ["training", "validation"]
    assert "DataSplitConfig" not in create["params"]
