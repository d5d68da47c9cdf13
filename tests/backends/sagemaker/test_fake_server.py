"""The moto-backed sagemaker backend runs as a real server backend (used by UI tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jupyter_autopilot.testing import JupyterServerProcess

HERE = Path(__file__).resolve().parent


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_fake_sagemaker_server_answers_like_aws(tmp_path, monkeypatch):
    monkeypatch.setenv(
        "PYTHONPATH",
        os.pathsep.join([str(HERE), str(HERE.parents[1]), os.environ.get("PYTHONPATH", "")]),
    )
    root, home = tmp_path / "root", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    (root / "data.csv").write_text(
        "a;b;y\n" + "".join(f"{i};x{i % 3};{i % 2}\n" for i in range(60))
    )
    server = JupyterServerProcess(root, home, backend="fake_backend.FakeSageMakerBackend")
    server.start()
    try:
        health = server.get("health").json()
        assert health["backend"] == "sagemaker"
        assert health["features"]["s3"] is True
        assert health["region"] == "us-east-1"
        uploaded = server.post(
            "datasets/upload", {"path": "data.csv", "key_prefix": "tutorial/input"}
        )
        assert uploaded.status_code == 201, uploaded.text
        uri = uploaded.json()["uri"]
        assert uri.startswith("s3://sagemaker-us-east-1-")
        created = server.post("experiments", {"name": "ui-fake", "input_uri": uri, "target": "y"})
        assert created.status_code == 201, created.text
        done = server.wait_for(
            "experiments/ui-fake",
            lambda b: b["status"] not in ("InProgress", "Queued"),
            timeout=120,
        )
        assert done["status"] == "Completed"
        assert server.get("experiments/ui-fake/candidates").json()["candidates"]
    finally:
        server.stop()
