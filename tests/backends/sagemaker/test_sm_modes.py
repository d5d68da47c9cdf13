"""Pilot runs, stopping, ensembling + serverless, pagination, spec checks, role detection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from fake_automl import FakeAutoML
from sm_support import BUCKET, make_backend, upload_tutorial_data, write_bank_like

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend
from jupyter_autopilot.importers import import_notebook


def walk_to_end(backend: SageMakerBackend, run: Any, name: str) -> m.Experiment:
    for _ in range(20):
        backend.cache.clear()
        experiment = run(backend.describe_experiment(name))
        if experiment.status in m.TERMINAL_STATUSES:
            return experiment
    raise AssertionError("the job did not end")


def test_pilot_generates_only_candidate_definitions(
    backend: SageMakerBackend, run: Any, local_csv: Path, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="pilot", input_uri=tutorial_uri, target="y", mode=m.RunMode.pilot)
        )
    )
    request = fake.sent("CreateAutoMLJobV2")[0]
    tabular = request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert (
        tabular["GenerateCandidateDefinitionsOnly"] is True
        and tabular["Mode"] == "HYPERPARAMETER_TUNING"
    )
    assert "ProblemType" not in tabular and "AutoMLJobObjective" not in request
    experiment = walk_to_end(backend, run, "pilot")
    assert experiment.status is m.ExperimentStatus.Completed
    assert [s.status for s in experiment.stages] == [
        m.StageStatus.done,
        m.StageStatus.done,
        m.StageStatus.skipped,
        m.StageStatus.skipped,
    ]
    artifacts = {a.kind: a for a in run(backend.list_artifacts("pilot")).artifacts}
    assert artifacts[m.ArtifactKind.candidate_definitions_notebook].available
    assert artifacts[m.ArtifactKind.data_exploration_notebook].available
    assert not artifacts[m.ArtifactKind.explainability_report].available
    # The downloaded candidate notebook can be re-run locally (Autopilot's own layout).
    notebook = artifacts[m.ArtifactKind.candidate_definitions_notebook]
    imported = import_notebook(backend.context.root_dir, notebook.path)
    assert (imported.job_name, imported.target) == ("pilot", "y")
    header = local_csv.read_text().splitlines()[0]
    assert imported.n_columns == max(len(header.split(";")), len(header.split(",")))
    assert imported.plan is not None
    assert {c.local_algorithm for c in imported.candidates} == {"xgboost", "linear"}
    # The generated modules came down with it, so column groups are exact.
    assert imported.generated_module is not None
    assert imported.plan.column_types.get("age") == "numeric"
    assert imported.plan.column_types.get("job") == "categorical"
    assert run(backend.list_candidates("pilot", m.ListCandidatesQuery())).total == 0
    with pytest.raises(ex.Conflict):
        run(backend.deploy("pilot", m.DeployRequest()))


def test_stop_keeps_finished_candidates(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    fake.candidates_per_job = 6
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="to-stop", input_uri=tutorial_uri, target="y")
        )
    )
    fake.auto_advance = False
    fake.advance("to-stop", 2)  # into model tuning, some candidates done
    stopping = run(backend.stop_experiment("to-stop"))
    assert stopping.status is m.ExperimentStatus.Stopping
    assert ("sagemaker", "StopAutoMLJob", {"AutoMLJobName": "to-stop"}) in fake.calls
    fake.auto_advance = True
    stopped = walk_to_end(backend, run, "to-stop")
    assert stopped.status is m.ExperimentStatus.Stopped
    assert stopped.stages[3].status is m.StageStatus.done
    board = run(backend.list_candidates("to-stop", m.ListCandidatesQuery()))
    assert any(c.status is m.CandidateStatus.Completed for c in board.candidates)
    assert any(c.status is m.CandidateStatus.Stopped for c in board.candidates)
    with pytest.raises(ex.Conflict):
        run(backend.stop_experiment("to-stop"))


def test_failed_job_reports_reason(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="fails", input_uri=tutorial_uri, target="y")
        )
    )
    fake.fail("fails", "ClientError: The target column has one class")
    backend.cache.clear()
    experiment = run(backend.describe_experiment("fails"))
    assert experiment.status is m.ExperimentStatus.Failed
    assert experiment.failure_reason == "ClientError: The target column has one class"
    assert m.StageStatus.failed in [s.status for s in experiment.stages]


def test_ensemble_on_serverless_and_regression_keys(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name="ens",
                input_uri=tutorial_uri,
                target="y",
                training_mode=m.TrainingMode.ensembling,
            )
        )
    )
    experiment = walk_to_end(backend, run, "ens")
    assert [s.status for s in experiment.stages] == [
        m.StageStatus.done,
        m.StageStatus.skipped,
        m.StageStatus.skipped,
        m.StageStatus.done,
    ]
    board = run(backend.list_candidates("ens", m.ListCandidatesQuery()))
    assert all(c.is_ensemble and c.algorithm == "ensemble" for c in board.candidates)
    endpoint = run(
        backend.deploy(
            "ens",
            m.DeployRequest(
                endpoint_name="ens-serverless",
                serverless=m.ServerlessConfig(memory_size_mb=3072, max_concurrency=2),
                inference_response_keys=[
                    m.InferenceKey.predicted_label,
                    m.InferenceKey.probabilities,
                    m.InferenceKey.labels,
                ],
            ),
        )
    )
    assert endpoint.serverless == m.ServerlessConfig(memory_size_mb=3072, max_concurrency=2)
    assert endpoint.hourly_cost_usd is None and endpoint.instance_type is None
    sm = boto_session.client("sagemaker")
    model = sm.describe_model(ModelName="ens-serverless-model")
    assert (
        model["PrimaryContainer"]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"]
        == "predicted_label,probabilities,labels"
    )
    config = sm.describe_endpoint_config(EndpointConfigName="ens-serverless-config")
    assert config["ProductionVariants"][0]["ServerlessConfig"] == {
        "MemorySizeInMB": 3072,
        "MaxConcurrency": 2,
    }
    with pytest.raises(ex.InvalidRequest):
        # `probability` not among what the endpoint was deployed with.
        run(
            backend.invoke_endpoint(
                "ens-serverless",
                b"1,2\n",
                "text/csv",
                "text/csv",
                keys=[m.InferenceKey.probability],
            )
        )
    with pytest.raises(ex.UnsupportedMediaType):
        run(backend.invoke_endpoint("ens-serverless", b"{}", "application/x-parquet", "text/csv"))


def test_pipeline_candidates_cannot_go_serverless(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name="hpo", input_uri=tutorial_uri, target="y", problem_type=m.ProblemType.binary
            )
        )
    )
    walk_to_end(backend, run, "hpo")
    with pytest.raises(ex.InvalidRequest, match="Serverless"):
        run(backend.deploy("hpo", m.DeployRequest(serverless=m.ServerlessConfig())))
    with pytest.raises(ex.NotFound):
        run(backend.deploy("hpo", m.DeployRequest(candidate="nope")))


def test_regression_models_return_only_the_label(
    backend: SageMakerBackend, run: Any, root: Path, fake: FakeAutoML
) -> None:
    write_bank_like(root / "reg.csv", delimiter=",")
    uri = run(backend.upload_dataset(m.DatasetUploadRequest(path="reg.csv"))).uri
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name="reg", input_uri=uri, target="duration", problem_type=m.ProblemType.regression
            )
        )
    )
    walk_to_end(backend, run, "reg")
    board = run(backend.list_candidates("reg", m.ListCandidatesQuery()))
    values = [c.objective_value for c in board.candidates]
    assert (
        values == sorted(values) and board.candidates[0].objective_metric is m.ObjectiveMetric.MSE
    )  # smaller is better
    # Asking a regression model for probabilities is refused; by default it deploys with
    # the only key it has (test_sm_aws_rules.py checks the containers).
    keys = [m.InferenceKey.predicted_label, m.InferenceKey.probability]
    with pytest.raises(ex.InvalidRequest, match="predicted"):
        run(backend.deploy("reg", m.DeployRequest(inference_response_keys=keys)))
    endpoint = run(backend.deploy("reg", m.DeployRequest()))
    assert endpoint.inference_response_keys == [m.InferenceKey.predicted_label]


def test_leaderboard_pagination(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    fake.candidates_per_job = 250
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="many", input_uri=tutorial_uri, target="y", max_candidates=250)
        )
    )
    fake.finish("many")
    backend.cache.clear()
    board = run(backend.list_candidates("many", m.ListCandidatesQuery(limit=50, offset=10)))
    assert board.total == 250 and len(board.candidates) == 50
    assert [c.rank for c in board.candidates] == list(range(11, 61))
    pages = fake.sent("ListCandidatesForAutoMLJob")
    assert [p.get("NextToken") for p in pages[-3:]] == [None, "100", "200"]
    assert all(p["MaxResults"] == 100 and p["SortBy"] == "FinalObjectiveMetricValue" for p in pages)
    by_name = run(
        backend.list_candidates("many", m.ListCandidatesQuery(sort_by="name", order="asc", limit=3))
    )
    assert [c.name for c in by_name.candidates] == sorted(c.name for c in by_name.candidates)


def test_every_spec_field_reaches_the_request(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    spec = m.ExperimentSpec(
        name="full-spec",
        tags=[m.Tag(key="cost-center", value="42")],
        project="bank marketing",
        description="All the fields",
        input_uri=tutorial_uri,
        target="y",
        exclude_columns=["duration"],
        output_uri=f"s3://{BUCKET}/custom/out",
        problem_type=m.ProblemType.binary,
        objective_metric=m.ObjectiveMetric.AUC,
        training_mode=m.TrainingMode.ensembling,
        role_arn="arn:aws:iam::123456789012:role/Other",
        kms_key_id="arn:aws:kms:us-east-1:123456789012:key/abcd-1234",
        vpc_config=m.VpcConfig(security_group_ids=["sg-0123"], subnets=["subnet-0a", "subnet-0b"]),
        max_candidates=10,
        validation_fraction=0.3,
    )
    experiment = run(backend.create_experiment(spec))
    request = fake.sent("CreateAutoMLJobV2")[0]
    tabular = request["AutoMLProblemTypeConfig"]["TabularJobConfig"]
    assert tabular["Mode"] == "ENSEMBLING" and tabular["ProblemType"] == "BinaryClassification"
    assert tabular["CompletionCriteria"] == {"MaxCandidates": 10}
    assert request["AutoMLJobObjective"] == {"MetricName": "AUC"}
    assert request["RoleArn"] == "arn:aws:iam::123456789012:role/Other"
    assert request["OutputDataConfig"] == {
        "S3OutputPath": f"s3://{BUCKET}/custom/out",
        "KmsKeyId": spec.kms_key_id,
    }
    assert request["SecurityConfig"] == {
        "VolumeKmsKeyId": spec.kms_key_id,
        "VpcConfig": {"SecurityGroupIds": ["sg-0123"], "Subnets": ["subnet-0a", "subnet-0b"]},
    }
    assert request["DataSplitConfig"] == {"ValidationFraction": 0.3}
    tags = {t["Key"]: t["Value"] for t in request["Tags"]}
    assert tags["cost-center"] == "42" and tags["jupyter-autopilot:project"] == "bank marketing"
    feature_uri = tabular["FeatureSpecificationS3Uri"]
    assert feature_uri == f"s3://{BUCKET}/custom/out/feature-specification.json"
    body = (
        boto_session.client("s3")
        .get_object(Bucket=BUCKET, Key="custom/out/feature-specification.json")["Body"]
        .read()
    )
    assert json.loads(body) == {"FeatureAttributeNames": ["age", "job", "marital", "campaign"]}
    assert experiment.spec.description == "All the fields"
    assert experiment.backend_details["output_path"] == f"s3://{BUCKET}/custom/out"


def test_manifest_and_gzip_inputs(
    backend: SageMakerBackend,
    run: Any,
    local_csv: Path,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    import gzip

    uri = upload_tutorial_data(backend, run, local_csv)
    s3c = boto_session.client("s3")
    data = s3c.get_object(Bucket=BUCKET, Key=uri.split(BUCKET + "/")[1])["Body"].read()
    s3c.put_object(Bucket=BUCKET, Key="in/train.csv.gz", Body=gzip.compress(data))
    s3c.put_object(Bucket=BUCKET, Key="in/train.csv", Body=data)
    # Manifests list uncompressed files (Gzip is for S3Prefix inputs: test_sm_aws_rules.py).
    s3c.put_object(
        Bucket=BUCKET,
        Key="in/train.manifest",
        Body=json.dumps([{"prefix": f"s3://{BUCKET}/in/"}, "train.csv"]),
    )
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name="manifest",
                input_uri=f"s3://{BUCKET}/in/train.manifest",
                manifest=True,
                target="y",
            )
        )
    )
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="gzipped", input_uri=f"s3://{BUCKET}/in/train.csv.gz", target="y")
        )
    )
    requests = {p["AutoMLJobName"]: p for _, op, p in fake.calls if op == "CreateAutoMLJobV2"}
    manifest_channel = requests["manifest"]["AutoMLJobInputDataConfig"][0]
    assert manifest_channel["DataSource"]["S3DataSource"]["S3DataType"] == "ManifestFile"
    assert manifest_channel["CompressionType"] == "None"  # of the data it lists
    gz_channel = requests["gzipped"]["AutoMLJobInputDataConfig"][0]
    assert (
        gz_channel["CompressionType"] == "Gzip"
        and gz_channel["DataSource"]["S3DataSource"]["S3DataType"] == "S3Prefix"
    )
    preview = run(
        backend.preview_dataset(m.DatasetPreviewRequest(uri=f"s3://{BUCKET}/in/train.csv.gz"))
    )
    assert preview.compression is m.Compression.gzip and len(preview.rows) == 10


@pytest.mark.parametrize(
    ("changes", "error", "words"),
    [
        ({"input_uri": "bank-additional/bank-additional-full.csv"}, ex.InvalidRequest, "Upload"),
        ({"target": "Y"}, ex.InvalidDataset, "Did you mean 'y'"),
        ({"exclude_columns": ["nope"]}, ex.InvalidDataset, "nope"),
        ({"objective_metric": m.ObjectiveMetric.AUC}, ex.InvalidRequest, "problem type"),
        (
            {"problem_type": m.ProblemType.binary, "objective_metric": m.ObjectiveMetric.LogLoss},
            ex.InvalidRequest,
            "LogLoss",
        ),
        ({"delimiter": ";"}, ex.InvalidRequest, "comma"),
        (
            {"mode": m.RunMode.pilot, "training_mode": m.TrainingMode.ensembling},
            ex.InvalidRequest,
            "pilot",
        ),
        ({"output_uri": "/tmp/out"}, ex.InvalidRequest, "s3://"),
        ({"tags": [m.Tag(key="bad", value="a,b")]}, ex.InvalidRequest, "Tags"),
        (
            {
                "candidate_plan": m.CandidatePlan(
                    candidates=[
                        m.PlannedCandidate(name="c", algorithm="xgboost", recipe=m.PlannedRecipe())
                    ]
                )
            },
            ex.InvalidRequest,
            "local backend only",
        ),
        ({"reproducible": True, "max_candidates": 5}, ex.InvalidRequest, "local backend only"),
    ],
)
def test_spec_problems_are_clear(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    changes: dict[str, Any],
    error: type,
    words: str,
) -> None:
    values: dict[str, Any] = {
        "name": "bad-spec",
        "input_uri": tutorial_uri,
        "target": "y",
        **changes,
    }
    with pytest.raises(error, match=words):
        run(backend.create_experiment(m.ExperimentSpec(**values)))
    fake.problems.clear()  # the invalid tag is caught before sending; nothing else to check
    assert not fake.sent("CreateAutoMLJobV2")


def test_extend_is_refused_saying_autopilot_cannot_continue_a_job(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="fixed", input_uri=tutorial_uri, target="y", mode=m.RunMode.pilot)
        )
    )
    walk_to_end(backend, run, "fixed")
    more = m.ExperimentExtendRequest(additional_candidates=5)
    with pytest.raises(ex.InvalidRequest, match="cannot continue an AutoML job"):
        run(backend.extend_experiment("fixed", more))
    with pytest.raises(ex.NotFound):
        run(backend.extend_experiment("nobody", more))
    assert len(fake.sent("CreateAutoMLJobV2")) == 1


def test_semicolon_file_on_s3_is_explained(
    backend: SageMakerBackend,
    run: Any,
    local_csv: Path,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    upload_tutorial_data(backend, run, local_csv)  # creates the bucket
    boto_session.client("s3").put_object(
        Bucket=BUCKET, Key="raw/bank.csv", Body=local_csv.read_bytes()
    )
    with pytest.raises(ex.InvalidDataset, match="';' as delimiter"):
        run(
            backend.create_experiment(
                m.ExperimentSpec(name="semi", input_uri=f"s3://{BUCKET}/raw/bank.csv", target="y")
            )
        )
    with pytest.raises(ex.InvalidDataset, match="no data"):
        run(
            backend.create_experiment(
                m.ExperimentSpec(name="semi", input_uri=f"s3://{BUCKET}/missing/", target="y")
            )
        )


def test_role_from_notebook_instance(
    root: Path,
    boto_session: boto3.Session,
    fake: FakeAutoML,
    run: Any,
    role_arn: str,
    tmp_path: Path,
) -> None:
    boto_session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="my-notebook", InstanceType="ml.t3.medium", RoleArn=role_arn
    )
    metadata = tmp_path / "resource-metadata.json"
    metadata.write_text(
        json.dumps(
            {
                "ResourceName": "my-notebook",
                "ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/my-notebook",
            }
        )
    )
    backend = make_backend(root, boto_session)
    backend.aws.notebook_metadata_file = metadata
    assert run(backend.aws.execution_role()) == role_arn
    assert run(backend.health()).role_arn == role_arn


def test_no_role_anywhere(
    root: Path, boto_session: boto3.Session, fake: FakeAutoML, run: Any, tmp_path: Path
) -> None:
    backend = make_backend(root, boto_session)
    backend.aws.notebook_metadata_file = tmp_path / "absent.json"
    health = run(backend.health())
    assert health.role_arn is None and any("execution role" in w for w in health.warnings)
    with pytest.raises(ex.InvalidRequest, match="role_arn"):
        run(
            backend.create_experiment(
                m.ExperimentSpec(name="norole", input_uri="s3://b/k.csv", target="y")
            )
        )


def test_external_jobs_are_listed_and_described(
    backend: SageMakerBackend, run: Any, tutorial_uri: str, fake: FakeAutoML
) -> None:
    run(
        backend.create_experiment(
            m.ExperimentSpec(
                name="mine", input_uri=tutorial_uri, target="y", tags=[m.Tag(key="k", value="v")]
            )
        )
    )
    backend.store.forget_experiment("mine")  # as if another tool had created it
    backend.cache.clear()
    listed = run(backend.list_experiments(m.ListExperimentsQuery(search="MIN")))
    assert [e.name for e in listed.experiments] == ["mine"] and listed.total == 1
    experiment = run(backend.describe_experiment("mine"))
    assert experiment.spec.target == "y" and experiment.spec.input_uri == tutorial_uri
    assert m.Tag(key="k", value="v") in experiment.spec.tags
