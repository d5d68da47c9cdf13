"""AWS's rules that moto does not know, enforced by `FakeAutoML` and kept by the backend
(docs/sagemaker.md, "AWS rules we enforce", names the source of each)."""

from __future__ import annotations

import logging
from pathlib import Path

import boto3
import pytest
from fake_automl import ACCOUNT, FakeAutoML
from sm_support import REGION

from jupyter_autopilot.backends.sagemaker.session import AwsSession


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
