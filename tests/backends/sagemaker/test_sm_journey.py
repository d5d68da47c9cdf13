"""The tutorial journey through the sagemaker backend's methods (moto + the AutoML fake)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from fake_automl import FakeAutoML
from moto.sagemakerruntime.models import sagemakerruntime_backends
from sm_support import BUCKET

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend


def test_tutorial_journey(
    backend: SageMakerBackend,
    run: Any,
    local_csv: Path,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    root: Path,
) -> None:
    # Step 1: who am I, where, with which role and bucket.
    health = run(backend.health())
    assert health.status == "ok", health.warnings
    assert health.identity == "arn:aws:sts::123456789012:user/moto"
    assert health.region == "us-east-1"
    assert health.role_arn and health.role_arn.endswith(":role/AutopilotExecutionRole")
    assert health.default_bucket == BUCKET
    assert health.features.s3 and health.features.upload

    # Step 3: preview locally, upload (the default bucket is created), preview on S3.
    local = run(
        backend.preview_dataset(
            m.DatasetPreviewRequest(uri="bank-additional/bank-additional-full.csv")
        )
    )
    assert local.delimiter == ";" and len(local.rows) == 10
    upload = run(
        backend.upload_dataset(
            m.DatasetUploadRequest(
                path="bank-additional/bank-additional-full.csv",
                key_prefix="sagemaker/tutorial-autopilot/input",
            )
        )
    )
    assert (
        upload.uri == f"s3://{BUCKET}/sagemaker/tutorial-autopilot/input/bank-additional-full.csv"
    )
    assert any("commas" in w for w in upload.warnings)
    body = (
        boto_session.client("s3")
        .get_object(
            Bucket=BUCKET, Key="sagemaker/tutorial-autopilot/input/bank-additional-full.csv"
        )["Body"]
        .read()
        .decode()
    )
    assert body.splitlines()[0] == "age,job,marital,duration,campaign,y"
    remote = run(backend.preview_dataset(m.DatasetPreviewRequest(uri=upload.uri, rows=5)))
    assert remote.uri == upload.uri and remote.delimiter == "," and len(remote.rows) == 5
    assert [c.name for c in remote.columns][-1] == "y"

    # Step 4: create the experiment with the tutorial's form values.
    spec = m.ExperimentSpec(
        name="tutorial-autopilot",
        tags=[m.Tag(key="team", value="ml")],
        project="tutorial",
        input_uri=upload.uri,
        target="y",
        problem_type=m.ProblemType.binary,
        training_mode=m.TrainingMode.hyperparameter_tuning,
        max_candidates=4,
        max_trial_runtime_seconds=600,
        max_job_runtime_seconds=3600,
    )
    fake.candidates_per_job = 4
    experiment = run(backend.create_experiment(spec))
    assert experiment.status is m.ExperimentStatus.InProgress
    request = fake.sent("CreateAutoMLJobV2")[0]
    tabular = request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert (
        tabular["TargetAttributeName"] == "y" and tabular["ProblemType"] == "BinaryClassification"
    )
    assert tabular["Mode"] == "HYPERPARAMETER_TUNING"
    assert tabular["CompletionCriteria"] == {
        "MaxCandidates": 4,
        "MaxRuntimePerTrainingJobInSeconds": 600,
        "MaxAutoMLJobRuntimeInSeconds": 3600,
    }
    assert request["AutoMLJobObjective"] == {"MetricName": "F1"}
    assert request["DataSplitConfig"] == {"ValidationFraction": 0.2}
    assert (
        request["OutputDataConfig"]["S3OutputPath"]
        == f"s3://{BUCKET}/autopilot/tutorial-autopilot/output"
    )
    channel = request["AutoMLJobInputDataConfig"][0]
    assert (
        channel["ContentType"] == "text/csv;header=present" and channel["CompressionType"] == "None"
    )
    assert {"Key": "team", "Value": "ml"} in request["Tags"]

    # Step 5: watch the stages move (one fake step per describe; bypass the 5 s cache).
    seen: list[tuple[str | None, str]] = []
    for _ in range(12):
        backend.cache.clear()
        experiment = run(backend.describe_experiment("tutorial-autopilot"))
        seen.append(
            (
                experiment.current_stage.value if experiment.current_stage else None,
                experiment.secondary_status or "",
            )
        )
        if experiment.status is m.ExperimentStatus.Completed:
            break
    assert experiment.status is m.ExperimentStatus.Completed, seen
    assert [s.status for s in experiment.stages] == [m.StageStatus.done] * 4
    assert ("feature_engineering", "FeatureEngineering") in seen and (
        "model_tuning",
        "ModelTuning",
    ) in seen
    stages = {s.name: s for s in experiment.stages}
    assert stages[m.StageName.model_tuning].started_at and stages[m.StageName.model_tuning].ended_at
    assert experiment.best_candidate is not None and experiment.candidates_completed == 4
    assert experiment.objective == m.ObjectiveInfo(metric=m.ObjectiveMetric.F1, goal="Maximize")
    assert experiment.budget == m.Budget(
        max_candidates=4, max_trial_runtime_seconds=600, max_job_runtime_seconds=3600
    )
    assert experiment.spec.project == "tutorial"

    # The leaderboard and the trials' training jobs.
    board = run(backend.list_candidates("tutorial-autopilot", m.ListCandidatesQuery()))
    assert board.total == 4
    values = [c.objective_value for c in board.candidates]
    assert values == sorted(values, reverse=True)
    assert board.candidates[0].is_best and board.candidates[0].rank == 1
    assert all(c.training_job_name and c.algorithm == "xgboost" for c in board.candidates)
    detail = run(backend.describe_candidate("tutorial-autopilot", board.candidates[0].name))
    assert detail.hyperparameters == {"max_depth": "6", "eta": "0.3", "num_round": "100"}
    assert detail.feature_importance[0].feature == "duration"
    # Learning curves from the training job's CloudWatch log, checked by the same rules
    # as local trials: the fake's candidates 0, 3... overfit after round 40.
    for candidate in board.candidates:
        detail = run(backend.describe_candidate("tutorial-autopilot", candidate.name))
        [curve] = detail.training_curves
        assert curve.metric == "logloss" and curve.goal == "minimize"
        assert curve.iterations[0] == 1 and curve.iterations[-1] == 120
        assert curve.train[-1] < curve.train[0]
        index = int(candidate.name.rsplit("-", 1)[1])
        rules = {f.rule for f in detail.training_findings}
        assert ("overfitting" in rules) == (index % 3 == 0), (candidate.name, rules)
        if index % 3 == 0:
            assert curve.best_iteration is not None and 30 < curve.best_iteration < 60

    # Notebooks and reports are downloaded under the work dir and openable.
    artifacts = {a.kind: a for a in run(backend.list_artifacts("tutorial-autopilot")).artifacts}
    for kind in (
        m.ArtifactKind.data_exploration_notebook,
        m.ArtifactKind.candidate_definitions_notebook,
        m.ArtifactKind.explainability_report,
        m.ArtifactKind.model_insights_report,
    ):
        artifact = artifacts[kind]
        assert artifact.available and artifact.path, kind
        assert artifact.path.startswith(".autopilot/experiments/tutorial-autopilot/")
        assert (root / artifact.path).is_file()
    notebook = json.loads(
        (root / artifacts[m.ArtifactKind.data_exploration_notebook].path).read_text()
    )
    assert notebook["nbformat"] == 4

    # Step 6: deploy the best candidate.
    endpoint = run(
        backend.deploy(
            "tutorial-autopilot", m.DeployRequest(endpoint_name="tutorial-autopilot-best")
        )
    )
    assert endpoint.status is m.EndpointStatus.Creating
    assert endpoint.candidate == board.candidates[0].name
    assert endpoint.instance_type == "ml.m5.large" and endpoint.hourly_cost_usd == pytest.approx(
        0.115
    )
    assert endpoint.input_columns == ["age", "job", "marital", "duration", "campaign"]
    model = boto_session.client("sagemaker").describe_model(
        ModelName="tutorial-autopilot-best-model"
    )
    containers = model["Containers"]
    assert len(containers) == 3
    assert (
        containers[1]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label,probability"
    )
    assert (
        containers[2]["Environment"]["SAGEMAKER_INFERENCE_INPUT"] == "predicted_label,probability"
    )
    assert (
        containers[2]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label,probability"
    )
    assert "SAGEMAKER_INFERENCE_OUTPUT" not in containers[0].get("Environment", {})
    backend.cache.clear()
    described = run(backend.describe_endpoint("tutorial-autopilot-best"))
    assert described.status is m.EndpointStatus.InService  # moto's endpoints are in service at once
    assert described.experiment == "tutorial-autopilot" and described.instance_count == 1
    assert "warning" in described.backend_details
    listed = run(backend.list_endpoints()).endpoints
    assert [e.name for e in listed] == ["tutorial-autopilot-best"]

    # Step 7: predict.
    runtime = sagemakerruntime_backends["123456789012"]["us-east-1"]
    runtime.results_queue.append(("no,0.91\n", "text/csv", "AllTraffic", ""))
    result = run(
        backend.invoke_endpoint(
            "tutorial-autopilot-best", b"56,housemaid,married,261,1\n", "text/csv", "text/csv"
        )
    )
    assert result.body == b"no,0.91\n" and result.content_type == "text/csv"
    runtime.results_queue.append(("yes,0.77\n", "text/csv", "AllTraffic", ""))
    as_json = run(
        backend.invoke_endpoint(
            "tutorial-autopilot-best",
            json.dumps(
                {
                    "instances": [
                        {
                            "age": 30,
                            "job": "admin.",
                            "marital": "single",
                            "duration": 500,
                            "campaign": 2,
                        }
                    ]
                }
            ).encode(),
            "application/json",
            "application/json",
        )
    )
    assert json.loads(as_json.body) == {
        "predictions": [
            {"predicted_label": "yes", "probability": 0.77, "probabilities": None, "labels": None}
        ],
        "forecasts": None,  # a forecaster's answer (local endpoints)
        "explanation": None,  # asked for with ?explain=true, local endpoints only
    }
    sent = fake.sent("InvokeEndpoint")[-1]
    assert sent["Body"] == b"30,admin.,single,500,2\n" and sent["ContentType"] == "text/csv"

    # Step 8: clean up everything the experiment created.
    plan = run(backend.cleanup_plan("tutorial-autopilot"))
    kinds = {(i.kind, i.name) for i in plan.items}
    assert (m.ResourceKind.endpoint, "tutorial-autopilot-best") in kinds
    assert (m.ResourceKind.endpoint_config, "tutorial-autopilot-best-config") in kinds
    assert (m.ResourceKind.model, "tutorial-autopilot-best-model") in kinds
    assert (
        m.ResourceKind.s3_prefix,
        f"s3://{BUCKET}/autopilot/tutorial-autopilot/output/",
    ) in kinds
    result_cleanup = run(
        backend.cleanup("tutorial-autopilot", m.CleanupRequest(include_outputs=True))
    )
    assert result_cleanup.failed == []
    assert len(result_cleanup.deleted) == len(plan.items)
    sm = boto_session.client("sagemaker")
    assert sm.list_endpoints()["Endpoints"] == []
    assert sm.list_models()["Models"] == []
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []
    left = boto_session.client("s3").list_objects_v2(
        Bucket=BUCKET, Prefix="autopilot/tutorial-autopilot/"
    )
    assert left.get("KeyCount", 0) == 0
    # The input data is never deleted by clean-up.
    assert boto_session.client("s3").head_object(
        Bucket=BUCKET, Key="sagemaker/tutorial-autopilot/input/bank-additional-full.csv"
    )
    assert not (root / ".autopilot/experiments/tutorial-autopilot/notebooks").exists()
