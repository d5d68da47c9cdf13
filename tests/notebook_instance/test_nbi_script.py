"""The notebook-instance lifecycle script, run for real in a sandbox (fast part).

`sudo` only records here (`NBI_SUDO_MODE=record`): these tests cover what the script does
as root before and after the installation (settings, background, restart); the
installation itself runs in `test_nbi_install_e2e.py`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomllib
from nbi_sandbox import REGION, REPO, SCRIPT, Sandbox, lifecycle_content_length, load_server_config
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sandbox = Sandbox(tmp_path).create()
    yield sandbox
    sandbox.kill_installers()


def wait_for_log(sandbox: Sandbox, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = sandbox.log.read_text() if sandbox.log.exists() else ""
        if text in log:
            return log
        time.sleep(0.1)
    pytest.fail(f"{text!r} never appeared in the install log:\n{log}")


def test_settings_reach_the_jupyter_server(sandbox: Sandbox) -> None:
    result = sandbox.run_script(NBI_SUDO_MODE="record", DRY_RUN="True", DEFAULT_BUCKET="my-bucket")
    assert result.returncode == 0, result.stderr

    config = load_server_config(sandbox)

    assert config["enabled"] is True
    settings = config["settings"]
    assert settings["backend"] == "sagemaker"
    assert settings["aws_region"] == REGION  # from the instance's ARN
    assert settings["sagemaker_dry_run"] is True
    assert settings["default_bucket"] == "my-bucket"
    # The AutopilotApp names the script writes are the sagemaker backend's settings.
    backend = config["backend"]
    assert backend["class"] == "SageMakerBackend" and backend["aws_region"] == REGION
    assert backend["dry_run"] is True and backend["default_bucket"] == "my-bucket"


def test_each_start_replaces_its_settings_and_keeps_the_users(sandbox: Sandbox) -> None:
    config_file = sandbox.jupyter_config / "jupyter_server_config.py"
    config_file.parent.mkdir(parents=True)
    config_file.write_text("c.ServerApp.terminado_settings = {'shell_command': ['/bin/bash']}")
    assert sandbox.run_script(NBI_SUDO_MODE="record", DRY_RUN="True").returncode == 0
    # The user overrides one of ours below the block: that survives the next start.
    config_file.write_text(config_file.read_text() + 'c.AutopilotApp.s3_prefix = "mine"\n')

    result = sandbox.run_script(NBI_SUDO_MODE="record", DRY_RUN="False", DEFAULT_BUCKET="b2")

    assert result.returncode == 0, result.stderr
    text = config_file.read_text()
    assert text.count("# >>> jupyter-autopilot >>>") == 1
    assert text.count("c.AutopilotApp.backend") == 1
    assert text.startswith("c.ServerApp.terminado_settings = {'shell_command': ['/bin/bash']}\n")
    assert text.endswith('c.AutopilotApp.s3_prefix = "mine"\n')
    settings = load_server_config(sandbox)["settings"]
    assert settings["sagemaker_dry_run"] is False
    assert settings["default_bucket"] == "b2"
    assert settings["backend"] == "sagemaker"


def test_the_script_returns_before_the_installation_and_restarts_after_it(
    sandbox: Sandbox,
) -> None:
    gate = sandbox.root / "gate"

    # The background installation is held at its first `sudo` until the gate opens: the
    # script must return all the same (AWS stops lifecycle scripts after 5 minutes).
    try:
        result = sandbox.run_script(NBI_SUDO_MODE="record", NBI_SUDO_GATE=str(gate), timeout=60)
        assert result.returncode == 0, result.stderr
        assert "installing in the background" in result.stdout
        assert sandbox.installers, result.stdout
        assert not any("restart" in call for call in sandbox.shim_calls())
    finally:
        gate.touch()
    log = wait_for_log(sandbox, "done")
    calls = sandbox.shim_calls()
    restart = calls.index("systemctl --no-block restart jupyter-server")
    installs = [i for i, call in enumerate(calls) if call.startswith("sudo -u")]
    assert installs and max(installs) < restart, calls
    assert "FAILED" not in log
    assert not any(call.startswith(("curl", "initctl")) for call in calls), calls


def test_the_script_fits_a_lifecycle_configuration() -> None:
    # NotebookInstanceLifecycleHook.Content: the base64 of the script, at most 16384 characters.
    assert lifecycle_content_length() <= 16384


def test_jupyter_env_gets_the_dependencies_minus_the_engines() -> None:
    """SERVER_DEPS (what JupyterSystemEnv gets) follows pyproject.toml's dependencies."""

    def specs(lines: list[str]) -> dict[str, str]:
        reqs = [Requirement(line) for line in lines]
        return {canonicalize_name(r.name): str(r.specifier) for r in reqs}

    found = re.search(r'^SERVER_DEPS="([^"]*)"$', SCRIPT.read_text(), re.M)
    assert found, "SERVER_DEPS is missing from on-start.sh"
    server = specs(found.group(1).split())
    project = specs(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"])

    # setproctitle: the fork server's children (worker_python's environment) use it.
    engine_only = {
        "lightgbm",
        "xgboost",
        "catboost",
        "optuna",
        "statsmodels",
        "holidays",
        "threadpoolctl",
        "setproctitle",
    }
    assert set(project) - set(server) == engine_only
    assert {name: project.get(name) for name in server} == server


BLOCK_ENGINE = """
import importlib, importlib.abc, pkgutil, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"xgboost", "lightgbm", "catboost", "optuna"}:
            raise ImportError("not in JupyterSystemEnv: " + name)

sys.meta_path.insert(0, Block())
import jupyter_autopilot.app, jupyter_autopilot.handlers
for package in ("backends.sagemaker", "monitoring", "importers", "export"):
    root = importlib.import_module("jupyter_autopilot." + package)
    for module in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        importlib.import_module(module.name)
print("ok")
"""


def test_the_server_side_imports_without_the_engines_dependencies() -> None:
    """What JupyterSystemEnv lacks (SERVER_DEPS leaves them out) is not imported by the
    server extension, the sagemaker backend and what it uses (the whole
    tests/backends/sagemaker suite also passes with these blocked; this is the cheap guard)."""
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_ENGINE], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
