"""Every trial of every experiment: the pure table logic, then the REST route and the
client on a real server with two small real experiments."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest
from sklearn.datasets import load_iris, load_wine

from jupyter_autopilot import models as m
from jupyter_autopilot.backends.trials import filter_trials

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def summary(name: str, goal: str = "Maximize") -> m.ExperimentSummary:
    return m.ExperimentSummary(
        name=name,
        backend="local",
        status=m.ExperimentStatus.Completed,
        problem_type=m.ProblemType.multiclass,
        objective=m.ObjectiveInfo(metric=m.ObjectiveMetric.Accuracy, goal=goal),
        created_at=T0,
    )


def trial(name: str, minutes: int, accuracy: float | None, **hp) -> m.Candidate:
    return m.Candidate(
        name=name,
        status=m.CandidateStatus.Completed if accuracy is not None else m.CandidateStatus.Failed,
        algorithm=name.split("-")[0],
        hyperparameters=hp,
        objective_value=accuracy,
        metrics={} if accuracy is None else {"Accuracy": accuracy, "F1macro": accuracy - 0.01},
        started_at=T0 + timedelta(minutes=minutes),
    )


PAIRS = [
    (summary("alpha"), [trial("lightgbm-1", 1, 0.90, num_leaves=31), trial("linear-2", 2, 0.80)]),
    (summary("beta"), [trial("xgboost-1", 3, 0.95, max_depth=4), trial("lightgbm-2", 4, None)]),
]


def test_trials_carry_their_experiment_and_the_table_columns():
    table = filter_trials(PAIRS, m.ListTrialsQuery())
    assert table.total == 4
    assert [t.name for t in table.trials] == ["lightgbm-2", "xgboost-1", "linear-2", "lightgbm-1"]
    assert {t.name: t.experiment for t in table.trials}["xgboost-1"] == "beta"
    assert table.experiments == ["alpha", "beta"]
    assert table.hyperparameter_names == ["max_depth", "num_leaves"]
    assert table.metric_names == ["Accuracy", "F1macro"]
    assert table.trials[0].objective_goal == "Maximize"


def test_sort_by_a_metric_puts_trials_without_it_last_in_both_orders():
    for order, expected in (("desc", ["xgboost-1", "lightgbm-1", "linear-2"]), ("asc", None)):
        table = filter_trials(PAIRS, m.ListTrialsQuery(sort_by="F1macro", order=order))
        names = [t.name for t in table.trials]
        assert names[-1] == "lightgbm-2"
        assert names[:3] == (expected or ["linear-2", "lightgbm-1", "xgboost-1"])


def test_filters_search_and_paging():
    by_status = filter_trials(PAIRS, m.ListTrialsQuery(status=m.CandidateStatus.Failed))
    assert [t.name for t in by_status.trials] == ["lightgbm-2"]
    by_algorithm = filter_trials(PAIRS, m.ListTrialsQuery(algorithm="lightgbm"))
    assert {t.name for t in by_algorithm.trials} == {"lightgbm-1", "lightgbm-2"}
    searched = filter_trials(PAIRS, m.ListTrialsQuery(search="BET"))
    assert {t.experiment for t in searched.trials} == {"beta"}
    assert searched.experiments == ["beta"]
    page = filter_trials(PAIRS, m.ListTrialsQuery(sort_by="name", order="asc", limit=2, offset=1))
    assert [t.name for t in page.trials] == ["lightgbm-2", "linear-2"]
    assert page.total == 4


def test_experiments_filter_accepts_a_comma_separated_string():
    assert m.ListTrialsQuery.model_validate({"experiments": "a, b"}).experiments == ["a", "b"]


def write_csv(root: Path, name: str, frame: pd.DataFrame) -> str:
    path = root / "data" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return f"data/{name}.csv"


@pytest.mark.e2e
@pytest.mark.timeout(600)
async def test_trials_route_and_client_across_two_real_experiments(api, client, jp_root_dir):
    iris = write_csv(jp_root_dir, "iris", load_iris(as_frame=True).frame)
    wine = write_csv(jp_root_dir, "wine", load_wine(as_frame=True).frame)
    for name, uri in (("iris-run", iris), ("wine-run", wine)):
        created = await api.post(
            "experiments",
            {"name": name, "input_uri": uri, "target": "target", "max_candidates": 3},
        )
        assert created.code == 201, created.body
    for name in ("iris-run", "wine-run"):
        body = await api.wait_for(
            f"experiments/{name}",
            lambda b: b["status"] not in ("Queued", "InProgress", "Stopping"),
        )
        assert body["status"] == "Completed", body

    everything = (await api.get("trials")).body
    assert everything["experiments"] == ["iris-run", "wine-run"]
    per_experiment = {
        name: len((await api.get(f"experiments/{name}/candidates")).body["candidates"])
        for name in ("iris-run", "wine-run")
    }
    assert everything["total"] == sum(per_experiment.values()) >= 4
    assert "Accuracy" in everything["metric_names"]
    assert everything["hyperparameter_names"], everything
    best = [t for t in everything["trials"] if t["is_best"]]
    assert sorted(t["experiment"] for t in best) == ["iris-run", "wine-run"]

    only_wine = (await api.get("trials", params={"experiments": "wine-run"})).body
    assert {t["experiment"] for t in only_wine["trials"]} == {"wine-run"}
    by_accuracy = (await api.get("trials", params={"sort_by": "Accuracy"})).body["trials"]
    values = [t["metrics"]["Accuracy"] for t in by_accuracy if "Accuracy" in t["metrics"]]
    assert values == sorted(values, reverse=True)

    unknown = await api.get("trials", params={"experiments": "wine-run,nope"})
    assert unknown.code == 404 and "nope" in unknown.body["message"]
    bad = await api.get("trials", params={"order": "sideways"})
    assert bad.code == 400 and "order" in bad.body["message"]

    frame = await asyncio.to_thread(client.trials_frame, experiments=["iris-run"])
    assert set(frame["experiment"]) == {"iris-run"}
    assert len(frame) == per_experiment["iris-run"]
    assert {"name", "algorithm", "objective", "validation:Accuracy"} <= set(frame.columns)
    assert any(column.startswith("hp:") for column in frame.columns)
    csv = jp_root_dir / "trials.csv"
    frame.to_csv(csv, index=False)
    assert len(pd.read_csv(csv)) == len(frame)
