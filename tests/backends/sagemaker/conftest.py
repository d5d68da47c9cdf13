"""Fixtures for the sagemaker backend: moto for AWS, the stateful AutoML fake on top.

No test here talks to AWS: credentials are fake, every client is served by moto or by
`FakeAutoML` (which also checks every request and response against botocore's model).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import boto3
import pytest
from moto import mock_aws

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_automl import FakeAutoML
from sm_support import (
    REGION,
    SECRET,
    make_backend,
    make_context,
    upload_tutorial_data,
    write_bank_like,
)

from jupyter_autopilot.backends.base import BackendContext
from jupyter_autopilot.backends.sagemaker import SageMakerBackend

T = TypeVar("T")


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fake credentials and a region; no profile or config file of the machine leaks in."""
    empty = tmp_path_factory.mktemp("aws-config")
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ENDPOINT_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def moto(aws_env: None) -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def boto_session(moto: None) -> boto3.Session:
    return boto3.Session(region_name=REGION)


@pytest.fixture
def fake(boto_session: boto3.Session) -> Iterator[FakeAutoML]:
    fake = FakeAutoML(boto_session, region=REGION).install()
    yield fake
    assert fake.problems == [], "requests or responses that do not match botocore's model"


@pytest.fixture
def role_arn(boto_session: boto3.Session) -> str:
    iam = boto_session.client("iam")
    return iam.create_role(
        RoleName="AutopilotExecutionRole",
        AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}',
    )["Role"]["Arn"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "root"
    folder.mkdir()
    return folder


@pytest.fixture
def context(root: Path) -> BackendContext:
    return make_context(root)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def run(loop: asyncio.AbstractEventLoop) -> Callable[[Awaitable[T]], T]:
    """Run a coroutine to completion on the test's loop (pytest-asyncio is not used)."""

    def runner(awaitable: Awaitable[T]) -> T:
        return loop.run_until_complete(awaitable)  # type: ignore[arg-type]

    return runner


@pytest.fixture
def backend(
    context: BackendContext,
    boto_session: boto3.Session,
    fake: FakeAutoML,
    run: Any,
    role_arn: str,
) -> Iterator[SageMakerBackend]:
    backend = SageMakerBackend(
        context, boto_session=boto_session, aws_region=REGION, role_arn=role_arn
    )
    run(backend.ensure_started())
    yield backend
    run(backend.shutdown())


@pytest.fixture
def dry(
    root: Path, boto_session: boto3.Session, fake: FakeAutoML, role_arn: str, run: Any
) -> Iterator[SageMakerBackend]:
    """A backend in dry-run mode (`SageMakerBackend.dry_run`): it shows the requests it
    would send instead of sending them."""
    dry = make_backend(root, boto_session, role_arn=role_arn, dry_run=True)
    yield dry
    run(dry.shutdown())


@pytest.fixture
def local_csv(root: Path) -> Path:
    return write_bank_like(root / "bank-additional" / "bank-additional-full.csv")


@pytest.fixture
def tutorial_uri(backend: SageMakerBackend, run: Any, local_csv: Path) -> str:
    """The bank-like tutorial file uploaded to S3 by `backend`, as the tutorial does."""
    return upload_tutorial_data(backend, run, local_csv)


# -- REST level (pytest-jupyter): the real server, the sagemaker backend, moto + the fake --
@pytest.fixture
def rest_fake(
    boto_session: boto3.Session, fake: FakeAutoML, monkeypatch: pytest.MonkeyPatch
) -> FakeAutoML:
    """Make every SageMakerBackend the server builds use the faked Session, without caching."""
    from jupyter_autopilot.backends.sagemaker import cache

    monkeypatch.setattr(SageMakerBackend, "_make_session", lambda self: boto_session)
    for ttl in ("DESCRIBE_TTL", "CANDIDATES_TTL", "LIST_TTL", "ENDPOINT_TTL", "ARTIFACTS_TTL"):
        monkeypatch.setattr(cache, ttl, 0.0)
    return fake


@pytest.fixture
def autopilot_config(rest_fake: FakeAutoML, role_arn: str) -> dict[str, Any]:
    """`--AutopilotApp.backend=sagemaker` for the server started by `jp_fetch`."""
    return {
        "backend": "sagemaker",
        "aws_region": REGION,
        "role_arn": role_arn,
        "s3_prefix": "autopilot",
    }
