"""AWS's rules that moto does not know, enforced by `FakeAutoML` and kept by the backend
(docs/sagemaker.md, "AWS rules we enforce", names the source of each)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import boto3
import pytest
from fake_automl import ACCOUNT, FakeAutoML
from sm_support import REGION, upload_tutorial_data
from test_sm_modes import walk_to_end

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend, serving
from jupyter_autopilot.backends.sagemaker.session import AwsSession


@pytest.fixture
def finished(backend: SageMakerBackend, run: Any, local_csv: Path) -> list[m.Candidate]:
    """A completed experiment `rules` (on the tutorial-like data); its finished candidates."""
    uri = upload_tutorial_data(backend, run, local_csv)
    run(backend.create_experiment(m.ExperimentSpec(name="rules", input_uri=uri, target="y")))
    walk_to_end(backend, run, "rules")
    board = run(backend.list_candidates("rules", m.ListCandidatesQuery())).candidates
    return [c for c in board if c.status is m.CandidateStatus.Completed]


def _session(boto_session: boto3.Session, tmp_path: Path, caller: str) -> AwsSession:
    aws = AwsSession(
        lambda: boto_session,
        region=REGION,
        role_arn=None,
        default_bucket=None,
        dry_run=False,
        log=logging.getLogger("test"),
    )
    aws.notebook_metadata_file = tmp_path / "no-metadata.json"  # not on a notebook instance
    aws._identity = {"Account": ACCOUNT, "Arn": caller, "UserId": "AROA:x"}
    return aws


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The console's execution roles live under /service-role/ (SageMaker SDK's rule).
        (
            "AmazonSageMaker-ExecutionRole-20261128T090000",
            f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20261128T090000",
        ),
        ("MyRole", f"arn:aws:iam::{ACCOUNT}:role/MyRole"),
    ],
)
def test_role_arn_without_iam_get_role(
    boto_session: boto3.Session, fake: FakeAutoML, tmp_path: Path, role: str, expected: str
) -> None:
    aws = _session(boto_session, tmp_path, f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/SageMaker")
    fake.fail_next("iam", "GetRole", "AccessDenied", "not authorized to perform iam:GetRole", 403)
    try:
        assert aws._role_sync() == expected
    finally:
        aws.shutdown()


def test_role_arn_with_iam_get_role_keeps_the_real_path(
    boto_session: boto3.Session, fake: FakeAutoML, tmp_path: Path
) -> None:
    arn = boto_session.client("iam").create_role(
        RoleName="Team-Role",
        Path="/teams/ml/",
        AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}',
    )["Role"]["Arn"]
    aws = _session(boto_session, tmp_path, f"arn:aws:sts::{ACCOUNT}:assumed-role/Team-Role/me")
    try:
        assert aws._role_sync() == arn == f"arn:aws:iam::{ACCOUNT}:role/teams/ml/Team-Role"
    finally:
        aws.shutdown()


def test_switching_capture_keeps_the_traffic_weights_and_waits_for_in_service(
    backend: SageMakerBackend,
    run: Any,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    finished: list[m.Candidate],
) -> None:
    """UpdateEndpoint with RetainAllVariantProperties keeps the weights set since the deploy;
    the old config is deleted only once the endpoint is InService (fake: a problem if not)."""
    run(
        backend.deploy(
            "rules",
            m.DeployRequest(
                endpoint_name="ab",
                variants=[
                    {"candidate": finished[0].name, "name": "champion", "weight": 3},
                    {"candidate": finished[1].name, "name": "challenger", "weight": 1},
                ],
                data_capture=m.DataCaptureConfig(enabled=True),
            ),
        )
    )
    run(backend.update_traffic("ab", m.TrafficUpdate(weights={"champion": 0, "challenger": 1})))
    fake.rules.update_describes = 2  # Updating for the next two DescribeEndpoint answers
    off = m.MonitoringConfig(data_capture=m.DataCaptureConfig(enabled=False))
    run(backend.configure_monitoring("ab", off))
    update = fake.sent("UpdateEndpoint")[0]
    assert update["RetainAllVariantProperties"] is True
    sm = boto_session.client("sagemaker")
    live = sm.describe_endpoint(EndpointName="ab")
    assert live["EndpointStatus"] == "Updating"
    weights = {v["VariantName"]: v["CurrentWeight"] for v in live["ProductionVariants"]}
    assert weights == {"champion": 0.0, "challenger": 1.0}
    # SageMaker refuses a second update while one runs: a 409 that says to wait.
    on = m.MonitoringConfig(data_capture=m.DataCaptureConfig(enabled=True))
    with pytest.raises(ex.Conflict, match="InService"):
        run(backend.configure_monitoring("ab", on))
    assert len(sm.list_endpoint_configs()["EndpointConfigs"]) == 2  # old one kept for now
    backend.cache.clear()
    described = run(backend.describe_endpoint("ab"))
    assert {v.name: v.traffic_share for v in described.variants} == {
        "champion": 0.0,
        "challenger": 1.0,
    }
    assert [c["EndpointConfigName"] for c in sm.list_endpoint_configs()["EndpointConfigs"]] == [
        sm.describe_endpoint(EndpointName="ab")["EndpointConfigName"]
    ]
    run(backend.delete_endpoint("ab"))
    assert sm.list_endpoint_configs()["EndpointConfigs"] == []


def test_create_endpoint_waits_for_a_config_sagemaker_does_not_show_yet(
    backend: SageMakerBackend,
    run: Any,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    finished: list[m.Candidate],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CreateEndpoint right after CreateEndpointConfig may answer "Could not find endpoint
    configuration" (eventually consistent reads): asked again, not rolled back."""
    monkeypatch.setattr(serving, "CONFIG_VISIBILITY_DELAYS", (0.0, 0.0, 0.0))
    fake.rules.config_visibility_delay = 2
    endpoint = run(backend.deploy("rules", m.DeployRequest(endpoint_name="late-config")))
    assert endpoint.status is m.EndpointStatus.Creating
    attempts = fake.sent("CreateEndpoint")
    assert len(attempts) == 3
    sm = boto_session.client("sagemaker")
    assert sm.describe_endpoint(EndpointName="late-config")["EndpointStatus"] == "InService"

    # Bounded: a config that never shows up fails the deploy, and what was made is removed.
    fake.rules.config_visibility_delay = 100
    with pytest.raises(ex.NotFound, match="endpoint configuration"):
        run(backend.deploy("rules", m.DeployRequest(endpoint_name="never-config")))
    assert len(fake.sent("CreateEndpoint")) == 3 + 4
    assert "never-config-model" not in {x["ModelName"] for x in sm.list_models()["Models"]}


def _made(fake: FakeAutoML, operation: str) -> int:
    return len(fake.sent(operation))


def test_serverless_exclusions_are_refused_before_anything_is_made(
    backend: SageMakerBackend,
    run: Any,
    fake: FakeAutoML,
    local_csv: Path,
    finished: list[m.Candidate],
) -> None:
    """Serverless Inference's feature exclusions: one variant, no data capture, no VPC."""
    serverless = m.ServerlessConfig()
    ensemble = m.DeployRequest(  # a single-container candidate would be fine...
        endpoint_name="sl", serverless=serverless, candidate=finished[0].name
    )
    requests = {
        "variants": ensemble.model_copy(
            update={
                "candidate": None,
                "variants": [
                    m.VariantSpec(candidate=finished[0].name),
                    m.VariantSpec(candidate=finished[1].name),
                ],
            }
        ),
        "data_capture": ensemble.model_copy(
            update={"data_capture": m.DataCaptureConfig(enabled=True)}
        ),
    }
    for field, request in requests.items():
        with pytest.raises(ex.InvalidRequest, match="Serverless") as caught:
            run(backend.deploy("rules", request))
        assert caught.value.code == "invalid_request" and caught.value.details == [{"field": field}]
    # ...but these HPO candidates are inference pipelines, which serverless cannot host.
    with pytest.raises(ex.InvalidRequest, match="single-container models only"):
        run(backend.deploy("rules", ensemble))
    assert _made(fake, "CreateModel") == 0

    uri = upload_tutorial_data(backend, run, local_csv)
    vpc = m.VpcConfig(security_group_ids=["sg-0123456789abcdef0"], subnets=["subnet-0123abcd"])
    run(
        backend.create_experiment(
            m.ExperimentSpec(name="in-vpc", input_uri=uri, target="y", vpc_config=vpc)
        )
    )
    walk_to_end(backend, run, "in-vpc")
    with pytest.raises(ex.InvalidRequest, match="VPC"):
        run(
            backend.deploy("in-vpc", m.DeployRequest(endpoint_name="vpc-sl", serverless=serverless))
        )
    assert _made(fake, "CreateModel") == 0


def test_fake_refuses_what_serverless_endpoints_exclude(
    boto_session: boto3.Session, fake: FakeAutoML, role_arn: str
) -> None:
    """The fake answers as SageMaker does, whatever the backend sends."""
    from botocore.exceptions import ClientError

    sm = boto_session.client("sagemaker")
    container = {"Image": "x.dkr.ecr.us-east-1.amazonaws.com/i:1", "ModelDataUrl": "s3://b/m"}
    sm.create_model(ModelName="plain", ExecutionRoleArn=role_arn, PrimaryContainer=container)
    sm.create_model(
        ModelName="in-vpc",
        ExecutionRoleArn=role_arn,
        PrimaryContainer=container,
        VpcConfig={"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0123abcd"]},
    )
    sl = {"ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}
    refused = {
        "two variants": {
            "ProductionVariants": [
                {"VariantName": "a", "ModelName": "plain", **sl},
                {"VariantName": "b", "ModelName": "plain", **sl},
            ]
        },
        "data capture": {
            "ProductionVariants": [{"VariantName": "a", "ModelName": "plain", **sl}],
            "DataCaptureConfig": {
                "InitialSamplingPercentage": 100,
                "DestinationS3Uri": "s3://b/capture",
                "CaptureOptions": [{"CaptureMode": "Input"}],
            },
        },
        "vpc": {"ProductionVariants": [{"VariantName": "a", "ModelName": "in-vpc", **sl}]},
    }
    for case, params in refused.items():
        with pytest.raises(ClientError, match="ValidationException"):
            sm.create_endpoint_config(EndpointConfigName=case.replace(" ", "-"), **params)
    sm.create_endpoint_config(
        EndpointConfigName="fine",
        ProductionVariants=[{"VariantName": "a", "ModelName": "plain", **sl}],
    )


def test_a_serverless_endpoint_cannot_turn_capture_on(
    backend: SageMakerBackend, run: Any, fake: FakeAutoML, tutorial_uri: str
) -> None:
    spec = m.ExperimentSpec(
        name="ens", input_uri=tutorial_uri, target="y", training_mode=m.TrainingMode.ensembling
    )
    run(backend.create_experiment(spec))
    walk_to_end(backend, run, "ens")
    request = m.DeployRequest(endpoint_name="ens-sl", serverless=m.ServerlessConfig())
    assert run(backend.deploy("ens", request)).serverless is not None
    on = m.MonitoringConfig(data_capture=m.DataCaptureConfig(enabled=True))
    with pytest.raises(ex.InvalidRequest, match="does not capture data"):
        run(backend.configure_monitoring("ens-sl", on))
    assert _made(fake, "UpdateEndpoint") == 0


def test_tags_stay_within_awss_limit_counting_ours(
    backend: SageMakerBackend, run: Any, fake: FakeAutoML, tutorial_uri: str
) -> None:
    """AWS allows 50 tags per resource; we add created-by, experiment and project."""

    def spec(name: str, count: int, **extra: Any) -> m.ExperimentSpec:
        tags = [m.Tag(key=f"team-{i}", value="ml") for i in range(count)]
        return m.ExperimentSpec(name=name, input_uri=tutorial_uri, target="y", tags=tags, **extra)

    too_many = spec("tagged", 48, project="tutorial")  # 48 + our 3 = 51
    for call in (backend.validate_experiment, backend.create_experiment):
        with pytest.raises(ex.InvalidRequest, match="keep at most 47 of yours") as caught:
            run(call(too_many))
        assert caught.value.code == "invalid_request"
        assert caught.value.details == [{"field": "tags"}]
    for tags, problem in (
        ([m.Tag(key="a"), m.Tag(key="a")], "unique"),
        ([m.Tag(key="aws:team")], "reserved"),
        ([m.Tag(key="jupyter-autopilot:experiment", value="x")], "reserved"),
    ):
        with pytest.raises(ex.InvalidRequest, match=problem):
            run(backend.create_experiment(spec("tagged", 0).model_copy(update={"tags": tags})))
    assert _made(fake, "CreateAutoMLJobV2") == 0

    run(backend.create_experiment(spec("tagged", 47, project="tutorial")))
    request = fake.sent("CreateAutoMLJobV2")[0]
    assert len(request["Tags"]) == 50


def test_gzip_files_listed_in_a_manifest_are_refused(
    backend: SageMakerBackend, run: Any, fake: FakeAutoML, boto_session: boto3.Session
) -> None:
    """CompressionType Gzip is valid only for S3Prefix inputs (AutoMLJobChannel)."""
    import gzip
    import json

    from sm_support import BUCKET

    s3 = boto_session.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    rows = "".join(f"{i},{i % 3},{'yes' if i % 4 else 'no'}\n" for i in range(60))
    s3.put_object(
        Bucket=BUCKET, Key="in/data.csv.gz", Body=gzip.compress(b"a,b,y\n" + rows.encode())
    )
    manifest = [{"prefix": f"s3://{BUCKET}/in/"}, "data.csv.gz"]
    s3.put_object(Bucket=BUCKET, Key="in/train.manifest", Body=json.dumps(manifest))

    listed = m.ExperimentSpec(
        name="gz-manifest", input_uri=f"s3://{BUCKET}/in/train.manifest", target="y", manifest=True
    )
    for call in (backend.validate_experiment, backend.create_experiment):
        with pytest.raises(ex.InvalidRequest, match="not through a manifest") as caught:
            run(call(listed))
        assert caught.value.code == "invalid_request"
    assert _made(fake, "CreateAutoMLJobV2") == 0

    # The same file as an S3 prefix input is read compressed.
    direct = m.ExperimentSpec(
        name="gz-prefix", input_uri=f"s3://{BUCKET}/in/data.csv.gz", target="y"
    )
    run(backend.create_experiment(direct))
    channel = fake.sent("CreateAutoMLJobV2")[0]["AutoMLJobInputDataConfig"][0]
    assert channel["CompressionType"] == "Gzip"
    assert channel["DataSource"]["S3DataSource"]["S3DataType"] == "S3Prefix"


def test_health_costs_one_list_call_however_many_endpoints(
    backend: SageMakerBackend,
    run: Any,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    role_arn: str,
    finished: list[m.Candidate],
) -> None:
    sm = boto_session.client("sagemaker")
    container = {"Image": "x.dkr.ecr.us-east-1.amazonaws.com/i:1", "ModelDataUrl": "s3://b/m"}
    sm.create_model(ModelName="theirs", ExecutionRoleArn=role_arn, PrimaryContainer=container)
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": "theirs",
        "InstanceType": "ml.m5.large",
        "InitialInstanceCount": 1,
    }
    sm.create_endpoint_config(EndpointConfigName="theirs", ProductionVariants=[variant])
    for i in range(5):  # endpoints of the account that this server did not deploy
        sm.create_endpoint(EndpointName=f"theirs-{i}", EndpointConfigName="theirs")
    run(backend.deploy("rules", m.DeployRequest(endpoint_name="ours", instance_count=2)))
    backend.cache.clear()
    before = len(fake.calls)
    health = run(backend.health())
    during = [op for _, op, _ in fake.calls[before:] if op != "GetCallerIdentity"]
    assert during == ["ListEndpoints"]
    [warning] = [w for w in health.warnings if "endpoint" in w]
    assert "ours" in warning and "USD 0.23 per hour" in warning  # 2 x ml.m5.large
    assert "5 other endpoint(s)" in warning
    run(backend.health())  # within LIST_TTL: no call at all
    assert [op for _, op, _ in fake.calls[before:] if op != "GetCallerIdentity"] == during


def test_a_regression_candidate_deploys_with_the_default_keys(
    backend: SageMakerBackend,
    run: Any,
    fake: FakeAutoML,
    boto_session: boto3.Session,
    tutorial_uri: str,
) -> None:
    """Regression containers answer the predicted value only: no keys to choose."""
    spec = m.ExperimentSpec(
        name="reg", input_uri=tutorial_uri, target="duration", problem_type=m.ProblemType.regression
    )
    run(backend.create_experiment(spec))
    walk_to_end(backend, run, "reg")
    endpoint = run(backend.deploy("reg", m.DeployRequest(endpoint_name="reg-ep")))
    assert endpoint.inference_response_keys == [m.InferenceKey.predicted_label]
    model = boto_session.client("sagemaker").describe_model(ModelName="reg-ep-model")
    assert all(
        "SAGEMAKER_INFERENCE_OUTPUT" not in c.get("Environment", {}) for c in model["Containers"]
    )
    asked = m.DeployRequest(
        endpoint_name="reg-ep2",
        inference_response_keys=[m.InferenceKey.predicted_label, m.InferenceKey.probability],
    )
    with pytest.raises(ex.InvalidRequest, match="regression"):
        run(backend.deploy("reg", asked))


def test_a_classification_candidate_answers_label_and_probability_by_default(
    backend: SageMakerBackend,
    run: Any,
    boto_session: boto3.Session,
    finished: list[m.Candidate],
) -> None:
    endpoint = run(backend.deploy("rules", m.DeployRequest(endpoint_name="cls-ep")))
    assert endpoint.inference_response_keys == [
        m.InferenceKey.predicted_label,
        m.InferenceKey.probability,
    ]
    containers = boto_session.client("sagemaker").describe_model(ModelName="cls-ep-model")[
        "Containers"
    ]
    assert containers[-1]["Environment"]["SAGEMAKER_INFERENCE_OUTPUT"] == (
        "predicted_label,probability"
    )
