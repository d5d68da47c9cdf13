"""The tutorial through the REST API with `--AutopilotApp.backend=sagemaker` (moto + fake)."""

from __future__ import annotations

import json
from typing import Any

from fake_automl import FakeAutoML
from moto.sagemakerruntime.models import sagemakerruntime_backends

from jupyter_autopilot.engine.metrics import MINIMIZED

BUCKET = "sagemaker-us-east-1-123456789012"
NAME = "tutorial-autopilot"


async def test_rest_tutorial_journey(
    api: Any, root_bank_csv: str, rest_fake: FakeAutoML, jp_root_dir: Any
) -> None:
    health = await api.get("health")
    assert health.code == 200, health.body
    assert health.body["backend"] == "sagemaker" and health.body["features"]["s3"] is True
    # The same directions as the local backend's (forecasting's losses included).
    minimized = health.body["defaults"]["minimized_metrics"]
    assert minimized == sorted(MINIMIZED)
    assert {"LogLoss", "RMSE", "AverageWeightedQuantileLoss"} <= set(minimized)
    assert health.body["identity"].endswith(":user/moto") and health.body["region"] == "us-east-1"

    preview = await api.post("datasets/preview", {"uri": root_bank_csv})
    assert (
        preview.code == 200 and preview.body["delimiter"] == ";" and len(preview.body["rows"]) == 10
    )

    upload = await api.post(
        "datasets/upload",
        {"path": root_bank_csv, "key_prefix": "sagemaker/tutorial-autopilot/input"},
    )
    assert upload.code == 201, upload.body
    uri = upload.body["uri"]
    assert uri == f"s3://{BUCKET}/sagemaker/tutorial-autopilot/input/bank-additional-full.csv"
    s3_preview = await api.post("datasets/preview", {"uri": uri, "rows": 3})
    assert s3_preview.code == 200 and s3_preview.body["delimiter"] == ","
    assert any(
        "first 4 MB" in w for w in s3_preview.body["warnings"]
    )  # the file is bigger: ranged read

    created = await api.post(
        "experiments", {"name": NAME, "input_uri": uri, "target": "y", "max_candidates": 3}
    )
    assert created.code in (200, 201), created.body
    assert created.body["backend"] == "sagemaker"

    experiment = created.body
    for _ in range(15):
        reply = await api.get(f"experiments/{NAME}")
        assert reply.code == 200, reply.body
        experiment = reply.body
        if experiment["status"] == "Completed":
            break
    assert experiment["status"] == "Completed"
    assert [s["status"] for s in experiment["stages"]] == ["done"] * 4

    board = await api.get(f"experiments/{NAME}/candidates")
    assert board.code == 200 and board.body["total"] == 3
    best = board.body["candidates"][0]
    assert best["is_best"] and best["training_job_name"]
    detail = await api.get(f"experiments/{NAME}/candidates/{best['name']}")
    assert detail.code == 200 and detail.body["hyperparameters"]["max_depth"] == "6"

    artifacts = await api.get(f"experiments/{NAME}/artifacts")
    assert artifacts.code == 200
    notebooks = [a for a in artifacts.body["artifacts"] if a["kind"].endswith("notebook")]
    assert notebooks and all(a["available"] for a in notebooks)
    for artifact in notebooks:
        assert (jp_root_dir / artifact["path"]).is_file()
        # JupyterLab opens it through the contents API as a real notebook.
        opened = await api._fetch("api", "contents", *artifact["path"].split("/"))
        assert json.loads(opened.body)["type"] == "notebook"

    # Serverless endpoints capture no data (SageMaker's feature exclusions): a 400 that
    # says so, before anything is created.
    serverless = await api.post(
        f"experiments/{NAME}/deploy",
        {
            "endpoint_name": "tutorial-sl",
            "serverless": {"memory_size_mb": 2048},
            "data_capture": {"enabled": True},
        },
    )
    assert serverless.code == 400 and serverless.body["error"] == "invalid_request"
    assert "does not capture data" in serverless.body["message"]
    assert serverless.body["details"] == [{"field": "data_capture"}]

    deployed = await api.post(f"experiments/{NAME}/deploy", {"endpoint_name": "tutorial-ep"})
    assert deployed.code in (200, 201, 202), deployed.body
    assert deployed.body["status"] == "Creating" and deployed.body["hourly_cost_usd"] > 0

    endpoint = await api.get("endpoints/tutorial-ep")
    assert endpoint.code == 200 and endpoint.body["status"] == "InService"
    listed = await api.get("endpoints")
    assert [e["name"] for e in listed.body["endpoints"]] == ["tutorial-ep"]

    sagemakerruntime_backends["123456789012"]["us-east-1"].results_queue.append(
        ("no,0.93\n", "text/csv", "AllTraffic", "")
    )
    prediction = await api.call(
        "POST",
        "endpoints/tutorial-ep/invocations",
        raw="56,housemaid,married,basic.4y,no,no,no,telephone,may,mon,261,1,999,0,nonexistent,1.1,93.994,-36.4,4.857,5191\n",
        headers={"Content-Type": "text/csv", "Accept": "application/json"},
    )
    assert prediction.code == 200, prediction.body
    assert prediction.body["predictions"][0] == {
        "predicted_label": "no",
        "probability": 0.93,
        "probabilities": None,
        "labels": None,
    }

    plan = await api.get(f"experiments/{NAME}/cleanup")
    assert plan.code == 200
    kinds = sorted(i["kind"] for i in plan.body["items"])
    assert {"endpoint", "endpoint_config", "model", "s3_prefix"} <= set(kinds)
    cleaned = await api.post(f"experiments/{NAME}/cleanup", {"include_outputs": True})
    assert cleaned.code == 200 and cleaned.body["failed"] == []
    gone = await api.get("endpoints/tutorial-ep")
    assert gone.code == 404 and gone.body["error"] == "not_found"


async def test_rest_aws_errors_have_their_own_codes(
    api: Any, rest_fake: FakeAutoML, root_bank_csv: str
) -> None:
    upload = await api.post("datasets/upload", {"path": root_bank_csv})
    rest_fake.fail_next(
        "sagemaker",
        "CreateAutoMLJobV2",
        "AccessDeniedException",
        "not authorized to perform sagemaker:CreateAutoMLJobV2",
    )
    denied = await api.post(
        "experiments", {"name": "denied", "input_uri": upload.body["uri"], "target": "y"}
    )
    assert denied.code == 403 and denied.body["error"] == "aws_access_denied"
    assert "docs/sagemaker.md" in denied.body["message"]
    rest_fake.fail_next("sagemaker", "ListAutoMLJobs", "ThrottlingException", "Rate exceeded")
    throttled = await api.get("experiments")
    assert throttled.code == 429 and throttled.body["error"] == "aws_throttled"
    missing = await api.get("experiments/never-created")
    assert missing.code == 404 and missing.body["error"] == "not_found"
    local_input = await api.post(
        "experiments", {"name": "local-input", "input_uri": root_bank_csv, "target": "y"}
    )
    assert local_input.code == 400 and "Upload" in local_input.body["message"]
