"""Training insight through the REST API on the local backend (real worker, small budget):
boosting trials expose their learning curves and rule findings, the leaderboard the flags."""

from __future__ import annotations

import pytest
from support.openapi_check import validate_against

from jupyter_autopilot.openapi import openapi_document

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DOC = openapi_document()


async def wait_done(api, name: str, timeout: float = 300) -> dict:
    terminal = {"Completed", "Failed", "Stopped", "Interrupted"}
    return await api.wait_for(f"experiments/{name}", lambda b: b["status"] in terminal, timeout)


async def test_candidate_detail_returns_training_curves(api, cancer_csv, jp_root_dir):
    created = await api.post(
        "experiments",
        {"name": "insight", "input_uri": cancer_csv, "target": "diagnosis", "max_candidates": 4},
    )
    assert created.code == 201, created.body
    final = await wait_done(api, "insight")
    assert final["status"] == "Completed", final

    leaderboard = await api.get("experiments/insight/candidates")
    assert leaderboard.code == 200
    validate_against(DOC, "get", "/experiments/{name}/candidates", 200, leaderboard.body)
    candidates = leaderboard.body["candidates"]
    assert all(isinstance(c["training_flags"], list) for c in candidates)
    boosting = [
        c for c in candidates if c["algorithm"] == "lightgbm" and c["status"] == "Completed"
    ]
    assert boosting, [c["name"] for c in candidates]

    trial = boosting[0]
    detail = await api.get(f"experiments/insight/candidates/{trial['name']}")
    assert detail.code == 200, detail.body
    validate_against(DOC, "get", "/experiments/{name}/candidates/{candidate}", 200, detail.body)
    [curve] = detail.body["training_curves"]
    assert curve["metric"] == "binary_logloss" and curve["goal"] == "minimize"
    n = len(curve["iterations"])
    assert n >= 2 and len(curve["train"]) == len(curve["validation"]) == n
    assert curve["iterations"][0] == 1
    # The iteration kept by early stopping is the trial's number of rounds, and the best.
    assert curve["best_iteration"] == trial["hyperparameters"]["n_estimators"]
    kept = curve["validation"][curve["iterations"].index(curve["best_iteration"])]
    assert kept == pytest.approx(min(curve["validation"]))
    assert curve["train"][-1] < curve["train"][0]
    findings = detail.body["training_findings"]
    assert detail.body["training_flags"] == sorted(
        {f["rule"] for f in findings if f["severity"] == "warning"}
    )
    assert detail.body["training_flags"] == trial["training_flags"]

    linear = next(c for c in candidates if c["algorithm"] == "linear")
    detail = await api.get(f"experiments/insight/candidates/{linear['name']}")
    assert detail.code == 200 and detail.body["training_curves"] == []

    # A page still showing the experiment while it is deleted or re-run (which clears the
    # cached validation rows) gets a 409 saying so, not a 500 (seen in a UI test's log).
    out = jp_root_dir / "autopilot" / "experiments" / "insight"
    saved = sorted(out.glob("candidates/*/model.joblib"))
    assert saved, "no candidate kept its fitted model"
    (saved[0].parent / "detail.json").unlink(missing_ok=True)  # computed again on request
    (out / "cache" / "validation.joblib").unlink()
    gone = await api.get(f"experiments/insight/candidates/{saved[0].parent.name}")
    assert gone.code == 409, gone.body
    assert "no longer on disk" in gone.body["message"] and "Reload" in gone.body["message"]
