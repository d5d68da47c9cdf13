"""Batch predictions on SageMaker through the REST API: transform jobs (moto + the fake)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from fake_automl import FakeAutoML

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend, batches

BUCKET = "sagemaker-us-east-1-123456789012"
NAME = "batch-exp"
ENDPOINT = "batch-ep"


async def _deployed(api: Any, root_bank_csv: str) -> None:
    upload = await api.post("datasets/upload", {"path": root_bank_csv, "key_prefix": "in"})
    assert upload.code == 201, upload.body
    created = await api.post(
        "experiments",
        {"name": NAME, "input_uri": upload.body["uri"], "target": "y", "max_candidates": 3},
    )
    assert created.code in (200, 201), created.body
    for _ in range(15):
        reply = await api.get(f"experiments/{NAME}")
        if reply.body["status"] == "Completed":
            break
    assert reply.body["status"] == "Completed"
    deployed = await api.post(f"experiments/{NAME}/deploy", {"endpoint_name": ENDPOINT})
    assert deployed.code in (200, 201, 202), deployed.body


def _transform_requests(fake: FakeAutoML) -> list[dict[str, Any]]:
    return fake.sent("CreateTransformJob")


async def _finish(api: Any, batch_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for _ in range(5):
        reply = await api.get(f"batch-predictions/{batch_id}")
        assert reply.code == 200, reply.body
        body = reply.body
        if body["status"] != "InProgress":
            break
    return body


async def test_batch_prediction_of_a_root_file(
    api: Any,
    root_bank_csv: str,
    rest_fake: FakeAutoML,
    jp_root_dir: Path,
    boto_session: boto3.Session,
) -> None:
    await _deployed(api, root_bank_csv)
    health = await api.get("health")
    assert health.body["features"]["batch_predictions"] is True
    (jp_root_dir / "new").mkdir()
    (jp_root_dir / "new" / "clients.csv").write_text(
        'age;job;marital\n30;"admin.";single\n41;technician;married\n'
    )
    started = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions", {"input_path": "new/clients.csv"}
    )
    assert started.code == 202, started.body
    batch = started.body
    assert batch["status"] == "InProgress" and batch["rows_total"] == 2
    assert batch["output_path"] == "new/clients.predictions.csv"

    # What was sent: CSV lines in, each joined with its prediction, on a transform type.
    (request,) = _transform_requests(rest_fake)
    assert request["TransformInput"]["ContentType"] == "text/csv"
    assert request["TransformInput"]["SplitType"] == "Line"
    assert request["TransformOutput"]["AssembleWith"] == "Line"
    assert request["DataProcessing"] == {"JoinSource": "Input"}
    assert request["TransformResources"] == {"InstanceType": "ml.m5.large", "InstanceCount": 1}
    assert request["MaxPayloadInMB"] == 6
    endpoint = await api.get(f"endpoints/{ENDPOINT}")
    assert request["ModelName"] == endpoint.body["model_name"]
    # Autopilot's containers read rows without a header, comma-separated.
    uploaded = request["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"]
    key = uploaded[len(f"s3://{BUCKET}/") :]
    body = boto_session.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert body == b"30,admin.,single\n41,technician,married\n"

    done = await _finish(api, batch["id"])
    assert done["status"] == "Completed", done
    assert done["rows_done"] == 2
    written = (jp_root_dir / "new" / "clients.predictions.csv").read_text()
    assert written == (
        "age,job,marital,predicted_label,probability\n"
        "30,admin.,single,yes,0.77\n41,technician,married,yes,0.77\n"
    )

    # The write policy: an existing output is a 409 before any upload or job...
    again = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions", {"input_path": "new/clients.csv"}
    )
    assert again.code == 409 and "overwrite" in again.body["message"]
    assert len(_transform_requests(rest_fake)) == 1
    # ... and replaced with overwrite.
    (jp_root_dir / "new" / "clients.csv").write_text("age;job;marital\n50;services;single\n")
    replaced = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions",
        {"input_path": "new/clients.csv", "overwrite": True},
    )
    assert replaced.code == 202, replaced.body
    assert (await _finish(api, replaced.body["id"]))["status"] == "Completed"
    assert (
        (jp_root_dir / "new" / "clients.predictions.csv")
        .read_text()
        .endswith("50,services,single,yes,0.77\n")
    )

    # The output's folder removed while the job runs: Failed, saying why and where the
    # result is, instead of a batch InProgress forever.
    (jp_root_dir / "gone").mkdir()
    (jp_root_dir / "gone" / "rows.csv").write_text("age;job;marital\n20;services;single\n")
    orphan = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions", {"input_path": "gone/rows.csv"}
    )
    assert orphan.code == 202, orphan.body
    (jp_root_dir / "gone" / "rows.csv").unlink()
    (jp_root_dir / "gone").rmdir()
    lost = await _finish(api, orphan.body["id"])
    assert lost["status"] == "Failed" and "does not exist" in lost["failure_reason"]
    assert "s3://" in lost["failure_reason"]

    # Clean-up lists (and deletes) the batches' files on S3.
    plan = await api.get(f"experiments/{NAME}/cleanup")
    batch_items = [i for i in plan.body["items"] if "Batch prediction" in i["description"]]
    assert len(batch_items) == 3 and all(i["kind"] == "s3_prefix" for i in batch_items)
    cleaned = await api.post(f"experiments/{NAME}/cleanup", {"include_outputs": True})
    assert cleaned.code == 200 and cleaned.body["failed"] == []
    left = boto_session.client("s3").list_objects_v2(Bucket=BUCKET, Prefix="autopilot/batch/")
    assert left.get("KeyCount", 0) == 0


async def test_batch_prediction_of_an_s3_file_and_its_failures(
    api: Any,
    root_bank_csv: str,
    rest_fake: FakeAutoML,
    jp_root_dir: Path,
    boto_session: boto3.Session,
) -> None:
    await _deployed(api, root_bank_csv)
    boto_session.client("s3").put_object(
        Bucket=BUCKET, Key="scoring/today.csv", Body=b"33,services,single\n"
    )
    started = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions",
        {"input_path": f"s3://{BUCKET}/scoring/today.csv"},
    )
    assert started.code == 202, started.body
    assert started.body["output_path"] == "today.predictions.csv"
    done = await _finish(api, started.body["id"])
    assert done["status"] == "Completed" and done["rows_done"] == 1
    text = (jp_root_dir / "today.predictions.csv").read_text()
    # The header comes from the endpoint's features (S3 input has none, as AWS requires).
    assert text.splitlines()[0].endswith(",predicted_label,probability")
    assert text.splitlines()[1] == "33,services,single,yes,0.77"

    # A missing S3 input: the job fails and the batch says why; nothing is written.
    missing = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions",
        {"input_path": f"s3://{BUCKET}/scoring/nothing.csv", "output_path": "nothing.csv"},
    )
    assert missing.code == 202
    failed = await _finish(api, missing.body["id"])
    assert failed["status"] == "Failed" and "No S3 objects" in failed["failure_reason"]
    assert not (jp_root_dir / "nothing.csv").exists()

    # Bad requests are 4xx before any job: unknown endpoint, missing file, other keys.
    jobs_before = len(_transform_requests(rest_fake))
    unknown = await api.post("endpoints/nope/batch-predictions", {"input_path": "x.csv"})
    assert unknown.code == 404
    absent = await api.post(f"endpoints/{ENDPOINT}/batch-predictions", {"input_path": "absent.csv"})
    assert absent.code in (400, 404) and "absent.csv" in absent.body["message"]
    keys = await api.post(
        f"endpoints/{ENDPOINT}/batch-predictions",
        {
            "input_path": f"s3://{BUCKET}/scoring/today.csv",
            "output_path": "k.csv",
            "inference_response_keys": ["labels"],
        },
    )
    assert keys.code == 400 and "deployed" in keys.body["message"]
    assert len(_transform_requests(rest_fake)) == jobs_before
    unknown_batch = await api.get("batch-predictions/nope")
    assert unknown_batch.code == 404


async def test_stopping_a_batch_prediction(
    api: Any, root_bank_csv: str, rest_fake: FakeAutoML, jp_root_dir: Path
) -> None:
    await _deployed(api, root_bank_csv)
    (jp_root_dir / "few.csv").write_text("age,job,marital\n30,admin.,single\n")
    started = await api.post(f"endpoints/{ENDPOINT}/batch-predictions", {"input_path": "few.csv"})
    assert started.code == 202, started.body
    stopped = await api.post(f"batch-predictions/{started.body['id']}/stop", {})
    assert stopped.code == 200, stopped.body
    (sent,) = rest_fake.sent("StopTransformJob")
    assert sent == {"TransformJobName": started.body["details"]["transform_job"]}
    # SageMaker: Stopping, then Stopped, and no output is kept.
    done = await _finish(api, started.body["id"])
    assert done["status"] == "Failed" and "stopped" in done["failure_reason"]
    assert not (jp_root_dir / "few.predictions.csv").exists()
    # Stopping a finished batch sends nothing more.
    again = await api.post(f"batch-predictions/{started.body['id']}/stop", {})
    assert again.code == 200 and again.body["status"] == "Failed"
    assert len(rest_fake.sent("StopTransformJob")) == 1


def test_transform_job_names_and_instance_types_follow_the_service_model() -> None:
    pattern = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")  # TransformJobName's
    for endpoint in ["ep", "a" * 63, "x--y-", "Üml@ut"]:
        name = batches.transform_job_name(endpoint, "0123456789ab")
        assert pattern.fullmatch(name) and len(name) <= 63, name
    # ml.t2.medium and ml.c5.large serve endpoints but are no TransformInstanceType.
    assert batches.transform_instance_type("ml.c5.xlarge") == "ml.c5.xlarge"
    assert batches.transform_instance_type("ml.t2.medium") == "ml.m5.large"
    assert batches.transform_instance_type("ml.c5.large") == "ml.m5.large"
    assert batches.transform_instance_type(None) == "ml.m5.large"


def test_the_fake_enforces_create_transform_job_rules(
    boto_session: boto3.Session, fake: FakeAutoML, role_arn: str
) -> None:
    client = boto_session.client("sagemaker", region_name="us-east-1")
    client.create_model(
        ModelName="m1",
        ExecutionRoleArn=role_arn,
        PrimaryContainer={"Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    base = batches.BatchTransforms.job_request(
        "job-1", "m1", f"s3://{BUCKET}/in/", f"s3://{BUCKET}/out/", "ml.m5.large", []
    )
    with pytest.raises(ClientError, match="MaxPayloadInMB"):
        client.create_transform_job(**{**base, "MaxPayloadInMB": 101})
    with pytest.raises(ClientError, match="MaxConcurrentTransforms"):
        client.create_transform_job(**{**base, "MaxConcurrentTransforms": 20})
    with pytest.raises(ClientError, match="Could not find model"):
        client.create_transform_job(**{**base, "ModelName": "m2"})
    assert fake.problems == []
    client.create_transform_job(**base)
    with pytest.raises(ClientError, match="unique"):
        client.create_transform_job(**base)
    # An instance type transform jobs do not offer is a problem the fake reports.
    client.create_transform_job(
        **{
            **base,
            "TransformJobName": "job-2",
            "TransformResources": {"InstanceType": "ml.t2.medium", "InstanceCount": 1},
        }
    )
    assert any("ml.t2.medium" in p for p in fake.problems), fake.problems
    fake.problems.clear()


def test_a_dry_run_batch_shows_the_requests_and_sends_none(
    dry: SageMakerBackend,
    root: Path,
    boto_session: boto3.Session,
    fake: FakeAutoML,
    role_arn: str,
    run: Any,
) -> None:
    client = boto_session.client("sagemaker", region_name="us-east-1")
    client.create_model(
        ModelName="dry-model",
        ExecutionRoleArn=role_arn,
        PrimaryContainer={"Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/x:1"},
    )
    client.create_endpoint_config(
        EndpointConfigName="dry-config",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "dry-model",
                "InstanceType": "ml.t2.medium",
                "InitialInstanceCount": 1,
            }
        ],
    )
    client.create_endpoint(EndpointName="dry-ep", EndpointConfigName="dry-config")
    (root / "rows.csv").write_text("a;b\n1;2\n")
    batch = run(
        dry.start_batch_prediction("dry-ep", m.BatchPredictionRequest(input_path="rows.csv"))
    )
    shown = [(r["service"], r["operation"]) for r in json.loads(batch.details["dry_run_requests"])]
    assert shown[-2:] == [("s3", "PutObject"), ("sagemaker", "CreateTransformJob")]
    (job,) = [
        r
        for r in json.loads(batch.details["dry_run_requests"])
        if r["operation"] == "CreateTransformJob"
    ]
    # ml.t2.medium hosts endpoints but runs no transform job.
    assert job["params"]["TransformResources"]["InstanceType"] == "ml.m5.large"
    assert fake.sent("CreateTransformJob") == []
    assert not (root / "rows.predictions.csv").exists()
