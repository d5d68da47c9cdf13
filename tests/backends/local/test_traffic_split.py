"""Production variants on a local endpoint: two candidates behind one name with a traffic
split, per-variant numbers, promotion, and the errors that say what to fix."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from jupyter_autopilot.engine import load_model

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


async def test_two_candidates_behind_one_endpoint(api, jp_root_dir: Path, client):
    frame = load_breast_cancer(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "malignant", 1: "benign"})
    frame.to_csv(jp_root_dir / "cancer.csv", index=False)
    spec = {"name": "ab", "input_uri": "cancer.csv", "target": "target", "max_candidates": 6}
    assert (await api.post("experiments", spec)).code == 201
    final = await api.wait_for(
        "experiments/ab", lambda b: b["status"] not in ("Queued", "InProgress")
    )
    assert final["status"] == "Completed", final
    best = final["best_candidate"]["name"]
    experiment_dir = jp_root_dir / "autopilot" / "experiments" / "ab"
    saved = sorted(p.parent.name for p in experiment_dir.glob("candidates/*/model.joblib"))
    assert saved, "the top candidates' models are kept for deployment"
    challenger = saved[0]
    board = (await api.get("experiments/ab/candidates")).body["candidates"]
    assert {c["name"] for c in board if c["deployable"]} == {*saved, best}
    assert len(board) > len(saved) + 1, "some trials keep no model"

    both = await api.post(
        "experiments/ab/deploy",
        {"candidate": best, "variants": [{"candidate": best}, {"candidate": challenger}]},
    )
    assert both.code == 400 and "either candidate or variants" in both.body["message"]
    ghost = await api.post(
        "experiments/ab/deploy",
        {"endpoint_name": "ghost", "variants": [{"candidate": best}, {"candidate": "nope"}]},
    )
    assert ghost.code == 404 and "nope" in ghost.body["message"]
    assert (await api.get("endpoints/ghost")).code == 404  # nothing left behind

    request = {
        "endpoint_name": "ab-test",
        "variants": [
            {"candidate": best, "name": "champion", "weight": 1},
            {"candidate": challenger, "name": "challenger", "weight": 1},
        ],
    }
    assert (await api.post("experiments/ab/deploy", request)).code == 202
    endpoint = await api.wait_for("endpoints/ab-test", lambda b: b["status"] != "Creating", 120)
    assert endpoint["status"] == "InService", endpoint
    assert [(v["name"], v["traffic_share"]) for v in endpoint["variants"]] == [
        ("champion", 0.5),
        ("challenger", 0.5),
    ]
    assert endpoint["variants"][1]["candidate"] == challenger
    assert endpoint["variants"][1]["metrics"], "validation metrics side by side"

    models = {
        "champion": load_model(experiment_dir / "model" / "model.joblib"),
        "challenger": load_model(experiment_dir / "candidates" / challenger / "model.joblib"),
    }
    rows = frame.drop(columns="target").sample(60, random_state=1)
    served: dict[str, int] = {"champion": 0, "challenger": 0}
    for _, row in rows.iterrows():
        reply = await api.post(
            "endpoints/ab-test/invocations",
            raw=",".join(str(v) for v in row.to_numpy()),
            headers={"Content-Type": "text/csv"},
        )
        assert reply.code == 200, reply.body
        variant = reply.headers["X-Autopilot-Invoked-Variant"]
        served[variant] += 1
        expected = models[variant].predict_proba(pd.DataFrame([row]))[0, 1]
        assert reply.body["predictions"][0]["probability"] == pytest.approx(expected)
    assert min(served.values()) >= 10, served  # ~30 each at 50/50
    described = (await api.get("endpoints/ab-test")).body
    counts = {v["name"]: v["invocation_count"] for v in described["variants"]}
    assert counts == served and described["invocation_count"] == 60
    assert all(v["latency"]["samples"] == served[v["name"]] for v in described["variants"])

    # Promote the challenger through the client: all traffic moves at once.
    promoted = await asyncio.to_thread(client.promote, "ab-test", "challenger")
    assert {v.name: v.traffic_share for v in promoted.variants} == {
        "champion": 0.0,
        "challenger": 1.0,
    }
    # The challenger can also leave for SageMaker, as a model.tar.gz next to its experiment.
    exported = await asyncio.to_thread(client.export_model, "ab", challenger)
    assert exported.candidate == challenger and (jp_root_dir / exported.path).is_file()
    for _ in range(10):
        reply = await api.post(
            "endpoints/ab-test/invocations",
            raw=",".join(str(v) for v in rows.iloc[0].to_numpy()),
            headers={"Content-Type": "text/csv"},
        )
        assert reply.headers["X-Autopilot-Invoked-Variant"] == "challenger"

    unknown = await api.put("endpoints/ab-test/traffic", {"weights": {"other": 1}})
    assert unknown.code == 400 and "champion" in unknown.body["message"]
    zero = await api.put("endpoints/ab-test/traffic", {"weights": {"challenger": 0}})
    assert zero.code == 400 and "above 0" in zero.body["message"]
    assert (await api.get("endpoints/ab-test")).body["variants"][1]["weight"] == 1.0

    single = {"endpoint_name": "solo"}
    assert (await api.post("experiments/ab/deploy", single)).code == 202
    not_split = await api.put("endpoints/solo/traffic", {"weights": {"AllTraffic": 1}})
    assert not_split.code == 409 and "variants" in not_split.body["message"]
    for name in ("ab-test", "solo"):
        assert (await api.delete(f"endpoints/{name}")).code == 200
    assert not (jp_root_dir / "autopilot" / "endpoints" / "ab-test").exists()
