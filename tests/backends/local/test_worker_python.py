"""`AutopilotApp.worker_python`: the local backend's child processes run another Python.

On a SageMaker notebook instance Jupyter's own environment stays light and the engine's
dependencies live in a separate environment (scripts/sagemaker-notebook-instance). Here the
"other" Python is a wrapper script that logs its pid and arguments and runs this
interpreter: the tests see which processes went through it (directly, or forked by the fork
server it started), and that a missing or mismatched one is refused with a 503 before
anything starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from jupyter_autopilot.backends.local import datasets
from jupyter_autopilot.backends.local.cpu import CpuPool, HelperExited
from jupyter_autopilot.exceptions import AutopilotError

WRAPPER_LOG = "worker-python.log"
FORK_SERVER = "jupyter_autopilot.backends.local.forkserver"


def make_wrapper(folder: Path, probe_answer: str | None = None) -> Path:
    """An executable that logs its arguments, then runs this Python (or fakes the version
    probe's answer when `probe_answer` is given)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "python"
    fake = ""
    if probe_answer is not None:
        fake = f'if [ "$1" = -c ]; then echo {probe_answer}; exit 0; fi\n'
    path.write_text(
        f'#!/bin/sh\necho "$$ $@" >>"{folder / WRAPPER_LOG}"\n{fake}exec "{sys.executable}" "$@"\n'
    )
    path.chmod(0o755)
    return path


def wrapper_calls(wrapper: Path) -> str:
    log = wrapper.parent / WRAPPER_LOG
    return log.read_text() if log.exists() else ""


def ran_through(wrapper: Path, module: str, pid: int | None = None) -> bool:
    """Whether `module` ran in the wrapper's interpreter: started through it, or forked by
    the fork server that was (`pid`, when given, must be a child of that fork server)."""
    calls = [line.split(" ", 1) for line in wrapper_calls(wrapper).splitlines()]
    if any(module in args.split() for _, args in calls):
        return True
    fork_servers = {int(pid_) for pid_, args in calls if FORK_SERVER in args.split()}
    if not fork_servers:
        return False
    return pid is None or psutil.Process(pid).ppid() in fork_servers


# -- the CPU helper in another interpreter --------------------------------------------------
async def test_cpu_helper_runs_worker_python_and_keeps_error_types(tmp_path: Path) -> None:
    wrapper = make_wrapper(tmp_path / "bin")
    pool = CpuPool(str(wrapper))
    try:
        assert await pool.run(os.getpid) == pool.pid != os.getpid()
        assert ran_through(wrapper, "jupyter_autopilot.backends.local.cpu_helper", pool.pid)
        with pytest.raises(AutopilotError) as caught:
            await pool.run(datasets.existing_file, tmp_path, tmp_path / "work", "missing.csv")
        assert caught.value.status_code == 404
        assert "missing.csv" in caught.value.message
        # Still usable after an exception.
        assert await pool.run(os.getpid) == pool.pid
        # Another interpreter keeps its own import path, not the server's (which has the
        # tests' folder first, put there by pytest).
        tests_dir = str(Path(__file__).resolve().parent)
        assert tests_dir in sys.path
        assert tests_dir not in await pool.run(eval, "__import__('sys').path")
    finally:
        await pool.shutdown()


async def test_cpu_pool_in_worker_python_replaces_a_dead_helper(tmp_path: Path) -> None:
    cpu = CpuPool(str(make_wrapper(tmp_path / "bin")))
    try:
        first = await cpu.run(os.getpid)
        with pytest.raises(HelperExited):
            await cpu.run(os._exit, 3)  # the helper dies (and so does the one retry)
        second = await cpu.run(os.getpid)  # a fresh helper
    finally:
        await cpu.shutdown()
    assert first != second


async def test_cpu_helper_refuses_a_worker_python_that_is_missing(tmp_path: Path) -> None:
    cpu = CpuPool(str(tmp_path / "not-installed-yet" / "bin" / "python"))
    try:
        with pytest.raises(AutopilotError) as caught:
            await cpu.run(os.getpid)
        assert caught.value.status_code == 503
        assert "worker_python" in caught.value.message
    finally:
        await cpu.shutdown()


# -- through the REST API -------------------------------------------------------------------
@pytest.fixture
def wrapper(tmp_path: Path) -> Path:
    return make_wrapper(tmp_path / "worker-env" / "bin")


@pytest.fixture
def autopilot_config(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return {"worker_python": str(request.getfixturevalue(request.param))}


@pytest.fixture
def missing_python(tmp_path: Path) -> Path:
    return tmp_path / "not-installed-yet" / "bin" / "python"


@pytest.fixture
def other_version_python(tmp_path: Path) -> Path:
    return make_wrapper(tmp_path / "old-env" / "bin", probe_answer="0.0.1")


SPEC = {"target": "diagnosis", "max_candidates": 2, "max_job_runtime_seconds": 120}


@pytest.mark.e2e
@pytest.mark.timeout(600)
@pytest.mark.parametrize("autopilot_config", ["wrapper"], indirect=True)
async def test_workers_model_servers_and_helper_run_worker_python(
    api: Any, cancer_csv: str, wrapper: Path
) -> None:
    preview = await api.post("datasets/preview", {"uri": cancer_csv})
    assert preview.code == 200, preview.body
    assert ran_through(wrapper, "jupyter_autopilot.backends.local.cpu_helper")

    created = await api.post("experiments", {"name": "other-env", "input_uri": cancer_csv, **SPEC})
    assert created.code == 201, created.body
    done = await api.wait_for(
        "experiments/other-env", lambda b: b["status"] in {"Completed", "Failed"}, 300
    )
    assert done["status"] == "Completed", done
    assert ran_through(wrapper, "jupyter_autopilot.backends.local.worker")

    deployed = await api.post("experiments/other-env/deploy", {"endpoint_name": "other-env-ep"})
    assert deployed.code == 202, deployed.body
    ready = await api.wait_for(
        "endpoints/other-env-ep", lambda b: b["status"] in {"InService", "Failed"}, 180
    )
    assert ready["status"] == "InService", ready
    server_pid = int(ready["backend_details"]["pid"])
    assert ran_through(wrapper, "jupyter_autopilot.serving.server", server_pid)
    await api.delete("endpoints/other-env-ep")


@pytest.mark.parametrize("autopilot_config", ["missing_python"], indirect=True)
async def test_a_missing_worker_python_is_refused_before_anything_starts(
    api: Any, cancer_csv: str, missing_python: Path
) -> None:
    created = await api.post("experiments", {"name": "too-early", "input_uri": cancer_csv, **SPEC})

    assert created.code == 503, created.body
    assert created.body["error"] == "backend_unavailable"
    assert str(missing_python) in created.body["message"]
    assert ".jupyter-autopilot-install.log" in created.body["message"]
    assert (await api.get("experiments")).body["experiments"] == []
    preview = await api.post("datasets/preview", {"uri": cancer_csv})
    assert preview.code == 503, preview.body


@pytest.mark.parametrize("autopilot_config", ["other_version_python"], indirect=True)
async def test_a_worker_python_with_another_version_is_refused(api: Any, cancer_csv: str) -> None:
    created = await api.post("experiments", {"name": "mismatch", "input_uri": cancer_csv, **SPEC})

    assert created.code == 503, created.body
    assert "has jupyter_autopilot 0.0.1 while the server has" in created.body["message"]
    assert (await api.get("experiments")).body["experiments"] == []


async def test_a_worker_that_cannot_start_fails_its_experiment(tmp_path: Path) -> None:
    """worker_python removed after the create-time check: the experiment fails, with why."""
    import logging

    from jupyter_autopilot import models as m
    from jupyter_autopilot.backends.local.jobs import JobManager
    from jupyter_autopilot.backends.local.store import Store
    from jupyter_autopilot.engine import JobConfig

    store = Store(tmp_path / "state.sqlite")
    spec = m.ExperimentSpec(name="orphan", input_uri="data.csv", target="y")
    budget = m.Budget(max_candidates=1, max_trial_runtime_seconds=10, max_job_runtime_seconds=10)
    config = JobConfig.from_spec(spec, budget, tmp_path / "data.csv", tmp_path / "orphan")
    store.insert_experiment(spec, budget, config, [])
    gone = tmp_path / "removed-env" / "bin" / "python"
    jobs = JobManager(store, 1, logging.getLogger("test"), python=str(gone))

    await jobs.schedule()

    experiment = store.experiment("orphan", "local")
    assert experiment.status is m.ExperimentStatus.Failed
    assert str(gone) in (experiment.failure_reason or "")
    store.close()
