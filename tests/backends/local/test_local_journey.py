"""The tutorial journey through the REST API on the local backend, for real:
bank data -> four stages -> leaderboard -> notebooks -> deploy -> predict -> clean up."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import psutil
import pytest
from support.openapi_check import validate_against

from jupyter_autopilot.engine import load_model
from jupyter_autopilot.openapi import openapi_document

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]

DOC = openapi_document()


def bank_rows(csv_path: Path, n: int) -> pd.DataFrame:
    return pd.read_csv(csv_path, sep=";").sample(n, random_state=1)


async def test_tutorial_journey(api, root_bank_csv, jp_root_dir):
    # Step 3: preview the file (delimiter detected, types, missing values, first rows).
    preview = await api.post("datasets/preview", {"uri": root_bank_csv, "rows": 10})
    assert preview.code == 200, preview.body
    assert preview.body["delimiter"] == ";"
    assert len(preview.body["rows"]) == 10
    assert "y" in [c["name"] for c in preview.body["columns"]]
    validate_against(DOC, "post", "/datasets/preview", 200, preview.body)

    # Step 4: create the experiment with a small budget.
    spec = {
        "name": "tutorial-autopilot",
        "input_uri": root_bank_csv,
        "target": "y",
        "max_candidates": 6,
        "max_job_runtime_seconds": 120,
        "tags": [{"key": "project", "value": "tutorial"}],
    }
    created = await api.post("experiments", spec)
    assert created.code == 201, created.body
    assert created.body["status"] in ("Queued", "InProgress")
    assert [s["title"] for s in created.body["stages"]] == [
        "Pre-processing",
        "Candidate Definitions Generated",
        "Feature Engineering",
        "Model Tuning",
    ]
    validate_against(DOC, "post", "/experiments", 201, created.body)
    duplicate = await api.post("experiments", spec)
    assert duplicate.code == 409

    # Step 5: watch the stages until the end.
    seen_running: set[str] = set()

    def finished(body):
        for stage in body["stages"]:
            if stage["status"] == "running":
                seen_running.add(stage["name"])
        return body["status"] in ("Completed", "Failed", "Stopped", "Interrupted")

    final = await api.wait_for(
        "experiments/tutorial-autopilot", finished, timeout=600, interval=0.5
    )
    assert final["status"] == "Completed", final
    assert [s["status"] for s in final["stages"]] == ["done"] * 4
    for stage in final["stages"]:
        assert stage["started_at"] <= stage["ended_at"]
    assert final["problem_type"] == "binary"
    assert final["objective"] == {"metric": "F1", "goal": "Maximize"}
    assert any(w["column"] == "duration" for w in final["warnings"]), final["warnings"]
    validate_against(DOC, "get", "/experiments/{name}", 200, final)

    listed = await api.get("experiments")
    assert [e["name"] for e in listed.body["experiments"]] == ["tutorial-autopilot"]
    assert (
        listed.body["experiments"][0]["best_candidate"]["name"] == final["best_candidate"]["name"]
    )

    leaderboard = await api.get("experiments/tutorial-autopilot/candidates")
    assert leaderboard.code == 200
    candidates = leaderboard.body["candidates"]
    completed = [c for c in candidates if c["status"] == "Completed"]
    assert 2 <= len(completed) <= 7  # 6 trials (+ an ensemble when it helps)
    values = [c["objective_value"] for c in completed]
    assert values == sorted(values, reverse=True)
    assert completed[0]["rank"] == 1
    assert sum(c["is_best"] for c in candidates) == 1
    assert {"F1", "AUC"} <= set(completed[0]["metrics"])
    validate_against(DOC, "get", "/experiments/{name}/candidates", 200, leaderboard.body)

    best = final["best_candidate"]["name"]
    detail = await api.get(f"experiments/tutorial-autopilot/candidates/{best}")
    assert detail.code == 200
    assert detail.body["feature_importance"]
    assert detail.body["insights"]["confusion_matrix"]["labels"] == ["no", "yes"]
    assert detail.body["insights"]["roc_curve"]["area"] > 0.9
    validate_against(DOC, "get", "/experiments/{name}/candidates/{candidate}", 200, detail.body)

    artifacts = await api.get("experiments/tutorial-autopilot/artifacts")
    by_kind = {a["kind"]: a for a in artifacts.body["artifacts"]}
    for kind in ("data_exploration_notebook", "candidate_definitions_notebook", "model"):
        assert by_kind[kind]["available"], kind
        assert (jp_root_dir / by_kind[kind]["path"]).is_file()
    assert by_kind["data_exploration_notebook"]["path"] == (
        "autopilot/experiments/tutorial-autopilot/data_exploration.ipynb"
    )

    # Step 6: deploy the best candidate.
    deployed = await api.post(
        "experiments/tutorial-autopilot/deploy", {"endpoint_name": "tutorial-endpoint"}
    )
    assert deployed.code == 202, deployed.body
    assert deployed.body["status"] == "Creating"
    assert deployed.body["candidate"] == best
    endpoint = await api.wait_for(
        "endpoints/tutorial-endpoint",
        lambda b: b["status"] != "Creating",
        timeout=120,
        interval=0.5,
    )
    assert endpoint["status"] == "InService", endpoint
    pid = int(endpoint["backend_details"]["pid"])
    assert psutil.pid_exists(pid)
    listening = {c.laddr.ip for c in psutil.Process(pid).net_connections() if c.status == "LISTEN"}
    assert listening == {"127.0.0.1"}
    assert "y" not in endpoint["input_columns"] and "age" in endpoint["input_columns"]

    # Step 7: predictions match the model loaded directly.
    rows = bank_rows(jp_root_dir / root_bank_csv, 25)
    features = rows.drop(columns="y")
    body = features.to_csv(index=False, header=False, sep=",")
    invoked = await api.post(
        "endpoints/tutorial-endpoint/invocations",
        raw=body.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert invoked.code == 200, invoked.body
    predictions = invoked.body["predictions"]
    model = load_model(jp_root_dir / by_kind["model"]["path"])
    expected_labels = list(model.predict(features))
    expected_proba = model.predict_proba(features)[:, 1]
    assert [p["predicted_label"] for p in predictions] == expected_labels
    assert [p["probability"] for p in predictions] == pytest.approx(list(expected_proba), abs=1e-9)
    validate_against(DOC, "post", "/endpoints/{name}/invocations", 200, invoked.body)

    # JSON records with the target present (ignored) and CSV output.
    records = json.loads(rows.head(3).to_json(orient="records"))
    as_csv = await api.post(
        "endpoints/tutorial-endpoint/invocations",
        raw=json.dumps({"instances": records}).encode(),
        headers={"Content-Type": "application/json", "Accept": "text/csv"},
        params={"keys": "predicted_label,probabilities,labels"},
    )
    assert as_csv.code == 200
    lines = list(csv.reader(io.StringIO(as_csv.body)))
    assert [line[0] for line in lines] == expected_labels[:3]
    assert json.loads(lines[0][2]) == ["no", "yes"]

    # Bad bodies get clear 4xx.
    missing = await api.post(
        "endpoints/tutorial-endpoint/invocations",
        raw=json.dumps({"instances": [{"age": 30}]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert missing.code == 400 and "job" in missing.body["message"]
    short = await api.post(
        "endpoints/tutorial-endpoint/invocations",
        raw=b"1,2,3\n",
        headers={"Content-Type": "text/csv"},
    )
    assert short.code == 400 and "training order" in short.body["message"]
    wrong_type = await api.post(
        "endpoints/tutorial-endpoint/invocations", raw=b"x", headers={"Content-Type": "text/plain"}
    )
    assert wrong_type.code == 415

    # Batch predictions: a CSV next to the input.
    batch_input = jp_root_dir / "to-score.csv"
    rows.head(200 if len(rows) > 200 else len(rows)).to_csv(batch_input, sep=";", index=False)
    started = await api.post(
        "endpoints/tutorial-endpoint/batch-predictions", {"input_path": "to-score.csv"}
    )
    assert started.code == 202, started.body
    batch = await api.wait_for(
        f"batch-predictions/{started.body['id']}",
        lambda b: b["status"] != "InProgress",
        timeout=600,
        interval=0.5,
    )
    assert batch["status"] == "Completed", batch
    scored = pd.read_csv(jp_root_dir / batch["output_path"], sep=";")
    assert list(scored["predicted_label"]) == expected_labels[: len(scored)]
    assert batch["rows_done"] == batch["rows_total"] == len(scored)

    described = await api.get("endpoints/tutorial-endpoint")
    assert described.body["invocation_count"] >= 3
    assert described.body["latency"]["p50_ms"] > 0

    # Step 8: clean up everything the experiment created.
    plan = await api.get("experiments/tutorial-autopilot/cleanup")
    kinds = {item["kind"] for item in plan.body["items"]}
    assert {"endpoint", "directory"} <= kinds
    validate_against(DOC, "get", "/experiments/{name}/cleanup", 200, plan.body)
    result = await api.post("experiments/tutorial-autopilot/cleanup", {"delete_experiment": True})
    assert result.code == 200, result.body
    assert result.body["failed"] == []
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert (await api.get("endpoints")).body == {"endpoints": []}
    assert (await api.get("experiments/tutorial-autopilot")).code == 404
    assert not (jp_root_dir / "autopilot" / "experiments" / "tutorial-autopilot").exists()
    assert not (jp_root_dir / "autopilot" / "endpoints" / "tutorial-endpoint").exists()
