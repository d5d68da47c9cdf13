"""Objective metrics (named as SageMaker Autopilot names them) and decision thresholds.

Depends only on numpy and scikit-learn: the candidate definitions notebook embeds this
source so it scores candidates exactly as the engine does. scikit-learn is imported by the
functions that score, so the server can read the metric directions (`MINIMIZED`, through
`jupyter_autopilot.ranking`) without loading it.

Predictions are (n, n_classes) probabilities for classification (the positive class is
the last column for binary problems) and a 1-D array for regression.

Every scoring function takes an optional `sample_weight` (one non-negative weight per row,
Autopilot's sample weights): each row then counts in proportion to its weight, as with
scikit-learn's `sample_weight`. Without it every row counts once.
"""

from __future__ import annotations

import numpy as np

#: The forecast metrics Autopilot's TimeSeriesForecasting job reports (`forecasting/metrics.py`
#: computes them); Average wQL, the first, is its default objective. All are errors.
AVERAGE_WQL = "AverageWeightedQuantileLoss"
FORECAST_METRICS = (AVERAGE_WQL, "WAPE", "RMSE", "MASE", "MAPE")
#: Every metric where smaller is better: the one home of a metric's direction.
MINIMIZED = {"LogLoss", "MSE", "RMSE", "MAE", *FORECAST_METRICS}
CLASSIFICATION_METRICS = {
    "binary": ["F1", "AUC", "Accuracy", "BalancedAccuracy", "LogLoss", "Precision", "Recall"],
    "multiclass": [
        "Accuracy",
        "F1macro",
        "BalancedAccuracy",
        "LogLoss",
        "PrecisionMacro",
        "RecallMacro",
    ],
}
REGRESSION_METRICS = ["MSE", "RMSE", "MAE", "R2"]

#: SageMaker's built-in XGBoost metrics where higher is better, as its training logs name
#: them (`[12]#011validation-f1_binary:0.71`); every other XGBoost metric is a loss or an
#: error. Source: the XGBoost container SageMaker runs (sagemaker-xgboost-container,
#: `XGB_MAXIMIZE_METRICS`, the directions its tuning uses; the developer guide's "Tune an
#: XGBoost model" lists the older ones) plus XGBoost's ranking metrics `pre@n`.
XGBOOST_MAXIMIZED = frozenset(
    {
        "accuracy",
        "auc",
        "aucpr",
        "balanced_accuracy",
        "f1",
        "f1_binary",
        "f1_macro",
        "map",
        "ndcg",
        "pre",
        "precision",
        "precision_macro",
        "precision_micro",
        "r2",
        "recall",
        "recall_macro",
        "recall_micro",
    }
)


def best_f1_threshold(
    y: np.ndarray, positive_proba: np.ndarray, sample_weight: np.ndarray | None = None
) -> float:
    """The probability cut-off (predict positive when p >= cut) that maximises (weighted) F1."""
    order = np.argsort(-positive_proba, kind="mergesort")
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)[order]
    scores, hits = positive_proba[order], (y[order] == 1).astype(float) * w
    # Only cut between distinct scores, so the chosen cut reproduces exactly with `>=`.
    last_of_value = np.r_[scores[1:] != scores[:-1], True]
    tp = np.cumsum(hits)[last_of_value]
    predicted = np.cumsum(w)[last_of_value]
    positives = hits.sum()
    f1 = 2 * tp / np.maximum(predicted + positives, 1e-12)
    best = int(np.argmax(f1))
    return float(scores[last_of_value][best])


def predicted_classes(proba: np.ndarray, threshold: float | None = None) -> np.ndarray:
    """Class indices: argmax, or for binary problems `p(positive) >= threshold` when given."""
    if proba.shape[1] == 2 and threshold is not None:
        return (proba[:, 1] >= threshold).astype(int)
    return np.argmax(proba, axis=1)


def classification_scores(
    y: np.ndarray,
    proba: np.ndarray,
    threshold: float | None = None,
    sample_weight: np.ndarray | None = None,
) -> dict[str, float]:
    """Every classification metric for one set of predictions."""
    from sklearn import metrics as skm

    n_classes = proba.shape[1]
    pred = predicted_classes(proba, threshold)
    labels = list(range(n_classes))
    clipped = np.clip(proba, 1e-15, 1.0)
    clipped = clipped / clipped.sum(axis=1, keepdims=True)
    w = sample_weight
    out = {
        "Accuracy": skm.accuracy_score(y, pred, sample_weight=w),
        "BalancedAccuracy": skm.balanced_accuracy_score(y, pred, sample_weight=w),
        "LogLoss": skm.log_loss(y, clipped, labels=labels, sample_weight=w),
    }
    if n_classes == 2:
        out["F1"] = skm.f1_score(y, pred, zero_division=0, sample_weight=w)
        out["Precision"] = skm.precision_score(y, pred, zero_division=0, sample_weight=w)
        out["Recall"] = skm.recall_score(y, pred, zero_division=0, sample_weight=w)
        out["AUC"] = (
            skm.roc_auc_score(y, proba[:, 1], sample_weight=w)
            if len(np.unique(y)) == 2
            else float("nan")
        )
    else:
        macro = {"average": "macro", "labels": labels, "zero_division": 0, "sample_weight": w}
        out["F1macro"] = skm.f1_score(y, pred, **macro)
        out["PrecisionMacro"] = skm.precision_score(y, pred, **macro)
        out["RecallMacro"] = skm.recall_score(y, pred, **macro)
    return {k: float(v) for k, v in out.items()}


def regression_scores(
    y: np.ndarray, pred: np.ndarray, sample_weight: np.ndarray | None = None
) -> dict[str, float]:
    """Every regression metric for one set of predictions."""
    from sklearn import metrics as skm

    w = sample_weight
    mse = float(skm.mean_squared_error(y, pred, sample_weight=w))
    return {
        "MSE": mse,
        "RMSE": float(np.sqrt(mse)),
        "MAE": float(skm.mean_absolute_error(y, pred, sample_weight=w)),
        "R2": float(skm.r2_score(y, pred, sample_weight=w)),
    }


def score_all(
    task: str,
    y: np.ndarray,
    pred: np.ndarray,
    threshold: float | None = None,
    sample_weight: np.ndarray | None = None,
) -> dict[str, float]:
    """All metrics of the task (`binary`, `multiclass` or `regression`)."""
    if task == "regression":
        return regression_scores(y, pred, sample_weight)
    return classification_scores(y, pred, threshold, sample_weight)


def tune_threshold(
    task: str,
    metric: str,
    y: np.ndarray,
    pred: np.ndarray,
    sample_weight: np.ndarray | None = None,
) -> float | None:
    """The decision threshold for F1 objectives on binary problems; None otherwise (argmax)."""
    if task == "binary" and metric == "F1":
        return best_f1_threshold(y, pred[:, 1], sample_weight)
    return None


def _binary_counts(
    y: np.ndarray, pred: np.ndarray, w: np.ndarray
) -> tuple[float, float, float, float]:
    tp = float(np.sum(w[(pred == 1) & (y == 1)]))
    fp = float(np.sum(w[(pred == 1) & (y == 0)]))
    fn = float(np.sum(w[(pred == 0) & (y == 1)]))
    tn = float(np.sum(w[(pred == 0) & (y == 0)]))
    return tp, fp, fn, tn


def objective_score(
    task: str,
    metric: str,
    y: np.ndarray,
    pred: np.ndarray,
    threshold: float | None = None,
    sample_weight: np.ndarray | None = None,
) -> float:
    """One metric by name, e.g. `objective_score("binary", "F1", y, proba, 0.31)`.

    Same values as `score_all`, computed with numpy alone for the metrics ensemble
    selection evaluates thousands of times.
    """
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if task == "binary" and metric in ("F1", "Precision", "Recall", "Accuracy", "BalancedAccuracy"):
        tp, fp, fn, tn = _binary_counts(y, predicted_classes(pred, threshold), w)
        if metric == "F1":
            return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if metric == "Precision":
            return tp / (tp + fp) if tp else 0.0
        if metric == "Recall":
            return tp / (tp + fn) if tp else 0.0
        if metric == "Accuracy":
            return (tp + tn) / w.sum()
        return 0.5 * (tp / max(tp + fn, 1e-300) + tn / max(tn + fp, 1e-300))
    if task != "regression" and metric == "Accuracy":
        return float(np.average(predicted_classes(pred, threshold) == y, weights=w))
    if task != "regression" and metric == "LogLoss":
        clipped = np.clip(pred, 1e-15, 1.0)
        clipped = clipped / clipped.sum(axis=1, keepdims=True)
        return float(-np.average(np.log(clipped[np.arange(len(y)), y]), weights=w))
    if task == "binary" and metric == "AUC":
        from sklearn.metrics import roc_auc_score

        return float(roc_auc_score(y, pred[:, 1], sample_weight=sample_weight))
    if task == "regression":
        error = y - pred
        if metric == "MSE":
            return float(np.average(error**2, weights=w))
        if metric == "RMSE":
            return float(np.sqrt(np.average(error**2, weights=w)))
        if metric == "MAE":
            return float(np.average(np.abs(error), weights=w))
    return score_all(task, y, pred, threshold, sample_weight)[metric]


def is_better(metric: str, a: float | None, b: float | None) -> bool:
    """True when score `a` is strictly better than `b` for `metric` (None is worst)."""
    if a is None or np.isnan(a):
        return False
    if b is None or np.isnan(b):
        return True
    return a < b if metric in MINIMIZED else a > b


def metric_goal(metric: str) -> str:
    """`maximize` or `minimize`, for an Autopilot metric (`F1`, `LogLoss`) or for a metric
    as XGBoost's training log names it (`f1_binary`, `rmse`, `ndcg@5`, `map@3-`)."""
    if metric in MINIMIZED:
        return "minimize"
    if metric in CLASSIFICATION_METRICS["binary"] + CLASSIFICATION_METRICS["multiclass"]:
        return "maximize"
    if metric in REGRESSION_METRICS:
        return "maximize"  # R2; the errors are in MINIMIZED
    base = metric.split("@", 1)[0].lower()
    return "maximize" if base in XGBOOST_MAXIMIZED else "minimize"
