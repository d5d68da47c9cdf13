"""Re-running a SageMaker Autopilot candidate-definition notebook locally, over the REST
API and the Python client, on a real server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from support.autopilot_notebook import write_bank_notebook

NOTEBOOK = "sm-job/SageMakerAutopilotCandidateDefinitionNotebook.ipynb"
TERMINAL = ("Completed", "Failed", "Stopped")


async def test_import_route_parses_the_notebook_and_explains_bad_input(api, jp_root_dir: Path):
    write_bank_notebook(jp_root_dir / "sm-job")
    reply = await api.post("imports/sagemaker-notebook", {"path": NOTEBOOK})
    assert reply.code == 200, reply.body
    body = reply.body
    assert body["target"] == "y" and body["problem_type"] == "binary"
    assert [c["name"] for c in body["candidates"]] == [
        "dpp0-xgboost",
        "dpp1-xgboost",
        "dpp2-linear-learner",
    ]
    assert body["plan"]["column_types"]["job"] == "categorical"

    (jp_root_dir / "plain.ipynb").write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    (jp_root_dir / "broken.ipynb").write_text("{not json")
    for path, code, words in [
        ("plain.ipynb", 400, "not a SageMaker Autopilot candidate-definition notebook"),
        ("broken.ipynb", 400, "is not a Jupyter notebook"),
        ("missing.ipynb", 404, "No notebook at"),
        ("../outside.ipynb", 400, "outside the Jupyter server root"),
    ]:
        bad = await api.post("imports/sagemaker-notebook", {"path": path})
        assert bad.code == code, bad.body
        assert words in bad.body["message"]
    empty = await api.post("imports/sagemaker-notebook", {})
    assert empty.code == 400 and "path" in json.dumps(empty.body)


async def test_invalid_plans_are_rejected_before_anything_runs(api, cancer_csv: str):
    spec = {
        "name": "bad-plan",
        "input_uri": cancer_csv,
        "target": "diagnosis",
        "candidate_plan": {
            "candidates": [
                {
                    "name": "dpp0-xgboost",
                    "algorithm": "xgboost",
                    "recipe": {},
                    "search_space": {"eta": {"kind": "float", "low": 0.01, "high": 0.3}},
                }
            ]
        },
    }
    reply = await api.post("experiments", spec)
    assert reply.code == 400, reply.body
    assert "xgboost has no hyperparameter eta" in reply.body["message"]
    spec["candidate_plan"] = {"candidates": []}
    reply = await api.post("experiments", spec)
    assert reply.code == 400
    listed = await api.get("experiments")
    assert listed.body["experiments"] == []


@pytest.mark.e2e
@pytest.mark.timeout(600)
@pytest.mark.slow
async def test_client_reruns_the_notebook_on_the_local_backend(
    api, client, jp_root_dir: Path, root_bank_sample_csv: str
):
    write_bank_notebook(jp_root_dir / "sm-job")
    imported = await asyncio.to_thread(client.import_sagemaker_notebook, NOTEBOOK)
    assert imported.plan is not None and len(imported.plan.candidates) == 3

    with pytest.raises(ValueError, match="dpp9-mlp"):
        await asyncio.to_thread(
            client.rerun_sagemaker_notebook,
            NOTEBOOK,
            root_bank_sample_csv,
            "nope",
            candidates=["dpp9-mlp"],
        )
    created = await asyncio.to_thread(
        client.rerun_sagemaker_notebook,
        NOTEBOOK,
        root_bank_sample_csv,
        "bank-rerun",
        candidates=["dpp0-xgboost", "dpp2-linear-learner"],
        # Both candidates get trials well inside the budget; the engine would otherwise
        # use the whole 45 s (it tunes until its budget or convergence).
        max_candidates=4,
        max_job_runtime_seconds=45,
        exclude_columns=["duration"],
    )
    assert created.spec.candidate_plan is not None
    assert [c.name for c in created.spec.candidate_plan.candidates] == [
        "dpp0-xgboost",
        "dpp2-linear-learner",
    ]
    body = await api.wait_for(
        "experiments/bank-rerun", lambda b: b["status"] in TERMINAL, timeout=300
    )
    assert body["status"] == "Completed", body.get("failure_reason")
    assert body["objective"]["metric"] == "F1"
    candidates = (await api.get("experiments/bank-rerun/candidates")).body["candidates"]
    names = {c["name"].rsplit("-t", 1)[0] for c in candidates if c["algorithm"] != "ensemble"}
    assert names == {"dpp0-xgboost", "dpp2-linear-learner"}
    stage = next(s for s in body["stages"] if s["name"] == "candidate_definitions")
    assert "dpp0-xgboost" in stage["message"] and "dpp1-xgboost" not in stage["message"]
    # A rerun keeps the plan.
    rerun = await api.post("experiments/bank-rerun/rerun")
    assert rerun.code in (200, 201), rerun.body
    assert rerun.body["spec"]["candidate_plan"]["candidates"][0]["name"] == "dpp0-xgboost"
    # The re-run's outcome is the first run's, asserted above: stop it instead of training again.
    await api.post("experiments/bank-rerun/stop")
    await api.wait_for("experiments/bank-rerun", lambda b: b["status"] in TERMINAL, timeout=300)
