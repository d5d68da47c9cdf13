"""AWS failures become clear API errors; retries, threads and secrets."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.credentials import CredentialResolver
from fake_automl import FakeAutoML
from sm_support import SECRET, make_backend, upload_tutorial_data

from jupyter_autopilot import exceptions as ex
from jupyter_autopilot import models as m
from jupyter_autopilot.backends.sagemaker import SageMakerBackend, errors


def spec(uri: str, name: str = "err-test", **kw: Any) -> m.ExperimentSpec:
    return m.ExperimentSpec(name=name, input_uri=uri, target="y", **kw)


@pytest.mark.parametrize(
    ("code", "status", "cls", "http", "api_code"),
    [
        ("AccessDeniedException", 400, errors.AwsAccessDenied, 403, "aws_access_denied"),
        (
            "ResourceLimitExceeded",
            400,
            errors.AwsResourceLimitExceeded,
            409,
            "aws_resource_limit_exceeded",
        ),
        ("ValidationException", 400, errors.AwsValidationError, 400, "aws_validation_error"),
        ("ThrottlingException", 400, errors.AwsThrottled, 429, "aws_throttled"),
        (
            "ExpiredTokenException",
            400,
            errors.AwsCredentialsExpired,
            503,
            "aws_credentials_expired",
        ),
        (
            "UnrecognizedClientException",
            400,
            errors.AwsCredentialsExpired,
            503,
            "aws_credentials_expired",
        ),
        (
            "UnknownOperationException",
            400,
            errors.AwsRegionUnsupported,
            503,
            "aws_region_unsupported",
        ),
        ("ResourceInUse", 400, errors.AwsResourceInUse, 409, "aws_resource_in_use"),
        ("InternalFailure", 500, errors.AwsError, 502, "aws_error"),
    ],
)
def test_create_experiment_errors(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    code: str,
    status: int,
    cls: type,
    http: int,
    api_code: str,
) -> None:
    fake.fail_next("sagemaker", "CreateAutoMLJobV2", code, "something happened", status)
    with pytest.raises(cls) as info:
        run(backend.create_experiment(spec(tutorial_uri)))
    error = info.value
    assert isinstance(error, ex.AutopilotError)
    assert (error.status_code, error.code) == (http, api_code)
    assert error.message.startswith("Could not create the AutoML job err-test")
    assert code in error.message and SECRET not in error.message
    # Nothing was recorded locally: the same name can be tried again.
    assert backend.store.load_experiment("err-test") is None


def test_unknown_experiment_is_not_found(backend: SageMakerBackend, run: Any) -> None:
    with pytest.raises(ex.NotFound) as info:
        run(backend.describe_experiment("no-such-job"))
    assert info.value.status_code == 404 and "no-such-job" in info.value.message


def test_missing_endpoint_is_not_found(backend: SageMakerBackend, run: Any) -> None:
    # SageMaker reports missing endpoints as ValidationException "Could not find endpoint".
    with pytest.raises(ex.NotFound):
        run(backend.describe_endpoint("nope"))


def test_no_credentials(root: Path, fake: FakeAutoML, run: Any, role_arn: str) -> None:
    core = botocore.session.Session()
    core.register_component("credential_provider", CredentialResolver(providers=[]))
    session = boto3.Session(botocore_session=core, region_name="us-east-1")
    backend = make_backend(root, session, role_arn=role_arn)
    health = run(backend.health())
    assert health.status == "error" and health.identity is None
    assert any("no AWS credentials" in w for w in health.warnings)
    with pytest.raises(errors.AwsNoCredentials) as info:
        run(backend.list_experiments(m.ListExperimentsQuery()))
    assert info.value.status_code == 503 and info.value.code == "aws_no_credentials"
    assert "aws configure" in info.value.message


def test_expired_credentials_reset_the_session(
    backend: SageMakerBackend, run: Any, fake: FakeAutoML
) -> None:
    run(backend.list_experiments(m.ListExperimentsQuery()))
    first = backend.aws.boto_session
    made: list[int] = []
    original = backend._make_session

    def counting() -> boto3.Session:
        made.append(1)
        return original()

    backend.aws._session_factory = counting
    fake.fail_next(
        "sagemaker",
        "ListAutoMLJobs",
        "ExpiredTokenException",
        "The security token included in the request is expired",
    )
    backend.cache.clear()
    with pytest.raises(errors.AwsCredentialsExpired):
        run(backend.list_experiments(m.ListExperimentsQuery()))
    run(backend.list_experiments(m.ListExperimentsQuery()))  # works again, on a new session
    assert (
        made == [1] and backend.aws.boto_session is first
    )  # the factory returned the test's session


def test_region_without_sagemaker(
    root: Path, boto_session: boto3.Session, fake: FakeAutoML, run: Any, role_arn: str
) -> None:
    backend = make_backend(root, boto_session, aws_region="xx-nowhere-1", role_arn=role_arn)
    health = run(backend.health())
    assert health.status == "error" and any(
        "not available in region 'xx-nowhere-1'" in w for w in health.warnings
    )
    with pytest.raises(errors.AwsRegionUnsupported) as info:
        run(backend.create_experiment(spec("s3://bucket/data.csv")))
    assert info.value.status_code == 503 and "us-east-1" in info.value.message


def test_quota_on_endpoint_rolls_back(
    backend: SageMakerBackend,
    run: Any,
    tutorial_uri: str,
    fake: FakeAutoML,
    boto_session: boto3.Session,
) -> None:
    run(
        backend.create_experiment(
            spec(tutorial_uri, name="quota", problem_type=m.ProblemType.binary)
        )
    )
    fake.finish("quota")
    backend.cache.clear()
    fake.fail_next(
        "sagemaker",
        "CreateEndpoint",
        "ResourceLimitExceeded",
        "The account-level service limit 'ml.m5.large for endpoint usage' is 0 Instances",
    )
    with pytest.raises(errors.AwsResourceLimitExceeded) as info:
        run(backend.deploy("quota", m.DeployRequest(endpoint_name="quota-ep")))
    assert "Service Quotas" in info.value.message and info.value.status_code == 409
    sm = boto_session.client("sagemaker")
    assert sm.list_models()["Models"] == [] and sm.list_endpoint_configs()["EndpointConfigs"] == []


def test_clients_use_standard_retries_and_a_worker_thread(
    backend: SageMakerBackend, run: Any, boto_session: boto3.Session
) -> None:
    threads: list[str] = []
    boto_session.events.register(
        "before-parameter-build.sagemaker.ListAutoMLJobs",
        lambda **kw: threads.append(threading.current_thread().name),
    )
    backend.aws._clients.clear()
    run(backend.list_experiments(m.ListExperimentsQuery()))
    client = backend.aws.client("sagemaker")
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.config.retries["total_max_attempts"] >= 5
    assert threads and all(name.startswith("autopilot-aws") for name in threads)


def test_polling_is_cached_and_coalesced(
    backend: SageMakerBackend, run: Any, local_csv: Path, fake: FakeAutoML
) -> None:
    import asyncio

    uri = upload_tutorial_data(backend, run, local_csv)
    run(backend.create_experiment(spec(uri, name="cached")))
    backend.cache.clear()
    before = len(fake.sent("DescribeAutoMLJobV2"))

    async def many_panels() -> None:
        await asyncio.gather(*(backend.describe_experiment("cached") for _ in range(20)))

    run(many_panels())
    run(many_panels())
    after = len(fake.sent("DescribeAutoMLJobV2"))
    assert after - before == 1


def test_secrets_never_logged(
    backend: SageMakerBackend,
    run: Any,
    local_csv: Path,
    caplog: pytest.LogCaptureFixture,
    fake: FakeAutoML,
) -> None:
    caplog.set_level(logging.DEBUG)
    uri = upload_tutorial_data(backend, run, local_csv)
    fake.fail_next(
        "sagemaker", "CreateAutoMLJobV2", "AccessDeniedException", "User is not authorized"
    )
    with pytest.raises(errors.AwsAccessDenied):
        run(backend.create_experiment(spec(uri)))
    run(backend.create_experiment(spec(uri, name="logged")))
    health = run(backend.health())
    assert SECRET not in health.model_dump_json()
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)


def test_translate_botocore_errors() -> None:
    from botocore.exceptions import EndpointConnectionError, NoRegionError, ParamValidationError

    assert isinstance(
        errors.translate(EndpointConnectionError(endpoint_url="https://x"), "do it"),
        errors.AwsUnreachable,
    )
    assert isinstance(errors.translate(NoRegionError(), "do it"), errors.AwsRegionUnsupported)
    assert isinstance(
        errors.translate(ParamValidationError(report="bad"), "do it"), errors.AwsValidationError
    )
    assert isinstance(errors.translate(ValueError("x"), "do it"), errors.AwsError)
