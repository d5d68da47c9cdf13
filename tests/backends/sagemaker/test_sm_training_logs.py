"""Learning curves from SageMaker XGBoost training logs: every metric's direction."""

from __future__ import annotations

import pytest

from jupyter_autopilot.backends.sagemaker.training_logs import parse_training_log

#: The built-in XGBoost algorithm's metrics and their optimisation direction, as SageMaker
#: publishes them: the developer guide's "Tune an XGBoost model" table (accuracy ... rmse)
#: and the XGBoost container's XGB_MAXIMIZE_METRICS / XGB_MINIMIZE_METRICS lists
#: (aws/sagemaker-xgboost-container, src/sagemaker_xgboost_container/constants/xgb_constants.py).
XGBOOST_DIRECTIONS = {
    "accuracy": "maximize",
    "auc": "maximize",
    "aucpr": "maximize",
    "balanced_accuracy": "maximize",
    "f1": "maximize",
    "f1_binary": "maximize",
    "f1_macro": "maximize",
    "map": "maximize",
    "ndcg": "maximize",
    "precision": "maximize",
    "precision_macro": "maximize",
    "precision_micro": "maximize",
    "r2": "maximize",
    "recall": "maximize",
    "recall_macro": "maximize",
    "recall_micro": "maximize",
    "error": "minimize",
    "logloss": "minimize",
    "mae": "minimize",
    "mape": "minimize",
    "merror": "minimize",
    "mlogloss": "minimize",
    "mse": "minimize",
    "rmse": "minimize",
    "rmsle": "minimize",
    "poisson-nloglik": "minimize",
    "gamma-deviance": "minimize",
    "tweedie-nloglik": "minimize",
    # XGBoost's ranking metrics at a cut-off.
    "ndcg@5": "maximize",
    "map@3-": "maximize",
    "pre@10": "maximize",
}


@pytest.mark.parametrize("metric", sorted(XGBOOST_DIRECTIONS))
def test_every_xgboost_metric_has_its_direction(metric: str) -> None:
    goal = XGBOOST_DIRECTIONS[metric]
    # A curve that improves and then gets worse after round 3, in the metric's own sense.
    good = [0.5, 0.6, 0.7, 0.8, 0.75, 0.7]
    values = good if goal == "maximize" else [1 - v for v in good]
    lines = [
        f"[{i}]#011train-{metric}:{v:.4f}#011validation-{metric}:{v:.4f}"
        for i, v in enumerate(values)
    ]
    [curve] = parse_training_log(lines)
    assert curve.metric == metric and curve.goal == goal
    assert curve.best_iteration == 4  # rounds count from 1: the 4th is the best either way
