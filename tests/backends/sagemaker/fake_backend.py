"""The sagemaker backend on moto plus the AutoML fake, as a real server backend.

For the UI tests of the sagemaker panels (and for trying them without an AWS account):

    PYTHONPATH=tests/backends/sagemaker:tests jupyter lab \
        --AutopilotApp.backend=fake_backend.FakeSageMakerBackend

Everything AWS answers comes from moto (S3, STS, IAM, models, endpoints, runtime) and
from `FakeAutoML` (the AutoML V2 calls), in this process; nothing leaves the machine.
"""

from __future__ import annotations

import os
from typing import Any

import boto3
from fake_automl import FakeAutoML
from moto import mock_aws
from sm_support import REGION

from jupyter_autopilot.backends.base import BackendContext
from jupyter_autopilot.backends.sagemaker import SageMakerBackend

ROLE_NAME = "AutopilotExecutionRole"


class FakeSageMakerBackend(SageMakerBackend):
    """`SageMakerBackend` whose boto3 session is served by moto and `FakeAutoML`."""

    def __init__(self, context: BackendContext, **kwargs: Any):
        # Fake credentials only for this process; never a real profile.
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)
        os.environ.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing-secret",
            AWS_DEFAULT_REGION=REGION,
            AWS_EC2_METADATA_DISABLED="true",
        )
        self._mock = mock_aws()
        self._mock.start()
        session = boto3.Session(region_name=REGION)
        role = session.client("iam").create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}',
        )["Role"]["Arn"]
        self.fake = FakeAutoML(session, region=REGION, realtime=True).install()
        super().__init__(context, boto_session=session, **kwargs)
        # The moto role and region unless configured (c.SageMakerBackend.role_arn...).
        self.role_arn = self.role_arn or role
        self.aws_region = self.aws_region or REGION

    async def shutdown(self) -> None:
        await super().shutdown()
        self._mock.stop()
