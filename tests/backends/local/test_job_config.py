"""The job's configuration is built once, when the experiment is created (or re-run),
stored with it, and the worker process runs exactly that (real server, real workers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jupyter_autopilot import models as m
from jupyter_autopilot.engine import JobConfig

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

TERMINAL = {"Completed", "Failed", "Stopped", "Interrupted"}
#: max_dataset_bytes, which is also the engine's memory limit: a value no default has.
LIMIT = 700 * 1024**2


@pytest.fixture
def autopilot_config() -> dict[str, Any]:
    return {"max_dataset_bytes": LIMIT}


def validated(root: Path, experiment: dict[str, Any]) -> JobConfig:
    """The configuration create-time validation builds for this experiment, from its spec,
    its resolved budget and the server's settings."""
    spec = m.ExperimentSpec.model_validate(experiment["spec"])
    return JobConfig.from_spec(
        spec,
        m.Budget.model_validate(experiment["budget"]),
        data_path=(root / spec.input_uri).resolve(),
        output_dir=root.resolve() / "autopilot" / "experiments" / spec.name,
        memory_limit_bytes=LIMIT,
    )


def worker_ran(root: Path, name: str) -> JobConfig:
    """The configuration the worker process says (first thing in worker.log) it runs."""
    return worker_ran_in(root / "autopilot" / "experiments" / name, name)


def worker_ran_in(output_dir: Path, name: str) -> JobConfig:
    log = output_dir / "worker.log"
    marker = f"Running {name} with "
    lines = [line for line in log.read_text().splitlines() if marker in line]
    assert lines, f"no configuration in {log}"
    return JobConfig.model_validate(json.loads(lines[-1].split(marker, 1)[1]))


async def run_to_end(api: Any, name: str) -> dict[str, Any]:
    final = await api.wait_for(f"experiments/{name}", lambda b: b["status"] in TERMINAL)
    assert final["status"] == "Completed", final
    return final


async def test_the_worker_runs_the_configuration_validated_at_create_time(
    api: Any, cancer_csv: str, jp_root_dir: Path
) -> None:
    body = {"name": "configured", "input_uri": cancer_csv, "target": "diagnosis"}
    body |= {"mode": "pilot", "seed": 7, "validation_fraction": 0.25}
    assert (await api.post("experiments", body)).code == 201
    experiment = await run_to_end(api, "configured")
    ran = worker_ran(jp_root_dir, "configured")
    assert ran == validated(jp_root_dir, experiment)
    assert ran.memory_limit_bytes == LIMIT and ran.seed == 7

    # A re-run is validated again and runs what was validated.
    assert (await api.post("experiments/configured/rerun")).code == 200
    experiment = await run_to_end(api, "configured")
    assert worker_ran(jp_root_dir, "configured") == validated(jp_root_dir, experiment)

    # A copy (the same spec under another name) gets its own name and folder.
    copy = {**experiment["spec"], "name": "configured-copy"}
    assert (await api.post("experiments", copy)).code == 201
    copied = await run_to_end(api, "configured-copy")
    ran_copy = worker_ran(jp_root_dir, "configured-copy")
    assert ran_copy == validated(jp_root_dir, copied)
    assert ran_copy.output_dir.name == "configured-copy" != ran.output_dir.name
    assert ran_copy.experiment_name == "configured-copy"


async def test_an_experiment_queued_by_an_older_version_still_runs(tmp_path: Path) -> None:
    """A database written before the configuration was stored (job_config NULL): the
    worker builds it from the spec, as those versions did, and the run completes."""
    import logging

    from sklearn.datasets import load_breast_cancer

    from jupyter_autopilot.backends.local.jobs import JobManager
    from jupyter_autopilot.backends.local.store import Store

    data = tmp_path / "cancer.csv"
    load_breast_cancer(as_frame=True).frame.to_csv(data, index=False)
    spec = m.ExperimentSpec(name="old", input_uri="cancer.csv", target="target", mode="pilot")
    budget = m.Budget(max_candidates=2, max_trial_runtime_seconds=60, max_job_runtime_seconds=120)
    store = Store(tmp_path / "state.sqlite")
    store.insert_experiment(
        spec, budget, JobConfig.from_spec(spec, budget, data, tmp_path / "old"), []
    )
    store.update_experiment("old", job_config=None)
    assert store.job_config("old") is None
    jobs = JobManager(store, 1, logging.getLogger("test"))

    await jobs.schedule()
    await jobs.wait("old")

    experiment = store.experiment("old", "local")
    assert experiment.status is m.ExperimentStatus.Completed, experiment.failure_reason
    ran = worker_ran_in(tmp_path / "old", "old")
    assert ran == JobConfig.from_spec(spec, budget, data, tmp_path / "old")
    store.close()
