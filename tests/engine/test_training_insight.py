"""Training insight on real (small) runs: curves recorded per boosting trial, rules applied,
exposed by `describe_candidate`, flagged on the leaderboard and shown in the notebook."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from sklearn import datasets

from jupyter_autopilot.engine import JobConfig, describe_candidate, run_job
from jupyter_autopilot.engine.notebooks.common import md
from jupyter_autopilot.engine.training_insight import MAX_CURVE_POINTS, TRAINING_FILE
from jupyter_autopilot.engine.training_rules import warning_flags
from jupyter_autopilot.models import CandidateStatus, ObjectiveMetric

#: CatBoost records curves too, but small capped runs do not always reach its trials.
BOOSTING = {"lightgbm", "xgboost", "catboost"}
#: Families with a learning curve: boosting (per round) and the perceptron (per epoch).
CURVES = BOOSTING | {"mlp"}


def _check_curves(
    output_dir: Path,
    candidates: list,
    metrics: dict[str, str | tuple[str, str]],
    goal: str,
    required: frozenset[str] = frozenset({"lightgbm", "xgboost"}),
) -> None:
    """Every completed boosting or perceptron trial has one consistent curve; no other
    candidate has any; the `required` families were among them.

    `metrics`: each family's curve metric, or (metric, goal) when its curve is not the
    metric early stopping used (then the kept round need not be the curve's best)."""
    seen = set()
    for candidate in candidates:
        if candidate.status is not CandidateStatus.Completed:
            continue
        detail = describe_candidate(output_dir, candidate.name)
        assert detail.training_flags == warning_flags(detail.training_findings)
        if candidate.algorithm not in CURVES:
            assert detail.training_curves == [], candidate.name  # forests, linear, ensemble
            continue
        seen.add(candidate.algorithm)
        assert (output_dir / "candidates" / candidate.name / TRAINING_FILE).is_file()
        [curve] = detail.training_curves
        expected = metrics[candidate.algorithm]
        metric, curve_goal = expected if isinstance(expected, tuple) else (expected, goal)
        assert curve.metric == metric and curve.goal == curve_goal
        n = len(curve.iterations)
        assert 2 <= n <= MAX_CURVE_POINTS + 1 and len(curve.train) == len(curve.validation) == n
        assert curve.iterations[0] == 1 and curve.iterations == sorted(set(curve.iterations))
        # The iteration kept is the number of rounds the trial reports (a perceptron keeps
        # its best epoch of those it trained), and early stopping kept it because it had
        # the best validation score of the whole curve.
        if candidate.algorithm == "mlp":
            assert curve.best_iteration <= candidate.hyperparameters["max_iter"] == n
        else:
            assert curve.best_iteration == candidate.hyperparameters["n_estimators"]
        if curve_goal == goal:
            at = curve.iterations.index(curve.best_iteration)
            best = min(curve.validation) if goal == "minimize" else max(curve.validation)
            assert curve.validation[at] == pytest.approx(best, rel=1e-9)
        # Boosting and the perceptron fit the training data better and better.
        if curve_goal == "minimize":
            assert curve.train[-1] < curve.train[0]
        else:
            assert curve.train[-1] > curve.train[0]
        assert curve.train_rows is not None and curve.train_rows > 0
    assert required <= seen, seen


def test_mixed_run_records_boosting_curves(mixed_run) -> None:
    config, reporter, result = mixed_run
    _check_curves(
        config.output_dir,
        result.candidates,
        {"lightgbm": "binary_logloss", "xgboost": "logloss", "catboost": "Logloss"}
        | {"mlp": "logloss"},
        "minimize",
    )
    # The whole (small) training split is measured: 600 rows, 20 % for validation.
    lightgbm = next(c for c in result.candidates if c.algorithm == "lightgbm" and c.rank)
    assert describe_candidate(config.output_dir, lightgbm.name).training_curves[0].train_rows == 480
    # The worker reports the flags with each trial, so the leaderboard can show them.
    for name, candidate in reporter.candidates.items():
        stored = next(c for c in result.candidates if c.name == name)
        assert candidate.training_flags == stored.training_flags


def test_regression_curves_use_the_squared_error(tmp_path: Path) -> None:
    bunch = datasets.load_diabetes(as_frame=True)
    path = tmp_path / "diabetes.csv"
    bunch.frame.to_csv(path, index=False)
    config = JobConfig(
        data_path=path, output_dir=tmp_path / "out", target="target", max_candidates=4
    )
    result = run_job(config)
    _check_curves(
        config.output_dir,
        result.candidates,
        {"lightgbm": "l2", "xgboost": "rmse", "catboost": "RMSE", "mlp": "mse"},
        "minimize",
        # Four trials on 442 rows: LightGBM, the linear model, the SVM and the perceptron.
        required=frozenset({"lightgbm", "mlp"}),
    )


def imbalanced_frame(n: int = 1000, seed: int = 0) -> pd.DataFrame:
    """8 % of the rows are "rare", with a weak signal: models mostly predict "common"."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    score = 0.6 * x[:, 0] + rng.normal(size=n)
    label = np.where(score > np.quantile(score, 0.92), "rare", "common")
    return pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "label": label})


def test_imbalanced_run_flags_the_ignored_class_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "imbalanced.csv"
    imbalanced_frame().to_csv(path, index=False)
    config = JobConfig(
        data_path=path,
        output_dir=tmp_path / "out",
        target="label",
        objective_metric=ObjectiveMetric.AUC,  # no threshold tuning: argmax ignores "rare"
        max_candidates=5,
        experiment_name="imbalanced",
    )
    result = run_job(config)
    out = config.output_dir
    # AUC is the objective, so boosting stops early on AUC: curves to maximise. CatBoost's
    # curve is its loss (it computes no AUC on the training rows); it stops on AUC too.
    _check_curves(
        out,
        result.candidates,
        {"lightgbm": "auc", "xgboost": "auc", "catboost": ("Logloss", "minimize")}
        | {"mlp": ("logloss", "minimize")},
        "maximize",
    )
    completed = [c for c in result.candidates if c.status is CandidateStatus.Completed]
    assert any(c.is_ensemble for c in completed)
    for candidate in completed:  # every model, the ensemble included, misses the rare class
        assert "class_imbalance" in candidate.training_flags, candidate.name
        detail = describe_candidate(out, candidate.name)
        [finding] = [f for f in detail.training_findings if f.rule == "class_imbalance"]
        assert finding.severity == "warning" and "'rare'" in finding.message
        assert "BalancedAccuracy" in finding.suggestion
    leaderboard = json.loads((out / "reports" / "leaderboard.json").read_text())
    assert all("class_imbalance" in c["training_flags"] for c in leaderboard["candidates"])
    # The notebook's "Training insight" section lists the findings, escaped, and the curves.
    notebook = nbformat.read(out / "candidate_definitions.ipynb", as_version=4)
    [section] = [c for c in notebook.cells if c.source.startswith("## Training insight")]
    assert section.cell_type == "markdown"
    assert md("class_imbalance") in section.source
    assert md(finding.message) in section.source
    [code] = [c for c in notebook.cells if "TRAINING_CURVES = " in c.source]
    assert "application/vnd.vegalite.v5+json" in code.source
    tuned_boosting = [
        c.name
        for c in completed
        if c.algorithm in {"lightgbm", "xgboost"} and f"'{c.name}'" in code.source
    ]
    assert tuned_boosting, "the best boosting trials' curves are embedded"
