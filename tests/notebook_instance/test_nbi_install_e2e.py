"""The notebook-instance install, end to end: on-start.sh for real, then the server it set up.

A sandbox shaped like a notebook instance (see nbi_sandbox.py) whose JupyterSystemEnv is a
real venv with JupyterLab 4 (made with uv: seconds instead of pip's minute). The lifecycle
script installs this checkout's wheel with pip, as on an instance: the extension into
JupyterSystemEnv without the engine's dependencies, the engine into the worker
environment. Then the JupyterSystemEnv's Jupyter server starts as the instance's service
does (ec2-user's HOME, the SageMaker folder as root) and `GET health` shows the sagemaker
backend, the region of the instance's ARN and the chosen options; AWS is moto's server
(`AWS_ENDPOINT_URL`). The script then runs a second time (idempotent, new settings), and
the same server started with the local backend previews a file and runs a pilot experiment
through the worker environment (`AutopilotApp.worker_python`).

Cost: 3 minutes on this project's 2-core machine at load 3-4 (4.5 at load 9, 6.7 at load 7-15),
most of it pip installing the two environments (the worker environment alone is ~1 GB,
XGBoost ~300 MB); it needs PyPI (pip and uv use their caches when warm).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
import requests
from moto.server import ThreadedMotoServer
from nbi_sandbox import REGION, REPO, Sandbox, load_server_config

from jupyter_autopilot.testing import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1200)]

INSTALL_TIMEOUT = 900
ENGINE_MODULES = ("xgboost", "lightgbm", "catboost", "optuna")


def uv() -> str:
    from uv import find_uv_bin

    return find_uv_bin()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as a wheel (the prebuilt labextension included), as users install it."""
    out = tmp_path_factory.mktemp("wheel")
    run([uv(), "build", "--wheel", "--out-dir", str(out), str(REPO)], timeout=600)
    (built,) = out.glob("jupyter_autopilot-*.whl")
    return built


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def run(args: list[str], timeout: float = 300) -> str:
    """stdout and stderr of a command that must succeed, without colour codes."""
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{args} failed:\n{output[-6000:]}"
    return re.sub(r"\x1b\[[0-9;]*m", "", output)


def make_jupyter_system_env(sandbox: Sandbox) -> Path:
    """A conda-like JupyterSystemEnv: a venv with pip and this machine's JupyterLab 4."""
    env = sandbox.jupyter_env
    run([uv(), "venv", "--quiet", "--seed", "--python", sys.executable, str(env)])
    lab = f"jupyterlab=={metadata.version('jupyterlab')}"
    run([uv(), "pip", "install", "--quiet", "--python", str(env / "bin" / "python"), lab])
    sandbox.add_activate_hook(env)
    return env


def wait_for_install(sandbox: Sandbox, runs: int) -> str:
    """The install log once the background installation of run number `runs` has ended."""
    deadline = time.monotonic() + INSTALL_TIMEOUT
    log = ""
    while time.monotonic() < deadline:
        log = sandbox.log.read_text()
        if "FAILED" in log:
            pytest.fail(f"the installation failed:\n{log[-6000:]}")
        if log.count("] done") >= runs:
            return log
        time.sleep(1)
    pytest.fail(f"the installation did not end in {INSTALL_TIMEOUT} s:\n{log[-6000:]}")


class InstanceServer:
    """JupyterSystemEnv's Jupyter server, started as the instance's jupyter-server service
    does: as ec2-user (HOME, ~/.jupyter), the SageMaker folder as its root."""

    def __init__(self, sandbox: Sandbox, moto_url: str):
        self.sandbox = sandbox
        self.moto_url = moto_url
        self.token = "nbi-" + os.urandom(8).hex()
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *args: str) -> None:
        self.port = free_port()
        env = {
            "HOME": str(self.sandbox.home),
            "PATH": f"{self.sandbox.jupyter_env / 'bin'}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            # No AWS reachable: moto's server answers every client.
            "AWS_ENDPOINT_URL": self.moto_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        log = open(self.sandbox.root / f"server-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(self.sandbox.jupyter_env / "bin" / "jupyter"),
                "lab",
                "--no-browser",
                "--allow-root",
                f"--port={self.port}",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.root_dir={self.sandbox.home / 'SageMaker'}",
                f"--IdentityProvider.token={self.token}",
                *args,
            ],
            env=env,
            cwd=self.sandbox.home,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_text()
            try:
                requests.get(f"http://127.0.0.1:{self.port}/api/status", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.3)
        pytest.fail(f"the server did not start:\n{self.log_text()}")

    def log_text(self, tail: int = 4000) -> str:
        return (self.sandbox.root / f"server-{self.port}.log").read_text(errors="replace")[-tail:]

    def health(self, authenticated: bool = True) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"} if authenticated else {}
        return requests.get(
            f"http://127.0.0.1:{self.port}/autopilot/api/health", headers=headers, timeout=120
        )

    def api(self, method: str, path: str, body: object = None) -> requests.Response:
        return requests.request(
            method,
            f"http://127.0.0.1:{self.port}/autopilot/api/{path}",
            headers={"Authorization": f"token {self.token}"},
            json=body,
            timeout=120,
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def python_can_import(python: Path, module: str) -> bool:
    probe = subprocess.run(
        [str(python), "-c", f"import {module}"], capture_output=True, timeout=120
    )
    return probe.returncode == 0


def test_on_start_installs_a_working_extension_twice(
    tmp_path: Path, wheel: Path, moto_url: str
) -> None:
    sandbox = Sandbox(tmp_path).create()
    jupyter_env = make_jupyter_system_env(sandbox)
    jupyter_python = jupyter_env / "bin" / "python"
    # pip as the script runs it, minus bytecode compilation (slow, and not under test); the
    # caller's pip cache, as sudo -i would otherwise point pip at the sandbox home's.
    pip_env = {
        "PIP_NO_COMPILE": "1",
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
    }
    server = InstanceServer(sandbox, moto_url)
    try:
        # -- first start of the instance ------------------------------------------------
        started = time.monotonic()
        first = sandbox.run_script(
            PIP_SPEC=str(wheel), DRY_RUN="True", DEFAULT_BUCKET="nbi-bucket", **pip_env
        )
        returned_after = time.monotonic() - started
        assert first.returncode == 0, first.stderr
        assert returned_after < 60, f"the lifecycle script took {returned_after:.0f} s"
        wait_for_install(sandbox, runs=1)

        restarts = [c for c in sandbox.shim_calls() if c.startswith("systemctl --no-block restart")]
        assert restarts == ["systemctl --no-block restart jupyter-server"]
        labextensions = run([str(jupyter_env / "bin" / "jupyter"), "labextension", "list"])
        enabled = r"jupyter-autopilot v\S+ enabled OK \(python, jupyter_autopilot\)"
        assert re.search(enabled, labextensions), labextensions

        # Jupyter's environment got the extension, not the engine; the worker env has both.
        worker_python = sandbox.worker_env / "bin" / "python"
        for module in ENGINE_MODULES:
            assert not python_can_import(jupyter_python, module), module
            assert python_can_import(worker_python, module), module
        settings = load_server_config(sandbox, python=str(jupyter_python))["settings"]
        assert settings["worker_python"] == str(worker_python)

        server.start()
        assert server.health(authenticated=False).status_code == 403
        health = server.health()
        assert health.status_code == 200, health.text
        body = health.json()
        assert body["backend"] == "sagemaker"
        assert body["region"] == REGION
        assert body["dry_run"] is True
        assert body["default_bucket"] == "nbi-bucket"
        assert body["identity"] == "arn:aws:sts::123456789012:user/moto", body
        assert body["version"] == metadata.version("jupyter_autopilot")
        server.stop()

        # -- the next start: the same script, new settings -----------------------------------
        worker_env_id = (sandbox.worker_env / "pyvenv.cfg").stat().st_ino
        second = sandbox.run_script(PIP_SPEC=str(wheel), DRY_RUN="False", **pip_env)
        assert second.returncode == 0, second.stderr
        log = wait_for_install(sandbox, runs=2)

        config = (sandbox.jupyter_config / "jupyter_server_config.py").read_text()
        assert config.count("# >>> jupyter-autopilot >>>") == 1
        assert (sandbox.worker_env / "pyvenv.cfg").stat().st_ino == worker_env_id  # kept
        assert not Path(f"{sandbox.worker_env}.new").exists()
        second_run = log[log.rindex("] installing ") :]
        for line in second_run.splitlines():
            if line.startswith("Successfully installed"):
                # Only our own package may be reinstalled; everything else was already there.
                names = [item.replace("_", "-") for item in line.split()[2:]]
                assert all(n.startswith("jupyter-autopilot-") for n in names), line
        server.start()
        body = server.health().json()
        assert (body["backend"], body["region"], body["dry_run"]) == ("sagemaker", REGION, False)
        assert body["default_bucket"] == "sagemaker-eu-west-1-123456789012"
        server.stop()

        # -- the local backend on the instance: its processes run the worker environment ----
        from sklearn.datasets import load_breast_cancer

        data = load_breast_cancer(as_frame=True).frame
        data.to_csv(sandbox.home / "SageMaker" / "cancer.csv", index=False)
        server.start("--AutopilotApp.backend=local")
        preview = server.api("POST", "datasets/preview", {"uri": "cancer.csv"})  # CPU helper
        assert preview.status_code == 200, preview.text
        spec = {"name": "on-instance", "input_uri": "cancer.csv", "target": "target"}
        created = server.api("POST", "experiments", {**spec, "mode": "pilot"})  # a worker
        assert created.status_code == 201, created.text
        deadline = time.monotonic() + 300
        while (experiment := server.api("GET", "experiments/on-instance").json())["status"] in {
            "Queued",
            "InProgress",
        }:
            assert time.monotonic() < deadline, experiment
            time.sleep(1)
        # The worker imports optuna, which Jupyter's environment cannot: it ran in the worker env.
        assert experiment["status"] == "Completed", experiment
        assert f"model servers run {worker_python}" in server.log_text(tail=10**7)
    finally:
        server.stop()
        sandbox.kill_installers()
        print(json.dumps({"install log": sandbox.log.read_text()[-3000:]}))
