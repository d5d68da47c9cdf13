"""Algorithm choice (Autopilot V2's `AlgorithmsConfig`, issue #18 item 7) on the local
backend: Autopilot's names map to the engine's families, only those run, the default is
all, and the neural networks the engine lacks are a 400."""

from __future__ import annotations

import asyncio
from pathlib import Path

import nbformat
import pytest
from support.sample_data import weighted_frame, write_cancer_csv

from jupyter_autopilot import models as m
from jupyter_autopilot.engine import JobConfig, run_job
from jupyter_autopilot.engine.families import LOCAL_FAMILIES, NOT_LOCAL, local_families


def test_every_autopilot_name_maps_or_is_refused() -> None:
    names = {a.value for a in m.AutoMLAlgorithm}
    assert set(LOCAL_FAMILIES) | set(NOT_LOCAL) == names
    assert local_families([m.AutoMLAlgorithm.randomforest, "linear-learner"]) == [
        "random_forest",
        "linear",
    ]
    assert local_families([]) == []


def test_only_the_chosen_families_train(tmp_path: Path) -> None:
    data = tmp_path / "cancer.csv"
    write_cancer_csv(data)
    spec = m.ExperimentSpec(
        name="chosen",
        input_uri="cancer.csv",
        target="diagnosis",
        algorithms=[m.AutoMLAlgorithm.extra_trees, m.AutoMLAlgorithm.linear_learner],
    )
    budget = m.Budget(max_candidates=4, max_trial_runtime_seconds=60, max_job_runtime_seconds=300)
    config = JobConfig.from_spec(
        spec, budget, data_path=data, output_dir=tmp_path / "out", n_jobs=1
    )
    assert config.algorithms == ["extra_trees", "linear"]
    result = run_job(config)
    trained = {c.algorithm for c in result.candidates}
    assert {"extra_trees", "linear"} <= trained <= {"extra_trees", "linear", "ensemble"}
    notebook = nbformat.read(tmp_path / "out" / "candidate_definitions.ipynb", as_version=4)
    [definitions] = [c.source for c in notebook.cells if c.source.startswith("# For each def")]
    assert "'extra_trees'" in definitions and "'linear'" in definitions
    assert "'lightgbm'" not in definitions and "'xgboost'" not in definitions


@pytest.fixture
def cancer(jp_root_dir: Path) -> str:
    write_cancer_csv(jp_root_dir / "cancer.csv")
    return "cancer.csv"


async def test_neural_networks_are_refused_locally(api, cancer: str) -> None:
    spec = {
        "name": "nets",
        "input_uri": cancer,
        "target": "diagnosis",
        "algorithms": ["xgboost", "nn-torch"],
    }
    for path in ("validation/experiment", "experiments"):
        reply = await api.post(path, spec)
        assert reply.code == 400, reply.body
        assert "no nn-torch candidates" in reply.body["message"]
        assert reply.body["details"][0]["field"] == "algorithms"
    unknown = await api.post("experiments", {**spec, "algorithms": ["svm"]})
    assert unknown.code == 400 and "algorithms" in str(unknown.body)


async def test_client_sends_algorithms(client, cancer: str, api) -> None:
    created = await asyncio.to_thread(
        client.create_experiment,
        name="two-families",
        input_uri=cancer,
        target="diagnosis",
        algorithms=["linear-learner", "randomforest"],
        max_candidates=3,
        max_job_runtime_seconds=120,
        training_mode="hyperparameter_tuning",
    )
    assert [a.value for a in created.spec.algorithms] == ["linear-learner", "randomforest"]
    final = await api.wait_for(
        "experiments/two-families",
        lambda body: body["status"] in ("Completed", "Failed", "Stopped", "Interrupted"),
        timeout=300,
    )
    assert final["status"] == "Completed", final
    board = await api.get("experiments/two-families/candidates")
    assert {c["algorithm"] for c in board.body["candidates"]} <= {"linear", "random_forest"}


async def test_health_offers_the_local_families_in_every_mode(api) -> None:
    """The form offers what the backend can train (no copy of the list in the UI)."""
    reply = await api.get("health")
    offered = reply.body["defaults"]["algorithms_by_training_mode"]
    assert set(offered) == {mode.value for mode in m.TrainingMode}
    assert all(names == list(LOCAL_FAMILIES) for names in offered.values())


def test_cli_takes_weights_and_algorithms(tmp_path: Path, capsys) -> None:
    """`jupyter-autopilot run --sample-weight wt --algorithm lightgbm` (a pilot: the
    definitions it would run), and a clear error for a family the engine lacks."""
    from jupyter_autopilot.engine.cli import main

    path = tmp_path / "weighted.csv"
    weighted_frame().to_csv(path, index=False)
    out = tmp_path / "out"
    args = ["run", str(path), "--target", "label", "--sample-weight", "wt", "--pilot"]
    assert main([*args, "--algorithm", "lightgbm", "--output", str(out)]) == 0
    notebook = nbformat.read(out / "candidate_definitions.ipynb", as_version=4)
    [definitions] = [c.source for c in notebook.cells if c.source.startswith("# For each def")]
    assert "'lightgbm'" in definitions and "'xgboost'" not in definitions
    assert any("WEIGHT = 'wt'" in c.source for c in notebook.cells)
    capsys.readouterr()
    assert main([*args, "--algorithm", "fastai", "--output", str(tmp_path / "o2")]) == 2
    assert "no fastai candidates" in capsys.readouterr().err
