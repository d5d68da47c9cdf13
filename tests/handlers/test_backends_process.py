"""Two backends in a real `jupyter server` process, started and stopped as a user's is:
`--AutopilotApp.extra_backends=sagemaker` on a machine without AWS credentials. The local
backend works, SageMaker is listed as not usable with the reason, and SIGTERM stops both.
Nothing here reaches AWS: without credentials botocore fails before any request."""

from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_autopilot.testing import JupyterServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


@pytest.fixture
def no_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials anywhere boto3 looks (env, files, instance metadata), a region set."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "aws"
    empty.mkdir()
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_local_and_sagemaker_without_credentials_start_answer_and_stop(
    tmp_path: Path, no_aws: None
) -> None:
    root, home = tmp_path / "root", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    server = JupyterServerProcess(root, home, extra_backends="sagemaker")
    server.start()
    try:
        health = server.get("health")
        assert health.status_code == 200, health.text
        local, sagemaker = health.json()["backends"]
        assert local == {"name": "local", "default": True, "usable": True, "reason": None}
        assert sagemaker["name"] == "sagemaker" and sagemaker["usable"] is False
        assert "no AWS credentials" in sagemaker["reason"]
        assert server.get("experiments").json()["experiments"] == []
        refused = server.get("experiments", params={"backend": "sagemaker"})
        assert refused.status_code == 503 and "aws configure" in refused.json()["message"]
        unknown = server.get("experiments", params={"backend": "cluster"})
        assert unknown.status_code == 400 and "it offers local, sagemaker" in unknown.text
    finally:
        stopped = server.stop(timeout=60)
    log = server.log_text()
    assert stopped, log[-3000:]
    assert "local backend (LocalBackend, default), sagemaker backend (SageMakerBackend)" in log
    assert "did not start" not in log and "did not shut down cleanly" not in log
