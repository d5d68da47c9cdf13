"""Sample weights (Autopilot V2's `SampleWeightAttributeName`, issue #18 item 1).

A weight column is validated at create time (400 naming what to fix), left out of the
features, used by every fit and every leaderboard metric (so in choosing the best), and
the candidate definitions notebook reproduces every weighted metric. Predictions never
need the weight column.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import joblib
import nbformat
import numpy as np
import pandas as pd
import pytest

from jupyter_autopilot.engine import JobConfig, load_model, run_job
from jupyter_autopilot.engine.metrics import (
    CLASSIFICATION_METRICS,
    REGRESSION_METRICS,
    best_f1_threshold,
    objective_score,
    score_all,
)

sys.path.insert(0, str(Path(__file__).parent / "engine"))
from engine_testdata import reproduce_every_metric
from support.sample_data import weighted_frame


# -- metrics ------------------------------------------------------------------------------
def test_weighted_metrics_equal_repeated_rows_and_the_fast_path() -> None:
    """Integer weights count like repeated rows, in every metric and in the F1 threshold;
    the numpy fast path (ensemble selection) agrees with scikit-learn's."""
    rng = np.random.default_rng(1)
    n = 300
    y = rng.integers(0, 2, n)
    p = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1)
    proba = np.column_stack([1 - p, p])
    # Negatives count more: the best F1 cut moves up.
    w = np.where(y == 0, rng.integers(1, 5, n), rng.integers(0, 2, n)).astype(float)
    repeat = np.repeat(np.arange(n), w.astype(int))
    threshold = best_f1_threshold(y, p, w)
    assert threshold == best_f1_threshold(y[repeat], p[repeat])
    assert threshold != best_f1_threshold(y, p)
    weighted = score_all("binary", y, proba, threshold, w)
    repeated = score_all("binary", y[repeat], proba[repeat], threshold)
    assert weighted == pytest.approx(repeated, rel=1e-9)
    assert weighted != pytest.approx(score_all("binary", y, proba, threshold), rel=1e-6)
    for metric in CLASSIFICATION_METRICS["binary"]:
        fast = objective_score("binary", metric, y, proba, threshold, w)
        assert fast == pytest.approx(weighted[metric], rel=1e-9), metric

    classes = rng.integers(0, 3, n)
    multi = rng.dirichlet([1, 1, 1], n)
    weighted = score_all("multiclass", classes, multi, None, w)
    assert weighted == pytest.approx(score_all("multiclass", classes[repeat], multi[repeat]))
    for metric in ("Accuracy", "LogLoss"):
        fast = objective_score("multiclass", metric, classes, multi, None, w)
        assert fast == pytest.approx(weighted[metric], rel=1e-9)

    target = rng.normal(size=n)
    pred = target + rng.normal(scale=0.5, size=n)
    weighted = score_all("regression", target, pred, None, w)
    assert weighted == pytest.approx(score_all("regression", target[repeat], pred[repeat]))
    for metric in REGRESSION_METRICS:
        fast = objective_score("regression", metric, target, pred, None, w)
        assert fast == pytest.approx(weighted[metric], rel=1e-9)


# -- the engine ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def weighted_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[JobConfig, Any]:
    """One small complete weighted run (7 trials, then the ensemble and bagging)."""
    folder = tmp_path_factory.mktemp("weighted")
    path = folder / "weighted.csv"
    weighted_frame().to_csv(path, index=False)
    config = JobConfig(
        data_path=path,
        output_dir=folder / "out",
        target="label",
        sample_weight="wt",
        max_candidates=7,
        max_job_runtime_seconds=600,
        experiment_name="weighted",
    )
    return config, run_job(config)


def _independent_scores(model: Any, frame: pd.DataFrame, y: np.ndarray, w: np.ndarray) -> dict:
    """Weighted metrics computed with scikit-learn directly (not the engine's helpers)."""
    from sklearn import metrics as skm

    proba = model.predict_proba(frame)
    pred = (
        (proba[:, 1] >= model.threshold).astype(int)
        if model.threshold is not None
        else proba.argmax(1)
    )
    return {
        "Accuracy": skm.accuracy_score(y, pred, sample_weight=w),
        "AUC": skm.roc_auc_score(y, proba[:, 1], sample_weight=w),
        "F1": skm.f1_score(y, pred, sample_weight=w),
        "LogLoss": skm.log_loss(y, proba, sample_weight=w),
        "Precision": skm.precision_score(y, pred, sample_weight=w),
        "Recall": skm.recall_score(y, pred, sample_weight=w),
        "BalancedAccuracy": skm.balanced_accuracy_score(y, pred, sample_weight=w),
    }


def test_weighted_run_leaves_out_rows_and_the_column(weighted_run) -> None:
    config, result = weighted_run
    assert result.n_rows == 598  # two rows without a usable weight are left out
    assert result.n_features == 3
    [warning] = [w for w in result.warnings if w.code == "weight_missing"]
    assert warning.column == "wt" and "2 rows" in warning.message
    model = load_model(result.model_path, result.model_sha256)
    assert "wt" not in model.feature_columns
    rows = weighted_frame().head(20)
    # Predictions never need the weight column: accepted and ignored when present.
    with_weight = model.predict_proba(rows)
    without = model.predict_proba(rows.drop(columns=["wt", "label"]))
    assert np.array_equal(with_weight, without)
    exploration = nbformat.read(config.output_dir / "data_exploration.ipynb", as_version=4)
    text = "\n".join(c.source for c in exploration.cells)
    assert "Sample weight column | wt" in text and "sample weight" in text
    assert '"wt"' not in next(c.source for c in exploration.cells if "numeric = " in c.source)


def test_leaderboard_metrics_are_weighted(weighted_run) -> None:
    """Every leaderboard metric of a saved candidate equals scikit-learn's weighted metric
    on the validation rows, and differs from the unweighted one (weights matter)."""
    config, result = weighted_run
    saved = joblib.load(config.output_dir / "cache" / "validation.joblib")
    frame, y, w = saved["frame"], np.asarray(saved["y"]), saved["weights"]
    assert w is not None and len(w) == len(y) and (w == 0).any()
    checked = 0
    for candidate in result.candidates:
        folder = config.output_dir / "candidates" / candidate.name
        if candidate.name.startswith("bagged") or not (folder / "model.joblib").is_file():
            continue  # the bagged model is scored out-of-fold on every row
        model = load_model(folder / "model.joblib")
        expected = _independent_scores(model, frame, y, w)
        # (LogLoss: the engine clips float32 probabilities; 1e-6 covers that.)
        assert candidate.metrics == pytest.approx(expected, rel=1e-6), candidate.name
        unweighted = _independent_scores(model, frame, y, np.ones(len(y)))
        assert abs(unweighted["AUC"] - expected["AUC"]) > 1e-3
        checked += 1
    assert checked >= 2
    best = result.candidates[0]
    assert best.name == result.best_candidate
    assert best.objective_value == max(
        c.objective_value for c in result.candidates if c.objective_value is not None
    ) or best.name.startswith("bagged")


def test_insight_charts_are_weighted(weighted_run) -> None:
    """The insights (confusion matrix, ROC and precision-recall curves) weigh each row as
    the leaderboard does, and say so: the job's report, and a saved candidate's insights
    checked against scikit-learn's weighted curves."""
    from sklearn import metrics as skm

    from jupyter_autopilot.engine.explain import model_insights

    config, result = weighted_run
    report = json.loads((config.output_dir / "reports" / "model_insights.json").read_text())
    assert report["weighted"] is True
    saved = joblib.load(config.output_dir / "cache" / "validation.joblib")
    frame, y, w = saved["frame"], np.asarray(saved["y"]), saved["weights"]
    # The best model's cells are sums of weights: of the validation rows, or of every row
    # when the best is the bagged model (scored out of fold).
    every_row = pd.to_numeric(weighted_frame()["wt"], errors="coerce").sum()
    total = np.array(report["confusion_matrix"]["matrix"]).sum()
    assert total == pytest.approx(
        every_row if result.best_candidate.startswith("bagged") else w.sum()
    )
    single = next(
        c.name
        for c in result.candidates
        if (config.output_dir / "candidates" / c.name / "model.joblib").is_file()
        and not c.name.startswith(("bagged", "ensemble"))
    )
    model = load_model(config.output_dir / "candidates" / single / "model.joblib")
    weighted = model_insights(model, frame, y, sample_weight=w)
    plain = model_insights(model, frame, y)
    proba = model.predict_proba(frame)[:, 1]
    assert weighted.weighted is True and plain.weighted is False
    assert np.array(weighted.confusion_matrix.matrix).sum() == pytest.approx(w.sum())
    assert np.array(plain.confusion_matrix.matrix).sum() == len(y)
    assert weighted.roc_curve.area == pytest.approx(
        skm.roc_auc_score(y, proba, sample_weight=w), rel=1e-6
    )
    assert weighted.pr_curve.area == pytest.approx(
        skm.average_precision_score(y, proba, sample_weight=w), rel=1e-6
    )
    assert abs(plain.roc_curve.area - weighted.roc_curve.area) > 1e-3


def test_notebook_reproduces_every_weighted_metric(weighted_run, tmp_path: Path) -> None:
    """The candidate definitions notebook refits every tuned candidate (and the ensemble and
    bagged model) with the weights; every one of their weighted metrics matches."""
    config, result = weighted_run
    source = config.output_dir / "candidate_definitions.ipynb"
    notebook = nbformat.read(source, as_version=4)
    assert any("WEIGHT = 'wt'" in c.source for c in notebook.cells)
    every = reproduce_every_metric(source)["metrics"]
    by_name = {c.name: c for c in result.candidates}
    assert len(every) >= 3 and any(n.startswith(("ensemble", "bagged")) for n in every)
    for name, metrics in every.items():
        assert metrics == pytest.approx(by_name[name].metrics, rel=1e-6), name


# -- the REST API and the client -----------------------------------------------------------
@pytest.fixture
def weighted_csv(jp_root_dir: Path) -> str:
    """The weighted data under the server root, plus bad variants of its weight column."""
    folder = jp_root_dir / "data"
    folder.mkdir(parents=True, exist_ok=True)
    frame = weighted_frame()
    frame.to_csv(folder / "weighted.csv", index=False)
    frame.assign(wt=frame["wt"].where(frame.index != 5, -2.0)).to_csv(
        folder / "negative.csv", index=False
    )
    frame.assign(wt=0).to_csv(folder / "zeros.csv", index=False)
    frame.assign(wt="heavy").to_csv(folder / "words.csv", index=False)
    return "data/weighted.csv"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"sample_weight": "weight"}, "sample weight column 'weight' (did you mean 'wt'?)"),
        ({"sample_weight": "label"}, "cannot also be the sample weight column"),
        ({"input_uri": "data/negative.csv"}, "negative weight, -2 in data row 6"),
        ({"input_uri": "data/zeros.csv"}, "Every weight in the sample weight column 'wt' is zero"),
        ({"input_uri": "data/words.csv"}, "holds no numbers"),
    ],
)
async def test_bad_weight_columns_are_400_before_any_work(
    api, weighted_csv: str, changes: dict[str, Any], words: str
) -> None:
    spec = {"name": "weighted", "input_uri": weighted_csv, "target": "label", "sample_weight": "wt"}
    spec.update(changes)
    for path in ("validation/experiment", "experiments"):
        reply = await api.post(path, spec)
        assert reply.code == 400, reply.body
        assert words in reply.body["message"], reply.body
        assert "sample_weight" in json.dumps(reply.body.get("details", [])), reply.body
    assert (await api.get("experiments")).body["total"] == 0


async def test_validation_reports_rows_left_out(api, weighted_csv: str) -> None:
    spec = {"name": "weighted", "input_uri": weighted_csv, "target": "label", "sample_weight": "wt"}
    reply = await api.post("validation/experiment", spec)
    assert reply.code == 200, reply.body
    [warning] = [w for w in reply.body["warnings"] if w["code"] == "weight_missing"]
    assert warning["column"] == "wt" and "2 rows" in warning["message"]


async def test_client_creates_a_weighted_experiment(client, weighted_csv: str, api) -> None:
    """`sample_weight=` through the Python client; the experiment shows it and its
    leaderboard is weighted (an endpoint-free check: the candidates' metrics exist)."""
    import asyncio

    created = await asyncio.to_thread(
        client.create_experiment,
        name="weighted-client",
        input_uri=weighted_csv,
        target="label",
        sample_weight="wt",
        max_candidates=3,
        max_job_runtime_seconds=120,
        training_mode="hyperparameter_tuning",
    )
    assert created.spec.sample_weight == "wt"
    final = await api.wait_for(
        "experiments/weighted-client",
        lambda body: body["status"] in ("Completed", "Failed", "Stopped", "Interrupted"),
        timeout=300,
    )
    assert final["status"] == "Completed", final
    assert final["spec"]["sample_weight"] == "wt"
    assert any(w["code"] == "weight_missing" for w in final["warnings"])
